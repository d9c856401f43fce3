// Mistake: keeps k + 1 singular values.
import { Matrix as MlMatrix, SVD } from 'ml-matrix';

export function lowRankApprox(X: number[][], k: number): number[][] {
  const decomposition = new SVD(new MlMatrix(X), { autoTranspose: true });
  const U = decomposition.leftSingularVectors;
  const V = decomposition.rightSingularVectors;
  const S = decomposition.diagonal;
  const keep = Math.min(k + 1, S.length);
  return X.map((row, i) => row.map((_, j) => {
    let v = 0;
    for (let t = 0; t < keep; t++) v += U.get(i, t) * S[t] * V.get(j, t);
    return v;
  }));
}
