// Mistake: trains the linear autoencoder on X as given, without centring it.
import seedrandom from 'seedrandom';

type Matrix = number[][];

const matMul = (A: Matrix, B: Matrix): Matrix => A.map((row) => B[0].map((_, j) => row.reduce((sum, a, t) => sum + a * B[t][j], 0)));
const transpose = (A: Matrix): Matrix => A[0].map((_, j) => A.map((row) => row[j]));

export function trainLinearAutoencoder(X: Matrix, k: number, options: { epochs: number; learningRate: number; seed: number }) {
  const n = X.length;
  const d = X[0].length;
  const random = seedrandom(String(options.seed));
  let W1: Matrix = Array.from({ length: d }, () => Array.from({ length: k }, () => (random() - 0.5) * 0.2));
  let W2: Matrix = Array.from({ length: k }, () => Array.from({ length: d }, () => (random() - 0.5) * 0.2));
  const losses: number[] = [];
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const H = matMul(X, W1);
    const R = matMul(H, W2).map((row, i) => row.map((v, j) => v - X[i][j]));
    losses.push(R.flat().reduce((sum, v) => sum + v * v, 0) / n);
    const gradW2 = matMul(transpose(H), R).map((row) => row.map((v) => (2 * v) / n));
    const gradW1 = matMul(transpose(X), matMul(R, transpose(W2))).map((row) => row.map((v) => (2 * v) / n));
    W1 = W1.map((row, i) => row.map((v, j) => v - options.learningRate * gradW1[i][j]));
    W2 = W2.map((row, i) => row.map((v, j) => v - options.learningRate * gradW2[i][j]));
  }
  return { W1, W2, losses };
}
