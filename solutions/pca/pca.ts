// pca — reference solution. Same exports and signatures as starter/pca/pca.ts.
//
// Written the way a student is expected to: ml-matrix for the SVD, plain arrays elsewhere,
// and the autoencoder's gradients by hand. (A tfjs version of the autoencoder is one of the
// alternative submissions in grader/test/fixtures/pca-alternatives/.)

import { Matrix as MlMatrix, SVD } from 'ml-matrix';
import seedrandom from 'seedrandom';

export type Matrix = number[][];

export interface Svd {
  U: Matrix;
  S: number[];
  V: Matrix;
}

export interface Pca {
  mean: number[];
  scale: number[];
  components: Matrix;
  explainedVarianceRatio: number[];
  loadings: Matrix;
}

export interface AutoencoderOptions {
  epochs: number;
  learningRate: number;
  seed: number;
}

export interface LinearAutoencoder {
  W1: Matrix;
  W2: Matrix;
  losses: number[];
}

function columns(X: Matrix): number {
  return X[0].length;
}

/**
 * A·B with plain loops, adding each entry's products in the order ml-matrix's mmul does (so
 * the answers are the same to the bit). Converting to and from ml-matrix's Matrix cost more
 * than the product: 35 of the 47 s this function took in a profile of `mlgrade check pca`.
 */
function matMul(A: Matrix, B: Matrix): Matrix {
  const inner = B.length;
  const width = inner === 0 ? 0 : B[0].length;
  const product: Matrix = A.map(() => new Array<number>(width));
  const column = new Float64Array(inner);
  for (let j = 0; j < width; j++) {
    for (let k = 0; k < inner; k++) column[k] = B[k][j];
    for (let i = 0; i < A.length; i++) {
      const row = A[i];
      let s = 0;
      for (let k = 0; k < inner; k++) s += row[k] * column[k];
      product[i][j] = s;
    }
  }
  return product;
}

function transpose(A: Matrix): Matrix {
  return A[0].map((_, j) => A.map((row) => row[j]));
}

export function svd(X: Matrix): Svd {
  const r = Math.min(X.length, columns(X));
  const decomposition = new SVD(new MlMatrix(X), { autoTranspose: true });
  const keep = (M: MlMatrix): Matrix => M.to2DArray().map((row) => row.slice(0, r));
  return {
    U: keep(decomposition.leftSingularVectors),
    S: decomposition.diagonal.slice(0, r),
    V: keep(decomposition.rightSingularVectors),
  };
}

export function eckartYoungError(S: number[], k: number): number {
  let error = 0;
  for (let i = k; i < S.length; i++) error += S[i] * S[i];
  return error;
}

/** The first k columns of U and V and the first k singular values. */
function truncate({ U, S, V }: Svd, k: number): Svd {
  return { U: U.map((row) => row.slice(0, k)), S: S.slice(0, k), V: V.map((row) => row.slice(0, k)) };
}

export function lowRankApprox(X: Matrix, k: number): Matrix {
  const { U, S, V } = truncate(svd(X), k);
  const scaled = U.map((row) => row.map((u, j) => u * S[j]));
  return k === 0 ? X.map((row) => row.map(() => 0)) : matMul(scaled, transpose(V));
}

function columnMeans(X: Matrix): number[] {
  const sums = new Array<number>(columns(X)).fill(0);
  for (const row of X) row.forEach((v, j) => (sums[j] += v));
  return sums.map((s) => s / X.length);
}

/**
 * Population standard deviation (divide by n); constant columns keep scale 1. The mean is
 * rounded, so a constant column's deviation can come out as a residue (4e-17 for thirty
 * 0.1s) rather than 0: anything at most 1e-12 of the column's largest |value| counts as 0.
 */
function columnScales(X: Matrix, mean: number[]): number[] {
  const sums = new Array<number>(columns(X)).fill(0);
  const largest = new Array<number>(columns(X)).fill(0);
  for (const row of X) {
    row.forEach((v, j) => {
      sums[j] += (v - mean[j]) ** 2;
      largest[j] = Math.max(largest[j], Math.abs(v));
    });
  }
  return sums.map((s, j) => {
    const sd = Math.sqrt(s / X.length);
    return sd > 1e-12 * largest[j] ? sd : 1;
  });
}

export function pca(X: Matrix, k: number, standardize = false): Pca {
  const mean = columnMeans(X);
  const scale = standardize ? columnScales(X, mean) : mean.map(() => 1);
  const Z = X.map((row) => row.map((v, j) => (v - mean[j]) / scale[j]));
  const full = svd(Z);
  const total = full.S.reduce((sum, s) => sum + s * s, 0);
  const { S, V } = truncate(full, k);
  const components = transpose(V);
  return {
    mean,
    scale,
    components,
    explainedVarianceRatio: S.map((s) => (total > 0 ? (s * s) / total : 0)),
    loadings: matMul(Z, V),
  };
}

export function reconstruct(loadings: Matrix, components: Matrix, mean: number[], scale: number[]): Matrix {
  return matMul(loadings, components).map((row) => row.map((v, j) => v * scale[j] + mean[j]));
}

export function componentsForVariance(explainedVarianceRatio: number[], target: number): number {
  let cumulative = 0;
  for (let k = 0; k < explainedVarianceRatio.length; k++) {
    cumulative += explainedVarianceRatio[k];
    if (cumulative >= target) return k + 1;
  }
  return explainedVarianceRatio.length;
}

export function trainLinearAutoencoder(X: Matrix, k: number, options: AutoencoderOptions): LinearAutoencoder {
  const n = X.length;
  const d = columns(X);
  const mean = columnMeans(X);
  const Xc = X.map((row) => row.map((v, j) => v - mean[j]));
  const XcT = transpose(Xc);
  const random = seedrandom(String(options.seed));
  const init = (rows: number, cols: number): Matrix =>
    Array.from({ length: rows }, () => Array.from({ length: cols }, () => (random() - 0.5) * 0.2));
  let W1 = init(d, k);
  let W2 = init(k, d);
  const step = (W: Matrix, gradient: Matrix): Matrix => W.map((row, i) => row.map((w, j) => w - options.learningRate * gradient[i][j]));
  const losses: number[] = [];
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    // L = (1/n)·‖Xc·W1·W2 − Xc‖²_F; with R = Xc·W1·W2 − Xc and H = Xc·W1:
    // ∂L/∂W2 = (2/n)·Hᵀ·R and ∂L/∂W1 = (2/n)·Xcᵀ·R·W2ᵀ.
    const H = matMul(Xc, W1);
    const R = matMul(H, W2).map((row, i) => row.map((v, j) => v - Xc[i][j]));
    losses.push(R.reduce((sum, row) => sum + row.reduce((s, v) => s + v * v, 0), 0) / n);
    const gradW2 = matMul(transpose(H), R).map((row) => row.map((v) => (2 * v) / n));
    const gradW1 = matMul(XcT, matMul(R, transpose(W2))).map((row) => row.map((v) => (2 * v) / n));
    W1 = step(W1, gradW1);
    W2 = step(W2, gradW2);
  }
  return { W1, W2, losses };
}

export function genesMirrorGeography(genotypes: Matrix): Matrix {
  return pca(genotypes, 2).loadings;
}
