/** The dot product, without dividing by the lengths. */
export function cosineSimilarity(a: number[], b: number[]): number {
  return a.reduce((sum, x, i) => sum + x * b[i], 0);
}
