import { describe, expect, it } from 'vitest';
import { diagnose, type Diagnosis } from '../src/checks/diagnose.ts';

/**
 * Exact expectations for diagnose, each worked out by hand from the rules in diagnose.ts:
 * an entry matches t when |got − t| ≤ atol + rtol·|t| (plus 1e-15·|t| of rounding), and a
 * transformation counts when it moves some entry by more than SEPARATION = 10 tolerances.
 */

type M = number[][];
interface Tol {
  rtol: number;
  atol: number;
}

/** allClose's defaults. */
const TOL: Tol = { rtol: 1e-6, atol: 1e-9 };
/** Absolute only: match within 0.25, clearly different beyond 2.5 (both binary-exact). */
const ABS: Tol = { rtol: 0, atol: 0.25 };
/** Relative only: match within 1/16 of the reference, clearly different beyond 10/16 of it. */
const REL: Tol = { rtol: 0.0625, atol: 0 };
const EXACT: Tol = { rtol: 0, atol: 0 };

const diag = (got: unknown, expected: unknown, tol: Tol = TOL): Diagnosis | undefined => diagnose(got, expected, { ...tol, name: 'out' });
const messageOf = (got: unknown, expected: unknown, tol: Tol = TOL): string | undefined => diag(got, expected, tol)?.message;

const map = (m: M, f: (v: number, i: number, j: number) => number): M => m.map((row, i) => row.map((v, j) => f(v, i, j)));
const set = (m: M, i: number, j: number, value: number): M => map(m, (v, a, b) => (a === i && b === j ? value : v));

/** 3×4, no symmetry, distinct magnitudes, mixed signs. */
const E: M = [[1, 2, 3, 4], [5, -6, 7, 8], [9, 10, -11, 12]];
/** 4×4, not symmetric. */
const F: M = [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]];
/** 2×2×3. */
const X3 = [[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]]];

const NEGATED = 'out: every entry is exactly -1× the expected value: the answer is negated.';

describe('diagnose: what it reads', () => {
  it('says nothing when any entry of either side is not a finite number, however the rest would read', () => {
    // The finite entries alone are the expected ones negated.
    expect(diag([1, 2, 0], [-1, -2, 0])).toEqual({ id: 'negated', message: NEGATED });
    expect(diag([1, 2, NaN], [-1, -2, 0])).toBeUndefined();
    expect(diag([1, 2, Infinity], [-1, -2, 0])).toBeUndefined();
    expect(diag([1, 2, -Infinity], [-1, -2, 0])).toBeUndefined();
    expect(diag([1, 2, '0'], [-1, -2, 0])).toBeUndefined();
    expect(diag([1, 2, null], [-1, -2, 0])).toBeUndefined();
    expect(diag([1, 2, [0]], [-1, -2, 0])).toBeUndefined();
    expect(diag([NaN, 1, 2], [0, -1, -2])).toBeUndefined();
    expect(diag([1, 2, 0], [-1, -2, NaN])).toBeUndefined();
    expect(diag([1, 2, 0], [-1, -2, Infinity])).toBeUndefined();
  });

  it('tells shapes apart that agree on their leading axes but not on their rank', () => {
    const wrapped = E.map((row) => row.map((v) => [v]));
    expect(diag(E, wrapped)).toEqual({
      id: 'reshaped',
      message: 'out: your answer has the expected entries in the expected order, but its shape is 3×4, expected 3×4×1.',
    });
    expect(messageOf(wrapped, E)).toBe('out: your answer has the expected entries in the expected order, but its shape is 3×4×1, expected 3×4.');
    expect(messageOf([5], [[5]])).toBe('out: your answer has the expected entries in the expected order, but its shape is length 1, expected 1×1.');
    expect(messageOf([[5]], [5])).toBe('out: your answer has the expected entries in the expected order, but its shape is 1×1, expected length 1.');
  });
});

describe('diagnose: ids of every branch', () => {
  it('reversed along the last axis', () => {
    expect(diag(E.map((row) => [...row].reverse()), E)).toEqual({ id: 'reversed', message: 'out: your answer is the expected one with its columns in reverse order.' });
    expect(diag([...E].reverse(), E)).toEqual({ id: 'reversed', message: 'out: your answer is the expected one with its rows in reverse order.' });
  });

  it('shifted either way', () => {
    expect(diag([2, 3, 4, 5, 0], [1, 2, 3, 4, 5])).toEqual({
      id: 'shifted',
      message: 'out: your answer is the expected one shifted left by one entry: your entries 0–3 are the expected entries 1–4.',
    });
    expect(diag(E.map((row) => [...row.slice(1), 0]), E)).toEqual({
      id: 'shifted',
      message: 'out: your answer is the expected one shifted left by one column: your columns 0–2 are the expected columns 1–3.',
    });
  });

  it('wrong-last-column of each slice of a tensor', () => {
    const lastColumn = X3.map((a) => a.map((row) => [row[0], row[1], row[2] + 1]));
    expect(diag(lastColumn, X3)).toEqual({
      id: 'wrong-last-column',
      message: 'out: right everywhere except in the last column of each 2×3 slice (the last two axes): 4 of the 4 entries there are off.',
    });
  });
});

