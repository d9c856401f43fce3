// Mistake: the l2 penalty is applied to the bias as well as the weights.
import seedrandom from 'seedrandom';

type Matrix = number[][];

export function trainLogisticRegression(
  features: Matrix,
  labels: number[],
  numClasses: number,
  options: { epochs: number; learningRate: number; l2: number; seed: number },
): { weights: Matrix; bias: number[] } {
  const { epochs, learningRate, l2, seed } = options;
  const n = features.length;
  const d = features[0].length;
  const random = seedrandom(String(seed));
  const weights = Array.from({ length: numClasses }, () => Array.from({ length: d }, () => 0.02 * random() - 0.01));
  const bias = new Array<number>(numClasses).fill(0);
  for (let epoch = 0; epoch < epochs; epoch++) {
    const gradW = weights.map((w) => w.map((v) => l2 * v));
    const gradB = bias.map((b) => l2 * b);
    for (let i = 0; i < n; i++) {
      const z = weights.map((w, k) => bias[k] + w.reduce((s, v, j) => s + v * features[i][j], 0));
      const top = Math.max(...z);
      const e = z.map((v) => Math.exp(v - top));
      const total = e.reduce((a, b) => a + b, 0);
      for (let k = 0; k < numClasses; k++) {
        const r = e[k] / total - (labels[i] === k ? 1 : 0);
        gradB[k] += r / n;
        for (let j = 0; j < d; j++) gradW[k][j] += (r * features[i][j]) / n;
      }
    }
    for (let k = 0; k < numClasses; k++) {
      bias[k] -= learningRate * gradB[k];
      for (let j = 0; j < d; j++) weights[k][j] -= learningRate * gradW[k][j];
    }
  }
  return { weights, bias };
}
