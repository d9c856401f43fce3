import { describe, expect, it } from 'vitest';
import { createRng } from '../src/cases/rng.ts';
import { allClose, allCloseFields } from '../src/checks/allclose.ts';
import { diagnose, diagnosisOf, formatFactor, PERMUTATION_LIMIT, SEPARATION, type Diagnosis } from '../src/checks/diagnose.ts';
import { allOf, invariant, labelled, pass } from '../src/checks/verdict.ts';

type M = number[][];
interface Tol {
  rtol: number;
  atol: number;
  permutationLimit?: number;
}

/** allClose's defaults. */
const TOL: Tol = { rtol: 1e-6, atol: 1e-9 };
/**
 * Round, binary-exact tolerances for pinning boundaries: an entry matches when it is within
 * 0.25 (atol), is significant above SEPARATION·0.25 = 2.5, and a transformation must move some
 * entry by more than 2.5.
 */
const ABS: Tol = { rtol: 0, atol: 0.25 };
/** Relative only: within 1/16 of the reference value. */
const REL: Tol = { rtol: 0.0625, atol: 0 };
const EXACT: Tol = { rtol: 0, atol: 0 };

const diag = (got: unknown, expected: unknown, tol: Tol = TOL): Diagnosis | undefined => diagnose(got, expected, { ...tol, name: 'out' });
const idOf = (got: unknown, expected: unknown, tol: Tol = TOL): string | undefined => diag(got, expected, tol)?.id;
const messageOf = (got: unknown, expected: unknown, tol: Tol = TOL): string | undefined => diag(got, expected, tol)?.message;

const map = (m: M, f: (v: number, i: number, j: number) => number): M => m.map((row, i) => row.map((v, j) => f(v, i, j)));
const transpose = (m: M): M => m[0].map((_, j) => m.map((row) => row[j]));
const zeros = (m: M): M => map(m, () => 0);
/** m with one entry replaced. */
const set = (m: M, i: number, j: number, value: number): M => map(m, (v, a, b) => (a === i && b === j ? value : v));

/** 3×4, no symmetry, distinct magnitudes, mixed signs. */
const E: M = [[1, 2, 3, 4], [5, -6, 7, 8], [9, 10, -11, 12]];
/** E·10: integers, so offsets of 0.25 (ABS's atol) are exact. */
const E10 = map(E, (v) => 10 * v);
/** 4×4, not symmetric. */
const F: M = [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]];
/** 2×2×3 and 3×2×2 tensors. */
const X3 = [[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]]];
const Y3 = [[[1, 2], [3, 4]], [[5, 6], [7, 8]], [[9, 10], [11, 12]]];

describe('diagnose: when it says nothing', () => {
  it('is silent on right answers, exactly or within tolerance', () => {
    expect(diag(E, E)).toBeUndefined();
    expect(diag(map(E, (v) => v * (1 + 5e-7)), E)).toBeUndefined();
    expect(diag(X3, X3)).toBeUndefined();
    expect(diag([3], [3])).toBeUndefined();
  });

  it('is silent when the expected value has no entry clearly away from zero (|e| > SEPARATION·atol)', () => {
    expect(SEPARATION).toBe(10);
    expect(diag([[1, 2]], [[0, 0]])).toBeUndefined();
    expect(diag([-2.5, -2.5], [2.5, 2.5], ABS)).toBeUndefined();
    expect(idOf([-2.625, -2.625], [2.625, 2.625], ABS)).toBe('negated');
  });

  it('is silent on anything but rectangular arrays of finite numbers', () => {
    expect(diag([[-1, NaN]], [[1, 2]])).toBeUndefined();
    expect(diag([-1, -2], [Infinity, 2])).toBeUndefined();
    expect(diag([[-1, -2], [-3]], [[1, 2], [3, 4]])).toBeUndefined();
    expect(diag([[0, 0], [0]], [[1, 2], [3, 4]])).toBeUndefined();
    expect(diag([[0, 0], [0, 0, 0]], [[1, 2], [3, 4]])).toBeUndefined();
    expect(diag([[-1, -2], [-3, -4]], [[1, 2], [3]])).toBeUndefined();
    expect(diag([[-1, -2], -3], [[1, 2], [3, 4]])).toBeUndefined();
    expect(diag([[-1, [-2]]], [[1, 2]])).toBeUndefined();
    expect(diag('-1,-2', [1, 2])).toBeUndefined();
    expect(diag(Float64Array.of(-1, -2), [1, 2])).toBeUndefined();
    expect(diag(null, [1, 2])).toBeUndefined();
    expect(diag([-1, -2], [1, 2])?.id).toBe('negated');
  });

  it('is silent on empty arrays', () => {
    expect(diag([], [])).toBeUndefined();
    expect(diag([[]], [[]])).toBeUndefined();
    expect(diag([], [1, 2])).toBeUndefined();
  });

  it('treats a lone number as a vector of length 1', () => {
    expect(idOf(-5, 5)).toBe('negated');
    expect(idOf(-5, [5])).toBe('negated');
    expect(diag(5, [5])).toBeUndefined();
    expect(diag([5], 5)).toBeUndefined();
    expect(diag(7, 5)).toBeUndefined();
  });

  it('is silent on random wrong answers of every shape, and on answers a little off everywhere', () => {
    const rng = createRng('diagnose-random');
    const tensor = (shape: number[]): unknown => (shape.length === 0 ? rng.normal() : Array.from({ length: shape[0] }, () => tensor(shape.slice(1))));
    const shapes = [[7], [2], [3, 4], [4, 4], [1, 5], [5, 1], [2, 3, 4], [2, 1, 3, 3]];
    for (let trial = 0; trial < 20; trial++) {
      for (const shape of shapes) {
        const expected = tensor(shape);
        expect(diag(tensor(shape), expected)).toBeUndefined();
        expect(diag(tensor([...shape].reverse()), expected)).toBeUndefined();
        const noisy = JSON.parse(JSON.stringify(expected), (_, v: unknown) => (typeof v === 'number' ? v + rng.uniform(-1e-3, 1e-3) : v)) as unknown;
        expect(diag(noisy, expected)).toBeUndefined();
      }
    }
  });

  it('is silent on coincidences of repeated small integers (pooling maxima)', () => {
    const maxima: M = [[3, 4, 3, 4, 4], [4, 3, 4, 3, 3], [3, 3, 4, 4, 4], [4, 4, 3, 3, 4]];
    // The same multiset in another order: no value occurs once, so nothing "moved".
    expect(diag([[4, 4, 3, 3, 4], [3, 4, 4, 3, 3], [4, 3, 3, 4, 4], [3, 4, 4, 3, 4]], maxima)).toBeUndefined();
    // A constant is a multiple of any other constant.
    expect(diag([[3, 3], [3, 3]], [[4, 4], [4, 4]])).toBeUndefined();
    expect(diag([8, 8, 0], [4, 4, 0])).toBeUndefined();
  });
});

