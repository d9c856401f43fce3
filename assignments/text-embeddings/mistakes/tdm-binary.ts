type Matrix = number[][];

/** 1 when the word occurs in the document, however often. */
export function termDocumentMatrix(docs: string[][], vocabulary: string[]): Matrix {
  return docs.map((doc) => vocabulary.map((word) => (doc.includes(word) ? 1 : 0)));
}
