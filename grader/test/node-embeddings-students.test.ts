/**
 * node-embeddings replayed in process (selftest/replay.ts: the grader's seeds, schemas, checks
 * and detectors, without the sandbox): the reference keeps full marks on every case, visible
 * and hidden, for more students than `mlgrade check` grades in the sandbox, and every declared
 * mistake loses points on its problem with its own hint and no other.
 */
import { describe, expect, it } from 'vitest';
import { loadAssignment } from '../src/assignment/load.ts';
import { mistakeImplementation, referenceImplementation, replayChecks } from '../src/selftest/replay.ts';

describe('the whole pipeline replayed in process', () => {
  it('the reference keeps full marks for 20 students on every case; every mistake loses points on its problem with its own hint only', async () => {
    const loaded = await loadAssignment('node-embeddings');
    const secret = 'node-embeddings-checks';
    const implementation = await referenceImplementation(loaded);
    for (const student of Array.from({ length: 20 }, (_, i) => `ne-${i + 1}`)) {
      const cases = await replayChecks({ assignment: loaded, implementation, student, secret });
      expect(cases.filter((c) => c.score < 1).map((c) => `${student}: ${c.problem} / ${c.caseName}: ${c.message}`)).toEqual([]);
    }
    for (const problem of loaded.spec.problems) {
      for (const { id } of problem.mistakes ?? []) {
        const cases = await replayChecks({ assignment: loaded, implementation: await mistakeImplementation(loaded, id), student: 'ne-1', secret, problems: [problem.export] });
        expect(cases.some((c) => c.score < 1 && c.matches.includes(id)), id).toBe(true);
        expect(cases.flatMap((c) => c.matches.filter((m) => m !== id)), id).toEqual([]);
      }
    }
  }, 120_000);
});
