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

/** Applies `move` to every number of an answer: arrays, float arrays and plain objects are walked; anything else is kept. */
function mapNumbers(value: unknown, move: (x: number) => number): unknown {
  if (typeof value === 'number') return move(value);
  if (Array.isArray(value)) return value.map((v) => mapNumbers(v, move));
  if (value instanceof Float64Array || value instanceof Float32Array) return value.map(move);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapNumbers(v, move)]));
  }
  return value;
}

/**
 * Every non-integer number shrunk by a relative amount between size/2 and size: `x · (1 − size · u)`.
 * Signs and exact zeros are kept, so an answer in [0, 1], [−1, 1] or ≥ 0 still is; integers
 * (indices, counts, labels) are exact answers with no rounding to absorb and are kept too.
 */
export function nudgeAnswer(value: unknown, size: number): unknown {
  return mapNumbers(value, (x) => (Number.isInteger(x) ? x : x * (1 - size * (0.5 + 0.5 * unit(x)))));
}

/**
 * Every number multiplied by a factor in (−1, 1): magnitudes and signs scrambled. An answer so
 * moved is wrong for any task worth checking; a check that still gives it full marks accepts
 * everything.
 */
export function scrambleAnswer(value: unknown): unknown {
  return mapNumbers(value, (x) => {
    const u = unit(x);
    // Away from 1, so that no number stays near where it was.
    return x * (u < 0.5 ? -0.2 - 1.6 * u : 0.8 * (u - 0.5));
  });
}

/** Whether scrambleAnswer changes an answer at all: it holds a finite non-zero number. */
export function hasNumbers(value: unknown): boolean {
  let found = false;
  mapNumbers(value, (x) => {
    if (x !== 0 && Number.isFinite(x)) found = true;
    return x;
  });
  return found;
}
