import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAssignment } from '../src/assignment/load.ts';
import { checkAssignment } from '../src/selftest/check.ts';
import { PROJECT_ROOT, tempDir } from './helpers.ts';

const src = (file: string) => JSON.stringify(path.join(PROJECT_ROOT, 'grader/src', file));

/** A one-problem assignment whose mistakes are caught, missed, harmless or undeclared. */
function tinyProject(): string {
  const mistake = (id: string, hint: string, matches: string) => `{ id: '${id}', hint: '${hint}', matches: ${matches} }`;
  return tempDir({
    'assignments/tiny/assignment.ts': `
      import { defineAssignment, problem } from ${src('assignment/define.ts')};
      import { allClose } from ${src('checks/allclose.ts')};
      import { sameAs } from ${src('checks/mistakes.ts')};
      import { finiteNumber } from ${src('checks/values.ts')};
      import * as reference from '../../solutions/tiny/main.ts';
      import * as addsOne from './mistakes/adds-one.ts';
      export default defineAssignment({
        id: 'tiny', title: 'Tiny', module: 'main.ts',
        problems: [problem({
          export: 'double', title: 'Double', points: 2, reference: reference.double, output: finiteNumber,
          cases: [{ name: 'one', args: (rng) => [rng.uniform(1, 2)] }, { name: 'two', visibility: 'hidden', args: (rng) => [rng.uniform(1, 2)] }],
          // An invariant rather than agreement with the reference, so a wrong reference is caught.
          check: ({ args, output }) => allClose(output, 2 * args[0]),
          mistakes: [
            ${mistake('adds-one', 'You added one.', 'sameAs(addsOne.double)')},
            ${mistake('triples', 'Never shown.', '() => false')},
            ${mistake('harmless', 'Not a mistake at all.', '() => true')},
          ],
        })],
      });
    `,
    'solutions/tiny/main.ts': 'export function double(x: number): number { return 2 * x; }\n',
    'starter/tiny/main.ts': "export function double(x: number): number { throw new Error('not implemented: double'); }\n",
    'assignments/tiny/mistakes/adds-one.ts': 'export function double(x: number): number { return x + 1; }\n',
    'assignments/tiny/mistakes/triples.ts': 'export function double(x: number): number { return 3 * x; }\n',
    'assignments/tiny/mistakes/harmless.ts': 'export function double(x: number): number { return x + x; }\n',
    'assignments/tiny/mistakes/stray.ts': 'export function double(x: number): number { return 0 * x; }\n',
  });
}

describe('mlgrade check', () => {
  it('passes what holds and fails what does not, saying why', async () => {
    const assignment = await loadAssignment('tiny', tinyProject());
    const rows = await checkAssignment(assignment);
    const byCheck = Object.fromEntries(rows.map((r) => [r.check, r]));
    expect(byCheck['reference scores full marks for 10 students']).toMatchObject({ ok: true, detail: '2/2 each' });
    expect(byCheck['grading twice gives identical Results'].ok).toBe(true);
    expect(byCheck['starter scores 0 and grading completes']).toMatchObject({ ok: true, detail: '0/2' });
    expect(byCheck['mistake files match the declared mistakes']).toMatchObject({ ok: false, detail: 'files not declared in assignment.ts: stray' });
    expect(byCheck['every problem has at least one declared mistake'].ok).toBe(true);
    expect(byCheck['mistake adds-one is caught']).toMatchObject({ ok: true, detail: 'double 0/2, hint shown' });
    expect(byCheck['mistake triples is caught']).toMatchObject({ ok: false, detail: 'double 0/2, hint NOT shown on any visible case' });
    expect(byCheck['mistake harmless is caught']).toMatchObject({ ok: false, detail: 'double 2/2, hint NOT shown on any visible case' });
  });

  it('fails an assignment whose reference loses points', async () => {
    const root = tinyProject();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(root, 'solutions/tiny/main.ts'), 'export function double(x: number): number { return x > 1.5 ? 2 * x : x; }\n');
    const assignment = await loadAssignment('tiny', root);
    const rows = await checkAssignment(assignment);
    const referenceRow = rows.find((r) => r.check.startsWith('reference scores full marks'))!;
    expect(referenceRow.ok).toBe(false);
    expect(referenceRow.detail).toMatch(/selfcheck-\d+: [01]\/2 \(double \/ (one|two): /);
  });
});
