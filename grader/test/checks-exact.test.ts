/**
 * Exact behaviour of the engine's checks: whole messages, details objects, and tolerance
 * boundaries pinned on both sides. checks.test.ts shows what the checks are for; this file
 * pins what they say, so that a change of wording or of a boundary is a conscious one.
 */
import { describe, expect, it } from 'vitest';
import type { CheckContext, ProblemSpec } from '../src/assignment/define.ts';
import { createRng } from '../src/cases/rng.ts';
import { allClose, allCloseFields, formatNumber } from '../src/checks/allclose.ts';
import { normRelativeError, numericalGradient, numericalGradientVector, relativeError } from '../src/checks/gradient.ts';
import { deepClose, matchingMistakes, sameAs } from '../src/checks/mistakes.ts';
import { describeValue, formatPath } from '../src/checks/path.ts';
import { boolean, finiteNumber, matrix, record, validateValue, vector } from '../src/checks/values.ts';
import { allOf, earnedScore, fail, invariant, labelled, pass } from '../src/checks/verdict.ts';
import type { Figure } from '../src/result/schema.ts';

/** allClose's details for a comparison with the default tolerance. */
const defaults = { rtol: 1e-6, atol: 1e-9 };

describe('allClose: the tolerance |got − expected| ≤ atol + rtol·|expected|', () => {
  it('passes on the boundary of atol and fails just past it', () => {
    expect(allClose([1.5], [1], { atol: 0.5, rtol: 0 }).score).toBe(1);
    expect(allClose([0.5], [1], { atol: 0.5, rtol: 0 }).score).toBe(1);
    expect(allClose([1.5000001], [1], { atol: 0.5, rtol: 0 }).score).toBe(0);
    expect(allClose([0.4999999], [1], { atol: 0.5, rtol: 0 }).score).toBe(0);
  });

  it('passes on the boundary of rtol·|expected| (also for a negative expected value) and fails just past it', () => {
    expect(allClose([5], [4], { rtol: 0.25, atol: 0 }).score).toBe(1);
    expect(allClose([-5], [-4], { rtol: 0.25, atol: 0 }).score).toBe(1);
    expect(allClose([5.000001], [4], { rtol: 0.25, atol: 0 }).score).toBe(0);
    expect(allClose([-5.000001], [-4], { rtol: 0.25, atol: 0 }).score).toBe(0);
  });

  it('adds atol and rtol·|expected|, scaling by the expected value, not by the answer', () => {
    // Tolerance 0.5 + 0.125·4 = 1.
    expect(allClose([5], [4], { atol: 0.5, rtol: 0.125 }).score).toBe(1);
    expect(allClose([5.001], [4], { atol: 0.5, rtol: 0.125 }).score).toBe(0);
    // Measured against |got| = 4 the tolerance would be 2, against |expected| = 8 it is 4.
    expect(allClose([4], [8], { atol: 0, rtol: 0.5 }).score).toBe(1);
    expect(allClose([8], [4], { atol: 0, rtol: 0.5 }).score).toBe(0);
  });

  it('uses rtol 1e-6 and atol 1e-9 by default', () => {
    expect(allClose([1 + 9e-7], [1]).score).toBe(1);
    expect(allClose([1 + 2e-6], [1]).score).toBe(0);
    expect(allClose([5e-10], [0]).score).toBe(1);
    expect(allClose([2e-9], [0]).score).toBe(0);
    expect(allClose([2e-9], [0]).details).toMatchObject(defaults);
  });

  it('an explicit rtol or atol replaces only that default', () => {
    expect(allClose([1.1], [1], { rtol: 0.2 }).details).toMatchObject({ rtol: 0.2, atol: 1e-9 });
    expect(allClose([1.1], [1], { atol: 0.2 }).details).toMatchObject({ rtol: 1e-6, atol: 0.2 });
    expect(allClose([1.1], [1], { rtol: 0.2 }).score).toBe(1);
    expect(allClose([1.1], [1], { atol: 0.2 }).score).toBe(1);
  });
});