describe('all-zero', () => {
  it('fires when every entry is within atol of 0', () => {
    expect(diag(zeros(E), E)).toEqual({ id: 'all-zero', message: 'out: every entry is 0, but the expected value is not all zeros.' });
    expect(diagnose(zeros(E), E, TOL)?.message).toBe('result: every entry is 0, but the expected value is not all zeros.');
    expect(idOf(map(E10, () => 0.25), E10, ABS)).toBe('all-zero');
    expect(idOf(map(E10, () => -0.25), E10, ABS)).toBe('all-zero');
  });

  it('is silent when one entry is beyond atol, or the shape differs', () => {
    expect(diag(set(map(E10, () => 0.25), 1, 1, 0.375), E10, ABS)).toBeUndefined();
    expect(diag(zeros(transpose(E)), E)).toBeUndefined();
    expect(diag([0, 0], E)).toBeUndefined();
  });
});

describe('transposed', () => {
  it('fires for n×m against m×n, and for a square matrix whose transpose differs', () => {
    expect(diag(transpose(E), E)).toEqual({ id: 'transposed', message: 'out: your answer is the expected one transposed (yours is 4×3, expected 3×4).' });
    expect(messageOf([[1], [2], [3]], [[1, 2, 3]])).toBe('out: your answer is the expected one transposed (yours is 3×1, expected 1×3).');
    expect(messageOf(transpose(F), F)).toBe('out: your answer is the expected one transposed (both 4×4).');
  });

  it('pins the tolerance of each entry', () => {
    const t = transpose(E10);
    expect(idOf(set(t, 3, 2, t[3][2] + 0.25), E10, ABS)).toBe('transposed');
    expect(idOf(set(t, 3, 2, t[3][2] - 0.25), E10, ABS)).toBe('transposed');
    expect(diag(set(t, 3, 2, t[3][2] + 0.375), E10, ABS)).toBeUndefined();
    expect(diag(set(transpose(E), 0, 1, 99), E)).toBeUndefined();
  });

  it('is silent for a nearly symmetric matrix whose transpose moves nothing by more than SEPARATION tolerances', () => {
    const nearlySymmetric = (asymmetry: number): M => {
      const s: M = [[10, 20, 30, 40], [20, 50, 60, 70], [30, 60, 80, 90], [40, 70, 90, 100]];
      s[1][2] += asymmetry;
      return s;
    };
    expect(diag(transpose(nearlySymmetric(2.5)), nearlySymmetric(2.5), ABS)).toBeUndefined();
    expect(idOf(transpose(nearlySymmetric(2.625)), nearlySymmetric(2.625), ABS)).toBe('transposed');
  });

  it('only compares 2-D with 2-D', () => {
    const wrapped = transpose(E).map((row) => row.map((v) => [v]));
    expect(messageOf(wrapped, E)).toBe('out: your answer has the expected entries in a different arrangement (yours is 4×3×1, expected 3×4).');
    expect(messageOf(transpose(E), E.map((row) => row.map((v) => [v])))).toBe(
      'out: your answer has the expected entries in a different arrangement (yours is 4×3, expected 3×4×1).',
    );
    expect(diag([[1, 2], [3, 4], [5, 6]], E)).toBeUndefined();
  });

  it('needs exactly the transposed shape', () => {
    const flat = transpose(E).flat();
    const rowsOf = (values: number[], width: number): M => Array.from({ length: values.length / width }, (_, i) => values.slice(i * width, (i + 1) * width));
    expect(diag(transpose(E).slice(0, 2), E)).toBeUndefined();
    expect(diag(rowsOf(flat.slice(0, 8), 2), E)).toBeUndefined();
    expect(idOf(rowsOf(flat, 2), E)).toBe('permuted');
  });
});

