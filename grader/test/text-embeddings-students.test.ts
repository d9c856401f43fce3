/**
 * text-embeddings replayed in process (selftest/replay.ts: the grader's seeds, schemas, checks
 * and detectors, without the sandbox): the reference keeps full marks on every case, visible
 * and hidden, for more students than `mlgrade check` grades in the sandbox (it replays 50), and
 * every declared mistake loses points on its problem with its own hint and no other, on every
 * case (`assignment-checks.test.ts` leaves out the costly ones).
 */
import { describe, expect, it } from 'vitest';
import { loadAssignment } from '../src/assignment/load.ts';
import { mistakeImplementation, referenceImplementation, replayChecks } from '../src/selftest/replay.ts';

/** The cases on the State of the Union's 502- and 1006-word matrices take seconds per student: they are replayed for fewer. */
const costly = (name: string): boolean => name.startsWith('the State of the Union') || name.includes('of a decade');

describe('the whole pipeline replayed in process', () => {
  it('the reference keeps full marks for 8 students on every case (1 on the costly ones); every mistake loses points on its problem with its own hint only', async () => {
    const loaded = await loadAssignment('text-embeddings');
    const secret = 'text-embeddings-checks';
    const implementation = await referenceImplementation(loaded);
    for (const [i, student] of Array.from({ length: 8 }, (_, j) => `te-${j + 1}`).entries()) {
      const cases = await replayChecks({ assignment: loaded, implementation, student, secret, include: (_, c) => i < 1 || !costly(c.name) });
      expect(cases.filter((c) => c.score < 1).map((c) => `${student}: ${c.problem} / ${c.caseName}: ${c.message}`)).toEqual([]);
    }
    for (const problem of loaded.spec.problems) {
      for (const { id } of problem.mistakes ?? []) {
        const cases = await replayChecks({ assignment: loaded, implementation: await mistakeImplementation(loaded, id), student: 'te-1', secret, problems: [problem.export] });
        expect(cases.some((c) => c.score < 1 && c.matches.includes(id)), id).toBe(true);
        expect(cases.flatMap((c) => c.matches.filter((m) => m !== id)), id).toEqual([]);
      }
    }
  }, 300_000);
});
