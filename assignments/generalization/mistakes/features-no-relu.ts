// X·W without the ReLU: about half of the features are negative.
import seedrandom from 'seedrandom';

export function randomReluFeatures(X: number[][], p: number, seed: number): number[][] {
  const d = X[0].length;
  const random = seedrandom(String(seed));
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const W = Array.from({ length: d }, () => Array.from({ length: p }, () => normal() / Math.sqrt(d)));
  return X.map((x) => Array.from({ length: p }, (_, j) => x.reduce((sum, v, i) => sum + v * W[i][j], 0)));
}