describe('allClose: verdicts', () => {
  it('a passing verdict carries every figure of the comparison', () => {
    expect(allClose([[1, 2.5], [3, 4]], [[1, 2], [3, 4]], { atol: 1, rtol: 0 })).toStrictEqual({
      score: 1,
      message: 'correct',
      details: { maxAbsError: 0.5, maxRelError: 0.25, rtol: 0, atol: 1, mismatches: 0, compared: 4 },
    });
  });

  it('an exact answer has zero errors, also where the expected value is 0', () => {
    expect(allClose([0, 2], [0, 2]).details).toStrictEqual({ maxAbsError: 0, maxRelError: 0, ...defaults, mismatches: 0, compared: 2 });
  });

  it('a nonzero answer where 0 is expected has an infinite relative error, even when atol lets it pass', () => {
    expect(allClose([1e-12], [0]).details).toStrictEqual({ maxAbsError: 1e-12, maxRelError: Infinity, ...defaults, mismatches: 0, compared: 1 });
  });

  it('a failing verdict says where, what, how many and how far, with the first mismatch in details', () => {
    expect(allClose([1, 2.5, 3, 10], [1, 2, 3, 4], { name: 'out', atol: 0.1, rtol: 0 })).toStrictEqual({
      score: 0,
      message:
        'out[1]: expected 2, got 2.5 (off by 0.5)\n' +
        '2 of 4 entries are outside the tolerance (rtol 0, atol 1e-1); max abs error 6 at out[3], max rel error 1.5 at out[3]',
      details: { maxAbsError: 6, maxRelError: 1.5, rtol: 0, atol: 0.1, mismatches: 2, compared: 4, firstMismatch: 'out[1]' },
    });
  });

  it('names the value `result` unless told otherwise', () => {
    expect(allClose([2], [1]).message).toBe(
      'result[0]: expected 1, got 2 (off by 1)\n1 of 1 entries are outside the tolerance (rtol 1e-6, atol 1e-9); max abs error 1 at result[0], max rel error 1 at result[0]',
    );
  });

  it('the largest errors are placed at the first of equal ones, the absolute and the relative one each where it is', () => {
    const v = allClose([2, 3, 4, 3], [1, 2, 2, 2]);
    expect(v.message).toContain('max abs error 2 at result[2], max rel error 1 at result[0]');
    expect(v.details).toMatchObject({ maxAbsError: 2, maxRelError: 1 });
    expect(allClose([3, 2], [2, 1]).message).toContain('max abs error 1 at result[0], max rel error 1 at result[1]');
  });

  it('writes tolerances in short exponent form', () => {
    expect(allClose([5000], [1], { rtol: 1000, atol: 0 }).message).toContain('(rtol 1e3, atol 0)');
    expect(allClose([5], [1], { rtol: 0.5, atol: 2.5e-7 }).message).toContain('(rtol 5e-1, atol 2.5e-7)');
    // A computed tolerance shows three significant digits.
    expect(allClose([5], [1], { rtol: 0, atol: 1e-3 * 0.123456789 }).message).toContain('(rtol 0, atol 1.23e-4)');
  });

  it('compares a scalar with a scalar', () => {
    expect(allClose(1, 1).score).toBe(1);
    expect(allClose(2, 1, { name: 'loss' }).message).toBe(
      'loss: expected 1, got 2 (off by 1)\n1 of 1 entries are outside the tolerance (rtol 1e-6, atol 1e-9); max abs error 1 at loss, max rel error 1 at loss',
    );
  });

  it('counts every compared entry of a nested array', () => {
    expect(allClose([[[1, 2], [3, 4]], [[5, 6], [7, 8]]], [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]).details).toMatchObject({ compared: 8, mismatches: 0 });
  });

  it('attaches the generic diagnosis of a wrong answer', () => {
    expect(allClose([[1, 3], [2, 4]], [[1, 2], [3, 4]], { name: 'out' })).toStrictEqual({
      score: 0,
      message:
        'out[0][1]: expected 2, got 3 (off by 1)\n' +
        '2 of 4 entries are outside the tolerance (rtol 1e-6, atol 1e-9); max abs error 1 at out[0][1], max rel error 0.5 at out[0][1]',
      details: {
        maxAbsError: 1,
        maxRelError: 0.5,
        ...defaults,
        mismatches: 2,
        compared: 4,
        firstMismatch: 'out[0][1]',
        diagnosis: { id: 'transposed', message: 'out: your answer is the expected one transposed (both 2×2).' },
      },
    });
  });

  it('adds no diagnosis key when nothing is recognised', () => {
    const v = allClose([1, 7], [1, 2]);
    expect(v.details).toStrictEqual({ maxAbsError: 5, maxRelError: 2.5, ...defaults, mismatches: 1, compared: 2, firstMismatch: 'result[1]' });
  });
});

