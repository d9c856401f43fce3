import { describe, expect, it } from 'vitest';
import { resultSchema, serializeResult, withoutTiming, type Result } from '../src/result/schema.ts';

const base: Result = {
  schemaVersion: 1,
  tool: { name: 'mlgrade', version: '0.1.0' },
  assignment: { id: 'a', title: 'A' },
  student: 's',
  seed: '0',
  backend: 'none',
  score: 1,
  maxScore: 1,
  warnings: [],
  problems: [{ name: 'f', title: 'F', score: 1, maxScore: 1, status: 'pass', cases: [{ name: 'c', visibility: 'visible', status: 'pass', score: 1, maxScore: 1, message: 'correct', durationMs: 12.5 }] }],
  executionTimeMs: 40,
};

describe('the Result', () => {
  it('serializes with the schema\'s key order, whatever order the object was built in', () => {
    const shuffled = Object.fromEntries(Object.entries(base).reverse()) as Result;
    expect(serializeResult(shuffled)).toBe(serializeResult(base));
    expect(Object.keys(JSON.parse(serializeResult(shuffled)) as object)[0]).toBe('schemaVersion');
  });

  it('zeroes only the timing fields for comparison', () => {
    const stripped = withoutTiming(base);
    expect(stripped.executionTimeMs).toBe(0);
    expect(stripped.problems[0].cases[0].durationMs).toBe(0);
    expect({ ...stripped, executionTimeMs: 40, problems: base.problems }).toEqual(base);
  });

  it('rejects a Result of another schema version or with a negative score', () => {
    expect(resultSchema.safeParse({ ...base, schemaVersion: 2 }).success).toBe(false);
    expect(resultSchema.safeParse({ ...base, score: -1 }).success).toBe(false);
    expect(() => serializeResult({ ...base, problems: [{ ...base.problems[0], status: 'great' as 'pass' }] })).toThrow();
  });
});
