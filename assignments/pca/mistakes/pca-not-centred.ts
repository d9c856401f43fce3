// Mistake: the columns are scaled but not centred before the SVD.
import { Matrix as MlMatrix, SVD } from 'ml-matrix';

export function pca(X: number[][], k: number, standardize = false) {
  const n = X.length;
  const d = X[0].length;
  const mean = Array.from({ length: d }, (_, j) => X.reduce((sum, row) => sum + row[j], 0) / n);
  const scale = mean.map((m, j) => {
    if (!standardize) return 1;
    const s = X.reduce((sum, row) => sum + (row[j] - m) ** 2, 0);
    const sd = Math.sqrt(s / n);
    // A constant column (up to the rounding residue of its mean) keeps scale 1.
    return sd > 1e-12 * Math.max(...X.map((row) => Math.abs(row[j]))) ? sd : 1;
  });
  const Z = X.map((row) => row.map((v, j) => v / scale[j]));
  const decomposition = new SVD(new MlMatrix(Z), { autoTranspose: true });
  const S = decomposition.diagonal;
  const total = S.reduce((sum, s) => sum + s * s, 0);
  const Vk = decomposition.rightSingularVectors.subMatrix(0, d - 1, 0, k - 1);
  return {
    mean,
    scale,
    components: Vk.transpose().to2DArray(),
    explainedVarianceRatio: S.slice(0, k).map((s) => (s * s) / total),
    loadings: new MlMatrix(Z).mmul(Vk).to2DArray(),
  };
}
