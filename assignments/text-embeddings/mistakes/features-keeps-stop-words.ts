type Matrix = number[][];

/** Stop words in the vocabulary are averaged in too. */
export function sentenceFeatures(tokens: string[], embeddings: Matrix, vocabulary: string[], _stopWords: string[]): number[] {
  const sum = new Array<number>(embeddings[0].length).fill(0);
  let count = 0;
  for (const token of tokens) {
    const i = vocabulary.indexOf(token);
    if (i < 0) continue;
    embeddings[i].forEach((x, j) => (sum[j] += x));
    count++;
  }
  return count === 0 ? sum : sum.map((x) => x / count);
}
