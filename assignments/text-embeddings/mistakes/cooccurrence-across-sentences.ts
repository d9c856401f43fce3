type Matrix = number[][];

/** The sentences are joined into one stream: windows run across sentence ends. */
export function cooccurrenceMatrix(sentences: string[][], vocabulary: string[], window: number): Matrix {
  const index = new Map(vocabulary.map((word, j) => [word, j]));
  const C: Matrix = vocabulary.map(() => new Array<number>(vocabulary.length).fill(0));
  const ids = sentences.flat().map((token) => index.get(token));
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j <= Math.min(ids.length - 1, i + window); j++) {
      const [a, b] = [ids[i], ids[j]];
      if (a === undefined || b === undefined) continue;
      C[a][b] += 1;
      C[b][a] += 1;
    }
  }
  return C;
}