describe('reshaped', () => {
  it('fires for the expected entries in order in another shape', () => {
    expect(diag(E.flat(), E)).toEqual({ id: 'reshaped', message: 'out: your answer has the expected entries in the expected order, but its shape is length 12, expected 3×4.' });
    expect(messageOf([E.flat().slice(0, 6), E.flat().slice(6)], E)).toBe('out: your answer has the expected entries in the expected order, but its shape is 2×6, expected 3×4.');
    expect(messageOf([[1], [2]], [1, 2])).toBe('out: your answer has the expected entries in the expected order, but its shape is 2×1, expected length 2.');
  });

  it('is silent when an entry differs or entries are missing', () => {
    expect(diag(E.flat().map((v, k) => (k === 5 ? 99 : v)), E)).toBeUndefined();
    expect(diag(E.flat().slice(0, 11), E)).toBeUndefined();
    expect(idOf(E10.flat().map((v, k) => (k === 5 ? v + 0.25 : v)), E10, ABS)).toBe('reshaped');
    expect(diag(E10.flat().map((v, k) => (k === 5 ? v + 0.375 : v)), E10, ABS)).toBeUndefined();
  });
});

describe('negated', () => {
  it('fires when every entry is −expected', () => {
    expect(diag(map(E, (v) => -v), E)).toEqual({ id: 'negated', message: 'out: every entry is exactly -1× the expected value: the answer is negated.' });
    expect(idOf([[-3]], [[3]])).toBe('negated');
    expect(idOf([-4, -4, -4], [4, 4, 4])).toBe('negated');
  });

  it('pins atol and rtol', () => {
    const minus = map(E10, (v) => -v);
    expect(idOf(set(minus, 2, 3, minus[2][3] + 0.25), E10, ABS)).toBe('negated');
    expect(diag(set(minus, 2, 3, minus[2][3] + 0.375), E10, ABS)).toBeUndefined();
    expect(idOf([-17, -32], [16, 32], REL)).toBe('negated');
    expect(diag([-17.0625, -32], [16, 32], REL)).toBeUndefined();
  });

  it('is silent when one entry is not negated, or the shape differs', () => {
    expect(diag(set(map(E, (v) => -v), 0, 0, 99), E)).toBeUndefined();
    expect(diag([[-1, -2, -3, -4]], E)).toBeUndefined();
  });
});

describe('scaled', () => {
  it('fires with the least-squares factor, verified entry by entry', () => {
    expect(diag(map(E, (v) => 2 * v), E)).toEqual({ id: 'scaled', message: 'out: every entry is exactly 2× the expected value.' });
    expect(messageOf(map(E, (v) => v / 2), E)).toBe('out: every entry is exactly 0.5× the expected value.');
    expect(messageOf(map(E, (v) => -3 * v), E)).toBe('out: every entry is exactly -3× the expected value.');
    expect(messageOf(map(E, (v) => v / 3), E)).toBe('out: every entry is exactly 0.3333× the expected value.');
    expect(messageOf([8, 10], [4, 5])).toBe('out: every entry is exactly 2× the expected value.');
  });

  it('allows for rounding in the factor when the check is exact', () => {
    const e = [0.1, 0.2, 0.3, 0.7, 1.3];
    expect(messageOf(e.map((v) => v / 0.7), e, EXACT)).toBe('out: every entry is exactly 1.429× the expected value.');
  });

  it('pins the tolerance of each entry', () => {
    const twice = map(E10, (v) => 2 * v);
    expect(idOf(set(twice, 1, 2, twice[1][2] + 0.25), E10, ABS)).toBe('scaled');
    expect(diag(set(twice, 1, 2, twice[1][2] + 0.375), E10, ABS)).toBeUndefined();
    expect(diag(set(map(E, (v) => 2 * v), 0, 0, 99), E)).toBeUndefined();
  });

  it('needs a factor clearly away from 1, −1 and 0', () => {
    const e = [10, 20];
    expect(diag([11.25, 22.5], e, ABS)).toBeUndefined(); // 1.125: moves 20 by 2.5 only
    expect(messageOf([12.5, 25], e, ABS)).toBe('out: every entry is exactly 1.25× the expected value.');
    expect(diag([-11.25, -22.5], e, ABS)).toBeUndefined(); // −1.125
    expect(messageOf([-12.5, -25], e, ABS)).toBe('out: every entry is exactly -1.25× the expected value.');
    expect(diag([1.25, 2.5], e, ABS)).toBeUndefined(); // 0.125
    expect(messageOf([2.5, 5], e, ABS)).toBe('out: every entry is exactly 0.25× the expected value.');
  });

  it('needs two clearly different significant expected values', () => {
    expect(diag([20, 25], [10, 12.5], ABS)).toBeUndefined();
    expect(idOf([20, 25.25], [10, 12.625], ABS)).toBe('scaled');
    expect(diag([2, 20, 20], [1, 10, 10], ABS)).toBeUndefined(); // 1 is not significant
    expect(idOf([2, 20, 40], [1, 10, 20], ABS)).toBe('scaled');
  });

  it('is silent when the shape differs', () => {
    expect(diag([[2, 4, 6, 8], [10, -12, 14, 16]], E)).toBeUndefined();
  });
});

