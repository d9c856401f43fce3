import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CaseSpec, ProblemSpec } from '../src/assignment/define.ts';
import { listAssignmentIds, loadAssignment } from '../src/assignment/load.ts';
import { mistakeFunctions, mistakeImplementation, referenceImplementation, replayChecks, replayMemory, type ReplayedCase } from '../src/selftest/replay.ts';

/**
 * Every assignment's checks and hints, replayed in this process (selftest/replay.ts):
 *   - the reference gets full marks on every case, visible and hidden, for several students;
 *   - each declared mistake loses points on its problem, and the only hint that fires on it
 *     is its own (a wrong hint sends a student to fix what is not broken);
 *   - generic wrong answers (the reference's answer scaled, shifted, or with one entry
 *     changed) trigger no declared hint.
 * `mlgrade check` proves the same through the sandbox; these run in milliseconds per case,
 * so mutation testing (npm run mutation) can use them. Cases that declare `checkStudents`
 * cost seconds per student (an SVD of real data): they are replayed for the reference and one
 * student here, and left to `mlgrade check` and each assignment's own replay test
 * (`*-students.test.ts`) for the mistakes and the generic wrong answers.
 */

const STUDENTS = ['replay-1', 'replay-2'];
const SECRET = 'replay-secret';
const memory = replayMemory();

/** A case that costs milliseconds, not seconds (see above). */
const cheap = (_: ProblemSpec, c: CaseSpec<unknown[]>): boolean => c.checkStudents === undefined;

type Wrong = (value: unknown) => unknown;

/** Applies `f` to every number in a value of nested arrays and plain objects. */
function mapNumbers(value: unknown, f: (x: number, index: number) => number, counter = { i: 0 }): unknown {
  if (typeof value === 'number') return f(value, counter.i++);
  if (Array.isArray(value)) return value.map((v) => mapNumbers(v, f, counter));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapNumbers(v, f, counter)]));
  return value;
}

const GENERIC_WRONG: Record<string, Wrong> = {
  'every number ×1.5': (v) => mapNumbers(v, (x) => 1.5 * x),
  'every number +0.25': (v) => mapNumbers(v, (x) => x + 0.25),
  'the first number changed by 1': (v) => mapNumbers(v, (x, i) => (i === 0 ? x + 1 : x)),
};

function lostCases(cases: ReplayedCase[]): string[] {
  return cases.filter((c) => c.score < 1).map((c) => `${c.problem} / ${c.caseName} (${c.visibility}): ${c.message}`);
}

for (const id of listAssignmentIds()) {
  const assignment = await loadAssignment(id);
  const { spec } = assignment;
  if (spec.tensors) continue; // replay does not pass tensors yet: these are covered by `mlgrade check`
  const mistakeIds = readdirSync(assignment.mistakesDir).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3));
  const problemOf = new Map(spec.problems.flatMap((p) => (p.mistakes ?? []).map((m) => [m.id, p] as [string, ProblemSpec])));

  describe(`${id}: checks and hints replayed`, () => {
    for (const problem of spec.problems) {
      // One test per case, so that mutation testing runs only the cases that reach a mutant.
      for (const c of problem.cases) {
        it(`${problem.export} / ${c.name}: the reference gets full marks`, async () => {
          const implementation = await referenceImplementation(assignment);
          const lost: string[] = [];
          for (const student of c.checkStudents === undefined ? STUDENTS : STUDENTS.slice(0, 1)) {
            const cases = await replayChecks({ assignment, implementation, student, secret: SECRET, problems: [problem.export], cases: [c.name], memory });
            expect(cases).toHaveLength(1);
            lost.push(...lostCases(cases));
          }
          expect(lost).toEqual([]);
        });
      }

      it(`${problem.export}: no declared hint fires on generic wrong answers`, async () => {
        const implementation = await referenceImplementation(assignment);
        const fired: string[] = [];
        for (const [name, wrong] of Object.entries(GENERIC_WRONG)) {
          const cases = await replayChecks({ assignment, implementation, student: STUDENTS[0], secret: SECRET, problems: [problem.export], memory, transformOutput: wrong, include: cheap });
          fired.push(...cases.filter((c) => c.matches.length > 0).map((c) => `${name}: ${c.caseName}: ${c.matches.join(', ')}`));
        }
        expect(fired).toEqual([]);
      });
    }

    for (const mistake of mistakeIds) {
      it(`mistake ${mistake}: loses points, and only its own hint fires`, async () => {
        const problem = problemOf.get(mistake);
        expect(problem, `${mistake}.ts is not declared in assignment.ts`).toBeDefined();
        const implementation = await mistakeImplementation(assignment, mistake);
        const overridden = Object.keys(await mistakeFunctions(assignment, mistake));
        const cases: ReplayedCase[] = [];
        for (const student of STUDENTS) cases.push(...(await replayChecks({ assignment, implementation, student, secret: SECRET, problems: overridden, memory, include: cheap })));
        const own = cases.filter((c) => c.problem === problem!.export);
        expect(own.some((c) => c.score < 1), `${mistake} never loses points on ${problem!.export}`).toBe(true);
        expect(own.some((c) => c.matches.includes(mistake)), `${mistake}'s hint never fires on its own submission`).toBe(true);
        const wrongHints = cases.flatMap((c) => c.matches.filter((m) => m !== mistake).map((m) => `${m} fired on ${c.problem} / ${c.caseName}`));
        expect(wrongHints).toEqual([]);
      });
    }
  });
}
