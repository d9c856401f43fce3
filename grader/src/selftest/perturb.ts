/**
 * Answers with their numbers moved, for `mlgrade check`'s tolerance sanity. Each number's
 * move is a function of the number alone (a hash of its bits), so equal answers stay equal:
 * a check that calls the function twice with the same seed still sees one answer.
 */

const float = new Float64Array(1);
const words = new Uint32Array(float.buffer);

/** A number in [0, 1) from the bits of `x` (a murmur3-style finaliser). */
function unit(x: number): number {
  float[0] = x;
  let h = Math.imul(words[0] ^ 0x9e3779b9, 0x85ebca6b) ^ words[1];
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 2 ** 32;
}

/**
 * Moves the numbers inside a value that is not plain data: a float32 tensor's, as a moved copy;
 * a model's weights when `models` is set; undefined for anything else. Tensor assignments pass
 * their runtime's (run/tensors.ts `mapFloats`).
 */
export type MapFloats = (value: unknown, move: (x: number) => number, models?: boolean) => unknown;

/** Applies `move` to every number of an answer: arrays, float arrays, plain objects and (with `floats`) float32 tensors are walked; anything else is kept. */
function mapNumbers(value: unknown, move: (x: number, float32: boolean) => number, floats?: MapFloats, models = true): unknown {
  if (typeof value === 'number') return move(value, false);
  if (Array.isArray(value)) return value.map((v) => mapNumbers(v, move, floats, models));
  if (value instanceof Float64Array) return value.map((x) => move(x, false));
  if (value instanceof Float32Array) return value.map((x) => move(x, true));
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapNumbers(v, move, floats, models)]));
  }
  return floats?.(value, (x) => move(x, true), models) ?? value;
}

/**
 * Every non-integer number shrunk by a relative amount between size/2 and size: `x · (1 − size · u)`;
 * float32 numbers (tensors, Float32Arrays) by `float32Size`, as their rounding is coarser.
 * Signs and exact zeros are kept, so an answer in [0, 1], [−1, 1] or ≥ 0 still is; integers
 * (indices, counts, labels, pixels of exactly 0 or 1) are exact answers with no rounding to
 * absorb and are kept too.
 */
export function nudgeAnswer(value: unknown, size: number, float32Size = size, floats?: MapFloats): unknown {
  return mapNumbers(value, (x, float32) => (Number.isInteger(x) ? x : x * (1 - (float32 ? float32Size : size) * (0.5 + 0.5 * unit(x)))), floats);
}

/**
 * Every number multiplied by a factor in (−1, 1): magnitudes and signs scrambled. An answer so
 * moved is wrong for any task worth checking; a check that still gives it full marks accepts
 * everything.
 */
export function scrambleAnswer(value: unknown, floats?: MapFloats): unknown {
  return mapNumbers(value, (x) => {
    const u = unit(x);
    // Away from 1, so that no number stays near where it was.
    return x * (u < 0.5 ? -0.2 - 1.6 * u : 0.8 * (u - 0.5));
  }, floats);
}

/**
 * Whether an answer holds a finite non-zero number, not counting a model's weights: a problem
 * that returns only a model (an architecture, whatever its initial weights) is not judged by its
 * numbers, while one that returns numbers (predictions, losses) beside a trained model is, and
 * scrambleAnswer scrambles that model's weights too.
 */
export function hasNumbers(value: unknown, floats?: MapFloats): boolean {
  let found = false;
  mapNumbers(
    value,
    (x) => {
      if (x !== 0 && Number.isFinite(x)) found = true;
      return x;
    },
    floats,
    false,
  );
  return found;
}

/** The sign of a move: ±1, from the bits of the number moved (so equal numbers move alike). */
export const signOf = (x: number): number => (unit(x) < 0.5 ? -1 : 1);

/**
 * `expected` moved away by `factor` times its tolerance `tolerance` (≥ 0), in the direction
 * signOf(expected), rounded to float32 when `float32`. With `factor` > 1 the result is always
 * beyond the tolerance: where the move rounds back to within it (an exact comparison, a
 * tolerance below the number's resolution), it grows until it is not.
 */
export function moveBy(expected: number, tolerance: number, factor: number, float32: boolean): number {
  const round = float32 ? Math.fround : (x: number) => x;
  const sign = signOf(expected);
  if (factor <= 1) return round(expected + sign * factor * tolerance);
  let step = Math.max(factor * tolerance, Math.abs(expected) * 2 ** -52, Number.MIN_VALUE);
  for (;;) {
    const moved = round(expected + sign * step);
    if (Math.abs(moved - expected) > tolerance) return moved;
    step *= 2;
  }
}