describe('reversed', () => {
  it('fires along the first axis or the last', () => {
    expect(diag([4, 3, 2, 1], [1, 2, 3, 4])).toEqual({ id: 'reversed', message: 'out: your answer is the expected one in reverse order.' });
    expect(messageOf([...E].reverse(), E)).toBe('out: your answer is the expected one with its rows in reverse order.');
    expect(messageOf(E.map((row) => [...row].reverse()), E)).toBe('out: your answer is the expected one with its columns in reverse order.');
    expect(messageOf([[3, 2, 1]], [[1, 2, 3]])).toBe('out: your answer is the expected one with its columns in reverse order.');
    expect(messageOf([...Y3].reverse(), Y3)).toBe('out: your answer is the expected one with its slices (first axis) in reverse order.');
    expect(messageOf(X3.map((a) => a.map((row) => [...row].reverse())), X3)).toBe('out: your answer is the expected one with its entries (last axis) in reverse order.');
  });

  it('is silent for a near palindrome, or with one wrong entry', () => {
    expect(diag([11, 20, 10], [10, 20, 11], ABS)).toBeUndefined();
    expect(idOf([12.625, 20, 10], [10, 20, 12.625], ABS)).toBe('reversed');
    expect(diag(set([...E].reverse(), 1, 1, 99), E)).toBeUndefined();
    expect(diag([[9, 10, -11, 12], [5, -6, 7, 8]], E)).toBeUndefined();
  });
});

describe('shifted', () => {
  it('fires for a shift by one along the first axis, either way', () => {
    expect(diag([0, 1, 2, 3, 4], [1, 2, 3, 4, 5])).toEqual({
      id: 'shifted',
      message: 'out: your answer is the expected one shifted right by one entry: your entries 1–4 are the expected entries 0–3.',
    });
    expect(messageOf([2, 3, 4, 5, 0], [1, 2, 3, 4, 5])).toBe('out: your answer is the expected one shifted left by one entry: your entries 0–3 are the expected entries 1–4.');
    expect(messageOf([[0, 0, 0, 0], E[0], E[1]], E)).toBe('out: your answer is the expected one shifted down by one row: your rows 1–2 are the expected rows 0–1.');
    expect(messageOf([E[1], E[2], E[0]], E)).toBe('out: your answer is the expected one shifted up by one row: your rows 0–1 are the expected rows 1–2.');
    expect(messageOf([Y3[1], Y3[2], Y3[0]], Y3)).toBe(
      'out: your answer is the expected one shifted back by one slice (first axis): your slices (first axis) 0–1 are the expected slices (first axis) 1–2.',
    );
    expect(messageOf([Y3[2], Y3[0], Y3[1]], Y3)).toBe(
      'out: your answer is the expected one shifted forward by one slice (first axis): your slices (first axis) 1–2 are the expected slices (first axis) 0–1.',
    );
  });

  it('fires for a shift by one along the last axis', () => {
    expect(messageOf(E.map((row) => [0, ...row.slice(0, 3)]), E)).toBe(
      'out: your answer is the expected one shifted right by one column: your columns 1–3 are the expected columns 0–2.',
    );
    expect(messageOf(E.map((row) => [...row.slice(1), 0]), E)).toBe('out: your answer is the expected one shifted left by one column: your columns 0–2 are the expected columns 1–3.');
    expect(messageOf(X3.map((a) => a.map((row) => [9, row[0], row[1]])), X3)).toBe(
      'out: your answer is the expected one shifted right by one entry (last axis): your entries (last axis) 1–2 are the expected entries (last axis) 0–1.',
    );
  });

  it('needs an overlap of at least two, and one that changes something', () => {
    expect(diag([5, 1], [1, 2])).toBeUndefined();
    expect(diag([[0, 0, 0, 0], [1, 2, 3, 4]], [[1, 2, 3, 4], [5, 6, 7, 8]])).toBeUndefined();
    expect(idOf([5, 1, 2], [1, 2, 3])).toBe('shifted');
    expect(diag([9, 5, 5], [5, 5, 5])).toBeUndefined();
    // The shift must clearly change two entries whose values occur once: among repeated
    // values, one such entry is too easy a coincidence.
    expect(diag([0, 7, 7, 1], [7, 7, 1, 2])).toBeUndefined();
    expect(idOf([0, 7, 7, 1, 2], [7, 7, 1, 2, 3])).toBe('shifted');
    expect(diag([0, 7, 7, 1, 1], [7, 7, 1, 1, 2])).toBeUndefined();
    expect(diag([[3, 4, 4]], [[4, 4, 3]])).toBeUndefined();
  });

  it('is silent with one wrong entry in the overlap, and pins its tolerance', () => {
    expect(diag([0, 1, 2, 9, 4], [1, 2, 3, 4, 5])).toBeUndefined();
    expect(diag([0, 9, 2, 3, 4], [1, 2, 3, 4, 5])).toBeUndefined();
    expect(diag([2, 3, 4, 9, 0], [1, 2, 3, 4, 5])).toBeUndefined();
    expect(diag([9, 3, 4, 5, 0], [1, 2, 3, 4, 5])).toBeUndefined();
    expect(idOf([0, 10, 20.25, 30, 40], [10, 20, 30, 40, 50], ABS)).toBe('shifted');
    expect(diag([0, 10, 20.375, 30, 40], [10, 20, 30, 40, 50], ABS)).toBeUndefined();
  });
});

