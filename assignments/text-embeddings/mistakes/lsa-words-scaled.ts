import { Matrix as MlMatrix, SVD } from 'ml-matrix';

type Matrix = number[][];

/** wordVectors = V_k·Σ_k: the word vectors are scaled too. */
export function lsa(X: Matrix, k: number): { documentVectors: Matrix; wordVectors: Matrix; singularValues: number[] } {
  const svd = new SVD(new MlMatrix(X), { autoTranspose: true });
  const U = svd.leftSingularVectors.to2DArray();
  const V = svd.rightSingularVectors.to2DArray();
  const S = svd.diagonal.slice(0, k);
  return { documentVectors: U.map((row) => S.map((s, j) => row[j] * s)), wordVectors: V.map((row) => S.map((s, j) => row[j] * s)), singularValues: S };
}
