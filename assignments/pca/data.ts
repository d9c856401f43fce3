/**
 * Inputs for the `pca` assignment: matrices with a chosen spectrum, and the real data sets
 * prepared the way the problems use them. Everything is drawn from the case's Rng or loaded
 * from npm packages, so the same seed gives the same inputs.
 */
import type { Rng } from '../../grader/src/cases/rng.ts';
import { loadBoston } from '../../grader/src/data/boston.ts';
import { loadPhoto } from '../../grader/src/data/photo.ts';
import { centerColumns, type Matrix } from '../../grader/src/linalg/dense.ts';

/** k orthonormal vectors of length d (Gram–Schmidt, twice for accuracy), as rows. */
export function orthonormalRows(rng: Rng, k: number, d: number): Matrix {
  const rows: Matrix = [];
  while (rows.length < k) {
    let v = rng.vector(d);
    for (let pass = 0; pass < 2; pass++) {
      for (const q of rows) {
        const dot = v.reduce((sum, x, i) => sum + x * q[i], 0);
        v = v.map((x, i) => x - dot * q[i]);
      }
    }
    const norm = Math.hypot(...v);
    if (norm > 1e-6) rows.push(v.map((x) => x / norm));
  }
  return rows;
}

/** An n×d matrix whose singular values are exactly `spectrum` (padded with zeros). */
export function withSpectrum(rng: Rng, n: number, d: number, spectrum: number[]): Matrix {
  const r = spectrum.length;
  const left = orthonormalRows(rng, r, n);
  const right = orthonormalRows(rng, r, d);
  return Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, j) => spectrum.reduce((sum, s, t) => sum + left[t][i] * s * right[t][j], 0)));
}

/**
 * n examples in d dimensions: a random offset per column plus Gaussian variation with the
 * given standard deviations along random orthogonal directions. The offset is large, so
 * forgetting to centre picks the wrong directions.
 */
export function offsetData(rng: Rng, n: number, d: number, deviations: number[], offset = 4): Matrix {
  const directions = orthonormalRows(rng, deviations.length, d);
  const centre = rng.vector(d, () => rng.normal(0, offset));
  return Array.from({ length: n }, () => {
    const z = deviations.map((s) => rng.normal(0, s));
    return centre.map((c, j) => c + z.reduce((sum, zt, t) => sum + zt * directions[t][j], 0));
  });
}

export function columnMeans(X: Matrix): number[] {
  return centerColumns(X).mean;
}

/** Which columns hold one value in every row. */
export function constantColumns(X: Matrix): boolean[] {
  return X[0].map((first, j) => X.every((row) => row[j] === first));
}

/**
 * Each column's population standard deviation (divide by n); a constant column gets 1, also
 * where rounding in its mean leaves a residue (thirty 0.1s: 4e-17) instead of 0.
 */
export function populationScales(X: Matrix, mean: number[]): number[] {
  const constant = constantColumns(X);
  return mean.map((m, j) => (constant[j] ? 1 : Math.sqrt(X.reduce((sum, row) => sum + (row[j] - m) ** 2, 0) / X.length) || 1));
}

/** (X − mean) / scale, column by column: the matrix PCA decomposes. */
export function normalized(X: Matrix, mean: number[], scale: number[]): Matrix {
  return X.map((row) => row.map((v, j) => (v - mean[j]) / scale[j]));
}

/** Columns scaled to mean 0 and population standard deviation 1 (constant columns kept at 0). */
export function standardized(X: Matrix): Matrix {
  const mean = columnMeans(X);
  return normalized(X, mean, populationScales(X, mean));
}

export const bostonFeatures = (): Matrix => loadBoston().X;

/** The grayscale photo, downscaled 4× to 204×256 so that any student's SVD of it is quick. */
export const PHOTO_DOWNSCALE = 4;
export const photo = (): ReturnType<typeof loadPhoto> => loadPhoto({ downscale: PHOTO_DOWNSCALE });