describe('sign-per-column', () => {
  const flip = (m: M, columns: number[]): M => map(m, (v, _, j) => (columns.includes(j) ? -v : v));

  it('fires when some columns are negated and the others are right', () => {
    expect(diag(flip(E, [1]), E)).toEqual({ id: 'sign-per-column', message: 'out: right up to the sign of column 1: that column is negated, the others are right.' });
    expect(messageOf(flip(E, [0, 2]), E)).toBe('out: right up to the sign of columns 0, 2: those columns are negated, the others are right.');
    const wide: M = [[1, 2, 3, 4, 5, 6, 7, 8], [9, 10, 11, 12, 13, 14, 15, 16]];
    expect(messageOf(flip(wide, [0, 1, 2, 3, 4, 5, 7]), wide)).toBe(
      'out: right up to the sign of columns 0, 1, 2, 3, 4, 5, … (7 in all): those columns are negated, the others are right.',
    );
    expect(messageOf(flip(wide, [0, 1, 2, 3, 4, 5]), wide)).toBe('out: right up to the sign of columns 0, 1, 2, 3, 4, 5: those columns are negated, the others are right.');
  });

  it('is silent when a flipped column has one wrong entry, and pins its tolerance', () => {
    expect(diag(set(flip(E, [1]), 2, 1, 99), E)).toBeUndefined();
    const flipped = flip(E10, [1]);
    expect(idOf(set(flipped, 2, 1, flipped[2][1] + 0.25), E10, ABS)).toBe('sign-per-column');
    // Just beyond, the column is still (within 0.25) a multiple of the expected one: a weaker fact.
    expect(messageOf(set(flipped, 2, 1, flipped[2][1] + 0.375), E10, ABS)).toBe(
      'out: each column is a multiple of the expected column: factor -0.9973 for column 1 (the other columns match).',
    );
  });

  it('needs a flipped column to hold a significant entry', () => {
    // Column 2 is within 2.5 of zero: its sign says nothing; column 1 is still a fact. Column 2
    // is off by 2 > atol, so the message must not claim that the other columns match.
    expect(diag([[10, -20, -1], [30, -50, -1]], [[10, 20, 1], [30, 50, 1]], ABS)).toEqual({
      id: 'scaled-per-column',
      message: 'out: each column is a multiple of the expected column: factor -1 for column 1.',
    });
  });

  it('needs two rows and exactly two axes', () => {
    expect(diag([[1, -2, 3]], [[1, 2, 3]])).toBeUndefined();
    // Entries 1 and 3 of X3 are "column 1" only if X3 is read as a 2×2 matrix.
    const naive = JSON.parse(JSON.stringify(X3)) as number[][][];
    naive[0][0][1] *= -1;
    naive[0][1][0] *= -1;
    expect(diag(naive, X3)).toBeUndefined();
  });
});

