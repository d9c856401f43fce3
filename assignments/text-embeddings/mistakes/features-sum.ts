type Matrix = number[][];

/** The sum of the embeddings, not their mean. */
export function sentenceFeatures(tokens: string[], embeddings: Matrix, vocabulary: string[], stopWords: string[]): number[] {
  const sum = new Array<number>(embeddings[0].length).fill(0);
  for (const token of tokens) {
    const i = vocabulary.indexOf(token);
    if (i >= 0 && !stopWords.includes(token)) embeddings[i].forEach((x, j) => (sum[j] += x));
  }
  return sum;
}