describe('allClose: NaN and infinities', () => {
  it('reports a NaN without an "off by", and with the first mismatch as the place of the largest errors', () => {
    expect(allClose([1, NaN], [1, 2], { name: 'x' })).toStrictEqual({
      score: 0,
      message:
        'x[1]: expected 2, got NaN\n' +
        '1 of 2 entries are outside the tolerance (rtol 1e-6, atol 1e-9); max abs error 0 at x[1], max rel error 0 at x[1]',
      details: { maxAbsError: 0, maxRelError: 0, ...defaults, mismatches: 1, compared: 2, firstMismatch: 'x[1]' },
    });
  });

  it('a NaN where a number is expected fails, whether or not NaN equals NaN', () => {
    expect(allClose([NaN], [2], { equalNan: true }).score).toBe(0);
    expect(allClose([2], [NaN], { equalNan: true }).message).toMatch(/^result\[0\]: expected NaN, got 2\n/);
    expect(allClose([Infinity], [NaN], { equalNan: true }).score).toBe(0);
    expect(allClose([NaN], [Infinity], { equalNan: true }).score).toBe(0);
  });

  it('equalNan lets NaN match NaN (and is counted as compared)', () => {
    expect(allClose([NaN, 1], [NaN, 1], { equalNan: true })).toStrictEqual({
      score: 1,
      message: 'correct',
      details: { maxAbsError: 0, maxRelError: 0, ...defaults, mismatches: 0, compared: 2 },
    });
    expect(allClose([NaN], [NaN], { equalNan: false }).score).toBe(0);
  });

  it('reports an infinity without an "off by"', () => {
    expect(allClose([-Infinity], [Infinity]).message).toBe(
      'result[0]: expected Infinity, got -Infinity\n1 of 1 entries are outside the tolerance (rtol 1e-6, atol 1e-9); max abs error 0 at result[0], max rel error 0 at result[0]',
    );
    expect(allClose([3], [Infinity]).score).toBe(0);
    expect(allClose([Infinity], [3]).score).toBe(0);
    expect(allClose([-Infinity, 1], [-Infinity, 1]).score).toBe(1);
  });

  it('the largest errors ignore non-finite entries', () => {
    expect(allClose([NaN, 3], [1, 1]).message).toContain('max abs error 2 at result[1], max rel error 2 at result[1]');
  });
});

describe('allClose: shapes', () => {
  it('reports only the first shape difference', () => {
    expect(allClose([[1], [2]], [[1, 2], [3, 4]], { name: 'out' })).toMatchObject({ score: 0, message: 'wrong shape: out[0] has 1 entries, expected 2' });
  });

  it('says rows for a matrix and entries for a vector or a deeper level', () => {
    expect(allClose([1], [1, 2]).message).toBe('wrong shape: result has 1 entries, expected 2');
    expect(allClose([[1]], [[1], [2]]).message).toBe('wrong shape: result has 1 rows, expected 2');
    expect(allClose([[[1], [2]]], [[[1], [2], [3]]]).message).toBe('wrong shape: result[0] has 2 entries, expected 3');
  });

  it('describes what was found instead of an array or a number', () => {
    expect(allClose('abc' as never, [1, 2]).message).toBe('wrong shape: result: expected an array of length 2, got a string ("abc")');
    expect(allClose({ length: 2 } as never, [1, 2]).message).toBe('wrong shape: result: expected an array of length 2, got an object');
    expect(allClose(3, [1, 2]).message).toBe('wrong shape: result: expected an array of length 2, got 3');
    expect(allClose([1, null] as never, [1, 2]).message).toBe('wrong shape: result[1]: expected a number, got null');
  });

  it('keeps the shape error in details, with a diagnosis when one is recognised', () => {
    expect(allClose([1, 2], [1, 2, 3])).toStrictEqual({ score: 0, message: 'wrong shape: result has 2 entries, expected 3', details: { shapeError: 'result has 2 entries, expected 3' } });
    expect(allClose([[1, 3, 5], [2, 4, 6]], [[1, 2], [3, 4], [5, 6]], { name: 'out' })).toStrictEqual({
      score: 0,
      message: 'wrong shape: out has 2 rows, expected 3',
      details: {
        shapeError: 'out has 2 rows, expected 3',
        diagnosis: { id: 'transposed', message: 'out: your answer is the expected one transposed (yours is 2×3, expected 3×2).' },
      },
    });
  });
});

describe('formatNumber', () => {
  it('writes numbers between 1e-4 and 1e6 plainly with six significant digits', () => {
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(1e-4)).toBe('0.0001');
    expect(formatNumber(-1e-4)).toBe('-0.0001');
    expect(formatNumber(999999)).toBe('999999');
    expect(formatNumber(123.4567891)).toBe('123.457');
    expect(formatNumber(-2.5)).toBe('-2.5');
  });

  it('writes smaller and larger numbers with an exponent', () => {
    expect(formatNumber(9.99e-5)).toBe('9.9900e-5');
    expect(formatNumber(-9.99e-5)).toBe('-9.9900e-5');
    expect(formatNumber(1e6)).toBe('1.0000e+6');
    expect(formatNumber(-1234567)).toBe('-1.2346e+6');
  });

  it('writes non-finite numbers by name', () => {
    expect(formatNumber(NaN)).toBe('NaN');
    expect(formatNumber(Infinity)).toBe('Infinity');
    expect(formatNumber(-Infinity)).toBe('-Infinity');
  });
});