describe('scaled-per-row and scaled-per-column', () => {
  const rows = (m: M, factors: number[]): M => map(m, (v, i) => v * factors[i]);
  const columns = (m: M, factors: number[]): M => map(m, (v, _, j) => v * factors[j]);

  it('fires for rows with their own factors, listing the rows that changed', () => {
    expect(diag(rows(E, [1, 2, 0.5]), E)).toEqual({
      id: 'scaled-per-row',
      message: 'out: each row is a multiple of the expected row: factors 2, 0.5 for rows 1, 2 (the other rows match).',
    });
    expect(messageOf(rows(E, [2, 3, 0.5]), E)).toBe('out: each row is a multiple of the expected row: factors 2, 3, 0.5 for rows 0, 1, 2.');
    expect(messageOf(rows(E, [1, 1, 3]), E)).toBe('out: each row is a multiple of the expected row: factor 3 for row 2 (the other rows match).');
    const tall: M = Array.from({ length: 8 }, (_, i) => [i + 1, 2 * i + 3]);
    expect(messageOf(rows(tall, [2, 3, 4, 5, 6, 7, 8, 1]), tall)).toBe(
      'out: each row is a multiple of the expected row: factors 2, 3, 4, 5, 6, 7, … for rows 0, 1, 2, 3, 4, 5, … (7 in all) (the other rows match).',
    );
    expect(messageOf(rows(tall, [2, 3, 4, 5, 6, 7, 1, 1]), tall)).toBe(
      'out: each row is a multiple of the expected row: factors 2, 3, 4, 5, 6, 7 for rows 0, 1, 2, 3, 4, 5 (the other rows match).',
    );
  });

  it('fires for columns with their own factors', () => {
    expect(diag(columns(E, [1, 2, 0.5, 1]), E)).toEqual({
      id: 'scaled-per-column',
      message: 'out: each column is a multiple of the expected column: factors 2, 0.5 for columns 1, 2 (the other columns match).',
    });
  });

  it('reports a zeroed column as factor 0', () => {
    expect(messageOf(map(E, (v, _, j) => (j === 3 ? 0 : v)), E)).toBe('out: each column is a multiple of the expected column: factor 0 for column 3 (the other columns match).');
  });

  it('compares factors on the entries that show them (a zero shows none)', () => {
    expect(messageOf([[1, 2, 3], [8, 0, 12]], [[1, 2, 3], [4, 0, 6]])).toBe('out: each row is a multiple of the expected row: factor 2 for row 1 (the other rows match).');
  });

  it('lets an all-zero expected row stay zero', () => {
    expect(messageOf([[2, 4], [0, 0], [3, 4]], [[1, 2], [0, 0], [3, 4]])).toBe('out: each row is a multiple of the expected row: factor 2 for row 0 (the other rows match).');
  });

  it('is silent with one wrong entry, and pins its tolerance', () => {
    expect(diag(set(rows(E, [1, 2, 0.5]), 1, 1, 99), E)).toBeUndefined();
    const scaledRows = rows(E10, [1, 2, 0.5]);
    expect(idOf(set(scaledRows, 1, 1, scaledRows[1][1] + 0.25), E10, ABS)).toBe('scaled-per-row');
    expect(diag(set(scaledRows, 1, 1, scaledRows[1][1] + 0.375), E10, ABS)).toBeUndefined();
  });

  it('needs two non-constant rows with clearly different factors, one of them clearly not 1', () => {
    // Row 1 is constant: only row 0 has a factor that means anything.
    expect(diag([[20, 40], [30, 30]], [[10, 20], [30, 30]])).toBeUndefined();
    // Factors 1.01 and 0.88 differ by more than 2.5 on row 1, but neither moves its row by 2.5.
    expect(diag([[101, 202], [8.8, 17.6]], [[100, 200], [10, 20]], ABS)).toBeUndefined();
    // One number per row (or column) is a multiple of anything.
    expect(diag([[20], [20], [-30]], [[10], [20], [30]])).toBeUndefined();
    expect(diag([[20, 20, -30]], [[10, 20, 30]])).toBeUndefined();
  });

  it('needs exactly two axes', () => {
    // Entries 2 and 3 of X3 are "row 1" only if X3 is read as a 2×2 matrix.
    const naive = JSON.parse(JSON.stringify(X3)) as number[][][];
    naive[0][0][2] *= 2;
    naive[0][1][0] *= 2;
    expect(diag(naive, X3)).toBeUndefined();
  });
});

