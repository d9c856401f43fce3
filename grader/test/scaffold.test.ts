import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AssignmentError, assertReleasable, loadAssignment } from '../src/assignment/load.ts';
import { buildGradescopeBundle } from '../src/gradescope/bundle.ts';
import { kebab, newAssignment, newProblem, PROBLEMS_MARKER, ScaffoldError } from '../src/scaffold/scaffold.ts';
import { type CheckRow, checkAssignment } from '../src/selftest/check.ts';
import { PROJECT_ROOT, tempDir } from './helpers.ts';

/**
 * An empty course project whose assignments import the engine of this one (through a link to
 * grader/src), with a contracts file of its own.
 */
function emptyProject(): string {
  const root = tempDir({}, 'mlgrade-scaffold-');
  mkdirSync(path.join(root, 'grader', 'test'), { recursive: true });
  symlinkSync(path.join(PROJECT_ROOT, 'grader', 'src'), path.join(root, 'grader', 'src'));
  writeFileSync(path.join(root, 'grader', 'test', 'contracts.ts'), 'type Starter<T> = T;\n');
  return root;
}

const failed = (rows: CheckRow[]) => rows.filter((r) => !r.ok).map((r) => `${r.check}: ${r.detail}`);

describe('mlgrade new', () => {
  it('scaffolds an assignment that loads and passes mlgrade check as it is, with its placeholder flagged', async () => {
    const root = emptyProject();
    const done = newAssignment(root, 'text-demo', 'text.ts');
    expect(done.written.sort()).toEqual(
      [
        'assignments/text-demo/assignment.ts',
        'assignments/text-demo/handout.md.hbs',
        'assignments/text-demo/mistakes/example-placeholder.ts',
        'assignments/text-demo/problems/example.ts',
        'solutions/text-demo/text.ts',
        'starter/text-demo/text.ts',
      ].map((f) => f.split('/').join(path.sep)),
    );
    expect(done.manual).toEqual([]);
    expect(done.edited).toEqual([path.join('grader', 'test', 'contracts.ts')]);
    expect(readFileSync(path.join(root, 'grader/test/contracts.ts'), 'utf8')).toContain(
      "export const textDemo = (solution: typeof import('../../solutions/text-demo/text.ts')): Starter<typeof import('../../starter/text-demo/text.ts')> => solution;",
    );
    const assignment = await loadAssignment('text-demo', root);
    expect(assignment.spec.problems.map((p) => [p.export, p.placeholder])).toEqual([['example', true]]);
    const rows = await checkAssignment(assignment);
    expect(failed(rows)).toEqual([]);
    expect(rows.filter((r) => r.warning).map((r) => r.check)).toEqual(['no placeholder problems']);
    expect(rows.find((r) => r.check === 'starter scores 0 and grading completes')?.detail).toBe('0/10');
    expect(rows.find((r) => r.check === 'mistake example-placeholder is caught')?.detail).toBe('example 0/10, hint shown');
    // A placeholder cannot be released by accident.
    expect(() => assertReleasable(assignment, 'student copy')).toThrow(AssignmentError);
    expect(() => assertReleasable(assignment, 'student copy')).toThrow(/text-demo: no student copy: example is still a placeholder scaffolded by mlgrade new-problem/);
    expect(() => buildGradescopeBundle(assignment, { secret: 's' })).toThrow(/no Gradescope bundle: example is still a placeholder/);
  }, 120_000);

  it('refuses bad names and never overwrites', () => {
    const root = emptyProject();
    expect(() => newAssignment(root, 'Text_Demo', 'text.ts')).toThrow(/"Text_Demo" is not a usable assignment id/);
    expect(() => newAssignment(root, 'text-demo', 'text.js')).toThrow(/--module text.js: expected a TypeScript file name/);
    newAssignment(root, 'text-demo', 'text.ts');
    expect(() => newAssignment(root, 'text-demo', 'text.ts')).toThrow(ScaffoldError);
    expect(() => newAssignment(root, 'text-demo', 'text.ts')).toThrow(/assignments[/\\]text-demo exists already; nothing was written/);
  });
});

