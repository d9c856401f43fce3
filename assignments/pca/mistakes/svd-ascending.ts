// Mistake: singular values (and the matching vectors) sorted from the smallest up.
import { Matrix as MlMatrix, SVD } from 'ml-matrix';

export function svd(X: number[][]): { U: number[][]; S: number[]; V: number[][] } {
  const r = Math.min(X.length, X[0].length);
  const decomposition = new SVD(new MlMatrix(X), { autoTranspose: true });
  const order = Array.from({ length: r }, (_, i) => r - 1 - i);
  const pick = (M: MlMatrix): number[][] => M.to2DArray().map((row) => order.map((j) => row[j]));
  return { U: pick(decomposition.leftSingularVectors), S: order.map((j) => decomposition.diagonal[j]), V: pick(decomposition.rightSingularVectors) };
}
