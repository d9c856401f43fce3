import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed } from '../src/cases/rng.ts';

describe('deriveSeed', () => {
  it('is a deterministic function of all its parts', () => {
    expect(deriveSeed('a', 1, 'b')).toBe(deriveSeed('a', 1, 'b'));
    expect(deriveSeed('a', 1, 'b')).not.toBe(deriveSeed('a', 1, 'c'));
    expect(deriveSeed('a', 1, 'b')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps part boundaries, so ("ab", "c") and ("a", "bc") differ', () => {
    expect(deriveSeed('ab', 'c')).not.toBe(deriveSeed('a', 'bc'));
  });
});

describe('createRng', () => {
  it('gives the same stream for the same seed and another for another seed', () => {
    const a = createRng('s').vector(5);
    expect(createRng('s').vector(5)).toEqual(a);
    expect(createRng('t').vector(5)).not.toEqual(a);
  });

  it('draws integers in the closed range and uniforms in the half-open one', () => {
    const rng = createRng('range');
    const ints = Array.from({ length: 2000 }, () => rng.int(-2, 2));
    expect(new Set(ints)).toEqual(new Set([-2, -1, 0, 1, 2]));
    const uniforms = Array.from({ length: 2000 }, () => rng.uniform(3, 4));
    expect(Math.min(...uniforms)).toBeGreaterThanOrEqual(3);
    expect(Math.max(...uniforms)).toBeLessThan(4);
  });

  it('draws normals with about the right mean and spread', () => {
    const rng = createRng('normal');
    const xs = rng.vector(20000, () => rng.normal(2, 3));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
    expect(Math.abs(mean - 2)).toBeLessThan(0.1);
    expect(Math.abs(sd - 3)).toBeLessThan(0.1);
  });

  it('builds matrices of the requested shape and refuses to pick from nothing', () => {
    const m = createRng('m').matrix(3, 4);
    expect(m).toHaveLength(3);
    expect(m.every((row) => row.length === 4)).toBe(true);
    expect(() => createRng('p').pick([])).toThrow(/at least one/);
  });
});

describe('caseContext', () => {
  it("shares the grading's findings with visible cases only: a hidden case's checks write to a board of their own", async () => {
    const { caseContext } = await import('../src/cases/calls.ts');
    const findings = new Map<string, unknown>();
    const records = [{ args: [1], output: 2, expected: 2 }];
    caseContext(records, 'shown', true, 'seed', findings).findings.set('from a visible case', 1);
    const hidden = caseContext(records, 'hidden', false, 'seed', findings);
    hidden.findings.set('from a hidden case', 2);
    expect([...findings.keys()]).toEqual(['from a visible case']);
    expect(hidden.findings.has('from a visible case')).toBe(false);
  });
});
