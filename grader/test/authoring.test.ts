import { cpSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAssignment } from '../src/assignment/load.ts';
import { replaceFunction, replaceSection, runWalkthrough, WalkthroughError, walkthroughSteps } from '../src/scaffold/walkthrough.ts';
import { PROJECT_ROOT, tempDir } from './helpers.ts';

const WALKTHROUGH = readFileSync(path.join(PROJECT_ROOT, 'docs/authoring.md'), 'utf8');
/** Not part of a course's files: installed packages, history, outputs of earlier runs. */
const LEFT_OUT = new Set(['node_modules', '.git', '.stryker-tmp', 'reports/out', 'reports/mutation'].map((f) => path.join(PROJECT_ROOT, ...f.split('/'))));

describe('docs/authoring.md', () => {
  it('is carried out, step by step, on a copy of the repository: the new problem and the new assignment pass mlgrade check, type-check and lint', async () => {
    const root = tempDir({}, 'mlgrade-authoring-');
    cpSync(PROJECT_ROOT, root, { recursive: true, filter: (source) => !LEFT_OUT.has(source) });
    symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(root, 'node_modules'));
    const log: string[] = [];
    runWalkthrough(WALKTHROUGH, root, (line) => log.push(line));
    const text = log.join('\n');
    // The scaffold passed as it was, and the written problem passes with its mistake caught.
    expect(text).toMatch(/warn {2}pca +no placeholder problems/);
    expect(text).toMatch(/ok {4}pca +mistake power-iteration-eigenvalue is caught +powerIteration 0\/8, hint shown/);
    expect(text.match(/mlgrade check: every check passed/g)).toHaveLength(3);
    expect(text).toMatch(/ok {4}text-demo +starter scores 0 and grading completes +0\/10/);
    const assignment = await loadAssignment('pca', root);
    const problem = assignment.spec.problems.find((p) => p.export === 'powerIteration')!;
    expect(problem.placeholder).toBeUndefined();
    expect(problem.mistakes?.map((m) => m.id)).toEqual(['power-iteration-eigenvalue']);
    expect(assignment.spec.problems.at(-1)?.export).toBe('powerIteration');
  }, 300_000);

  it('has the steps its text promises, in order', () => {
    const steps = walkthroughSteps(WALKTHROUGH);
    expect(steps.map((s) => (s.kind === 'sh' ? `sh ${s.body.split('\n')[0]}` : `${s.kind} ${s.target}`))).toEqual([
      'sh npx mlgrade new-problem pca powerIteration',
      'sh npx mlgrade check pca --problem powerIteration',
      'function solutions/pca/pca.ts',
      'function starter/pca/pca.ts',
      'file assignments/pca/problems/powerIteration.ts',
      'sh rm assignments/pca/mistakes/power-iteration-placeholder.ts',
      'file assignments/pca/mistakes/power-iteration-eigenvalue.ts',
      'section assignments/pca/handout.md.hbs',
      'sh npx mlgrade check pca --problem powerIteration',
      'sh npx mlgrade new text-demo --module text.ts',
      'sh npx tsc --noEmit',
    ]);
  });
});

describe('the walkthrough runner', () => {
  it('replaces a function with the doc comment above it, and nothing else', () => {
    const source = '/** keep */\nexport function a(): number {\n  return 1;\n}\n\n/**\n * old\n */\nexport function b(): number {\n  return 2;\n}\n\nexport const c = 3;\n';
    expect(replaceFunction(source, '/** new */\nexport function b(): number {\n  return 20;\n}\n', 'here')).toBe(
      '/** keep */\nexport function a(): number {\n  return 1;\n}\n\n/** new */\nexport function b(): number {\n  return 20;\n}\n\nexport const c = 3;\n',
    );
    expect(() => replaceFunction(source, 'export function z() {}\n', 'here')).toThrow('here: no exported function z to replace');
    expect(() => replaceFunction(source, 'const x = 1;\n', 'here')).toThrow(WalkthroughError);
  });

  it('replaces the scaffolded handout section of the problem the block names', () => {
    const source = '# T\n\n{{!-- problem f (scaffolded by mlgrade new-problem) --}}\nold\n{{!-- end of problem f --}}\n\n## after\n';
    expect(replaceSection(source, '## f — {{problems.f.points}} points\nnew\n', 'here')).toBe('# T\n\n## f — {{problems.f.points}} points\nnew\n\n## after\n');
    expect(() => replaceSection(source, '## g — {{problems.g.points}}\n', 'here')).toThrow('here: no scaffolded section for g');
  });

  it('stops at a failing command, naming its line', () => {
    const root = tempDir({}, 'mlgrade-walk-');
    expect(() => runWalkthrough('intro\n\n```sh\ntrue\nfalse\n```\n', root)).toThrow(/^docs\/authoring\.md:3: the commands failed:\ntrue\nfalse\n/);
    expect(() => walkthroughSteps('```sh\nnever closed\n')).toThrow('line 1: a code block is not closed');
  });
});
