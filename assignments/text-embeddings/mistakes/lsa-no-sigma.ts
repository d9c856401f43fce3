import { Matrix as MlMatrix, SVD } from 'ml-matrix';

type Matrix = number[][];

/** documentVectors = U_k, without the singular values. */
export function lsa(X: Matrix, k: number): { documentVectors: Matrix; wordVectors: Matrix; singularValues: number[] } {
  const svd = new SVD(new MlMatrix(X), { autoTranspose: true });
  const U = svd.leftSingularVectors.to2DArray();
  const V = svd.rightSingularVectors.to2DArray();
  return { documentVectors: U.map((row) => row.slice(0, k)), wordVectors: V.map((row) => row.slice(0, k)), singularValues: svd.diagonal.slice(0, k) };
}
