import { describe, expect, it } from 'vitest';
import { allClose, allCloseFields, formatNumber } from '../src/checks/allclose.ts';
import { numericalGradient, numericalGradientVector, relativeError } from '../src/checks/gradient.ts';
import { deepClose, sameAs } from '../src/checks/mistakes.ts';
import { createRng } from '../src/cases/rng.ts';
import { formatPath, describeValue } from '../src/checks/path.ts';
import { finiteNumber, matrix, record, validateValue, vector } from '../src/checks/values.ts';
import { allOf, fail, invariant, labelled, pass } from '../src/checks/verdict.ts';

describe('allClose', () => {
  it('passes within rtol/atol (|got − expected| ≤ atol + rtol·|expected|) and reports the errors', () => {
    const v = allClose([[1, 2], [3, 4]], [[1, 2 + 1e-7], [3, 4]], { rtol: 1e-6, atol: 0 });
    expect(v.score).toBe(1);
    expect(v.details?.maxAbsError).toBeCloseTo(1e-7, 12);
  });

  it('says where, what was expected, what was got, and the largest errors', () => {
    const v = allClose([[1, 2], [3, 5]], [[1, 2], [3, 4]], { name: 'out' });
    expect(v.score).toBe(0);
    expect(v.message).toContain('out[1][1]: expected 4, got 5 (off by 1)');
    expect(v.message).toContain('1 of 4 entries are outside the tolerance');
    expect(v.message).toContain('max abs error 1 at out[1][1]');
    expect(v.message).toContain('max rel error 0.25 at out[1][1]');
  });

  it('reports shape mismatches with the path of the first difference', () => {
    expect(allClose([[1, 2], [3]], [[1, 2], [3, 4]], { name: 'out' }).message).toBe('wrong shape: out[1] has 1 entries, expected 2');
    expect(allClose([[1, 2]], [[1, 2], [3, 4]], { name: 'out' }).message).toBe('wrong shape: out has 1 rows, expected 2');
    expect(allClose([1] as never, [[1, 2]], { name: 'out' }).message).toContain('out[0]: expected an array of length 2, got 1');
    expect(allClose([[1, [2]]] as never, [[1, 2]], { name: 'out' }).message).toContain('out[0][1]: expected a number, got an array of length 1');
  });

  it('never passes NaN unless asked, and compares infinities by sign', () => {
    expect(allClose([NaN], [NaN]).score).toBe(0);
    expect(allClose([NaN], [NaN], { equalNan: true }).score).toBe(1);
    expect(allClose([NaN], [1]).score).toBe(0);
    expect(allClose([Infinity], [Infinity]).score).toBe(1);
    expect(allClose([-Infinity], [Infinity]).score).toBe(0);
    expect(allClose([1e300], [Infinity]).score).toBe(0);
  });

  it('uses atol near zero, where relative error means nothing', () => {
    expect(allClose([1e-12], [0]).score).toBe(1);
    expect(allClose([1e-6], [0]).score).toBe(0);
  });

  it('compares each field of an object and names the field', () => {
    const v = allCloseFields({ a: [1], b: [2] }, { a: [1], b: [3] });
    expect(v.score).toBe(0);
    expect(v.message).toContain('b[0]: expected 3, got 2');
    expect(v.message).not.toContain('a[0]');
  });

  it('formats numbers compactly', () => {
    expect(formatNumber(0.123456789)).toBe('0.123457');
    expect(formatNumber(1.5e-7)).toBe('1.5000e-7');
    expect(formatNumber(-0)).toBe('0');
  });
});

describe('value validation', () => {
  it('accepts a rectangular matrix and returns a copy', () => {
    const input = [[1, 2], [3, 4]];
    const result = validateValue(matrix, input);
    expect(result).toEqual({ ok: true, value: input });
    if (result.ok) expect(result.value).not.toBe(input);
  });

  it('names the place of a NaN, an infinity, a string or a hole', () => {
    expect(validateValue(matrix, [[1, 2], [3, NaN]])).toMatchObject({ ok: false, message: 'result[1][1]: expected a finite number, got NaN' });
    expect(validateValue(vector, [1, -Infinity])).toMatchObject({ ok: false, message: 'result[1]: expected a finite number, got -Infinity' });
    expect(validateValue(vector, [1, '2'])).toMatchObject({ ok: false, message: 'result[1]: expected a number, got a string ("2")' });
    // eslint-disable-next-line no-sparse-arrays -- a sparse array is what is being tested
    expect(validateValue(vector, [1, , 3])).toMatchObject({ ok: false, message: 'result[1]: expected a number, got undefined' });
  });

  it('rejects ragged matrices and non-arrays', () => {
    expect(validateValue(matrix, [[1, 2], [3]])).toMatchObject({ ok: false, message: 'result[1]: row 1 has 1 entries but row 0 has 2; a matrix must be rectangular' });
    expect(validateValue(matrix, 5)).toMatchObject({ ok: false, message: 'result: expected an array, got 5' });
  });

  it('turns typed-array rows into plain arrays', () => {
    const result = validateValue(matrix, [new Float64Array([1, 2]), new Float32Array([3, 4])]);
    expect(result).toEqual({ ok: true, value: [[1, 2], [3, 4]] });
  });

  it('validates objects field by field and drops extra fields', () => {
    const schema = record({ out: matrix, mean: vector });
    expect(validateValue(schema, { out: [[1]], mean: [1], extra: 'x' })).toEqual({ ok: true, value: { out: [[1]], mean: [1] } });
    expect(validateValue(schema, { out: [[1]], mean: [NaN] })).toMatchObject({ ok: false, message: 'result.mean[0]: expected a finite number, got NaN' });
    expect(validateValue(schema, { out: [[1]] })).toMatchObject({ ok: false, message: 'result.mean: expected an array, got undefined' });
    expect(validateValue(schema, null)).toMatchObject({ ok: false, message: 'result: expected an object, got null' });
  });

  it('accepts -0 as a number', () => {
    expect(validateValue(finiteNumber, -0)).toEqual({ ok: true, value: -0 });
  });

  it('terminates on cyclic structures', () => {
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    expect(validateValue(matrix, cyclic)).toMatchObject({ ok: false });
  });
});