describe('allCloseFields', () => {
  it('passes when every field passes, keeping each field’s figures', () => {
    expect(allCloseFields({ a: [1], b: [2, 3] }, { a: [1], b: [2, 3] })).toStrictEqual({
      score: 1,
      message: 'correct',
      details: {
        a: { maxAbsError: 0, maxRelError: 0, ...defaults, mismatches: 0, compared: 1 },
        b: { maxAbsError: 0, maxRelError: 0, ...defaults, mismatches: 0, compared: 2 },
      },
    });
  });

  it('applies the tolerance to every field', () => {
    expect(allCloseFields({ a: [1.5], b: [2.5] }, { a: [1], b: [2] }, { atol: 0.5, rtol: 0 }).score).toBe(1);
    expect(allCloseFields({ a: [1.5], b: [2.6] }, { a: [1], b: [2] }, { atol: 0.5, rtol: 0 }).message).toMatch(/^b\[0\]: expected 2, got 2\.6/);
  });

  it('reports every failing field, each named, and none of the passing ones', () => {
    const v = allCloseFields({ a: [2], b: [1], c: [1, 2] }, { a: [1], b: [1], c: [1, 2, 3] });
    expect(v.score).toBe(0);
    expect(v.message).toBe(
      'a[0]: expected 1, got 2 (off by 1)\n1 of 1 entries are outside the tolerance (rtol 1e-6, atol 1e-9); max abs error 1 at a[0], max rel error 1 at a[0]\n' +
        'wrong shape: c has 2 entries, expected 3',
    );
    expect(v.details).toStrictEqual({
      a: { maxAbsError: 1, maxRelError: 1, ...defaults, mismatches: 1, compared: 1, firstMismatch: 'a[0]' },
      b: { maxAbsError: 0, maxRelError: 0, ...defaults, mismatches: 0, compared: 1 },
      c: { shapeError: 'c has 2 entries, expected 3' },
    });
  });

  it('takes the diagnosis of the first failing field that has one', () => {
    const v = allCloseFields({ a: [1, 7], b: [2, 4, 6] }, { a: [1, 2], b: [1, 2, 3] });
    expect(v.details?.diagnosis).toStrictEqual({ id: 'scaled', message: 'b: every entry is exactly 2× the expected value.' });
  });

  it('leaves a field called diagnosis alone', () => {
    const v = allCloseFields({ diagnosis: [1, 7], b: [2, 4, 6] }, { diagnosis: [1, 2], b: [1, 2, 3] });
    expect(v.details?.diagnosis).toMatchObject({ firstMismatch: 'diagnosis[1]', mismatches: 1 });
  });

  it('has no diagnosis when no failing field has one', () => {
    expect(allCloseFields({ a: [1, 7] }, { a: [1, 2] }).details).not.toHaveProperty('diagnosis');
  });
});

const figure = (title: string): Figure => ({ title, mediaType: 'image/svg+xml', data: '<svg/>' });

describe('verdicts', () => {
  it('pass and fail carry details only when given', () => {
    expect(pass()).toStrictEqual({ score: 1, message: 'correct' });
    expect(pass('PSNR 31.2 dB', { psnr: 31.2 })).toStrictEqual({ score: 1, message: 'PSNR 31.2 dB', details: { psnr: 31.2 } });
    expect(fail('wrong')).toStrictEqual({ score: 0, message: 'wrong' });
    expect(fail('wrong', { error: 2 })).toStrictEqual({ score: 0, message: 'wrong', details: { error: 2 } });
  });

  it('invariant keeps its details whether it holds or not', () => {
    expect(invariant(true, 'not orthonormal', { error: 0 })).toStrictEqual({ score: 1, message: 'correct', details: { error: 0 } });
    expect(invariant(false, 'not orthonormal', { error: 3 })).toStrictEqual({ score: 0, message: 'not orthonormal', details: { error: 3 } });
    expect(invariant(true, 'x')).toStrictEqual({ score: 1, message: 'correct' });
  });

  it('labelled prefixes a failure, partial credit included, and returns a pass as it is', () => {
    const good = pass('PSNR 31.2 dB');
    expect(labelled('image', good)).toBe(good);
    expect(labelled('mean', { score: 0.5, message: 'half', details: { k: 1 } })).toStrictEqual({ score: 0.5, message: 'mean: half', details: { k: 1 } });
  });

  it('allOf of passing verdicts passes, with no details and no figures key', () => {
    expect(allOf([pass('PSNR 31.2 dB', { psnr: 31.2 }), pass()])).toStrictEqual({ score: 1, message: 'correct' });
    expect(allOf([])).toStrictEqual({ score: 1, message: 'correct' });
  });

  it('allOf keeps the figures of every verdict it combines, passing or failing', () => {
    const a = figure('spectrum');
    const b = figure('reconstruction');
    const c = figure('scatter');
    expect(allOf([{ ...pass(), figures: [a, b] }, pass(), { ...fail('off'), figures: [c] }])).toStrictEqual({ score: 0, message: 'off', details: {}, figures: [a, b, c] });
    expect(allOf([{ ...pass(), figures: [a] }, { ...pass(), figures: [b] }])).toStrictEqual({ score: 1, message: 'correct', figures: [a, b] });
  });

  it('allOf takes the lowest score, lists only the failures and merges only their details', () => {
    expect(allOf([pass('fine', { fromPass: 1 }), { score: 0.5, message: 'half', details: { k: 1 } }, { score: 0.25, message: 'quarter', details: { j: 2 } }])).toStrictEqual({
      score: 0.25,
      message: 'half\nquarter',
      details: { k: 1, j: 2 },
    });
  });

  it('allOf keeps the first failure’s diagnosis, in its plain form', () => {
    const first = { id: 'transposed', message: 'out: transposed.' };
    const second = { id: 'scaled', message: 'mean: scaled.' };
    const v = allOf([fail('a', { diagnosis: { ...first, extra: true } }), fail('b', { diagnosis: second })]);
    expect(v.details).toStrictEqual({ diagnosis: first });
    // A failure without a (well-formed) diagnosis does not hide a later one.
    expect(allOf([fail('a', { x: 1 }), fail('b', { diagnosis: { ...second, extra: 1 } })]).details).toStrictEqual({ x: 1, diagnosis: second });
  });
});

