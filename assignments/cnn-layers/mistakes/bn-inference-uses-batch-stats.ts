// Mistake: batch norm at inference time normalizes with the batch's own mean and variance and ignores the running statistics.
type Matrix = number[][];

export function batchNormInference(
  z: Matrix,
  gamma: number[],
  beta: number[],
  runningMean: number[],
  runningVariance: number[],
  eps = 1e-5,
): Matrix {
  const n = z.length;
  const d = z[0].length;
  const mean = new Array<number>(d).fill(0);
  const variance = new Array<number>(d).fill(0);
  for (const row of z) for (let c = 0; c < d; c++) mean[c] += row[c] / n;
  for (const row of z) for (let c = 0; c < d; c++) variance[c] += (row[c] - mean[c]) ** 2 / n;
  return z.map((row) => row.map((v, c) => (gamma[c] * (v - mean[c])) / Math.sqrt(variance[c] + eps) + beta[c]));
}
