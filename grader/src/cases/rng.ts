import { createHash } from 'node:crypto';
import seedrandom from 'seedrandom';

/**
 * A seeded random source for case generation. Every case input in mlgrade comes from one
 * of these, so the same seed always gives the same case (and the same grade).
 */
export interface Rng {
  /** The seed this generator was created from (a hex digest). */
  readonly seed: string;
  /** Uniform in [0, 1). */
  next(): number;
  uniform(low: number, high: number): number;
  /** Uniform integer in [low, high], both ends included. */
  int(low: number, high: number): number;
  normal(mean?: number, sd?: number): number;
  pick<T>(items: readonly T[]): T;
  vector(length: number, draw?: () => number): number[];
  matrix(rows: number, cols: number, draw?: () => number): number[][];
}

/**
 * Derives a seed from its parts with SHA-256, so that seeds for different students,
 * problems and cases are unrelated, and a hidden case's seed cannot be guessed without the
 * secret that is one of its parts.
 */
export function deriveSeed(...parts: Array<string | number>): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    hash.update(String(part));
    hash.update('\u0000');
  }
  return hash.digest('hex');
}

export function createRng(seed: string): Rng {
  const prng = seedrandom(seed);
  const next = (): number => prng();
  const rng: Rng = {
    seed,
    next,
    uniform: (low, high) => low + (high - low) * next(),
    int: (low, high) => low + Math.floor(next() * (high - low + 1)),
    normal: (mean = 0, sd = 1) => {
      // Box–Muller; 1 - u keeps the logarithm finite.
      const u = 1 - next();
      const v = next();
      return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    pick: (items) => {
      if (items.length === 0) throw new Error('rng.pick needs at least one item');
      return items[Math.floor(next() * items.length)];
    },
    vector: (length, draw = () => rng.normal()) => Array.from({ length }, () => draw()),
    matrix: (rows, cols, draw = () => rng.normal()) =>
      Array.from({ length: rows }, () => Array.from({ length: cols }, () => draw())),
  };
  return rng;
}
