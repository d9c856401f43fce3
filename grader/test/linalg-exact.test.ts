/**
 * Exact behaviour of the dense helpers and the subspace comparisons: messages for bad input,
 * empty and degenerate cases, and thresholds. linalg.test.ts checks the mathematics on
 * random matrices; this file pins the edges.
 */
import { describe, expect, it } from 'vitest';
import {
  assertRectangular,
  centerColumns,
  frobeniusNorm,
  frobeniusSquared,
  fromFlat,
  matMul,
  orthonormalityError,
  subtract,
  toFlat,
  transpose,
  type Matrix,
} from '../src/linalg/dense.ts';
import { orthonormalRowBasis, principalCosines, procrustes } from '../src/linalg/subspace.ts';

/** Entries closer than 1e-12, sign included. */
function expectMatrixClose(got: Matrix, expected: Matrix): void {
  expect(got.map((row) => row.length)).toEqual(expected.map((row) => row.length));
  got.forEach((row, i) => row.forEach((x, j) => expect(x).toBeCloseTo(expected[i][j], 12)));
}

/** The same rows up to the sign of each row (an SVD may flip any singular vector). */
function expectRowsUpToSign(got: Matrix, expected: Matrix): void {
  expectMatrixClose(
    got.map((row, i) => (row.reduce((s, x, j) => s + x * expected[i][j], 0) < 0 ? row.map((x) => -x) : row)),
    expected,
  );
}

describe('assertRectangular', () => {
  it('accepts a non-empty rectangular matrix, a single row and a single column', () => {
    expect(() => assertRectangular([[1, 2], [3, 4], [5, 6]], 'f')).not.toThrow();
    expect(() => assertRectangular([[1, 2, 3]], 'f')).not.toThrow();
    expect(() => assertRectangular([[1], [2]], 'f')).not.toThrow();
  });

  it('names the caller and what is wrong', () => {
    expect(() => assertRectangular([], 'svd')).toThrow('svd: the matrix has no rows; expected a non-empty array of equal-length rows');
    expect(() => assertRectangular(5 as never, 'svd')).toThrow('svd: the matrix has no rows; expected a non-empty array of equal-length rows');
    expect(() => assertRectangular([[]], 'svd')).toThrow('svd: row 0 is empty or not an array; expected rows of at least one number');
    expect(() => assertRectangular([3] as never, 'svd')).toThrow('svd: row 0 is empty or not an array; expected rows of at least one number');
    expect(() => assertRectangular([[1, 2], [3, 4], [5]], 'svd')).toThrow('svd: the matrix is ragged: row 0 has 2 entries but row 2 has 1');
    expect(() => assertRectangular([[1], [2, 3]], 'svd')).toThrow('svd: the matrix is ragged: row 0 has 1 entries but row 1 has 2');
    expect(() => assertRectangular([[1, 2], 7] as never, 'svd')).toThrow('svd: the matrix is ragged: row 0 has 2 entries but row 1 has none');
  });
});

describe('flat storage', () => {
  it('stores rows one after another', () => {
    const flat = toFlat([[1, 2, 3], [4, 5, 6]]);
    expect(flat).toEqual({ data: new Float64Array([1, 2, 3, 4, 5, 6]), rows: 2, cols: 3 });
    expect(fromFlat(flat)).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(fromFlat({ data: new Float64Array([1, 2, 3, 4, 5, 6]), rows: 3, cols: 2 })).toEqual([[1, 2], [3, 4], [5, 6]]);
  });

  it('refuses a ragged matrix', () => {
    expect(() => toFlat([[1, 2], [3]])).toThrow('toFlat: the matrix is ragged: row 0 has 2 entries but row 1 has 1');
  });
});

