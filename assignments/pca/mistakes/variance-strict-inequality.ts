// Mistake: stops only when the cumulative ratio is strictly greater than the target.
export function componentsForVariance(explainedVarianceRatio: number[], target: number): number {
  let cumulative = 0;
  for (let k = 0; k < explainedVarianceRatio.length; k++) {
    cumulative += explainedVarianceRatio[k];
    if (cumulative > target) return k + 1;
  }
  return explainedVarianceRatio.length;
}
