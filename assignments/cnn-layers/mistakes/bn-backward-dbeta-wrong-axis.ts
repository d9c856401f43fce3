// Mistake: dbeta is summed over the columns (one value per example, length n) instead of over the rows.
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
  const sumDout = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < d; c++) {
      dgamma[c] += dout[i][c] * zhat[i][c];
      sumDout[c] += dout[i][c];
    }
  }
  // Wrong axis: sums each row of dout.
  const dbeta = dout.map((row) => row.reduce((s, v) => s + v, 0));

  const dz = zhat.map((row, i) =>
    row.map(
      (zh, c) =>
        (gamma[c] / (n * Math.sqrt(variance[c] + eps))) * (n * dout[i][c] - sumDout[c] - zh * dgamma[c]),
    ),
  );
  return { dz, dgamma, dbeta };
}
