type Matrix = number[][];

/** Out-of-vocabulary tokens are removed before windowing, which brings the words around them closer. */
export function cooccurrenceMatrix(sentences: string[][], vocabulary: string[], window: number): Matrix {
  const index = new Map(vocabulary.map((word, j) => [word, j]));
  const C: Matrix = vocabulary.map(() => new Array<number>(vocabulary.length).fill(0));
  for (const sentence of sentences) {
    const ids = sentence.map((token) => index.get(token)).filter((id): id is number => id !== undefined);
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j <= Math.min(ids.length - 1, i + window); j++) {
        C[ids[i]][ids[j]] += 1;
        C[ids[j]][ids[i]] += 1;
      }
    }
  }
  return C;
}
