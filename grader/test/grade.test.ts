import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAssignment } from '../src/assignment/load.ts';
import { gradeSubmission } from '../src/run/grade.ts';
import { caseSeed } from '../src/run/seeds.ts';
import { affectedProblems } from '../src/selftest/check.ts';
import { referenceImplementation, replayChecks, replayMemory } from '../src/selftest/replay.ts';
import { resultSchema, serializeResult, withoutTiming, type Result } from '../src/result/schema.ts';
import { cnnSubmission, GRADING_BACKEND, PROJECT_ROOT, tempDir } from './helpers.ts';

const assignment = await loadAssignment('cnn-layers');
const grade = (submissionDir: string, student = 's1', seed = '0'): Promise<Result> =>
  gradeSubmission({ assignment, submissionDir, student, seed, secret: 'test-secret' });
const problem = (result: Result, name: string) => result.problems.find((p) => p.name === name)!;
/** For throwaway assignments written into temporary project roots. */
const DEFINE = JSON.stringify(path.join(PROJECT_ROOT, 'grader/src/assignment/define.ts'));

describe('grading cnn-layers end to end', () => {
  it('gives the reference full marks and a valid, versioned Result', async () => {
    const result = await grade(assignment.solutionDir);
    expect(resultSchema.parse(result)).toEqual(result);
    expect(result.schemaVersion).toBe(1);
    expect(result.score).toBe(result.maxScore);
    expect(result.problems.every((p) => p.status === 'pass')).toBe(true);
  });

  it('gives the starter 0 with "not implemented" on every visible case and no stack trace', async () => {
    const result = await grade(assignment.starterDir);
    expect(result.score).toBe(0);
    for (const p of result.problems) {
      for (const c of p.cases) {
        if (c.visibility !== 'visible') expect(c.message).toMatch(/\(this case is not visible: details are withheld\)$/);
        else if (c.status === 'skipped') expect(c.message).toMatch(/^skipped: this problem depends on/);
        else expect(c.message).toMatch(/^not implemented yet/);
        expect(c.message).not.toMatch(/\bat .*\.(ts|js|mjs):\d+/);
      }
    }
  });

  it('loses exactly the points of a problem that loops, exhausts memory, exits, throws, returns NaN or the wrong shape', async () => {
    const dir = cnnSubmission({
      conv2d: 'export function conv2d(): number[][] { for (;;) {} }',
      avgPool2d: 'export function avgPool2d(): number[][] { process.exit(0); }',
      batchNormForward: 'export function batchNormForward(): never { const a: number[][] = []; for (;;) a.push(new Array(1e6).fill(1)); }',
      batchNormInference: "export function batchNormInference(): number[][] { throw new Error('oops'); }",
      updateRunningAverage: 'export function updateRunningAverage(running: number[]): number[] { return running.map(() => NaN); }',
      residualForward: 'export function residualForward(x: number[][]): number[][] { return x.slice(1); }',
    });
    const result = await gradeSubmission({ assignment, submissionDir: dir, student: 's1', seed: '0', secret: 'test-secret', memoryMb: 256 });
    const lost = Object.fromEntries(result.problems.map((p) => [p.name, p.score]));
    expect(lost).toEqual({
      conv2d: 0,
      maxPool2d: 8,
      avgPool2d: 0,
      maxPool2dBackward: 10,
      batchNormForward: 0,
      batchNormBackward: 12,
      batchNormInference: 0,
      updateRunningAverage: 0,
      dropoutForward: 10,
      residualForward: 0,
    });
    const firstMessage = (name: string) => problem(result, name).cases[0].message;
    expect(firstMessage('conv2d')).toBe('conv2d stopped after 2 s of CPU time (limit 2 s of CPU; wall-clock backstop 8 s)');
    expect(problem(result, 'conv2d').cases[0].status).toBe('timeout');
    expect(firstMessage('avgPool2d')).toMatch(/^the submission's process ended unexpectedly \(exit code 0\)/);
    expect(firstMessage('batchNormForward')).toBe('batchNormForward used more than 256 MB of memory and was stopped');
    expect(firstMessage('batchNormInference')).toBe('batchNormInference threw Error: oops');
    expect(firstMessage('updateRunningAverage')).toBe('updateRunningAverage returned an invalid value: result[0]: expected a finite number, got NaN (and 3 more invalid entries)');
    expect(firstMessage('residualForward')).toMatch(/^wrong shape: out has 3 rows, expected 4/);
  }, 120_000);

  it('shows a declared mistake\'s hint with the numbers', async () => {
    const dir = cnnSubmission({
      updateRunningAverage: 'export function updateRunningAverage(r: number[], b: number[], m: number): number[] { return r.map((v, i) => m * b[i] + (1 - m) * v); }',
    });
    const result = await grade(dir);
    const c = problem(result, 'updateRunningAverage').cases[0];
    expect(c.status).toBe('fail');
    expect(c.mistake).toBe('running-average-swapped');
    expect(c.message).toMatch(/^running\[0\]: expected -?[\d.e-]+, got -?[\d.e-]+ \(off by [\d.e-]+\)\n\d of 4 entries are outside the tolerance/);
    expect(c.message).toContain('Hint: Momentum is the weight of the old running value');
  });

  it('skips a problem whose dependency failed, with a reason', async () => {
    const dir = cnnSubmission({ maxPool2d: 'export function maxPool2d(x: number[][]): number[][] { return x; }' });
    const result = await grade(dir);
    expect(problem(result, 'maxPool2dBackward').status).toBe('skipped');
    expect(problem(result, 'maxPool2dBackward').cases[0].message).toBe('skipped: this problem depends on maxPool2d, which has not passed');
  });

  it("a dependency's hidden failure skips only the dependent problem's hidden cases: visible feedback depends on visible results alone", async () => {
    // maxPool2d's visible inputs are 4×4, 7×9 and 9×8; its hidden one has 4–12 rows and
    // columns (another shape for this student and secret). This maxPool2d is right on those
    // three shapes and off by one on any other.
    const dir = cnnSubmission({
      maxPool2d: `import { maxPool2d as rightPool } from './__reference__.ts';
export function maxPool2d(x: number[][], size: number, stride?: number): number[][] {
  const out = rightPool(x, size, stride);
  return ['4x4', '7x9', '9x8'].includes(x.length + 'x' + x[0].length) ? out : out.map((row) => row.map((v) => v + 1));
}`,
    });
    const result = await grade(dir);
    const status = (name: string, visible: boolean) => problem(result, name).cases.filter((c) => (c.visibility === 'visible') === visible).map((c) => c.status);
    expect(status('maxPool2d', true)).toEqual(['pass', 'pass', 'pass']);
    expect(status('maxPool2d', false)).toEqual(['fail']);
    // The dependent problem's visible cases are graded (and pass); its hidden ones are skipped.
    expect(status('maxPool2dBackward', true).every((s) => s === 'pass')).toBe(true);
    expect(status('maxPool2dBackward', false).every((s) => s === 'skipped')).toBe(true);
  });

  it('withholds details of non-visible cases, including what the code printed', async () => {
    const dir = cnnSubmission({ conv2d: "export function conv2d(x: number[][]): number[][] { console.log('input was', JSON.stringify(x)); return [[1]]; }" });
    const result = await grade(dir);
    for (const c of problem(result, 'conv2d').cases) {
      if (c.visibility === 'visible') {
        expect(c.output).toContain('input was');
      } else {
        expect(c.message).toBe('failed (this case is not visible: details are withheld)');
        expect(c.output).toBeUndefined();
      }
    }
  });

  it('is byte-for-byte deterministic apart from timing, and varies with student and seed', async () => {
    const a = serializeResult(withoutTiming(await grade(assignment.starterDir, 's1')));
    const b = serializeResult(withoutTiming(await grade(assignment.starterDir, 's1')));
    expect(a).toBe(b);
    // Different students see different numbers in their visible cases.
    const wrong = cnnSubmission({ residualForward: 'export function residualForward(x: number[][]): number[][] { return x; }' });
    const s1 = problem(await grade(wrong, 's1'), 'residualForward').cases[0].message;
    const s2 = problem(await grade(wrong, 's2'), 'residualForward').cases[0].message;
    const s1seed = problem(await grade(wrong, 's1', '7'), 'residualForward').cases[0].message;
    expect(s1).not.toBe(s2);
    expect(s1).not.toBe(s1seed);
  });

  it('fails every problem with one clear reason when the submission does not compile', async () => {
    const result = await grade(tempDir({ 'layers.ts': 'export function conv2d( {' }));
    expect(result.score).toBe(0);
    expect(result.loadError).toMatch(/^layers\.ts does not compile:\nlayers\.ts:1:\d+: /);
    const visible = result.problems.flatMap((p) => p.cases.filter((c) => c.visibility === 'visible' && c.status !== 'skipped'));
    expect(visible.length).toBeGreaterThan(0);
    expect(visible.every((c) => c.message === result.loadError && c.status === 'error')).toBe(true);
  });

  it('reports missing exports and exports of the wrong type', async () => {
    const result = await grade(tempDir({ 'layers.ts': 'export const conv2d = 3;' }));
    expect(problem(result, 'conv2d').cases[0].message).toBe('conv2d is exported as a number, not a function');
    expect(problem(result, 'maxPool2d').cases[0].message).toBe('layers.ts does not export maxPool2d');
  });
});

describe('course packages', () => {
  it('lets a submission use seedrandom and ml-matrix by default', async () => {
    const dir = cnnSubmission({
      dropoutForward: `import seedrandom from 'seedrandom';
import { Matrix as M } from 'ml-matrix';
export function dropoutForward(x: number[][], p: number, train: boolean, seed: number) {
  if (!train) return { out: x.map((r) => [...r]), mask: x.map((r) => r.map(() => 1)) };
  const random = seedrandom(String(seed));
  const mask = x.map((r) => r.map(() => (random() < p ? 0 : 1 / (1 - p))));
  const out = new M(x).mul(new M(mask)).to2DArray();
  return { out, mask };
}`,
    });
    const result = await grade(dir);
    expect(problem(result, 'dropoutForward')).toMatchObject({ score: 10, status: 'pass' });
    expect(result.backend).toBe('none');
  });

  it('starts the fast tfjs backend in the sandbox when a submission imports tfjs, even without tensor problems', async () => {
    const dir = cnnSubmission({
      conv2d: `import * as tf from '@tensorflow/tfjs';
export function conv2d(): number[][] { throw new Error(\`backend \${tf.getBackend()}\`); }`,
    });
    const result = await grade(dir);
    expect(problem(result, 'conv2d').cases[0].message).toBe(`conv2d threw Error: backend ${GRADING_BACKEND === 'node' ? 'tensorflow' : GRADING_BACKEND}`);
    expect(result.backend).toBe(GRADING_BACKEND);
    expect(problem(result, 'maxPool2d').score).toBe(problem(result, 'maxPool2d').maxScore);
  });
});

describe('what checks can see and show', () => {
  const FIGURES = JSON.stringify(path.join(PROJECT_ROOT, 'grader/src/report/figures.ts'));
  // The input is a sum of hidden draws; the check replays the generator to get them back.
  const root = tempDir({
    'assignments/x/assignment.ts': `import { defineAssignment } from ${DEFINE};
import { grayscaleImage } from ${FIGURES};
import { z } from 'zod';
const draw = (rng) => { const hidden = [rng.next(), rng.next()]; return { hidden, input: hidden[0] + hidden[1] }; };
export default defineAssignment({ id: 'x', title: 'T', module: 'main.ts', problems: [{
  export: 'f', title: 'F', points: 2, reference: (x) => x, output: z.number(),
  cases: [{ name: 'shown', args: (rng) => [draw(rng).input] }, { name: 'secret', visibility: 'hidden', args: (rng) => [draw(rng).input] }],
  check: ({ args: [x], output, inputRng, visible }) => {
    const { hidden, input } = draw(inputRng());
    const replayed = input === x && output === hidden[0] + hidden[1];
    return { score: replayed ? 1 : 0, message: visible ? 'visible case' : 'hidden case', figures: [grayscaleImage('input', [[x]])] };
  },
}] });
`,
    'solutions/x/main.ts': 'export const f = (x: number): number => x;\n',
  });

  it('replays the input generator for the check, and shows figures and pass messages only for visible cases', async () => {
    const assignment = await loadAssignment('x', root);
    const result = await gradeSubmission({ assignment, submissionDir: assignment.solutionDir, student: 's1', seed: '0', secret: 'test-secret' });
    expect(result.score).toBe(2);
    const [shown, secret] = result.problems[0].cases;
    expect(shown).toMatchObject({ status: 'pass', message: 'visible case' });
    expect(shown.figures).toHaveLength(1);
    expect(secret.message).toBe('passed (this case is not visible: details are withheld)');
    expect(secret.figures).toBeUndefined();
  });
});

describe('leaderboards', () => {
  it('take the metric a check measured on the named case; a case that measured nothing gives no entry', async () => {
    const root = tempDir({
      'assignments/board/assignment.ts': `import { defineAssignment } from ${DEFINE};
import { z } from 'zod';
export default defineAssignment({ id: 'board', title: 'T', module: 'main.ts', problems: [{
  export: 'f', title: 'F', points: 1, reference: (x) => x, output: z.number(),
  cases: [{ name: 'a', args: () => [3] }, { name: 'b', visibility: 'hidden', args: () => [4] }],
  check: ({ output, expected }) => ({ score: output === expected ? 1 : 0, message: 'm', metrics: output > 0 ? { size: output * 10 } : undefined }),
}], leaderboard: [
  { name: 'size of a', problem: 'f', case: 'a', metric: 'size', order: 'asc' },
  { name: 'size of b', problem: 'f', case: 'b', metric: 'size' },
  { name: 'nothing', problem: 'f', case: 'a', metric: 'other' },
] });
`,
      'solutions/board/main.ts': 'export const f = (x: number): number => x;\n',
      'negative/main.ts': 'export const f = (x: number): number => -x;\n',
    });
    const assignment = await loadAssignment('board', root);
    const right = await gradeSubmission({ assignment, submissionDir: assignment.solutionDir });
    expect(right.leaderboard).toEqual([{ name: 'size of a', value: 30, order: 'asc' }, { name: 'size of b', value: 40, order: 'desc' }]);
    const wrong = await gradeSubmission({ assignment, submissionDir: path.join(root, 'negative') });
    expect(wrong.leaderboard).toBeUndefined();
  });
});

describe('arguments changed in place', () => {
  it('get a note naming the argument and the first changed entry, and cost no points', async () => {
    const root = tempDir({
      'assignments/inplace/assignment.ts': `import { defineAssignment } from ${DEFINE};
import { z } from 'zod';
import * as reference from '../../solutions/inplace/main.ts';
export default defineAssignment({ id: 'inplace', title: 'T', module: 'main.ts', problems: [
  { export: 'columnMeans', title: 'F', points: 1, reference: reference.columnMeans, output: z.array(z.number()),
    cases: [{ name: 'a', args: () => [[[1, 2], [3, 6]], 'unused'] }],
    check: ({ output, expected }) => ({ score: output.every((v, i) => v === expected[i]) ? 1 : 0, message: 'ok' }) },
] });
`,
      'solutions/inplace/main.ts': 'export function columnMeans(X: number[][], note: string): number[] { return X[0].map((_, j) => X.reduce((s, row) => s + row[j], 0) / X.length + note.length * 0); }\n',
      'centers/main.ts': `export function columnMeans(X: number[][]): number[] {
  const means = X[0].map((_, j) => X.reduce((s, row) => s + row[j], 0) / X.length);
  for (const row of X) row.forEach((v, j) => (row[j] = v - means[j]));
  return means;
}
`,
    });
    const assignment = await loadAssignment('inplace', root);
    const grade = async (dir: string) => (await gradeSubmission({ assignment, submissionDir: dir, student: 's1', seed: '0', secret: 'test-secret' })).problems[0];
    expect((await grade(assignment.solutionDir)).cases[0].notes).toBeUndefined();
    const centers = await grade(path.join(root, 'centers'));
    expect(centers.score).toBe(1);
    expect(centers.cases[0].notes).toEqual([
      'columnMeans changed its argument `X` in place (X[0][0]: 1 → -1). The grader gave it a copy, so this costs no points, but a caller\'s data would change under it: work on a copy instead',
    ]);
  });
});

describe('long messages', () => {
  it('cut the check\'s own words, never the hint after them', async () => {
    const root = tempDir({
      'assignments/long/assignment.ts': `import { defineAssignment } from ${DEFINE};
import { z } from 'zod';
export default defineAssignment({ id: 'long', title: 'T', module: 'main.ts', problems: [
  { export: 'f', title: 'F', points: 1, reference: (x) => x, output: z.number(), cases: [{ name: 'a', args: () => [1] }],
    check: () => ({ score: 0, message: 'x'.repeat(5000) }),
    mistakes: [{ id: 'off', hint: 'The hint survives.', matches: () => true }] },
] });
`,
      'solutions/long/main.ts': 'export const f = (x: number): number => x;\n',
    });
    const assignment = await loadAssignment('long', root);
    const result = await gradeSubmission({ assignment, submissionDir: assignment.solutionDir, student: 's1', seed: '0', secret: 'test-secret' });
    const { message } = result.problems[0].cases[0];
    expect(message).toMatch(/^x{2000}\n… \[truncated: 3000 more characters\]\nHint: The hint survives\.$/);
  });
});

describe('cases that share inputs, and checks that leave findings for later ones', () => {
  // Problems f and g each have a case in seed group "batch" and an ungrouped case "own"; g's
  // grouped generator adds 1 to its draw. f's check leaves each case's input on the board;
  // g's reports its own input and the board.
  const root = tempDir({
    'assignments/shared/assignment.ts': `import { defineAssignment } from ${DEFINE};
import { z } from 'zod';
const draw = (rng) => [rng.next()];
export default defineAssignment({ id: 'shared', title: 'T', module: 'main.ts', problems: [
  { export: 'f', title: 'F', points: 1, reference: (x) => x, output: z.number(),
    cases: [{ name: 'one batch', seedGroup: 'batch', args: draw }, { name: 'own', args: draw }],
    check: ({ args: [x], caseName, findings }) => { findings.set(caseName, x); return { score: 1, message: 'ok' }; } },
  { export: 'g', title: 'G', points: 1, reference: (x) => x, output: z.number(),
    cases: [{ name: 'the same batch', seedGroup: 'batch', args: (rng) => [rng.next() + 1] }, { name: 'own', args: draw }],
    check: ({ args: [x], findings }) => ({ score: 1, message: JSON.stringify({ x, board: Object.fromEntries(findings) }) }) },
] });
`,
    'solutions/shared/main.ts': 'export const f = (x: number): number => x;\nexport const g = (x: number): number => x;\n',
  });
  const seen = async (problems?: string[]) => {
    const assignment = await loadAssignment('shared', root);
    const result = await gradeSubmission({ assignment, submissionDir: assignment.solutionDir, student: 's1', seed: '0', secret: 'test-secret', problems });
    return problem(result, 'g').cases.map((c) => JSON.parse(c.message) as { x: number; board: Record<string, number> });
  };

  it('draws the same inputs for the cases of one seed group, in any problem, and not for the others', async () => {
    const [grouped, own] = await seen();
    // g is checked after f: the board holds f's inputs.
    expect(Object.keys(grouped.board)).toEqual(['one batch', 'own']);
    expect(grouped.x).toBe(grouped.board['one batch'] + 1);
    expect(own.x).not.toBe(own.board.own);
  });

  it('replays seed groups as grading does: one seed, but each case its own generator', async () => {
    const assignment = await loadAssignment('shared', root);
    const implementation = await referenceImplementation(assignment);
    const graded = await seen();
    const replayed = await replayChecks({ assignment, implementation, student: 's1', secret: 'test-secret', memory: replayMemory() });
    expect(replayed.filter((c) => c.problem === 'g').map((c) => JSON.parse(c.message) as unknown)).toEqual(graded);
  });

  it('seeds a hidden group from the secret and a visible one without it, and a group apart from any case', () => {
    const seed = (visibility: 'visible' | 'hidden', secret: string, group?: string) => caseSeed(visibility, { assignment: 'shared', problem: 'f', caseName: 'one batch', group, student: 's1', seed: '0', secret });
    expect(seed('visible', 'one', 'batch')).toBe(seed('visible', 'two', 'batch'));
    expect(seed('hidden', 'one', 'batch')).not.toBe(seed('hidden', 'two', 'batch'));
    expect(seed('visible', 'one', 'batch')).not.toBe(seed('visible', 'one'));
  });

  it('leaves nothing on the board for a problem graded alone', async () => {
    const [grouped] = await seen(['g']);
    expect(grouped.board).toEqual({});
  });

  it('refuses a seed group that mixes visibilities', async () => {
    const dir = tempDir({
      'assignments/mixed/assignment.ts': `import { defineAssignment } from ${DEFINE};
import { z } from 'zod';
export default defineAssignment({ id: 'mixed', title: 'T', module: 'main.ts', problems: [
  { export: 'f', title: 'F', points: 1, reference: (x) => x, output: z.number(), check: () => ({ score: 1, message: '' }),
    cases: [{ name: 'a', seedGroup: 'batch', args: () => [1] }, { name: 'b', seedGroup: 'batch', visibility: 'hidden', args: () => [1] }] },
] });
`,
      'solutions/mixed/main.ts': 'export const f = (x: number): number => x;\n',
    });
    await expect(loadAssignment('mixed', dir)).rejects.toThrow(/seed group "batch" mixes visible and hidden cases/);
  });
});

describe('reference answers', () => {
  const root = tempDir({
    'assignments/memo/assignment.ts': `import { defineAssignment } from ${DEFINE};
import { z } from 'zod';
const g = globalThis as { referenceCalls?: string[] };
export default defineAssignment({ id: 'memo', title: 'T', module: 'main.ts', problems: [{
  export: 'f', title: 'F', points: 1, output: z.number(),
  reference: (x: number) => { (g.referenceCalls ??= []).push(Object.is(x, -0) ? '-0' : String(x)); return Math.atan(1 / x); },
  cases: [
    { name: 'shared', args: () => [2] },
    { name: 'per student', args: (rng) => [rng.next()] },
    { name: 'minus zero', args: () => [-0] },
    { name: 'zero', args: () => [0] },
  ],
  check: ({ output, expected }) => ({ score: output === expected ? 1 : 0, message: '' }),
}] });
`,
    'solutions/memo/main.ts': 'export const f = (x: number): number => Math.atan(1 / x);\n',
  });

  it('are computed once per distinct input and process, keeping -0 apart from 0', async () => {
    const assignment = await loadAssignment('memo', root);
    const calls = ((globalThis as { referenceCalls?: string[] }).referenceCalls = []);
    for (const student of ['a', 'b', 'a']) {
      const result = await gradeSubmission({ assignment, submissionDir: assignment.solutionDir, student, seed: '0', secret: 'test-secret' });
      expect(result.score).toBe(1);
    }
    // 'shared', -0 and 0 once each; the per-student input once per student.
    expect(calls.filter((x) => x === '2')).toHaveLength(1);
    expect(calls.filter((x) => x === '-0')).toHaveLength(1);
    expect(calls.filter((x) => x === '0')).toHaveLength(1);
    expect(calls).toHaveLength(5);
  });

  it('that cannot be copied are used but not remembered', async () => {
    const dir = tempDir({
      'assignments/fn/assignment.ts': `import { defineAssignment } from ${DEFINE};
import { z } from 'zod';
export default defineAssignment({ id: 'fn', title: 'T', module: 'main.ts', problems: [{
  export: 'f', title: 'F', points: 1, output: z.number(), reference: (x: number) => ({ value: x + 1, explain: () => 'x + 1' }),
  cases: [{ name: 'c', args: () => [2] }],
  check: ({ output, expected }) => ({ score: output === expected.value ? 1 : 0, message: expected.explain() }),
}] });
`,
      'solutions/fn/main.ts': 'export const f = (x: number): number => x + 1;\n',
    });
    const assignment = await loadAssignment('fn', dir);
    for (let i = 0; i < 2; i++) {
      const result = await gradeSubmission({ assignment, submissionDir: assignment.solutionDir, student: 'a', seed: '0', secret: 'test-secret' });
      expect(result.score).toBe(1);
    }
  });

  it('are never shared between two assignments that happen to have the same id', async () => {
    const other = tempDir({
      'assignments/memo/assignment.ts': `import { defineAssignment } from ${DEFINE};
import { z } from 'zod';
export default defineAssignment({ id: 'memo', title: 'T', module: 'main.ts', problems: [{
  export: 'f', title: 'F', points: 1, output: z.number(), reference: (x: number) => -x,
  cases: [{ name: 'shared', args: () => [2] }],
  check: ({ output, expected }) => ({ score: output === expected ? 1 : 0, message: \`expected \${expected}\` }),
}] });
`,
      'solutions/memo/main.ts': 'export const f = (x: number): number => -x;\n',
    });
    for (const dir of [root, other]) {
      const assignment = await loadAssignment('memo', dir);
      const result = await gradeSubmission({ assignment, submissionDir: assignment.solutionDir, student: 'a', seed: '0', secret: 'test-secret' });
      expect(result.score).toBe(1);
    }
  });
});

describe('follow-up calls (compress → decompress) and problems that never read the reference', () => {
  // pack/unpack: pack(xs) returns a string; unpack(text, n) must rebuild xs from the string
  // alone, in a process of its own. The "stash" submission keeps xs in a module variable and
  // unpack reads it back: that works only if both run in one process.
  const root = tempDir({
    'assignments/pair/assignment.ts': `import { defineAssignment } from ${DEFINE};
import { z } from 'zod';
import * as reference from '../../solutions/pair/main.ts';
const g = globalThis as { referenceCalls?: string[] };
export default defineAssignment({ id: 'pair', title: 'T', module: 'main.ts', problems: [
  { export: 'pack', title: 'P', points: 1, reference: reference.pack, output: z.string(),
    followUp: { export: 'unpack', args: ([xs], text) => [text, xs.length], reference: reference.unpack, output: z.array(z.number()) },
    cases: [{ name: 'a', args: () => [[1, 2, 3]] }, { name: 'b', args: () => [[4, 5]] }],
    check: ({ calls }) => {
      const [{ args: [xs], followUp }] = calls;
      const ok = JSON.stringify(followUp.output) === JSON.stringify(xs) && JSON.stringify(followUp.expected) === JSON.stringify(xs);
      return { score: ok ? 1 : 0, message: JSON.stringify({ args: followUp.args, output: followUp.output, expected: followUp.expected }) };
    },
    mistakes: [{ id: 'unpack-reversed', hint: 'Reversed.', matches: () => true }] },
  { export: 'train', title: 'T', points: 1, referenceUnused: true,
    reference: (x: number) => { (g.referenceCalls ??= []).push(String(x)); return x; },
    output: z.number(), cases: [{ name: 'a', args: () => [7] }],
    check: ({ output, expected }) => ({ score: output === 7 && expected === undefined ? 1 : 0, message: String(expected) }) },
] });
`,
    'solutions/pair/main.ts': `export const pack = (xs: number[]): string => xs.join(',');
export const unpack = (text: string, n: number): number[] => text.split(',').slice(0, n).map(Number);
export const train = (x: number): number => x;
`,
    'assignments/pair/mistakes/unpack-reversed.ts': "export const unpack = (text: string, n: number): number[] => text.split(',').slice(0, n).map(Number).reverse();\n",
    'stash/main.ts': `let last: number[] = [];
export const pack = (xs: number[]): string => { last = xs; return 'stashed'; };
export const unpack = (): number[] => last;
export const train = (x: number): number => x;
`,
    'no-unpack/main.ts': "export const pack = (xs: number[]): string => xs.join(',');\nexport const train = (x: number): number => x;\n",
  });
  const grade = async (dir: string): Promise<Result> => {
    const assignment = await loadAssignment('pair', root);
    return gradeSubmission({ assignment, submissionDir: path.isAbsolute(dir) ? dir : path.join(root, dir), student: 's1', seed: '0', secret: 'test-secret' });
  };

  it('call the second function on the first one\'s output, and the reference pair on the reference\'s', async () => {
    const assignment = await loadAssignment('pair', root);
    const result = await grade(assignment.solutionDir);
    expect(result.score).toBe(2);
    expect(JSON.parse(problem(result, 'pack').cases[0].message)).toEqual({ args: ['1,2,3', 3], output: [1, 2, 3], expected: [1, 2, 3] });
  });

  it('run the second function in a fresh process: nothing but its arguments passes from the first', async () => {
    const pack = problem(await grade('stash'), 'pack');
    expect(pack.score).toBe(0);
    expect(JSON.parse(pack.cases[0].message.split('\n')[0])).toMatchObject({ args: ['stashed', 3], output: [] });
  });

  it('stay in a fresh process when the problems of a phase share one (shareProcesses, for staff code)', async () => {
    const assignment = await loadAssignment('pair', root);
    const shared = await gradeSubmission({ assignment, submissionDir: path.join(root, 'stash'), student: 's1', seed: '0', secret: 'test-secret', shareProcesses: true });
    expect(problem(shared, 'pack').score).toBe(0);
    const reference = await gradeSubmission({ assignment, submissionDir: assignment.solutionDir, student: 's1', seed: '0', secret: 'test-secret', shareProcesses: true });
    expect(serializeResult(withoutTiming(reference))).toBe(serializeResult(withoutTiming(await grade(assignment.solutionDir))));
  });

  it('name a missing follow-up function', async () => {
    const pack = problem(await grade('no-unpack'), 'pack');
    expect(pack.cases.map((c) => [c.status, c.message])).toEqual([['error', 'main.ts does not export unpack'], ['error', 'main.ts does not export unpack']]);
  });

  it('count a mistake in the follow-up against the problem (mlgrade check grades it there)', async () => {
    const { spec } = await loadAssignment('pair', root);
    expect(affectedProblems(spec, ['unpack'])).toEqual(['pack']);
    expect(affectedProblems(spec, ['train'])).toEqual(['train']);
  });

  it('referenceUnused: the reference is not run while grading, and the check sees no expected answer', async () => {
    const g = globalThis as { referenceCalls?: string[] };
    g.referenceCalls = [];
    const assignment = await loadAssignment('pair', root);
    const train = problem(await grade(assignment.solutionDir), 'train');
    expect(train.score).toBe(1);
    expect(train.cases[0].message).toBe('undefined');
    expect(g.referenceCalls).toEqual([]);
  });

  it('refuse a follow-up that is the problem\'s own function', async () => {
    const dir = tempDir({
      'assignments/self/assignment.ts': `import { defineAssignment } from ${DEFINE};
import { z } from 'zod';
export default defineAssignment({ id: 'self', title: 'T', module: 'main.ts', problems: [
  { export: 'f', title: 'F', points: 1, reference: (x) => x, output: z.number(), check: () => ({ score: 1, message: '' }),
    followUp: { export: 'f', args: (a) => a, reference: (x) => x, output: z.number() },
    cases: [{ name: 'a', args: () => [1] }] },
] });
`,
      'solutions/self/main.ts': 'export const f = (x: number): number => x;\n',
    });
    await expect(loadAssignment('self', dir)).rejects.toThrow(/the follow-up must be another function than "f"/);
  });
});

describe('shareProcesses', () => {
  // f leaves a mark in its process's globals; g reports whether it sees one.
  const root = tempDir({
    'assignments/marks/assignment.ts': `import { defineAssignment } from ${DEFINE};
import { z } from 'zod';
export default defineAssignment({ id: 'marks', title: 'T', module: 'main.ts', problems: [
  { export: 'f', title: 'F', points: 1, reference: () => 1, output: z.number(), cases: [{ name: 'a', args: () => [] }, { name: 'h', visibility: 'hidden', args: () => [] }],
    check: () => ({ score: 1, message: '' }) },
  { export: 'g', title: 'G', points: 1, reference: () => 0, output: z.number(), cases: [{ name: 'a', args: () => [] }, { name: 'h', visibility: 'hidden', args: () => [] }],
    check: ({ output }) => ({ score: 1, message: String(output) }) },
] });
`,
    'solutions/marks/main.ts': 'const store = globalThis as { marks?: number };\nexport const f = (): number => (store.marks = (store.marks ?? 0) + 1);\nexport const g = (): number => store.marks ?? 0;\n',
  });
  const seen = async (shareProcesses: boolean): Promise<string[]> => {
    const assignment = await loadAssignment('marks', root);
    const result = await gradeSubmission({ assignment, submissionDir: assignment.solutionDir, student: 's1', seed: '0', secret: 'test-secret', shareProcesses });
    return problem(result, 'g').cases.map((c) => `${c.name}: ${c.message}`);
  };

  it('by default every problem starts in a fresh process: g never sees what f did', async () => {
    expect(await seen(false)).toEqual(['a: 0', 'h: passed (this case is not visible: details are withheld)']);
  });

  it('shared (for staff code): the problems of one phase run in one process', async () => {
    // The visible phase runs f's case a, then g's case a, in one process: g sees f's mark.
    expect(await seen(true)).toEqual(['a: 1', 'h: passed (this case is not visible: details are withheld)']);
  });
});
