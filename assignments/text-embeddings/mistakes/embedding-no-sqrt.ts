import { Matrix as MlMatrix, SVD } from 'ml-matrix';

type Matrix = number[][];

/** U_k alone: the columns are not scaled by sqrt(σ). */
export function wordEmbeddings(M: Matrix, k: number): Matrix {
  const U = new SVD(new MlMatrix(M), { computeRightSingularVectors: false, autoTranspose: false }).leftSingularVectors.to2DArray();
  return U.map((row) => row.slice(0, k));
}