describe('wrong-last-row, wrong-last-column, wrong-border', () => {
  it('fires when everything but the last row is right', () => {
    const lastRow = set(set(E, 2, 0, 99), 2, 2, 98);
    expect(diag(lastRow, E)).toEqual({ id: 'wrong-last-row', message: 'out: right everywhere except in the last row: 2 of the 4 entries there are off.' });
    expect(messageOf(set(E, 2, 1, 99), E)).toBe('out: right everywhere except in the last row: 1 of the 4 entries there is off.');
    expect(idOf([[1, 2, 3], [4, 5, 9]], [[1, 2, 3], [4, 5, 6]])).toBe('wrong-last-row');
  });

  it('fires when everything but the last column is right', () => {
    expect(diag(map(E, (v, i, j) => (j === 3 ? i : v)), E)).toEqual({
      id: 'wrong-last-column',
      message: 'out: right everywhere except in the last column: 3 of the 3 entries there are off.',
    });
    expect(idOf([[1, 9], [3, 9], [5, 6]], [[1, 2], [3, 4], [5, 6]])).toBe('wrong-last-column');
  });

  it('fires when everything but the border is right', () => {
    const border = map(F, (v, i, j) => (i === 0 || j === 0 ? 0 : v));
    expect(diag(border, F)).toEqual({
      id: 'wrong-border',
      message: 'out: right everywhere except on the border (first and last rows and columns): 7 of the 12 entries there are off.',
    });
    expect(messageOf(set([[1, 2, 3], [4, 5, 6], [7, 8, 9]], 0, 0, 99), [[1, 2, 3], [4, 5, 6], [7, 8, 9]])).toBe(
      'out: right everywhere except on the border (first and last rows and columns): 1 of the 8 entries there is off.',
    );
  });

  it('looks at the last two axes of image-like tensors', () => {
    const images = [[F.slice(0, 3).map((r) => r.slice(0, 3))], [F.slice(1).map((r) => r.slice(1))]]; // 2×1×3×3
    const lastRows = images.map((n) => n.map((img) => img.map((row, i) => (i === 2 ? row.map((v) => v + 1) : row))));
    expect(messageOf(lastRows, images)).toBe('out: right everywhere except in the last row of each 3×3 slice (the last two axes): 6 of the 6 entries there are off.');
    const corners = images.map((n) => n.map((img) => img.map((row, i) => row.map((v, j) => (i !== 1 && j !== 1 ? v + 1 : v)))));
    expect(messageOf(corners, images)).toBe(
      'out: right everywhere except on the border (first and last rows and columns) of each 3×3 slice (the last two axes): 8 of the 16 entries there are off.',
    );
  });

  it('pins the tolerance of the entries that must be right', () => {
    const lastRow = set(E10, 2, 0, 0);
    expect(idOf(set(lastRow, 1, 1, E10[1][1] + 0.25), E10, ABS)).toBe('wrong-last-row');
    expect(diag(set(lastRow, 1, 1, E10[1][1] + 0.375), E10, ABS)).toBeUndefined();
  });

  it('is silent when an interior entry is wrong too', () => {
    expect(diag(set(set(F, 3, 0, 99), 1, 1, 99), F)).toBeUndefined();
    expect(diag(set(set(F, 0, 3, 99), 2, 2, 99), F)).toBeUndefined();
  });

  it('needs a last row (column) that is not the whole matrix, and an interior', () => {
    expect(diag([[1, 5, 3]], [[1, 2, 3]])).toBeUndefined();
    expect(diag([[1], [5], [3]], [[1], [2], [3]])).toBeUndefined();
    expect(diag([[9, 9, 9, 9, 9], [1, 2, 3, 4, 5]], [[1, 2, 3, 4, 5], [1, 2, 3, 4, 5]])).toBeUndefined();
    expect(diag([[9, 1], [9, 2], [9, 3], [9, 4], [9, 5]], [[1, 1], [2, 2], [3, 3], [4, 4], [5, 5]])).toBeUndefined();
    expect(diag([1, 2, 3, 5], [1, 2, 3, 4])).toBeUndefined();
  });
});

describe('permuted', () => {
  it('fires when the entries are the expected ones in another order', () => {
    const swapped = set(set(E, 0, 1, E[1][2]), 1, 2, E[0][1]);
    expect(diag(swapped, E)).toEqual({ id: 'permuted', message: 'out: your answer has the expected entries in a different order (2 of 12 are not in place).' });
    const shuffled = [[12, 1, 11, 2, 10, 3], [9, 4, 8, 5, 7, 6]];
    const sorted = [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]];
    expect(messageOf(shuffled, sorted)).toBe('out: your answer has the expected entries in a different arrangement (yours is 2×6, expected 3×4).');
  });

  it('is silent when an entry is not one of the expected ones, and pins its tolerance', () => {
    const swapped = set(set(E, 0, 1, E[1][2]), 1, 2, E[0][1]);
    expect(diag(set(swapped, 1, 1, 99), E)).toBeUndefined();
    expect(idOf([10, 40.25, 20, 30], [10, 20, 30, 40], ABS)).toBe('permuted');
    expect(diag([10, 40.375, 20, 30], [10, 20, 30, 40], ABS)).toBeUndefined();
    expect(diag([1, 2, 3], [1, 2, 3, 4])).toBeUndefined();
  });

  it('needs two entries of values that occur once to have clearly moved', () => {
    expect(idOf([1, 5, 2, 7], [1, 2, 5, 7])).toBe('permuted');
    expect(idOf([1, 1, 2, 7, 5], [1, 1, 2, 5, 7])).toBe('permuted'); // 5 and 7 occur once, 1 twice
    expect(diag([1, 5, 1, 7], [1, 1, 5, 7])).toBeUndefined(); // only the 5 is unique
    expect(diag([1, 7, 1, 5], [1, 1, 7, 5])).toBeUndefined();
    expect(diag([11, 10, 50, 70], [10, 11, 50, 70], ABS)).toBeUndefined(); // moved by 1 < 2.5
    expect(idOf([13, 10, 50, 70], [10, 13, 50, 70], ABS)).toBe('permuted');
  });

  it('skips the test above the size limit', () => {
    expect(PERMUTATION_LIMIT).toBe(1_000_000);
    expect(idOf([1, 5, 2, 7], [1, 2, 5, 7], { ...TOL, permutationLimit: 4 })).toBe('permuted');
    expect(diag([1, 5, 2, 7], [1, 2, 5, 7], { ...TOL, permutationLimit: 3 })).toBeUndefined();
  });
});

