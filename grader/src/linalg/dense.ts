/**
 * Small dense float64 helpers for the linear-algebra checks (SVD, subspaces, Procrustes).
 * Matrices are plain `number[][]` (rows of equal length) because that is what student code
 * returns and what the checks report on; the SVD converts to flat storage internally.
 */

export type Matrix = number[][];

/** A row-major flat copy of a matrix: entry (i, j) is `data[i * cols + j]`. */
export interface FlatMatrix {
  data: Float64Array;
  rows: number;
  cols: number;
}

/**
 * Throws unless `X` is a non-empty rectangular matrix. `what` names the caller in the
 * message, so a grader author sees which helper got the bad input.
 */
export function assertRectangular(X: Matrix, what: string): void {
  if (!Array.isArray(X) || X.length === 0) {
    throw new Error(`${what}: the matrix has no rows; expected a non-empty array of equal-length rows`);
  }
  const cols = Array.isArray(X[0]) ? X[0].length : -1;
  if (cols <= 0) throw new Error(`${what}: row 0 is empty or not an array; expected rows of at least one number`);
  for (let i = 1; i < X.length; i++) {
    if (!Array.isArray(X[i]) || X[i].length !== cols) {
      throw new Error(`${what}: the matrix is ragged: row 0 has ${cols} entries but row ${i} has ${Array.isArray(X[i]) ? X[i].length : 'none'}`);
    }
  }
}

export function toFlat(X: Matrix): FlatMatrix {
  assertRectangular(X, 'toFlat');
  const rows = X.length;
  const cols = X[0].length;
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) data.set(X[i], i * cols);
  return { data, rows, cols };
}

export function fromFlat({ data, rows, cols }: FlatMatrix): Matrix {
  return Array.from({ length: rows }, (_, i) => Array.from(data.subarray(i * cols, (i + 1) * cols)));
}

export function transpose(X: Matrix): Matrix {
  const rows = X.length;
  const cols = rows === 0 ? 0 : X[0].length;
  return Array.from({ length: cols }, (_, j) => Array.from({ length: rows }, (_, i) => X[i][j]));
}

export function matMul(A: Matrix, B: Matrix): Matrix {
  const inner = B.length;
  if (A.length > 0 && A[0].length !== inner) {
    throw new Error(`matMul: shapes do not match: ${A.length}×${A[0].length} times ${inner}×${inner === 0 ? 0 : B[0].length}`);
  }
  const cols = inner === 0 ? 0 : B[0].length;
  return A.map((row) => {
    // Row-times-matrix as a sum of scaled rows of B keeps the inner loop contiguous.
    const out = new Array<number>(cols).fill(0);
    for (let k = 0; k < inner; k++) {
      const a = row[k];
      // Stryker disable next-line ConditionalExpression: skipping a zero coefficient is only a speed-up; for finite B the sums are the same
      if (a === 0) continue;
      const bk = B[k];
      for (let j = 0; j < cols; j++) out[j] += a * bk[j];
    }
    return out;
  });
}

export function subtract(A: Matrix, B: Matrix): Matrix {
  if (A.length !== B.length || (A.length > 0 && A[0].length !== B[0].length)) {
    throw new Error(`subtract: shapes differ: ${A.length}×${A[0]?.length ?? 0} and ${B.length}×${B[0]?.length ?? 0}`);
  }
  return A.map((row, i) => row.map((a, j) => a - B[i][j]));
}

export function frobeniusSquared(X: Matrix): number {
  let sum = 0;
  for (const row of X) for (const x of row) sum += x * x;
  return sum;
}

export function frobeniusNorm(X: Matrix): number {
  return Math.sqrt(frobeniusSquared(X));
}

/** Subtracts each column's mean; PCA and Procrustes compare shapes, not positions. */
export function centerColumns(X: Matrix): { centered: Matrix; mean: number[] } {
  const cols = X.length === 0 ? 0 : X[0].length;
  const mean = new Array<number>(cols).fill(0);
  for (const row of X) for (let j = 0; j < cols; j++) mean[j] += row[j];
  for (let j = 0; j < cols; j++) mean[j] /= X.length;
  return { centered: X.map((row) => row.map((x, j) => x - mean[j])), mean };
}

/**
 * The largest entry of |Q·Qᵀ − I| for a matrix whose ROWS should be orthonormal (the
 * layout of principal components, one per row). 0 for an exactly orthonormal set.
 */
export function orthonormalityError(rows: Matrix): number {
  let worst = 0;
  rows.forEach((a, i) => {
    for (let j = i; j < rows.length; j++) {
      let dot = 0;
      const b = rows[j];
      for (let k = 0; k < a.length; k++) dot += a[k] * b[k];
      worst = Math.max(worst, Math.abs(dot - (i === j ? 1 : 0)));
    }
  });
  return worst;
}
