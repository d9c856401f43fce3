import { describe, expect, it } from 'vitest';
import { expectOthersFull, firstMessage, FULL, gradeHostile, scores } from './hostile-helpers.ts';

describe('hostile use of resources', () => {
  it('heap and ArrayBuffer exhaustion, floods of output, huge return values and many timers cost only their own problem', async () => {
    const result = await gradeHostile(
      {
        conv2d: 'export function conv2d(): number[][] { const hoard: number[][] = []; for (;;) hoard.push(new Array(1e6).fill(1)); }',
        avgPool2d: 'export function avgPool2d(): number[][] { const hoard: Float64Array[] = []; for (;;) hoard.push(new Float64Array(1e7).fill(1)); }',
        batchNormForward: `import { batchNormForward as correctForward } from './__reference__.ts';
export function batchNormForward(z: number[][], gamma: number[], beta: number[], eps?: number) {
  const line = 'x'.repeat(1023) + '\\n';
  for (let i = 0; i < 20_000; i++) process.stdout.write(line);
  for (let i = 0; i < 2_000; i++) process.stderr.write(line);
  return correctForward(z, gamma, beta, eps);
}`,
        batchNormInference: 'export function batchNormInference(): number[][] { const rows: number[][] = []; rows.length = 1e8; return rows; }',
        updateRunningAverage: `import { updateRunningAverage as correctAverage } from './__reference__.ts';
export function updateRunningAverage(running: number[], batch: number[], momentum: number): number[] {
  let ticks = 0;
  for (let i = 0; i < 1000; i++) setInterval(() => { ticks++; }, 1);
  void ticks;
  return correctAverage(running, batch, momentum);
}`,
      },
      { memoryMb: 256 },
    );
    expect(scores(result).conv2d).toBe(0);
    expect(firstMessage(result, 'conv2d')).toBe('conv2d used more than 256 MB of memory and was stopped');
    expect(scores(result).avgPool2d).toBe(0);
    expect(firstMessage(result, 'avgPool2d')).toBe('avgPool2d used more than 256 MB of memory and was stopped');
    // Printing 22 MB costs nothing but the output, which is cut to a budget with a marker.
    expect(firstMessage(result, 'batchNormForward')).toBe('correct');
    expect(scores(result).batchNormForward).toBe(FULL.batchNormForward);
    const printed = result.problems.find((p) => p.name === 'batchNormForward')!.cases[0];
    expect(printed.output).toMatch(/^x{1023}\n/);
    expect(printed.output).toMatch(/… \[output truncated: \d+ more bytes\]$/);
    expect(printed.output!.length).toBeLessThan(10_000);
    expect(scores(result).batchNormInference).toBe(0);
    expect(firstMessage(result, 'batchNormInference')).toBe('batchNormInference returned a value with more than 50,000,000 entries, far more than any answer needs');
    expect(scores(result).updateRunningAverage).toBe(FULL.updateRunningAverage);
    expectOthersFull(result, ['conv2d', 'avgPool2d', 'batchNormInference']);
  }, 180_000);

  it('truncates a flood of output on a failing case with a marker', async () => {
    const result = await gradeHostile({
      residualForward: "export function residualForward(): number[][] { for (let i = 0; i < 10_000; i++) console.log('spam '.repeat(200)); return [[0]]; }",
    });
    const c = result.problems.find((p) => p.name === 'residualForward')!.cases[0];
    expect(c.status).toBe('fail');
    expect(c.output).toMatch(/^(spam )+/);
    expect(c.output).toMatch(/\n… \[output truncated: \d+ more bytes\]$/);
    expect(c.output!.length).toBeLessThan(5000);
    expectOthersFull(result, ['residualForward']);
  });

  it('a whole-run time limit keeps the points already earned', async () => {
    const result = await gradeHostile(
      {
        batchNormForward: 'export function batchNormForward(): never { for (;;) { /* spin */ } }',
        batchNormBackward: 'export function batchNormBackward(): never { for (;;) { /* spin */ } }',
      },
      { timeLimitMs: 5000 },
    );
    // Visible cases run first, so those of the problems before the endless one were graded and
    // keep their points; the rest (later problems, and every hidden case) are skipped.
    for (const name of ['conv2d', 'maxPool2d', 'avgPool2d', 'maxPool2dBackward']) {
      const problem = result.problems.find((p) => p.name === name)!;
      expect(problem.cases.filter((c) => c.visibility === 'visible').every((c) => c.status === 'pass' && c.score === c.maxScore), name).toBe(true);
      expect(problem.score, name).toBeGreaterThan(0);
    }
    expect(scores(result).batchNormForward).toBe(0);
    const skipped = result.problems.flatMap((p) => p.cases).filter((c) => c.status === 'skipped');
    expect(skipped.length).toBeGreaterThan(0);
    expect(skipped.filter((c) => c.visibility === 'visible').every((c) => c.message === 'not run: grading stopped when its time limit (5 s) was used up; points already earned are kept')).toBe(true);
    expect(result.problems.find((p) => p.name === 'residualForward')!.cases.every((c) => c.status === 'skipped')).toBe(true);
  }, 60_000);
});
