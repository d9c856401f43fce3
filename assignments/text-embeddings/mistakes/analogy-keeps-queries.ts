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

/** a, b and c are not excluded: b itself is usually the answer. */
export function analogy(embeddings: Matrix, vocabulary: string[], a: string, b: string, c: string, topN = 1): string[] {
  const [ea, eb, ec] = [a, b, c].map((word) => embeddings[vocabulary.indexOf(word)]);
  const target = eb.map((x, j) => x - ea[j] + ec[j]);
  const scores = embeddings.map((row) => cosine(row, target));
  return scores
    .map((_, i) => i)
    .sort((i, j) => scores[j] - scores[i] || i - j)
    .slice(0, topN)
    .map((i) => vocabulary[i]);
}
