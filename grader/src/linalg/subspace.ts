import { assertRectangular, centerColumns, frobeniusNorm, matMul, transpose, type Matrix } from './dense.ts';
import { singularValues, svd } from './svd.ts';

/**
 * Comparisons that are true for every correct answer, whatever basis, sign, scale or
 * rotation a student's implementation happened to produce: subspaces via principal angles,
 * point configurations via Procrustes.
 */

/**
 * An orthonormal basis (one vector per row) of the row space of A (k×d), from its SVD.
 * Directions with singular value ≤ tol·σ1 are dropped as numerically dependent; the
 * default tol = max(k, d)·ε is the rank threshold of LAPACK and numpy's matrix_rank, so
 * only exact-up-to-rounding dependence is dropped. A zero matrix has an empty basis.
 */
export function orthonormalRowBasis(A: Matrix, tol?: number): Matrix {
  assertRectangular(A, 'orthonormalRowBasis');
  const relative = tol ?? Math.max(A.length, A[0].length) * Number.EPSILON;
  const { S, V } = svd(A);
  const cutoff = relative * S[0];
  const rank = S.filter((s) => s > cutoff).length; // S is descending: these are the first `rank`
  return Array.from({ length: rank }, (_, j) => V.map((row) => row[j]));
}

/**
 * Cosines of the principal angles between the row spaces of A and B (both ·×d), descending
 * and clamped to [0, 1]: the singular values of Qa·Qbᵀ for orthonormal row bases Qa, Qb.
 * They depend only on the two subspaces, not on which vectors span them.
 * When the row spaces have different dimensions ka ≤ kb, there are ka principal angles
 * (the smaller space against its best match inside the larger), so min(ka, kb) cosines are
 * returned; a caller that expects k of them should also check the dimensions.
 */
export function principalCosines(A: Matrix, B: Matrix): number[] {
  assertRectangular(A, 'principalCosines');
  assertRectangular(B, 'principalCosines');
  if (A[0].length !== B[0].length) {
    throw new Error(`principalCosines: the row spaces live in different dimensions (${A[0].length} and ${B[0].length} columns); both matrices need one column per coordinate`);
  }
  const qa = orthonormalRowBasis(A);
  const qb = orthonormalRowBasis(B);
  if (qa.length === 0 || qb.length === 0) return [];
  return singularValues(matMul(qa, transpose(qb))).map((c) => Math.min(1, Math.max(0, c)));
}

/**
 * Similarity Procrustes of Z onto Y (both n×p, one point per row): the translation,
 * rotation or reflection and uniform scale that bring Z closest to Y in least squares.
 * With centred Yc, Zc and the SVD Ycᵀ·Zc = P·Σ·Qᵀ, the rotation R = Q·Pᵀ maps Zc onto Yc
 * and the scale is trace Σ / ‖Zc‖². `correlation` = trace Σ / (‖Yc‖·‖Zc‖) ∈ [0, 1] is the
 * Procrustes correlation of vegan's protest (1: same shape; 0: unrelated or degenerate).
 * `aligned` is Z mapped into Y's frame, for drawing both on the same axes.
 */
export function procrustes(Y: Matrix, Z: Matrix): { correlation: number; aligned: Matrix } {
  assertRectangular(Y, 'procrustes');
  assertRectangular(Z, 'procrustes');
  if (Y.length !== Z.length || Y[0].length !== Z[0].length) {
    throw new Error(`procrustes: the configurations have different shapes (${Y.length}×${Y[0].length} and ${Z.length}×${Z[0].length}); both need the same points (rows) in the same number of dimensions (columns)`);
  }
  const { centered: yc, mean: yMean } = centerColumns(Y);
  const { centered: zc } = centerColumns(Z);
  const yNorm = frobeniusNorm(yc);
  const zNorm = frobeniusNorm(zc);
  const { U: P, S: sigma, V: Q } = svd(matMul(transpose(yc), zc));
  const traceSigma = sigma.reduce((sum, x) => sum + x, 0);
  const rotation = matMul(Q, transpose(P));
  // Zero spread on either side: no shape to compare, so no agreement (and no 0/0).
  const degenerate = yNorm === 0 || zNorm === 0;
  const scale = degenerate ? 0 : traceSigma / (zNorm * zNorm);
  const correlation = degenerate ? 0 : Math.min(1, Math.max(0, traceSigma / (yNorm * zNorm)));
  const aligned = matMul(zc, rotation).map((row) => row.map((x, j) => scale * x + yMean[j]));
  return { correlation, aligned };
}
