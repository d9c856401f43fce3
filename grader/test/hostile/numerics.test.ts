import { describe, expect, it } from 'vitest';
import { expectOthersFull, firstMessage, FULL, gradeHostile, scores } from './hostile-helpers.ts';

describe('hostile numbers and shapes', () => {
  it('NaN, infinities, numeric strings, holes, BigInt arrays and wrong shapes lose exactly their problem', async () => {
    const result = await gradeHostile({
      conv2d: 'export function conv2d(x: number[][]): number[][] { return x.map((row) => row.map(() => NaN)); }',
      avgPool2d: 'export function avgPool2d(): number[][] { return [[Infinity, -Infinity]]; }',
      batchNormInference: "export function batchNormInference(z: number[][]): unknown { return z.map((row) => row.map((v) => String(v))); }",
      updateRunningAverage: 'export function updateRunningAverage(running: number[]): number[] { const out: number[] = []; out[running.length - 1] = 0; return out; }',
      residualForward: 'export function residualForward(x: number[][]): unknown { return x.map((row) => BigInt64Array.from(row.map(() => 0n))); }',
      batchNormForward: `import { batchNormForward as correct } from './__reference__.ts';
export function batchNormForward(z: number[][], gamma: number[], beta: number[], eps?: number) {
  const { out, mean, variance } = correct(z, gamma, beta, eps);
  return { out: out.flat(), mean, variance };
}`,
    });
    expect(firstMessage(result, 'conv2d')).toMatch(/^conv2d returned an invalid value: result\[0\]\[0\]: expected a finite number, got NaN \(and \d+ more invalid entries\)$/);
    expect(firstMessage(result, 'avgPool2d')).toBe('avgPool2d returned an invalid value: result[0][0]: expected a finite number, got Infinity (and 1 more invalid entries)');
    expect(firstMessage(result, 'batchNormInference')).toMatch(/^batchNormInference returned an invalid value: result\[0\]\[0\]: expected a number, got a string \("-?[\d.e-]+"\)/);
    expect(firstMessage(result, 'updateRunningAverage')).toMatch(/^updateRunningAverage returned an invalid value: result\[0\]: expected a number, got undefined/);
    expect(firstMessage(result, 'residualForward')).toMatch(/^residualForward returned an invalid value: result\[0\]: expected an array, got a BigInt64Array/);
    expect(firstMessage(result, 'batchNormForward')).toMatch(/^batchNormForward returned an invalid value: result\.out\[0\]: expected an array, got -?[\d.]+/);
    for (const name of ['conv2d', 'avgPool2d', 'batchNormInference', 'updateRunningAverage', 'residualForward', 'batchNormForward']) expect(scores(result)[name], name).toBe(0);
    expectOthersFull(result, ['conv2d', 'avgPool2d', 'batchNormInference', 'updateRunningAverage', 'residualForward', 'batchNormForward']);
  });

  it('-0, typed-array rows and arrays with extra properties are numbers in the right shape, and earn full marks', async () => {
    const result = await gradeHostile({
      conv2d: `import { conv2d as correctConv } from './__reference__.ts';
export function conv2d(x: number[][], k: number[][], s?: number, p?: number) {
  return correctConv(x, k, s, p).map((row) => Float64Array.from(row.map((v) => (v === 0 ? -0 : v))));
}`,
      residualForward: `import { residualForward as correctResidual } from './__reference__.ts';
export function residualForward(x: number[][], w1: number[][], w2: number[][]) {
  const out = correctResidual(x, w1, w2);
  return Object.assign(out, { score: 100, passed: true });
}`,
    });
    expect(scores(result).conv2d).toBe(FULL.conv2d);
    expect(scores(result).residualForward).toBe(FULL.residualForward);
    expectOthersFull(result, []);
  });
});
