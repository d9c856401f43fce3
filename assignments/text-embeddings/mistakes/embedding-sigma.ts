import { Matrix as MlMatrix, SVD } from 'ml-matrix';

type Matrix = number[][];

/** U_k·Σ_k: scaled by σ instead of sqrt(σ). */
export function wordEmbeddings(M: Matrix, k: number): Matrix {
  const svd = new SVD(new MlMatrix(M), { computeRightSingularVectors: false, autoTranspose: false });
  const U = svd.leftSingularVectors.to2DArray();
  return U.map((row) => Array.from({ length: k }, (_, j) => row[j] * svd.diagonal[j]));
}
