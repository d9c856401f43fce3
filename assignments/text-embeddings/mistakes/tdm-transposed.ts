type Matrix = number[][];

/** Words × documents instead of documents × words. */
export function termDocumentMatrix(docs: string[][], vocabulary: string[]): Matrix {
  return vocabulary.map((word) => docs.map((doc) => doc.filter((token) => token === word).length));
}
