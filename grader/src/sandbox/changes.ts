/**
 * Finds the first place where a function changed an argument it was given: the sandboxed child
 * copies plain-data arguments before a call and compares them after it, so the grader can tell
 * a student that their function modifies its inputs (a classic: standardising X in place).
 * The note costs no points; the grader gave the function its own copy. Bundled into the child,
 * so it imports nothing of the grader's.
 */
export interface ArgumentChange {
  /** Which argument, from 0. */
  index: number;
  /** Where inside it, e.g. `[3][0]` or `.mean[2]`; empty for the argument itself. */
  path: string;
  before: string;
  after: string;
}

/**
 * Arguments with more entries than this are not compared: the copy and the comparison run
 * inside the call, in a fresh process, before the JIT has warmed up (measured for 200×784
 * numbers: about 30 ms of CPU, twice that on a busy machine; a 1000×1000 matrix took 0.3–0.7 s).
 */
export const MAX_COMPARED_ENTRIES = 250_000;

function describe(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} of ${(value as unknown as { length?: number }).length ?? value.byteLength}`;
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return 'undefined';
}

function key(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}

/** A difference, with the path from the argument to it as steps (built only once one is found). */
interface Found {
  steps: string[];
  before: unknown;
  after: unknown;
}

/** The first difference between `before` (a copy taken before the call) and `after`, depth first; undefined if none. */
function firstDifference(before: unknown, after: unknown, seen: Set<unknown>): Found | undefined {
  if (Object.is(before, after)) return undefined;
  const changed = { steps: [], before, after };
  if (typeof before !== 'object' || typeof after !== 'object' || before === null || after === null) return changed;
  if (seen.has(after)) return undefined;
  seen.add(after);
  if (Array.isArray(before) || ArrayBuffer.isView(before)) {
    const [a, b] = [before as ArrayLike<unknown>, after as ArrayLike<unknown>];
    if (Array.isArray(before) !== Array.isArray(after) || Object.getPrototypeOf(before) !== Object.getPrototypeOf(after) || a.length !== b.length) return changed;
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      const y = b[i];
      // Equal numbers, the common case, without a call (x !== x: both NaN; 1 / x: ±0 apart).
      if (typeof x === 'number' && typeof y === 'number' && (x === y ? x !== 0 || 1 / x === 1 / y : x !== x && y !== y)) continue;
      const found = firstDifference(x, y, seen);
      if (found) {
        found.steps.push(`[${i}]`);
        return found;
      }
    }
    return undefined;
  }
  if (Object.getPrototypeOf(before) !== Object.getPrototypeOf(after)) return changed;
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const found = firstDifference((before as Record<string, unknown>)[name], (after as Record<string, unknown>)[name], seen);
    if (found) {
      found.steps.push(key(name));
      return found;
    }
  }
  return undefined;
}

/**
 * A copy of plain data to compare with later: arrays, typed arrays and plain objects copied
 * all the way down, anything else kept as it is (compared by identity). Arrays of numbers are
 * copied with slice(), ~10× faster than structuredClone on a 1000×1000 nested array, because
 * the copy is paid inside the student's call.
 */
export function copyPlain<T>(value: T, seen = new Map<object, unknown>()): T {
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return seen.get(value) as T;
  if (ArrayBuffer.isView(value)) {
    const copy = (value as unknown as { slice?: () => T }).slice?.() ?? value;
    seen.set(value, copy);
    return copy;
  }
  if (Array.isArray(value)) {
    const flat = value.every((v) => typeof v !== 'object' || v === null);
    const copy: unknown[] = flat ? value.slice() : [];
    seen.set(value, copy);
    if (!flat) for (const v of value) copy.push(copyPlain(v, seen));
    return copy as T;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const copy: Record<string, unknown> = {};
  seen.set(value, copy);
  for (const [k, v] of Object.entries(value)) copy[k] = copyPlain(v, seen);
  return copy as T;
}

/** The first argument the call changed and where, comparing each with its copy from before the call. */
export function argumentChange(before: readonly unknown[], after: readonly unknown[]): ArgumentChange | undefined {
  for (let index = 0; index < before.length; index++) {
    const found = firstDifference(before[index], after[index], new Set());
    if (found) return { index, path: found.steps.reverse().join(''), before: describe(found.before), after: describe(found.after) };
  }
  return undefined;
}
