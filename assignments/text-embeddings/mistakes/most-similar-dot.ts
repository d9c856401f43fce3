type Matrix = number[][];

/** Ranked by dot product: long vectors win whatever their direction. */
export function mostSimilar(vectors: Matrix, query: number[], topN: number): number[] {
  const scores = vectors.map((row) => row.reduce((sum, x, i) => sum + x * query[i], 0));
  return scores.map((_, i) => i).sort((i, j) => scores[j] - scores[i] || i - j).slice(0, topN);
}
