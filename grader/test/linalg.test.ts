import { Matrix as MlMatrix, SVD as MlSvd } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../src/cases/rng.ts';
import { centerColumns, frobeniusNorm, fromFlat, matMul, orthonormalityError, subtract, toFlat, transpose, type Matrix } from '../src/linalg/dense.ts';
import { orthonormalRowBasis, principalCosines, procrustes } from '../src/linalg/subspace.ts';
import { singularValues, svd } from '../src/linalg/svd.ts';

function gaussian(rng: Rng, rows: number, cols: number): Matrix {
  return rng.matrix(rows, cols);
}

/** n×k with orthonormal columns: modified Gram–Schmidt, twice (independent of the code under test). */
function orthonormalColumns(rng: Rng, n: number, k: number): Matrix {
  const columns = transpose(gaussian(rng, n, k));
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < k; j++) {
      for (let i = 0; i < j; i++) {
        const dot = columns[i].reduce((sum, x, r) => sum + x * columns[j][r], 0);
        columns[j] = columns[j].map((x, r) => x - dot * columns[i][r]);
      }
      const norm = Math.hypot(...columns[j]);
      columns[j] = columns[j].map((x) => x / norm);
    }
  }
  return transpose(columns);
}

/** Q1·diag(s)·Q2ᵀ: a rows×cols matrix whose singular values are exactly s (up to rounding). */
function withSingularValues(rng: Rng, rows: number, cols: number, s: number[]): Matrix {
  const q1 = orthonormalColumns(rng, rows, s.length);
  const q2 = orthonormalColumns(rng, cols, s.length);
  return matMul(q1.map((row) => row.map((x, j) => x * s[j])), transpose(q2));
}

function reconstructionError(X: Matrix, { U, S, V }: { U: Matrix; S: number[]; V: Matrix }): number {
  const usv = matMul(U.map((row) => row.map((x, j) => x * S[j])), transpose(V));
  const norm = frobeniusNorm(X);
  return frobeniusNorm(subtract(X, usv)) / (norm === 0 ? 1 : norm);
}

function mlMatrixSingularValues(X: Matrix): number[] {
  return new MlSvd(new MlMatrix(X), { autoTranspose: true }).diagonal;
}

function maxAbsDifference(a: number[], b: number[]): number {
  expect(a.length).toBe(b.length);
  return Math.max(0, ...a.map((x, i) => Math.abs(x - b[i])));
}

/** Everything a thin SVD must satisfy, whatever the matrix. */
function expectValidSvd(X: Matrix): { U: Matrix; S: number[]; V: Matrix } {
  const result = svd(X);
  const { U, S, V } = result;
  const r = Math.min(X.length, X[0].length);
  expect(S).toHaveLength(r);
  expect(U).toHaveLength(X.length);
  expect(V).toHaveLength(X[0].length);
  for (const row of U) expect(row).toHaveLength(r);
  for (const row of V) expect(row).toHaveLength(r);
  for (let i = 0; i < r; i++) {
    expect(S[i]).toBeGreaterThanOrEqual(0);
    if (i > 0) expect(S[i]).toBeLessThanOrEqual(S[i - 1]);
  }
  expect(reconstructionError(X, result)).toBeLessThan(1e-13);
  expect(orthonormalityError(transpose(U))).toBeLessThan(1e-13);
  expect(orthonormalityError(transpose(V))).toBeLessThan(1e-13);
  return result;
}

describe('dense helpers', () => {
  it('round-trips through flat storage and computes the small products the checks use', () => {
    const X = [[1, 2, 3], [4, 5, 6]];
    const flat = toFlat(X);
    expect(flat).toEqual({ data: Float64Array.from([1, 2, 3, 4, 5, 6]), rows: 2, cols: 3 });
    expect(fromFlat(flat)).toEqual(X);
    expect(transpose(X)).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(matMul(X, transpose(X))).toEqual([[14, 32], [32, 77]]);
    expect(subtract(X, X)).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(frobeniusNorm([[3, 4]])).toBe(5);
    expect(centerColumns(X)).toEqual({ centered: [[-1.5, -1.5, -1.5], [1.5, 1.5, 1.5]], mean: [2.5, 3.5, 4.5] });
    expect(orthonormalityError([[1, 0], [0, 1]])).toBe(0);
    expect(orthonormalityError([[1, 0], [1, 0]])).toBe(1);
    expect(() => matMul(X, X)).toThrow(/shapes do not match: 2×3 times 2×3/);
  });
});