describe('value validation', () => {
  it('accepts typed arrays of numbers but not DataViews or BigInt arrays', () => {
    expect(validateValue(vector, new Int32Array([1, 2]))).toEqual({ ok: true, value: [1, 2] });
    expect(validateValue(vector, new DataView(new ArrayBuffer(8)))).toEqual({ ok: false, message: 'result: expected an array, got a DataView', path: 'result' });
    expect(validateValue(vector, new BigInt64Array([1n]))).toEqual({ ok: false, message: 'result: expected an array, got a BigInt64Array', path: 'result' });
    expect(validateValue(vector, new BigUint64Array([1n]))).toEqual({ ok: false, message: 'result: expected an array, got a BigUint64Array', path: 'result' });
  });

  it('returns the path of the first problem under the given root', () => {
    expect(validateValue(matrix, [[1, 2], [3, 'x']], 'out')).toEqual({ ok: false, message: 'out[1][1]: expected a number, got a string ("x")', path: 'out[1][1]' });
  });

  it('counts the further invalid entries', () => {
    expect(validateValue(vector, [NaN, 1, Infinity, null])).toEqual({
      ok: false,
      message: 'result[0]: expected a finite number, got NaN (and 2 more invalid entries)',
      path: 'result[0]',
    });
    expect(validateValue(vector, [1, NaN])).toEqual({ ok: false, message: 'result[1]: expected a finite number, got NaN', path: 'result[1]' });
  });

  it('accepts an empty matrix and rectangular ones, and names every ragged row', () => {
    expect(validateValue(matrix, [])).toEqual({ ok: true, value: [] });
    expect(validateValue(matrix, [[1], [2], [3]])).toEqual({ ok: true, value: [[1], [2], [3]] });
    expect(validateValue(matrix, [[1, 2], [3], [4, 5, 6]])).toEqual({
      ok: false,
      message: 'result[1]: row 1 has 1 entries but row 0 has 2; a matrix must be rectangular (and 1 more invalid entries)',
      path: 'result[1]',
    });
  });

  it('checks scalars and booleans', () => {
    expect(validateValue(finiteNumber, 2.5)).toEqual({ ok: true, value: 2.5 });
    expect(validateValue(finiteNumber, true)).toEqual({ ok: false, message: 'result: expected a number, got boolean true', path: 'result' });
    expect(validateValue(finiteNumber, Infinity)).toEqual({ ok: false, message: 'result: expected a finite number, got Infinity', path: 'result' });
    expect(validateValue(boolean, false)).toEqual({ ok: true, value: false });
    expect(validateValue(boolean, 'yes')).toEqual({ ok: false, message: 'result: expected true or false, got a string ("yes")', path: 'result' });
  });

  it('rejects a non-object where a record is expected', () => {
    expect(validateValue(record({ k: finiteNumber }), [1])).toEqual({ ok: false, message: 'result: expected an object, got an array of length 1', path: 'result' });
    expect(validateValue(record({ k: finiteNumber }), { k: 3 })).toEqual({ ok: true, value: { k: 3 } });
  });
});