describe('small products', () => {
  it('transposes, including an empty matrix', () => {
    expect(transpose([[1, 2, 3], [4, 5, 6]])).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(transpose([])).toEqual([]);
  });

  it('multiplies, including empty shapes', () => {
    expect(matMul([[1, 2], [3, 4], [0, -1]], [[5, 6, 7], [8, 9, 10]])).toEqual([[21, 24, 27], [47, 54, 61], [-8, -9, -10]]);
    expect(matMul([[0, 0]], [[1], [2]])).toEqual([[0]]);
    expect(matMul([], [[1, 2]])).toEqual([]);
    expect(matMul([[], []], [])).toEqual([[], []]);
  });

  it('refuses to multiply shapes that do not fit, and says both', () => {
    expect(() => matMul([[1, 2, 3]], [[1, 2], [3, 4]])).toThrow('matMul: shapes do not match: 1×3 times 2×2');
    expect(() => matMul([[1]], [])).toThrow('matMul: shapes do not match: 1×1 times 0×0');
  });

  it('subtracts, and refuses different shapes', () => {
    expect(subtract([[5, 7], [1, 0]], [[1, 2], [3, -4]])).toEqual([[4, 5], [-2, 4]]);
    expect(subtract([], [])).toEqual([]);
    expect(() => subtract([[1, 2]], [[1, 2], [3, 4]])).toThrow('subtract: shapes differ: 1×2 and 2×2');
    expect(() => subtract([[1, 2]], [[1, 2, 3]])).toThrow('subtract: shapes differ: 1×2 and 1×3');
    expect(() => subtract([], [[1]])).toThrow('subtract: shapes differ: 0×0 and 1×1');
    expect(() => subtract([[1]], [])).toThrow('subtract: shapes differ: 1×1 and 0×0');
  });

  it('computes the Frobenius norm', () => {
    expect(frobeniusSquared([[1, -2], [3, 0]])).toBe(14);
    expect(frobeniusNorm([[3, 0], [0, -4]])).toBe(5);
    expect(frobeniusNorm([])).toBe(0);
  });

  it('centres the columns and returns their means', () => {
    const { centered, mean } = centerColumns([[1, 10], [3, 20], [5, 60]]);
    expect(mean).toEqual([3, 30]);
    expect(centered).toEqual([[-2, -20], [0, -10], [2, 30]]);
    expect(centerColumns([])).toEqual({ centered: [], mean: [] });
  });

  it('measures how far rows are from orthonormal, by the largest entry of |Q·Qᵀ − I|', () => {
    expect(orthonormalityError([[1, 0], [0, 1]])).toBe(0);
    expect(orthonormalityError([[0, -1, 0], [1, 0, 0]])).toBe(0);
    // Q·Qᵀ = [[0.25, 0.5], [0.5, 2]]: the diagonal is off by 0.75 and 1, the off-diagonal by 0.5.
    expect(orthonormalityError([[0.5, 0], [1, 1]])).toBe(1);
    expect(orthonormalityError([[0.5, 0], [0, 1]])).toBe(0.75);
    // Q·Qᵀ = [[1, 0.6], [0.6, 1]]: only the off-diagonal is wrong.
    expect(orthonormalityError([[1, 0], [0.6, 0.8]])).toBeCloseTo(0.6, 15);
    expect(orthonormalityError([])).toBe(0);
  });
});

describe('orthonormalRowBasis', () => {
  it('returns the directions of the row space, one per row', () => {
    expectRowsUpToSign(orthonormalRowBasis([[3, 0, 0], [0, 0, 2]]), [[1, 0, 0], [0, 0, 1]]);
    expectRowsUpToSign(orthonormalRowBasis([[1, 2], [2, 4]]), [[1 / Math.sqrt(5), 2 / Math.sqrt(5)]]);
  });

  it('a zero matrix has an empty basis', () => {
    expect(orthonormalRowBasis([[0, 0], [0, 0]])).toEqual([]);
    expect(orthonormalRowBasis([[0, 0, 0]])).toEqual([]);
  });

  it('drops a direction at or below tol·σ1, relative to σ1', () => {
    const A = [[1000, 0], [0, 1]];
    expect(orthonormalRowBasis(A, 1e-2)).toHaveLength(1);
    expect(orthonormalRowBasis(A, 1e-4)).toHaveLength(2);
    expect(orthonormalRowBasis(A, 1e-3)).toHaveLength(1);
    expect(orthonormalRowBasis(A, 0.999e-3)).toHaveLength(2);
  });

  it('by default drops only what is dependent up to rounding: σ ≤ max(rows, cols)·ε·σ1', () => {
    const e = Number.EPSILON;
    // 2×3 and 3×2: the threshold is 3ε, so 2.5ε is dropped and 3.5ε kept.
    expect(orthonormalRowBasis([[1, 0, 0], [0, 2.5 * e, 0]])).toHaveLength(1);
    expect(orthonormalRowBasis([[1, 0], [0, 2.5 * e], [0, 0]])).toHaveLength(1);
    expect(orthonormalRowBasis([[1, 0, 0], [0, 3.5 * e, 0]])).toHaveLength(2);
  });

  it('refuses a ragged matrix', () => {
    expect(() => orthonormalRowBasis([[1, 2], [3]])).toThrow('orthonormalRowBasis: the matrix is ragged');
  });
});

