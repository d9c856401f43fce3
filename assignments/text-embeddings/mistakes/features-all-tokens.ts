type Matrix = number[][];

/** Divides by the number of all tokens, not of the tokens averaged. */
export function sentenceFeatures(tokens: string[], embeddings: Matrix, vocabulary: string[], stopWords: string[]): number[] {
  const sum = new Array<number>(embeddings[0].length).fill(0);
  let count = 0;
  for (const token of tokens) {
    const i = vocabulary.indexOf(token);
    if (i >= 0 && !stopWords.includes(token)) {
      embeddings[i].forEach((x, j) => (sum[j] += x));
      count++;
    }
  }
  return count === 0 ? sum : sum.map((x) => x / tokens.length);
}