describe('paths and descriptions', () => {
  it('formats paths as a student would write them', () => {
    expect(formatPath('out', [3, 'mean', 1])).toBe('out[3].mean[1]');
    expect(formatPath('', ['problems', 2, 'points'])).toBe('problems[2].points');
    expect(formatPath('r', ['a b'])).toBe('r["a b"]');
  });

  it('describes values without calling their methods', () => {
    const liar = { toString: () => { throw new Error('called'); } };
    expect(describeValue(liar)).toBe('an object');
    expect(describeValue(new Float32Array(2))).toBe('a Float32Array');
    expect(describeValue('x'.repeat(100))).toMatch(/^a string \("x{37}…"\)$/);
  });
});

describe('verdicts', () => {
  it('allOf takes the lowest score and lists every failure', () => {
    const v = allOf([pass(), fail('first'), { score: 0.5, message: 'second' }]);
    expect(v.score).toBe(0);
    expect(v.message).toBe('first\nsecond');
    expect(allOf([pass(), pass()]).score).toBe(1);
  });

  it('invariant and labelled', () => {
    expect(invariant(true, 'no').score).toBe(1);
    expect(invariant(false, 'no')).toMatchObject({ score: 0, message: 'no' });
    expect(labelled('mean', fail('bad')).message).toBe('mean: bad');
    expect(labelled('mean', pass()).message).toBe('correct');
  });
});

describe('numerical gradients', () => {
  it('match the analytic gradient of a smooth function to ~1e-10', () => {
    const f = (x: number[][]): number => x.flat().reduce((s, v, i) => s + Math.sin(v) * (i + 1), 0);
    const x = [[0.3, -1.2], [2.0, 0.7]];
    const analytic = x.map((row, i) => row.map((v, j) => Math.cos(v) * (i * 2 + j + 1)));
    expect(relativeError(numericalGradient(f, x), analytic)).toBeLessThan(1e-10);
  });

  it('works on vectors, and relativeError catches a wrong gradient', () => {
    const g = numericalGradientVector((v) => v[0] ** 2 + 3 * v[1], [2, 5]);
    expect(relativeError(g, [4, 3])).toBeLessThan(1e-10);
    expect(relativeError(g, [4, 3.1])).toBeGreaterThan(1e-3);
    expect(() => relativeError([1], [1, 2])).toThrow(/sizes differ/);
  });
});

describe('mistake detectors', () => {
  const double = (x: number[]): number[] => x.map((v) => 2 * v);
  const ctx = (args: [number[]], output: number[], expected: number[]) => ({ args, output, expected, calls: [{ args, output, expected }], caseName: 'c', visible: true, rng: createRng('check'), inputRng: () => createRng('input'), findings: new Map() });

  it('deepClose compares numbers, arrays and objects within tolerance', () => {
    expect(deepClose({ a: [1, 2] }, { a: [1, 2 + 1e-12] })).toBe(true);
    expect(deepClose({ a: [1, 2] }, { a: [1, 2], b: 1 })).toBe(false);
    expect(deepClose([NaN], [NaN])).toBe(false);
  });

  it('sameAs matches an answer equal to the wrong variant', () => {
    expect(sameAs(double)(ctx([[1, 2]], [2, 4], [1, 2]))).toBe(true);
    expect(sameAs(double)(ctx([[1, 2]], [1, 2], [1, 2]))).toBe(false);
  });

  it('sameAs does not fire when the mistake is harmless on this input', () => {
    // On [0, 0] doubling changes nothing, so a wrong answer there is not this mistake.
    expect(sameAs(double)(ctx([[0, 0]], [0, 0], [0, 0]))).toBe(false);
  });
});
