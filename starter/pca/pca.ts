// pca — your implementation goes here.
//
// Rules of the game:
//   • Matrices are plain nested arrays: X[i][j] is row i, column j. A data matrix X is n×d:
//     one row per example, one column per feature.
//   • Return NEW arrays; never modify an argument (the caller may reuse it).
//   • You may import `ml-matrix` (it has an SVD), `seedrandom` and `@tensorflow/tfjs`.
//     Any correct method gets full marks: ml-matrix's SVD, an eigen-decomposition of XᵀX,
//     power iteration run to convergence, …
//   • Keep the signatures and default parameter values exactly as they are.
// Run `npm run grade -- pca` to check your work.

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

/**
 * Thin singular value decomposition of an n×d matrix X, with r = min(n, d):
 *
 *   X = U · diag(S) · Vᵀ
 *
 * U is n×r and V is d×r, both with orthonormal columns; S has r entries, sorted from the
 * largest down, all ≥ 0. (Signs of matching columns of U and V may be flipped, and
 * repeated singular values leave a choice of basis: the grader accepts any valid answer.)
 */
export function svd(X: Matrix): Svd {
  throw new Error('not implemented: svd');
}

/**
 * The squared Frobenius error of the best rank-k approximation, read off the spectrum
 * (Eckart–Young): the sum of σᵢ² over the singular values AFTER the first k.
 * S is sorted from the largest down; 0 ≤ k ≤ S.length.
 */
export function eckartYoungError(S: number[], k: number): number {
  throw new Error('not implemented: eckartYoungError');
}

/**
 * The best rank-k approximation X_k = U_k · Σ_k · V_kᵀ of X (n×d), also n×d.
 * 0 ≤ k ≤ min(n, d).
 */
export function lowRankApprox(X: Matrix, k: number): Matrix {
  throw new Error('not implemented: lowRankApprox');
}

/**
 * Principal component analysis with k components.
 *
 *   mean       the column means of X (length d)
 *   scale      with standardize: each column's POPULATION standard deviation (divide by n,
 *              as scikit-learn's StandardScaler), except that a constant column keeps 1;
 *              without: all ones (length d)
 *   Z          = (X − mean) / scale, column by column
 *   components k×d, row i is the i-th principal direction vᵢ (unit length, orthogonal to
 *              the others), in order of decreasing variance
 *   explainedVarianceRatio  length k: the share of Z's total variance along each component
 *   loadings   n×k, the loading vectors z = Z · componentsᵀ (row i encodes example i)
 */
export function pca(X: Matrix, k: number, standardize = false): Pca {
  throw new Error('not implemented: pca');
}

/**
 * The decoder: rebuilds n×d data from loadings (n×k) and components (k×d), undoing the
 * scaling and centring that `pca` applied.
 */
export function reconstruct(loadings: Matrix, components: Matrix, mean: number[], scale: number[]): Matrix {
  throw new Error('not implemented: reconstruct');
}

/**
 * The smallest number of components whose explained-variance ratios add up to at least
 * `target` (0 < target ≤ 1). The ratios are in order, largest first. If rounding keeps the
 * total just below the target (e.g. a target of 1), the answer is all of them.
 */
export function componentsForVariance(explainedVarianceRatio: number[], target: number): number {
  throw new Error('not implemented: componentsForVariance');
}

/**
 * Trains the linear autoencoder f(x) = x · W1 · W2 (W1 is d×k, W2 is k×d; no biases, no
 * non-linearity) on the centred data by full-batch gradient descent with the given
 * learning rate, for exactly `options.epochs` steps, starting from small random weights
 * drawn from a generator seeded with `options.seed`.
 *
 * The loss is the mean over examples of the squared reconstruction error:
 *   L = (1/n) · Σᵢ ‖x̃ᵢ − x̃ᵢ·W1·W2‖²,  where x̃ᵢ is example i minus the column means.
 * `losses[t]` is L at the start of step t (length `epochs`).
 */
export function trainLinearAutoencoder(X: Matrix, k: number, options: AutoencoderOptions): LinearAutoencoder {
  throw new Error('not implemented: trainLinearAutoencoder');
}

/**
 * Genotypes: one row per individual, one column per genetic locus, each entry 0, 1 or 2
 * (how many copies of one of the locus's two alleles, the same one for everybody, the
 * individual carries). Return each
 * individual's 2-D PCA loading vector (n×2): the map that, as in "Genes mirror geography
 * within Europe", should look like where they were born.
 */
export function genesMirrorGeography(genotypes: Matrix): Matrix {
  throw new Error('not implemented: genesMirrorGeography');
}
