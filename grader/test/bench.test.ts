import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runBench } from '../src/bench/bench.ts';
import { formatMs, median } from '../src/bench/stats.ts';

describe('bench', () => {
  it('median and formatting', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNaN();
    expect(formatMs(0.2)).toBe('200.0 µs');
    expect(formatMs(65.014)).toBe('65.01 ms');
  });

  it('measures start-up and round trip and prints them as medians', async () => {
    let text = '';
    const out = new Writable({ write: (chunk: Buffer, _enc, done) => { text += chunk.toString(); done(); } });
    expect(await runBench({ rounds: 5, starts: 2, tensors: false }, out)).toBe(0);
    expect(text).toMatch(/child start-up \(spawn \+ load submission\), median of 2: [\d.]+ ms/);
    expect(text).toMatch(/round trip for a trivial function, median of 5: [\d.]+ (ms|µs)/);
    expect(text).toMatch(/start-up \/ round trip: \d+×/);
  });
});