describe('formatFactor', () => {
  it('shows 4 significant digits, more where that would read as ±1', () => {
    expect(formatFactor(2)).toBe('2');
    expect(formatFactor(1 / 3)).toBe('0.3333');
    expect(formatFactor(-1.25)).toBe('-1.25');
    expect(formatFactor(1)).toBe('1');
    expect(formatFactor(-1)).toBe('-1');
    expect(formatFactor(0)).toBe('0');
    expect(formatFactor(1e-12)).toBe('1e-12');
    expect(formatFactor(1.00000031234)).toBe('1.00000031');
    expect(formatFactor(-1.00000031234)).toBe('-1.00000031');
    expect(formatFactor(1 + 1e-12)).toBe('1.000000000001');
    expect(messageOf(map(E, (v) => v * 1.0001), E)).toBe('out: every entry is exactly 1.0001× the expected value.');
  });
});

describe('diagnoses in verdicts', () => {
  it('allClose attaches a failing comparison\'s diagnosis to details, named, but not to its message', () => {
    const negated = allClose(map(E, (v) => -v), E, { name: 'out' });
    expect(negated.score).toBe(0);
    expect(negated.details?.diagnosis).toEqual({ id: 'negated', message: 'out: every entry is exactly -1× the expected value: the answer is negated.' });
    expect(negated.message).not.toContain('negated');
    const wrongShape = allClose(transpose(E), E, { name: 'out' });
    expect(wrongShape.message).toBe('wrong shape: out has 4 rows, expected 3');
    expect(diagnosisOf(wrongShape.details)?.id).toBe('transposed');
    expect(diagnosisOf(allClose(map(E, (v) => 2 * v), E).details)?.message).toBe('result: every entry is exactly 2× the expected value.');
  });

  it('allClose diagnoses with the check\'s own tolerance, and only failures', () => {
    const minus = map(E10, (v) => -v);
    expect(diagnosisOf(allClose(set(minus, 0, 0, -9.75), E10, { rtol: 0, atol: 0.25 }).details)?.id).toBe('negated');
    expect(diagnosisOf(allClose(set(minus, 0, 0, -9.75), E10, { rtol: 0, atol: 0.125 }).details)).toBeUndefined();
    expect(allClose(E, E).details).not.toHaveProperty('diagnosis');
    expect(allClose(set(E, 1, 1, 99), E).details).not.toHaveProperty('diagnosis');
  });

  it('allCloseFields keeps the first wrong field\'s diagnosis, unless a field is called diagnosis', () => {
    const v = allCloseFields({ a: [1, 2], b: [-1, -2], c: [2, 4] }, { a: [1, 2], b: [1, 2], c: [1, 2] });
    expect(v.details?.diagnosis).toEqual({ id: 'negated', message: 'b: every entry is exactly -1× the expected value: the answer is negated.' });
    expect(diagnosisOf(v.details?.c)?.id).toBe('scaled');
    const field = allCloseFields({ diagnosis: [-1, -2] }, { diagnosis: [1, 2] });
    expect(field.details?.diagnosis).toHaveProperty('maxAbsError');
    expect(diagnosisOf(field.details)).toBeUndefined();
    expect(allCloseFields({ a: [1, 9] }, { a: [1, 2] }).details).not.toHaveProperty('diagnosis');
  });

  it('allOf keeps the first failing verdict\'s diagnosis, and labelled keeps it too', () => {
    const v = allOf([
      pass(),
      invariant(false, 'not orthonormal'),
      allClose([-1, -2], [1, 2], { name: 'first' }),
      allClose([2, 4], [1, 2], { name: 'second' }),
    ]);
    expect(diagnosisOf(v.details)).toEqual({ id: 'negated', message: 'first: every entry is exactly -1× the expected value: the answer is negated.' });
    expect(diagnosisOf(labelled('k = 2', allClose([2, 4], [1, 2], { name: 'X' })).details)?.message).toBe('X: every entry is exactly 2× the expected value.');
    expect(allOf([invariant(false, 'no'), allClose([1, 9], [1, 2])]).details).not.toHaveProperty('diagnosis');
  });

  it('diagnosisOf reads only a well-formed diagnosis', () => {
    expect(diagnosisOf(undefined)).toBeUndefined();
    expect(diagnosisOf(null)).toBeUndefined();
    expect(diagnosisOf('diagnosis')).toBeUndefined();
    expect(diagnosisOf({})).toBeUndefined();
    expect(diagnosisOf({ diagnosis: null })).toBeUndefined();
    expect(diagnosisOf({ diagnosis: 'negated' })).toBeUndefined();
    expect(diagnosisOf({ diagnosis: { id: 3, message: 'm' } })).toBeUndefined();
    expect(diagnosisOf({ diagnosis: { id: 'x' } })).toBeUndefined();
    expect(diagnosisOf({ diagnosis: { id: 'x', message: 'm', extra: 1 } })).toEqual({ id: 'x', message: 'm' });
  });
});
