// Mistake: the bias is left out of the scores, so the prediction is the argmax of W·x alone.
type Matrix = number[][];

export function predictLogistic(model: { weights: Matrix; bias: number[] }, features: Matrix): number[] {
  return features.map((x) => {
    const scores = model.weights.map((w) => w.reduce((sum, v, j) => sum + v * x[j], 0));
    return scores.indexOf(Math.max(...scores));
  });
}
