// Mistake: the nearest neighbour by cosine similarity instead of Euclidean distance.
type Matrix = number[][];

export function nearestNeighborPredict(trainFeatures: Matrix, trainLabels: number[], testFeatures: Matrix): number[] {
  const norm = (v: number[]) => Math.hypot(...v) || 1;
  return testFeatures.map((q) => {
    let best = 0;
    let bestSimilarity = -Infinity;
    trainFeatures.forEach((row, i) => {
      const similarity = row.reduce((sum, v, j) => sum + v * q[j], 0) / (norm(row) * norm(q));
      if (similarity > bestSimilarity) {
        best = i;
        bestSimilarity = similarity;
      }
    });
    return trainLabels[best];
  });
}