describe('principalCosines', () => {
  it('are 1 for the same subspace and 0 for orthogonal ones, clamped to [0, 1]', () => {
    expect(principalCosines([[1, 0, 0], [0, 1, 0]], [[0, 2, 0], [3, 3, 0]])).toEqual([1, 1]);
    expect(principalCosines([[1, 0, 0]], [[0, 0, 5]])).toEqual([0]);
    const cosines = principalCosines([[1, 2, 3], [4, 5, 6]], [[5, 7, 9], [3, 3, 3]]);
    for (const c of cosines) {
      expect(c).toBeGreaterThan(1 - 1e-12);
      expect(c).toBeLessThanOrEqual(1);
    }
  });

  it('are cos θ for lines θ apart', () => {
    const [c] = principalCosines([[1, 0]], [[Math.cos(0.3), Math.sin(0.3)]]);
    expect(c).toBeCloseTo(Math.cos(0.3), 14);
  });

  it('are none when either subspace is {0}', () => {
    expect(principalCosines([[0, 0]], [[1, 0]])).toEqual([]);
    expect(principalCosines([[1, 0]], [[0, 0]])).toEqual([]);
  });

  it('refuse matrices with different numbers of columns, or bad ones', () => {
    expect(() => principalCosines([[1, 0]], [[1, 0, 0]])).toThrow(
      'principalCosines: the row spaces live in different dimensions (2 and 3 columns); both matrices need one column per coordinate',
    );
    expect(() => principalCosines([], [[1]])).toThrow('principalCosines: the matrix has no rows');
    expect(() => principalCosines([[1]], [[]])).toThrow('principalCosines: row 0 is empty');
  });
});

describe('procrustes', () => {
  const Y = [[0, 0], [1, 0], [0, 1]];

  it('maps a rotated, scaled and translated copy back onto the original', () => {
    // Z = 2·Y rotated by 90° and moved by (5, 5).
    const { correlation, aligned } = procrustes(Y, [[5, 5], [5, 7], [3, 5]]);
    expect(correlation).toBeCloseTo(1, 12);
    expect(correlation).toBeLessThanOrEqual(1);
    expectMatrixClose(aligned, Y);
  });

  it('fits a scale below 1 as well, into the frame of Y', () => {
    const Z = [[10, 10], [10.5, 10], [10, 10.5]];
    const { correlation, aligned } = procrustes(Y.map(([a, b]) => [a + 3, b - 1]), Z);
    expect(correlation).toBeCloseTo(1, 12);
    expectMatrixClose(aligned, [[3, -1], [4, -1], [3, 0]]);
  });

  it('gives the Procrustes correlation trace Σ / (‖Yc‖·‖Zc‖) of a partial match', () => {
    // Zc has only Y's first coordinate: Ycᵀ·Zc = [[2/3, 0], [-1/3, 0]], trace Σ = √5/3.
    const Z = [[0, 0], [1, 0], [0, 0]];
    const { correlation, aligned } = procrustes(Y, Z);
    const yNorm = Math.sqrt(4 / 3);
    const zNorm = Math.sqrt(2 / 3);
    expect(correlation).toBeCloseTo(Math.sqrt(5) / 3 / (yNorm * zNorm), 12);
    // Least-squares scale trace Σ / ‖Zc‖² along the best direction, then Y's mean added back.
    const scale = Math.sqrt(5) / 3 / (zNorm * zNorm);
    const direction = [2 / Math.sqrt(5), -1 / Math.sqrt(5)];
    const zc = [-1 / 3, 2 / 3, -1 / 3];
    expectMatrixClose(
      aligned,
      zc.map((z) => [scale * z * direction[0] + 1 / 3, scale * z * direction[1] + 1 / 3]),
    );
  });

  it('gives correlation 0 and puts every point at the mean of Y when either side has no spread', () => {
    expect(procrustes(Y, [[2, 2], [2, 2], [2, 2]])).toEqual({ correlation: 0, aligned: [[1 / 3, 1 / 3], [1 / 3, 1 / 3], [1 / 3, 1 / 3]] });
    expect(procrustes([[4, 1], [4, 1], [4, 1]], Y)).toEqual({ correlation: 0, aligned: [[4, 1], [4, 1], [4, 1]] });
  });

  it('refuses configurations of different shapes', () => {
    const message = (a: string, b: string) =>
      `procrustes: the configurations have different shapes (${a} and ${b}); both need the same points (rows) in the same number of dimensions (columns)`;
    expect(() => procrustes(Y, [[0, 0], [1, 0]])).toThrow(message('3×2', '2×2'));
    expect(() => procrustes(Y, [[0, 0, 0], [1, 0, 0], [0, 1, 0]])).toThrow(message('3×2', '3×3'));
    expect(() => procrustes(Y, [[0, 0], [1]])).toThrow('procrustes: the matrix is ragged');
    expect(() => procrustes([], Y)).toThrow('procrustes: the matrix has no rows');
  });
});