describe('paths and descriptions', () => {
  it('uses dots for identifiers and brackets for everything else', () => {
    expect(formatPath('out', ['mean', '$x', '_y', 'a1'])).toBe('out.mean.$x._y.a1');
    expect(formatPath('out', ['1a', 'a b', 'a-'])).toBe('out["1a"]["a b"]["a-"]');
    expect(formatPath('out', [Symbol('s')])).toBe('out["Symbol(s)"]');
    expect(formatPath('out', [])).toBe('out');
    expect(formatPath('', [0, 'k'])).toBe('[0].k');
  });

  it('describes every kind of value', () => {
    expect(describeValue(null)).toBe('null');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue(-0)).toBe('-0');
    expect(describeValue(0)).toBe('0');
    expect(describeValue(NaN)).toBe('NaN');
    expect(describeValue(true)).toBe('boolean true');
    expect(describeValue(12n)).toBe('bigint 12');
    expect(describeValue(() => 1)).toBe('a function');
    expect(describeValue(Symbol('s'))).toBe('a symbol');
    expect(describeValue([1, 2, 3])).toBe('an array of length 3');
    expect(describeValue(new DataView(new ArrayBuffer(1)))).toBe('a DataView');
    expect(describeValue(new Map())).toBe('an object');
  });

  it('shows strings up to 40 characters whole and shortens longer ones to 37', () => {
    expect(describeValue('')).toBe('a string ("")');
    expect(describeValue('y'.repeat(40))).toBe(`a string ("${'y'.repeat(40)}")`);
    expect(describeValue('y'.repeat(41))).toBe(`a string ("${'y'.repeat(37)}…")`);
  });
});

describe('numerical gradients', () => {
  it('the five-point formula is exact (up to rounding) for polynomials of degree ≤ 4', () => {
    // A two-point difference would be off by h²·f‴/6 ≈ 1e-6 here.
    const f = (x: number[][]): number => x.flat().reduce((s, v) => s + v ** 3 + v ** 4, 0);
    const x = [[0.5, -1], [2, 1.5]];
    const expected = x.map((row) => row.map((v) => 3 * v ** 2 + 4 * v ** 3));
    expect(relativeError(numericalGradient(f, x), expected)).toBeLessThan(1e-9);
  });

  it('perturbs one entry at a time and restores it, leaving the input untouched', () => {
    const f = (x: number[][]): number => x[0][0] * x[0][1] * x[1][0] + x[1][0] ** 2;
    const x = [[1, 2], [3, 4]];
    const g = numericalGradient(f, x);
    expect(relativeError(g, [[6, 3], [2 + 6, 0]])).toBeLessThan(1e-9);
    expect(x).toEqual([[1, 2], [3, 4]]);
  });

  it('takes the step size h', () => {
    // For a quintic the five-point formula is off by h⁴·f⁽⁵⁾/30 = 4·h⁴ at any point.
    const g = numericalGradientVector((v) => v[0] ** 5, [0], 0.1);
    expect(g[0]).toBeCloseTo(-4e-4, 10);
    expect(numericalGradientVector((v) => v[0] ** 5, [0])[0]).toBeCloseTo(-4e-12, 16);
  });

  it('works on vectors', () => {
    const g = numericalGradientVector((v) => v[0] * v[1] + v[1] ** 2, [2, 5]);
    expect(g).toHaveLength(2);
    expect(relativeError(g, [5, 12])).toBeLessThan(1e-9);
  });

  it('relativeError is the largest |a − b| / max(1e-8, |a| + |b|)', () => {
    expect(relativeError([1, 3], [1.5, 3])).toBeCloseTo(0.2, 15);
    expect(relativeError([[3, 1]], [[3, 1.5]])).toBeCloseTo(0.2, 15);
    expect(relativeError([1, 1, 0], [1.5, 3, 0])).toBeCloseTo(0.5, 15);
    expect(relativeError([0], [1e-10])).toBeCloseTo(0.01, 15);
    expect(relativeError([-1], [1])).toBe(1);
    expect(relativeError([], [])).toBe(0);
  });

  it('normRelativeError is ‖a − b‖ / max(1e-8, ‖a‖ + ‖b‖) over all entries', () => {
    expect(normRelativeError([3, 0], [0, 4])).toBeCloseTo(5 / 7, 15);
    expect(normRelativeError([[3], [4]], [[3], [4]])).toBe(0);
    expect(normRelativeError([[1, 0]], [[1, 1e-9]])).toBeCloseTo(1e-9 / 2, 20);
    // A nearly zero entry does not decide alone, as it does entry-wise.
    expect(relativeError([1, 1e-7], [1, 2e-7])).toBeCloseTo(1 / 3, 12);
    expect(normRelativeError([1, 1e-7], [1, 2e-7])).toBeCloseTo(5e-8, 20);
    expect(normRelativeError([0], [1e-14])).toBeCloseTo(1e-6, 20);
    expect(normRelativeError([-2], [2])).toBe(1);
    expect(normRelativeError([], [])).toBe(0);
    expect(normRelativeError([1, NaN], [1, 1])).toBeNaN();
    expect(() => normRelativeError([[1, 2]], [1, 2, 3])).toThrow('normRelativeError: sizes differ (2 vs 3)');
  });

  it('numericalGradient takes a step per entry', () => {
    // f = x⁵ in one entry: the fourth-order difference is off by exactly 4h⁴ at x = 0.
    const f = (m: number[][]) => m[0][0] ** 5 + m[0][1] ** 5;
    const g = numericalGradient(f, [[0, 0]], (_, j) => (j === 0 ? 0.1 : 0.2));
    expect(g[0][0]).toBeCloseTo(-4 * 0.1 ** 4, 15);
    expect(g[0][1]).toBeCloseTo(-4 * 0.2 ** 4, 15);
    const rows = numericalGradient((m) => m[0][0] ** 5 + m[1][0] ** 5, [[0], [0]], (i) => (i === 0 ? 0.1 : 0.3));
    expect(rows.map((r) => r[0])).toEqual([expect.closeTo(-4 * 0.1 ** 4, 15), expect.closeTo(-4 * 0.3 ** 4, 15)]);
  });

  it('relativeError reports a NaN rather than hiding it', () => {
    expect(relativeError([1, NaN], [1, 1])).toBeNaN();
  });

  it('relativeError refuses arrays of different sizes', () => {
    expect(() => relativeError([[1, 2]], [1, 2, 3])).toThrow('relativeError: sizes differ (2 vs 3)');
  });
});

