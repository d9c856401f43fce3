import { describe, expect, it } from 'vitest';
import { parameterNames } from '../src/run/parameters.ts';
import { argumentChange, copyPlain } from '../src/sandbox/changes.ts';

describe('argumentChange: where a call changed the arguments it was given', () => {
  const after = (before: unknown[], change: (args: unknown[]) => void) => {
    const args = structuredClone(before);
    change(args);
    return argumentChange(before, args);
  };

  it('finds the first changed entry, depth first, naming its path and both values', () => {
    const X = [[1, 2], [3, 4]];
    expect(after([X, 2], (a) => ((a[0] as number[][])[1][0] = 0))).toEqual({ index: 0, path: '[1][0]', before: '3', after: '0' });
    expect(after([5, { mean: [1, 2], 'odd key': 1 }], (a) => ((a[1] as { mean: number[] }).mean[1] = -0))).toEqual({ index: 1, path: '.mean[1]', before: '2', after: '-0' });
    expect(after([{ 'odd key': 1 }], (a) => ((a[0] as Record<string, number>)['odd key'] = 2))).toEqual({ index: 0, path: '["odd key"]', before: '1', after: '2' });
    expect(after([Float64Array.of(1, 2)], (a) => ((a[0] as Float64Array)[1] = 7))).toEqual({ index: 0, path: '[1]', before: '2', after: '7' });
  });

  it('reports a change of length, type or kind of container at the container', () => {
    expect(after([[1, 2, 3]], (a) => (a[0] as number[]).pop())).toEqual({ index: 0, path: '', before: 'an array of 3', after: 'an array of 2' });
    expect(after([[[1]]], (a) => ((a[0] as unknown[])[0] = Float32Array.of(1)))).toEqual({ index: 0, path: '[0]', before: 'an array of 1', after: 'a Float32Array of 1' });
    expect(after([{ a: 1 }], (a) => ((a[0] as Record<string, unknown>).b = 'x'))).toEqual({ index: 0, path: '.b', before: 'undefined', after: '"x"' });
    expect(after(['s', null], (a) => (a[1] = {}))).toEqual({ index: 1, path: '', before: 'null', after: 'an object' });
  });

  it('finds nothing when nothing changed, NaN and -0 included, and survives cycles', () => {
    const cyclic: Record<string, unknown> = { v: [NaN, -0] };
    cyclic.self = cyclic;
    expect(after([cyclic, [[1, 2]], 'text'], () => undefined)).toBeUndefined();
    expect(after([[0]], (a) => ((a[0] as number[])[0] = -0))).toEqual({ index: 0, path: '[0]', before: '0', after: '-0' });
  });
});

describe('copyPlain: the copy taken before a call', () => {
  it('copies arrays, typed arrays and plain objects all the way down, cycles and shared parts included, and keeps anything else', () => {
    const shared = [1, 2];
    const date = new Date(0);
    const value: Record<string, unknown> = { rows: [shared, shared, [3, [4]]], typed: Float32Array.of(5), date };
    value.self = value;
    const copy = copyPlain(value);
    expect(copy).toEqual(value);
    expect(copy.rows).not.toBe(value.rows);
    const rows = copy.rows as unknown[][];
    expect(rows[0]).not.toBe(shared);
    expect(rows[1]).toBe(rows[0]);
    expect(rows[2][1]).not.toBe((value.rows as unknown[][])[2][1]);
    expect(copy.typed).not.toBe(value.typed);
    expect(copy.self).toBe(copy);
    expect(copy.date).toBe(date);
    shared[0] = 9;
    expect(argumentChange([copy], [value])).toEqual({ index: 0, path: '.rows[0][0]', before: '1', after: '9' });
  });
});

describe('parameterNames: the names of a reference function\'s parameters', () => {
  it('reads declarations, arrows, defaults, rest parameters, and leaves patterns unnamed', () => {
    function standardize(X: number[][], center = true, label = 'a, (b)'): number {
      return X.length + Number(center) + label.length;
    }
    expect(parameterNames(standardize)).toEqual(['X', 'center', 'label']);
    expect(parameterNames((x: number, { k }: { k: number }, ...rest: number[]) => x + k + rest.length)).toEqual(['x', undefined, 'rest']);
    expect(parameterNames(async (m: number, w: number[] = [1, 2]) => Promise.resolve(m + w.length))).toEqual(['m', 'w']);
    expect(parameterNames(() => 1)).toEqual([]);
  });
});
