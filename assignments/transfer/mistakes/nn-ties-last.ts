// Mistake: `<=` instead of `<`, so a tie goes to the later (higher-index) training row.
type Matrix = number[][];

export function nearestNeighborPredict(trainFeatures: Matrix, trainLabels: number[], testFeatures: Matrix): number[] {
  return testFeatures.map((q) => {
    let best = 0;
    let bestDistance = Infinity;
    trainFeatures.forEach((row, i) => {
      const d = row.reduce((sum, v, j) => sum + (v - q[j]) ** 2, 0);
      if (d <= bestDistance) {
        best = i;
        bestDistance = d;
      }
    });
    return trainLabels[best];
  });
}