describe('deepClose', () => {
  it('uses rtol 1e-6 relative to the second value and atol 1e-9 by default', () => {
    expect(deepClose(1 + 9e-7, 1)).toBe(true);
    expect(deepClose(1 + 2e-6, 1)).toBe(false);
    expect(deepClose(5e-10, 0)).toBe(true);
    expect(deepClose(2e-9, 0)).toBe(false);
    expect(deepClose(10, 6, { rtol: 0.5, atol: 0 })).toBe(false);
    expect(deepClose(6, 10, { rtol: 0.5, atol: 0 })).toBe(true);
  });

  it('includes the boundary atol + rtol·|b| and nothing past it', () => {
    expect(deepClose(1.5, 1, { atol: 0.5, rtol: 0 })).toBe(true);
    expect(deepClose(1.5000001, 1, { atol: 0.5, rtol: 0 })).toBe(false);
    expect(deepClose(-5, -4, { atol: 0.5, rtol: 0.125 })).toBe(true);
    expect(deepClose(-5.001, -4, { atol: 0.5, rtol: 0.125 })).toBe(false);
    expect(deepClose(1.5, 1, { atol: 0.5 })).toBe(true);
    expect(deepClose(1.5, 1, { rtol: 0.5 })).toBe(true);
  });

  it('never matches NaN, and matches infinities of the same sign', () => {
    expect(deepClose(NaN, NaN)).toBe(false);
    expect(deepClose(NaN, 1, { atol: Infinity })).toBe(false);
    expect(deepClose(1, NaN, { atol: Infinity })).toBe(false);
    expect(deepClose(Infinity, Infinity)).toBe(true);
    expect(deepClose(-Infinity, Infinity)).toBe(false);
  });

  it('an infinity is close only to itself, however large the tolerance', () => {
    expect(deepClose(1, Infinity)).toBe(false);
    expect(deepClose(1e308, Infinity, { rtol: 1 })).toBe(false);
    expect(deepClose(Infinity, 1e308, { rtol: 1 })).toBe(false);
    expect(deepClose(-Infinity, -Infinity, { rtol: 0, atol: 0 })).toBe(true);
  });

  it('rejects a truncated or a longer array', () => {
    expect(deepClose([1, 2], [1, 2, 3])).toBe(false);
    expect(deepClose([1, 2, 3], [1, 2])).toBe(false);
    expect(deepClose([[1, 2], [3]], [[1, 2], [3, 4]])).toBe(false);
    expect(deepClose([[1, 2], [3, 4 + 1e-12]], [[1, 2], [3, 4]])).toBe(true);
    expect(deepClose([], [])).toBe(true);
  });

  it('rejects an object with a missing key, an extra key or a different value', () => {
    expect(deepClose({ a: 1, b: [2] }, { a: 1, b: [2] })).toBe(true);
    expect(deepClose({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(deepClose({ a: 1, b: 2 }, { a: 1 })).toBe(false);
    expect(deepClose({ a: 1, c: 2 }, { a: 1, b: 2 })).toBe(false);
    expect(deepClose({ a: 1 }, { a: 2 })).toBe(false);
  });

  it('never matches an array with an object, or null with an object', () => {
    expect(deepClose([1], { 0: 1 })).toBe(false);
    expect(deepClose({ 0: 1 }, [1])).toBe(false);
    expect(deepClose([], { length: 0 })).toBe(false);
    expect(deepClose(null, {})).toBe(false);
    expect(deepClose({}, null)).toBe(false);
    expect(deepClose(null, null)).toBe(true);
  });

  it('never matches a number or a string with an object', () => {
    expect(deepClose(5, {})).toBe(false);
    expect(deepClose('ab', { 0: 'a', 1: 'b' })).toBe(false);
    expect(deepClose({}, '')).toBe(false);
    expect(deepClose({ 0: 'a', 1: 'b' }, 'ab')).toBe(false);
  });

  it('compares anything else by identity', () => {
    expect(deepClose('a', 'a')).toBe(true);
    expect(deepClose('a', 'b')).toBe(false);
    expect(deepClose(1, '1')).toBe(false);
    expect(deepClose('1', 1)).toBe(false);
    expect(deepClose(null, 0)).toBe(false);
    expect(deepClose(true, true)).toBe(true);
  });
});

type Args = [number[]];
const call = (input: number[], output: number[], expected: number[]) => ({ args: [input] as Args, output, expected });
function context(calls: Array<ReturnType<typeof call>>): CheckContext<Args, number[]> {
  return { ...calls[0], calls, caseName: 'c', visible: true, rng: createRng('check'), inputRng: () => createRng('input'), findings: new Map() };
}

describe('sameAs', () => {
  const double = (x: number[]): number[] => x.map((v) => 2 * v);

  it('matches when every call agrees with the mistake and at least one call tells it apart', () => {
    // On [0] doubling is harmless; on [1] it is not.
    expect(sameAs(double)(context([call([0], [0], [0]), call([1], [2], [1])]))).toBe(true);
    expect(sameAs(double)(context([call([1], [2], [1]), call([0], [0], [0])]))).toBe(true);
  });

  it('does not match when one call disagrees with the mistake', () => {
    expect(sameAs(double)(context([call([1], [2], [1]), call([3], [7], [3])]))).toBe(false);
    expect(sameAs(double)(context([call([3], [7], [3]), call([1], [2], [1])]))).toBe(false);
  });

  it('uses the given tolerance both to match the answer and to tell the mistake apart', () => {
    const nearlyDouble = context([call([1], [2.001], [1])]);
    expect(sameAs(double)(nearlyDouble)).toBe(false);
    expect(sameAs(double, { atol: 0.01 })(nearlyDouble)).toBe(true);
    const slightlyOff = (x: number[]): number[] => x.map((v) => v + 0.001);
    expect(sameAs(slightlyOff)(context([call([1], [1.001], [1])]))).toBe(true);
    expect(sameAs(slightlyOff, { atol: 0.01 })(context([call([1], [1.001], [1])]))).toBe(false);
  });

  it('gives the variant a copy of the arguments', () => {
    const inPlace = (x: number[]): number[] => {
      x[0] = 2 * x[0];
      return x;
    };
    const ctx = context([call([1], [2], [1])]);
    expect(sameAs(inPlace)(ctx)).toBe(true);
    expect(ctx.calls[0].args).toEqual([[1]]);
  });
});

describe('matchingMistakes', () => {
  const ctx = context([call([1], [2], [1])]) as CheckContext<unknown[], unknown>;
  const problem = (mistakes?: ProblemSpec['mistakes']): ProblemSpec => ({
    export: 'f',
    title: 'f',
    points: 1,
    reference: (x: number[]) => x,
    output: vector,
    cases: [],
    check: () => pass(),
    mistakes,
  });

  it('keeps the matching detectors in declaration order, skipping one that throws', () => {
    const mistakes: NonNullable<ProblemSpec['mistakes']> = [
      { id: 'throws', hint: 'h0', matches: () => { throw new Error('cannot tell'); } },
      { id: 'second', hint: 'h1', matches: () => true },
      { id: 'no', hint: 'h2', matches: () => false },
      { id: 'fourth', hint: 'h3', matches: (c) => c.output !== c.expected },
    ];
    expect(matchingMistakes(problem(mistakes), ctx).map((m) => m.id)).toEqual(['second', 'fourth']);
  });

  it('returns no mistakes for a problem that declares none', () => {
    expect(matchingMistakes(problem(), ctx)).toEqual([]);
    expect(matchingMistakes(problem([]), ctx)).toEqual([]);
  });
});

describe('earnedScore', () => {
  it('clamps to [0, 1] and gives 0 for a score that is not a finite number', () => {
    expect([0.5, 1.5, -0.2, NaN, Infinity].map((score) => earnedScore({ score, message: '' }))).toEqual([0.5, 1, 0, 0, 0]);
  });
});
