type Matrix = number[][];

/** Only the word after each position is counted: C is not symmetric. */
export function cooccurrenceMatrix(sentences: string[][], vocabulary: string[], window: number): Matrix {
  const index = new Map(vocabulary.map((word, j) => [word, j]));
  const C: Matrix = vocabulary.map(() => new Array<number>(vocabulary.length).fill(0));
  for (const sentence of sentences) {
    const ids = sentence.map((token) => index.get(token));
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j <= Math.min(ids.length - 1, i + window); j++) {
        const [a, b] = [ids[i], ids[j]];
        if (a !== undefined && b !== undefined) C[a][b] += 1;
      }
    }
  }
  return C;
}