describe('scaled-per-row and scaled-per-column: "the other rows match" only when they do', () => {
  it('says so when every unlisted row is right, constant rows included', () => {
    expect(diag([[20, 40], [30, 30], [10, 30]], [[10, 20], [30, 30], [10, 30]])).toEqual({
      id: 'scaled-per-row',
      message: 'out: each row is a multiple of the expected row: factor 2 for row 0 (the other rows match).',
    });
    // Rows 0 and 2 are scaled, row 1 is constant and right.
    expect(messageOf([[2, 4], [5, 5], [9, 12]], [[1, 2], [5, 5], [3, 4]])).toBe('out: each row is a multiple of the expected row: factors 2, 3 for rows 0, 2 (the other rows match).');
  });

  it('does not, when an unlisted constant row is scaled too (its factor means nothing)', () => {
    expect(diag([[20, 40], [90, 90], [10, 30]], [[10, 20], [30, 30], [10, 30]])).toEqual({
      id: 'scaled-per-row',
      message: 'out: each row is a multiple of the expected row: factor 2 for row 0.',
    });
    expect(messageOf([[2, 15, 3], [4, 15, 4]], [[1, 5, 3], [2, 5, 4]])).toBe('out: each column is a multiple of the expected column: factor 2 for column 0.');
    expect(messageOf([[2, 5, 9], [4, 5, 12]], [[1, 5, 3], [2, 5, 4]])).toBe(
      'out: each column is a multiple of the expected column: factors 2, 3 for columns 0, 2 (the other columns match).',
    );
  });

  it('does not, when an unlisted row is off by more than atol (but by too little to be a factor), and pins atol', () => {
    const expected: M = [[100, 200], [100, 200], [10, 30]];
    // Row 1 at factor 1.01 moves by 1 and 2 (≤ 2.5: no factor to report) but is off by more than 0.25.
    expect(messageOf([[200, 400], [101, 202], [10, 30]], expected, ABS)).toBe('out: each row is a multiple of the expected row: factor 2 for row 0.');
    expect(messageOf([[200, 400], [100.25, 200.25], [10, 30]], expected, ABS)).toBe('out: each row is a multiple of the expected row: factor 2 for row 0 (the other rows match).');
    expect(messageOf([[200, 400], [100.375, 200.375], [10, 30]], expected, ABS)).toBe('out: each row is a multiple of the expected row: factor 2 for row 0.');
  });
});

describe('relative tolerance: separation is measured against the reference value', () => {
  // With rtol = 1/16, a factor moves e clearly only when |factor − 1|·|e| > (10/16)·|e|.
  const e = [16, 32];

  it('needs a factor more than 0.625 away from 1', () => {
    expect(diag([26, 52], e, REL)).toBeUndefined(); // 1.625: moves 16 by exactly 10 = (10/16)·16
    expect(diag([28, 56], e, REL)).toEqual({ id: 'scaled', message: 'out: every entry is exactly 1.75× the expected value.' });
  });

  it('needs a factor more than 0.625 away from −1', () => {
    expect(diag([-26, -52], e, REL)).toBeUndefined();
    expect(messageOf([-28, -56], e, REL)).toBe('out: every entry is exactly -1.75× the expected value.');
  });

  it('needs a factor more than 0.625 away from 1 on the low side too', () => {
    expect(diag([6, 12], e, REL)).toBeUndefined(); // 0.375
    expect(messageOf([4, 8], e, REL)).toBe('out: every entry is exactly 0.25× the expected value.');
  });
});

describe('exact checks allow rounding only', () => {
  const e = [0.1, 0.2, 0.3, 0.7, 1.3];

  it('a scaled answer one part in 1e12 off is no longer exactly scaled', () => {
    const scaled = e.map((v) => v / 0.7);
    expect(messageOf(scaled, e, EXACT)).toBe('out: every entry is exactly 1.429× the expected value.');
    expect(diag(scaled.map((v, k) => (k === 0 ? v * (1 + 1e-12) : v)), e, EXACT)).toBeUndefined();
  });

  it('a negated answer one part in 1e12 off is not negated', () => {
    expect(diag(e.map((v) => -v), e, EXACT)).toEqual({ id: 'negated', message: NEGATED });
    expect(diag(e.map((v, k) => (k === 2 ? -v * (1 + 1e-12) : -v)), e, EXACT)).toBeUndefined();
  });
});

describe('silence', () => {
  it('on right answers, within each kind of tolerance', () => {
    expect(diag(map(E, (v) => 10 * v + 0.25), map(E, (v) => 10 * v), ABS)).toBeUndefined();
    expect(diag(map(E, (v) => 10 * v - 0.25), map(E, (v) => 10 * v), ABS)).toBeUndefined();
    expect(diag([17, 34], [16, 32], REL)).toBeUndefined();
    expect(diag(F, F, EXACT)).toBeUndefined();
    expect(diag(X3, X3, EXACT)).toBeUndefined();
  });

  it('on wrong answers that no listed fact explains', () => {
    expect(diag(map(E, (v) => v + 1), E)).toBeUndefined();
    expect(diag(map(E, (v) => v * v), E)).toBeUndefined();
    expect(diag(set(set(F, 1, 1, 0), 2, 2, 0), F)).toBeUndefined();
    expect(diag(set(set(E, 0, 0, 2), 1, 1, -7), E)).toBeUndefined();
  });
});
