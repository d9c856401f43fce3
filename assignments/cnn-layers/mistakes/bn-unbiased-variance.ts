// Mistake: batch norm uses the unbiased variance (divides by n − 1) instead of the biased one (divides by n).
type Matrix = number[][];

export function batchNormForward(
  z: Matrix,
  gamma: number[],
  beta: number[],
  eps = 1e-5,
): { out: Matrix; mean: number[]; variance: number[] } {
  const n = z.length;
  const d = z[0].length;
  const mean = new Array<number>(d).fill(0);
  const variance = new Array<number>(d).fill(0);
  for (const row of z) for (let c = 0; c < d; c++) mean[c] += row[c] / n;
  for (const row of z) for (let c = 0; c < d; c++) variance[c] += (row[c] - mean[c]) ** 2 / (n - 1);
  const out = z.map((row) =>
    row.map((v, c) => (gamma[c] * (v - mean[c])) / Math.sqrt(variance[c] + eps) + beta[c]),
  );
  return { out, mean, variance };
}