describe('mlgrade new-problem', () => {
  it('adds a second problem above the marker, with stubs, a mistake and a handout section, and it passes', async () => {
    const root = emptyProject();
    newAssignment(root, 'text-demo', 'text.ts');
    const done = newProblem(root, 'text-demo', 'cosineSimilarity');
    expect(done.written).toEqual(['assignments/text-demo/problems/cosineSimilarity.ts', 'assignments/text-demo/mistakes/cosine-similarity-placeholder.ts'].map((f) => f.split('/').join(path.sep)));
    const source = readFileSync(path.join(root, 'assignments/text-demo/assignment.ts'), 'utf8');
    expect(source).toContain("import cosineSimilarityProblem from './problems/cosineSimilarity.ts';");
    expect(source.indexOf('cosineSimilarityProblem,')).toBeLessThan(source.indexOf(PROBLEMS_MARKER));
    expect(source.indexOf('exampleProblem,')).toBeLessThan(source.indexOf('cosineSimilarityProblem,'));
    expect(readFileSync(path.join(root, 'starter/text-demo/text.ts'), 'utf8')).toContain("throw new Error('not implemented: cosineSimilarity');");
    expect(readFileSync(path.join(root, 'assignments/text-demo/handout.md.hbs'), 'utf8')).toContain('{{problems.cosineSimilarity.points}}');
    const assignment = await loadAssignment('text-demo', root);
    expect(assignment.spec.problems.map((p) => p.export)).toEqual(['example', 'cosineSimilarity']);
    const rows = await checkAssignment(assignment, undefined, { problems: ['cosineSimilarity'] });
    expect(failed(rows)).toEqual([]);
    expect(rows.find((r) => r.check === 'no placeholder problems')?.detail).toMatch(/^WARNING: cosineSimilarity is a placeholder/);
    expect(rows.find((r) => r.check === 'starter scores 0 and grading completes')?.detail).toBe('0/10');
    // --problem names problems that exist.
    const unknown = await checkAssignment(assignment, undefined, { problems: ['nope'] });
    expect(failed(unknown)).toEqual(['the problems to check exist: text-demo has no problem nope; its problems: example, cosineSimilarity']);
  }, 120_000);

  it('refuses a name in use, a bad name or a missing assignment, and says what to do by hand without the marker', () => {
    const root = emptyProject();
    newAssignment(root, 'text-demo', 'text.ts');
    expect(() => newProblem(root, 'text-demo', 'example')).toThrow(/exists already; nothing was written/);
    expect(() => newProblem(root, 'text-demo', '2fast')).toThrow(/"2fast" is not a usable function name/);
    expect(() => newProblem(root, 'text-demo', 'reference')).toThrow(/"reference" is not a usable function name/);
    expect(() => newProblem(root, 'nope', 'f')).toThrow(/no assignment "nope"/);
    const file = path.join(root, 'assignments/text-demo/assignment.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace(PROBLEMS_MARKER, ''));
    const done = newProblem(root, 'text-demo', 'tokenize');
    expect(done.manual).toHaveLength(1);
    expect(done.manual[0]).toContain("`import tokenizeProblem from './problems/tokenize.ts';`");
    expect(existsSync(path.join(root, 'assignments/text-demo/problems/tokenize.ts'))).toBe(true);
    expect(readFileSync(file, 'utf8')).not.toContain('tokenizeProblem');
  });

  it('names mistake files in kebab case', () => {
    expect(kebab('powerIteration')).toBe('power-iteration');
    expect(kebab('svd')).toBe('svd');
    expect(kebab('topK2Words')).toBe('top-k2-words');
  });
});

describe('released assignments', () => {
  it('have no placeholder problems', async () => {
    for (const id of ['adversarial', 'autoencoders', 'cnn-layers', 'pca']) {
      const assignment = await loadAssignment(id);
      expect(() => assertReleasable(assignment, 'student copy')).not.toThrow();
    }
  });
});
