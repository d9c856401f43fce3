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

/** e(a) − e(b) + e(c): the offset points the wrong way. */
export function analogy(embeddings: Matrix, vocabulary: string[], a: string, b: string, c: string, topN = 1): string[] {
  const [ea, eb, ec] = [a, b, c].map((word) => embeddings[vocabulary.indexOf(word)]);
  const target = ea.map((x, j) => x - eb[j] + ec[j]);
  const scores = embeddings.map((row) => cosine(row, target));
  return scores
    .map((_, i) => i)
    .sort((i, j) => scores[j] - scores[i] || i - j)
    .filter((i) => ![a, b, c].includes(vocabulary[i]))
    .slice(0, topN)
    .map((i) => vocabulary[i]);
}
