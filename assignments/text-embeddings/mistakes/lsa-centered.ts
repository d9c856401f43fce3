import { Matrix as MlMatrix, SVD } from 'ml-matrix';

type Matrix = number[][];

/** X's columns are centred first (that is PCA, not LSA). */
export function lsa(X: Matrix, k: number): { documentVectors: Matrix; wordVectors: Matrix; singularValues: number[] } {
  const means = X[0].map((_, j) => X.reduce((sum, row) => sum + row[j], 0) / X.length);
  const svd = new SVD(new MlMatrix(X.map((row) => row.map((x, j) => x - means[j]))), { autoTranspose: true });
  const U = svd.leftSingularVectors.to2DArray();
  const V = svd.rightSingularVectors.to2DArray();
  const S = svd.diagonal.slice(0, k);
  return { documentVectors: U.map((row) => S.map((s, j) => row[j] * s)), wordVectors: V.map((row) => row.slice(0, k)), singularValues: S };
}