describe('svd', () => {
  it('decomposes tall, wide and square random matrices, with the singular values of ml-matrix', () => {
    const rng = createRng('svd-shapes');
    for (const [rows, cols] of [[40, 25], [25, 40], [30, 30], [7, 3], [3, 7], [2, 2], [2, 3], [3, 2]]) {
      const X = gaussian(rng, rows, cols);
      const { S } = expectValidSvd(X);
      expect(maxAbsDifference(S, mlMatrixSingularValues(X))).toBeLessThan(1e-13 * S[0]);
    }
  });

  it('recovers known singular values, including repeated ones, to ~1e-14 relative', () => {
    const rng = createRng('svd-known');
    const cases: Array<[number, number, number[]]> = [
      [30, 20, [9, 7.5, 4, 2, 1.25, 1]],
      [20, 35, [5, 5, 5, 2, 2, 0.5]],
      [25, 25, [3, 3, 3, 3, 3, 3, 3, 3]],
    ];
    for (const [rows, cols, s] of cases) {
      const X = withSingularValues(rng, rows, cols, s);
      const { S } = expectValidSvd(X);
      const expected = [...s, ...new Array<number>(Math.min(rows, cols) - s.length).fill(0)];
      for (let i = 0; i < expected.length; i++) {
        expect(Math.abs(S[i] - expected[i])).toBeLessThan(1e-13 * s[0]);
        if (expected[i] > 0) expect(Math.abs(S[i] - expected[i]) / expected[i]).toBeLessThan(1e-13);
      }
    }
  });

  it('exposes a rank-3 matrix: trailing singular values vanish relative to σ1, like ml-matrix', () => {
    const rng = createRng('svd-rank3');
    const X = matMul(gaussian(rng, 20, 3), gaussian(rng, 3, 15));
    const { S } = expectValidSvd(X);
    expect(S[2] / S[0]).toBeGreaterThan(1e-3);
    for (const x of S.slice(3)) expect(x / S[0]).toBeLessThan(1e-14);
    expect(maxAbsDifference(S, mlMatrixSingularValues(X))).toBeLessThan(1e-13 * S[0]);
  });

  it('handles the zero matrix, 1×1, a row vector and a column vector', () => {
    const zero = expectValidSvd([[0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]]);
    expect(zero.S).toEqual([0, 0, 0]);
    const single = expectValidSvd([[-3]]);
    expect(single.S).toEqual([3]);
    expect(single.U[0][0] * single.V[0][0]).toBe(-1);
    const x = [3, 0, -4, 12];
    for (const X of [[x], x.map((value) => [value])]) {
      const { U, S, V } = expectValidSvd(X);
      expect(S[0]).toBeCloseTo(13, 13);
      const direction = (X.length === 1 ? V : U).map((row) => row[0]);
      const sign = Math.sign(direction[0]);
      for (let i = 0; i < x.length; i++) expect(direction[i] * sign).toBeCloseTo(x[i] / 13, 15);
    }
  });

  it('computes the same singular values with vectors off, and returns no vectors', () => {
    const rng = createRng('svd-values');
    for (const [rows, cols] of [[30, 12], [12, 30], [1, 5], [5, 1]]) {
      const X = gaussian(rng, rows, cols);
      const valuesOnly = svd(X, { vectors: false });
      expect(valuesOnly.U).toEqual([]);
      expect(valuesOnly.V).toEqual([]);
      expect(valuesOnly.S).toEqual(svd(X).S);
      expect(singularValues(X)).toEqual(valuesOnly.S);
    }
  });

  it('leaves its input untouched', () => {
    const X = [[1, 2], [3, 4], [5, 6]];
    svd(X);
    expect(X).toEqual([[1, 2], [3, 4], [5, 6]]);
  });

  it('rejects empty, ragged and non-finite input with a message that says what is wrong', () => {
    expect(() => svd([])).toThrow(/svd: the matrix has no rows/);
    expect(() => svd([[]])).toThrow(/svd: row 0 is empty/);
    expect(() => svd([[1, 2], [3]])).toThrow(/svd: the matrix is ragged: row 0 has 2 entries but row 1 has 1/);
    expect(() => svd([[1, NaN]])).toThrow(/svd: entry \[0\]\[1\] is NaN; the SVD needs finite numbers/);
    expect(() => singularValues([[1], [Infinity]])).toThrow(/entry \[1\]\[0\] is Infinity/);
  });
});

