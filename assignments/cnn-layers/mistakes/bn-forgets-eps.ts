// Mistake: batch norm divides by sqrt(variance) and forgets the + eps inside the square root.
type Matrix = number[][];

export function batchNormForward(
  z: Matrix,
  gamma: number[],
  beta: number[],
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- ignoring eps is the mistake
  eps = 1e-5,
): { out: Matrix; mean: number[]; variance: number[] } {
  const n = z.length;
  const d = z[0].length;
  const mean = new Array<number>(d).fill(0);
  const variance = new Array<number>(d).fill(0);
  for (const row of z) for (let c = 0; c < d; c++) mean[c] += row[c] / n;
  for (const row of z) for (let c = 0; c < d; c++) variance[c] += (row[c] - mean[c]) ** 2 / n;
  const out = z.map((row) => row.map((v, c) => (gamma[c] * (v - mean[c])) / Math.sqrt(variance[c]) + beta[c]));
  return { out, mean, variance };
}
