import { describe, expect, it } from 'vitest';
import { argumentsKey, rememberedAnswer } from '../src/run/reference-cache.ts';

describe('argumentsKey: the reference cache key of a call', () => {
  it('is the same for equal arguments, built separately', () => {
    const make = () => [[[1, 2.5], [-3, 4]], 'pca', { k: 3, standardize: true, nested: { xs: [0.1, 0.2] } }, new Float32Array([1, 2]), null, undefined];
    expect(argumentsKey(make())).toBe(argumentsKey(make()));
    expect(argumentsKey(make())).toMatch(/^[0-9a-f]{64}$/);
  });

  it('tells apart what JSON would merge or a loose encoding would confuse', () => {
    const pairs: Array<[unknown[], unknown[]]> = [
      [[0], [-0]],
      [[NaN], [null]],
      [[null], [undefined]],
      [[Infinity], [-Infinity]],
      [[1], ['1']],
      [[true], [1]],
      [[[1, 2], [3]], [[1], [2, 3]]],
      [[[1, 2, 3]], [[1, 2], 3]],
      [['ab', 'c'], ['a', 'bc']],
      [['\uD800'], ['\uFFFD']],
      [[{ a: 1, b: 2 }], [{ a: 1, c: 2 }]],
      [[{ a: [1] }], [{ a: 1 }]],
      [[new Float32Array([1, 2])], [new Float64Array([1, 2])]],
      [[new Float64Array([1, 2])], [[1, 2]]],
      [[[1, undefined, 2]], [[1, NaN, 2]]],
      // eslint-disable-next-line no-sparse-arrays
      [[[1, , 2]], [[1, NaN, 2]]],
      [[1, 2], [[1, 2]]],
    ];
    for (const [a, b] of pairs) expect(argumentsKey(a), `${String(a)} / ${String(b)}`).not.toBe(argumentsKey(b));
  });

  it('has no key for arguments it cannot tell apart by content', () => {
    const cyclic: unknown[] = [1];
    cyclic.push(cyclic);
    for (const args of [[new Map([[1, 2]])], [new Set([1])], [new (class Point { x = 1 })()], [() => 1], [1n], [Symbol('s')], [cyclic], [new Date(0)], [Object.create(null) as object]]) {
      expect(argumentsKey(args)).toBeUndefined();
    }
    // The same object twice is not a cycle.
    const shared = [1, 2];
    expect(argumentsKey([shared, { again: shared }])).toBe(argumentsKey([[1, 2], { again: [1, 2] }]));
  });

  it('remembers an answer by the key, as a copy', () => {
    const reference = (x: number[]) => x.map((v) => v * 2);
    const first = rememberedAnswer(reference, [[1, 2]])!;
    expect(first.found).toBe(false);
    const answer = [2, 4];
    first.remember(answer);
    answer[0] = 99;
    const again = rememberedAnswer(reference, [[1, 2]])!;
    expect(again).toMatchObject({ found: true, value: [2, 4] });
    expect(rememberedAnswer(reference, [[1, 3]])!.found).toBe(false);
  });
});