describe('principal angles', () => {
  it('finds an orthonormal basis of the row space and drops dependent rows', () => {
    const rng = createRng('basis');
    const A = gaussian(rng, 3, 6);
    const basis = orthonormalRowBasis([...A, A[0].map((x, j) => 2 * x - A[1][j])]);
    expect(basis).toHaveLength(3);
    expect(orthonormalityError(basis)).toBeLessThan(1e-14);
    expect(principalCosines(basis, A).every((c) => Math.abs(c - 1) < 1e-13)).toBe(true);
    expect(orthonormalRowBasis([[0, 0], [0, 0]])).toEqual([]);
  });

  it('gives all cosines 1 for the same subspace under any change of basis (rotation, scaling, sign)', () => {
    const rng = createRng('same-subspace');
    const A = gaussian(rng, 4, 10);
    const mix = gaussian(rng, 4, 4).map((row, i) => row.map((x) => x * (i === 0 ? -1e3 : 1e-2)));
    const cosines = principalCosines(A, matMul(mix, A));
    expect(cosines).toHaveLength(4);
    for (const c of cosines) expect(Math.abs(c - 1)).toBeLessThan(1e-12);
  });

  it('gives 0 for orthogonal subspaces and cos θ for subspaces θ apart', () => {
    expect(principalCosines([[1, 0, 0, 0, 0], [0, 2, 0, 0, 0]], [[0, 0, 3, 0, 0], [0, 0, 0, -1, 1]])).toEqual([0, 0]);
    for (const theta of [0.1, 0.7, 1.2]) {
      const [c] = principalCosines([[1, 0]], [[Math.cos(theta), Math.sin(theta)]]);
      expect(c).toBeCloseTo(Math.cos(theta), 14);
      // Two planes in 3-D sharing the x axis, tilted by θ about it.
      const cosines = principalCosines([[1, 0, 0], [0, 1, 0]], [[0, -Math.cos(theta), -Math.sin(theta)], [5, 0, 0]]);
      expect(cosines[0]).toBeCloseTo(1, 14);
      expect(cosines[1]).toBeCloseTo(Math.cos(theta), 14);
    }
  });

  it('returns min(dimensions) cosines for subspaces of different dimension', () => {
    const cosines = principalCosines([[1, 0, 0], [0, 1, 0]], [[0, 1, 0], [1, 1, 0], [0, 0, 1]]);
    expect(cosines).toHaveLength(2);
    for (const c of cosines) expect(c).toBeCloseTo(1, 14);
    expect(() => principalCosines([[1, 0]], [[1, 0, 0]])).toThrow(/different dimensions \(2 and 3 columns\)/);
  });
});

describe('procrustes', () => {
  // Made in each test rather than in this block: code that runs while vitest collects the tests
  // reaches dense.ts outside any test, and mutation testing then runs its mutants with every test.
  const data = () => {
    const rng = createRng('procrustes');
    const Y = gaussian(rng, 40, 3);
    return { rng, Y, reflectionRotation: orthonormalColumns(rng, 3, 3).map((row) => [row[0], row[1], -row[2]]) };
  };

  it('aligns a rotated, reflected, scaled and translated copy exactly', () => {
    const { Y, reflectionRotation } = data();
    const Z = matMul(Y, reflectionRotation).map((row) => row.map((x, j) => 2.5 * x + [10, -3, 7][j]));
    const { correlation, aligned } = procrustes(Y, Z);
    expect(1 - correlation).toBeLessThan(1e-13);
    expect(Math.max(...subtract(aligned, Y).flat().map(Math.abs))).toBeLessThan(1e-12);
  });

  it('scores independent noise low and noisy copies in between, falling as the noise grows', () => {
    const { rng, Y, reflectionRotation } = data();
    const independent = procrustes(Y, gaussian(rng, 40, 3)).correlation;
    expect(independent).toBeLessThan(0.5);
    const noise = gaussian(rng, 40, 3);
    const correlations = [0.05, 0.2, 0.5, 1, 2].map((level) => procrustes(Y, matMul(Y, reflectionRotation).map((row, i) => row.map((x, j) => x + level * noise[i][j]))).correlation);
    expect(correlations[0]).toBeGreaterThan(0.99);
    for (let i = 1; i < correlations.length; i++) expect(correlations[i]).toBeLessThan(correlations[i - 1]);
    expect(correlations[correlations.length - 1]).toBeGreaterThan(independent);
    expect(correlations[correlations.length - 1]).toBeLessThan(0.9);
  });

  it('gives correlation 0, not NaN, when one configuration has no spread', () => {
    const { Y } = data();
    const collapsed = Y.map(() => [1, 2, 3]);
    for (const [a, b] of [[Y, collapsed], [collapsed, Y], [collapsed, collapsed]]) {
      const { correlation, aligned } = procrustes(a, b);
      expect(correlation).toBe(0);
      expect(aligned.flat().every(Number.isFinite)).toBe(true);
    }
    expect(() => procrustes(Y, Y.slice(1))).toThrow(/different shapes \(40×3 and 39×3\)/);
  });
});
