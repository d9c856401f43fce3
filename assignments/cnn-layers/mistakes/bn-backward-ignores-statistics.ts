// Mistake: the batch-norm backward pass treats the mean and variance as constants, so dz = dout · gamma / sqrt(variance + eps).
type Matrix = number[][];

export function batchNormBackward(
  dout: Matrix,
  z: Matrix,
  gamma: number[],
  eps = 1e-5,
): { dz: Matrix; dgamma: number[]; dbeta: number[] } {
  const n = z.length;
  const d = z[0].length;
  const mean = new Array<number>(d).fill(0);
  const variance = new Array<number>(d).fill(0);
  for (const row of z) for (let c = 0; c < d; c++) mean[c] += row[c] / n;
  for (const row of z) for (let c = 0; c < d; c++) variance[c] += (row[c] - mean[c]) ** 2 / n;
  const zhat = z.map((row) => row.map((v, c) => (v - mean[c]) / Math.sqrt(variance[c] + eps)));

  const dgamma = new Array<number>(d).fill(0);
  const dbeta = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < d; c++) {
      dgamma[c] += dout[i][c] * zhat[i][c];
      dbeta[c] += dout[i][c];
    }
  }
  const dz = dout.map((row) => row.map((g, c) => (g * gamma[c]) / Math.sqrt(variance[c] + eps)));
  return { dz, dgamma, dbeta };
}
