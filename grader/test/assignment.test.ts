import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AssignmentError, listAssignmentIds, loadAssignment } from '../src/assignment/load.ts';
import { PROJECT_ROOT, tempDir } from './helpers.ts';

const DEFINE = JSON.stringify(path.join(PROJECT_ROOT, 'grader/src/assignment/define.ts'));

/** A project root holding one assignment whose `problems` array is given as source text. */
function rootWith(id: string, problems: string, extra = ''): string {
  return tempDir({
    [`assignments/${id}/assignment.ts`]: `import { defineAssignment } from ${DEFINE};
import { z } from 'zod';
const problem = { export: 'f', title: 'F', points: 1, reference: (x: number) => x, output: z.number(), cases: [{ name: 'c', args: () => [1] }], check: () => ({ score: 1, message: '' }) };
void problem; void z;
export default defineAssignment({ id: '${id}', title: 'T', module: 'main.ts', problems: ${problems} ${extra} });
`,
  });
}

async function loadError(root: string, id = 'x'): Promise<string> {
  try {
    await loadAssignment(id, root);
  } catch (error) {
    expect(error).toBeInstanceOf(AssignmentError);
    return (error as Error).message;
  }
  throw new Error('expected the assignment to be rejected');
}

describe('loading assignment definitions', () => {
  it('loads a valid definition and finds its folders', async () => {
    const root = rootWith('x', '[problem]');
    expect(listAssignmentIds(root)).toEqual(['x']);
    const loaded = await loadAssignment('x', root);
    expect(loaded.spec.problems[0].export).toBe('f');
    expect(loaded.starterDir).toBe(path.join(root, 'starter/x'));
    expect(loaded.solutionDir).toBe(path.join(root, 'solutions/x'));
  });

  it('reports a bad field as file: path: message, not a stack trace', async () => {
    expect(await loadError(rootWith('x', '[problem, { ...problem, export: "g" }, { ...problem, export: "h", points: -1 }]'))).toBe(
      'assignments/x/assignment.ts: problems[2].points: expected a positive number',
    );
    expect(await loadError(rootWith('x', '[problem, problem]'))).toBe('assignments/x/assignment.ts: problems[1].export: duplicate problem "f"');
  });

  it('names the field for each kind of mistake an author makes', async () => {
    const cases: Array<[string, string]> = [
      ['[{ ...problem, cases: [] }]', 'problems[0].cases: expected at least one case'],
      ['[{ ...problem, cases: [{ name: "c" }] }]', 'problems[0].cases[0]: give exactly one of `args` and `calls`'],
      ['[{ ...problem, cases: [{ name: "c", args: () => [1], visibility: "secret" }] }]', 'problems[0].cases[0].visibility: expected one of visible, after_due_date, after_published, hidden'],
      ['[{ ...problem, cases: [{ name: "c", args: () => [1] }, { name: "c", args: () => [2] }] }]', 'problems[0].cases[1].name: duplicate case name "c"'],
      ['[{ ...problem, dependsOn: ["g"] }]', 'problems[0].dependsOn[0]: "g" is not a problem listed before this one'],
      ['[{ ...problem, reference: 3 }]', 'problems[0].reference: expected the reference implementation (a function)'],
      ['[{ ...problem, output: {} }]', 'problems[0].output: expected a zod schema for the returned value'],
      ['[{ ...problem, mistakes: [{ id: "Bad Name", hint: "h", matches: () => true }] }]', 'problems[0].mistakes[0].id: expected a kebab-case file name without .ts'],
      ['[]', 'problems: expected at least one problem'],
    ];
    for (const [problems, message] of cases) {
      expect(await loadError(rootWith('x', problems))).toBe(`assignments/x/assignment.ts: ${message}`);
    }
  });

  it('checks that a leaderboard names a problem and case the assignment has', async () => {
    const withBoard = (entry: string) => rootWith('x', '[problem]', `, leaderboard: [${entry}]`);
    expect((await loadAssignment('x', withBoard('{ name: "PSNR", problem: "f", case: "c", metric: "psnr" }'))).spec.leaderboard).toHaveLength(1);
    expect(await loadError(withBoard('{ name: "PSNR", problem: "g", case: "c", metric: "psnr" }'))).toBe('assignments/x/assignment.ts: leaderboard[0].problem: no problem "g"');
    expect(await loadError(withBoard('{ name: "PSNR", problem: "f", case: "d", metric: "psnr" }'))).toBe('assignments/x/assignment.ts: leaderboard[0].case: problem f has no case "d"');
    expect(await loadError(withBoard('{ name: "PSNR", problem: "f", case: "c", metric: "psnr", order: "up" }'))).toBe('assignments/x/assignment.ts: leaderboard[0].order: expected asc or desc');
  });

  it('rejects an id that differs from the folder, a missing default export, a file that does not load, an unknown id', async () => {
    const wrongId = rootWith('x', '[problem]');
    const moved = tempDir({ 'assignments/y/assignment.ts': readFileSync(path.join(wrongId, 'assignments/x/assignment.ts'), 'utf8') });
    expect(await loadError(moved, 'y')).toBe('assignments/y/assignment.ts: id: expected "y" (the folder name), got "x"');
    expect(await loadError(tempDir({ 'assignments/x/assignment.ts': 'export const a = 1;' }))).toBe(
      'assignments/x/assignment.ts: has no default export; export default defineAssignment({...})',
    );
    expect(await loadError(tempDir({ 'assignments/x/assignment.ts': "throw new Error('broken on purpose');" }))).toBe(
      'assignments/x/assignment.ts: failed to load: broken on purpose',
    );
    expect(await loadError(rootWith('x', '[problem]'), 'nope')).toBe('no assignment "nope" (looked for assignments/nope/assignment.ts); known assignments: x');
  });
});
