type Matrix = number[][];

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return aa === 0 || bb === 0 ? 0 : dot / Math.sqrt(aa * bb);
}

/** Equal similarities in decreasing index order. */
export function mostSimilar(vectors: Matrix, query: number[], topN: number): number[] {
  const scores = vectors.map((row) => cosine(row, query));
  return scores.map((_, i) => i).sort((i, j) => scores[j] - scores[i] || j - i).slice(0, topN);
}
