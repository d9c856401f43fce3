import { diagnose, diagnosisOf, type Diagnosis } from './diagnose.ts';
import { describeValue, formatPath } from './path.ts';
import { fail, pass, type Verdict } from './verdict.ts';

export interface Tolerance {
  /** Relative tolerance: |got − expected| ≤ atol + rtol·|expected| (PrairieLearn's relabs). */
  rtol?: number;
  atol?: number;
  /** Treat NaN as equal to NaN (default false: a NaN is always reported). */
  equalNan?: boolean;
}

export interface AllCloseOptions extends Tolerance {
  /** Name of the value in messages, e.g. `out` gives `out[3][1]`. */
  name?: string;
}

type Nested = number | ReadonlyArray<Nested>;

interface Mismatch {
  path: string;
  expected: number;
  got: number;
  absError: number;
}

/** One comparison allClose made, as observeAllClose reports it. */
export interface ObservedComparison {
  got: Nested;
  expected: Nested;
  rtol: number;
  atol: number;
  name: string;
}

let observer: ((comparison: ObservedComparison) => void) | undefined;

/**
 * Runs `during` and reports every allClose comparison made meanwhile to `watch` (`mlgrade
 * check` learns the tolerances a check states this way: selftest/replay.ts). Watching never
 * changes a verdict. Replays run one case at a time; a second watcher replaces the first until
 * it ends.
 */
export async function observeAllClose<T>(watch: (comparison: ObservedComparison) => void, during: () => T | Promise<T>): Promise<T> {
  const previous = observer;
  observer = watch;
  try {
    return await during();
  } finally {
    observer = previous;
  }
}

const DEFAULT_RTOL = 1e-6;
const DEFAULT_ATOL = 1e-9;

/** Six significant digits, or an exponent outside [1e-4, 1e6); NaN and ±Infinity by name, -0 as 0. */
function formatNumber(value: number): string {
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e6)) return value.toExponential(4);
  return String(Number(value.toPrecision(6)));
}

export { formatNumber };

/** 1e-6 rather than 0.000001. */
/** A tolerance in messages: three significant digits (a scale-relative atol such as 1e-3·max|g| has many). */
function formatTolerance(value: number): string {
  return value === 0 ? '0' : Number(value.toPrecision(3)).toExponential().replace('e+', 'e');
}

/**
 * Compares two nested numeric arrays element-wise with rtol/atol. On a mismatch the
 * message says where, what was expected and what was got, how many entries are off, and
 * the largest absolute and relative errors with their places. Shape mismatches are reported
 * with the path of the first difference. A failing verdict may carry a generic diagnosis in
 * `details.diagnosis` (see diagnose.ts: e.g. "out: your answer is the expected one
 * transposed"), which grading shows when no declared mistake matches; the message itself
 * stays the numbers.
 */
export function allClose(got: Nested, expected: Nested, options: AllCloseOptions = {}): Verdict {
  const rtol = options.rtol ?? DEFAULT_RTOL;
  const atol = options.atol ?? DEFAULT_ATOL;
  const name = options.name ?? 'result';
  observer?.({ got, expected, rtol, atol, name });
  const mismatches: Mismatch[] = [];
  let count = 0;
  let maxAbs = 0;
  let maxAbsPath = '';
  let maxRel = 0;
  let maxRelPath = '';
  let shapeError: string | undefined;

  const walk = (g: Nested, e: Nested, path: Array<number>): void => {
    if (shapeError) return;
    const where = formatPath(name, path);
    if (typeof e === 'number') {
      if (typeof g !== 'number') {
        shapeError = `${where}: expected a number, got ${describeValue(g)}`;
        return;
      }
      count++;
      if (!Number.isFinite(e) || !Number.isFinite(g)) {
        // NaN matches NaN only with equalNan; an infinity matches only itself. Neither counts
        // towards the largest errors.
        const same = Number.isNaN(e) && Number.isNaN(g) ? options.equalNan === true : e === g;
        if (!same) mismatches.push({ path: where, expected: e, got: g, absError: Infinity });
        return;
      }
      const absError = Math.abs(g - e);
      // Where 0 is expected, a nonzero error is infinitely wrong relatively (x/0 = ∞); an exact
      // entry gives 0/0 = NaN there, which, like 0 elsewhere, never exceeds maxRel.
      const relError = absError / Math.abs(e);
      if (absError > maxAbs) {
        maxAbs = absError;
        maxAbsPath = where;
      }
      if (relError > maxRel) {
        maxRel = relError;
        maxRelPath = where;
      }
      if (absError > atol + rtol * Math.abs(e)) mismatches.push({ path: where, expected: e, got: g, absError });
      return;
    }
    if (!Array.isArray(g)) {
      shapeError = `${where}: expected an array of length ${e.length}, got ${describeValue(g)}`;
      return;
    }
    if (g.length !== e.length) {
      const what = path.length === 0 && Array.isArray(e[0]) ? 'rows' : 'entries';
      shapeError = `${where} has ${g.length} ${what}, expected ${e.length}`;
      return;
    }
    const gotItems = g as ReadonlyArray<Nested>;
    for (let i = 0; i < e.length; i++) walk(gotItems[i], e[i], [...path, i]);
  };

  walk(got, expected, []);
  // Only failures are diagnosed, so a passing check costs nothing more.
  const diagnosed = (): { diagnosis?: Diagnosis } => {
    const diagnosis = diagnose(got, expected, { rtol, atol, name });
    return diagnosis ? { diagnosis } : {};
  };
  if (shapeError) return fail(`wrong shape: ${shapeError}`, { shapeError, ...diagnosed() });
  const details = { maxAbsError: maxAbs, maxRelError: maxRel, rtol, atol, mismatches: mismatches.length, compared: count };
  if (mismatches.length === 0) return pass('correct', details);
  const first = mismatches[0];
  const lines = [
    `${first.path}: expected ${formatNumber(first.expected)}, got ${formatNumber(first.got)}` +
      (Number.isFinite(first.absError) ? ` (off by ${formatNumber(first.absError)})` : ''),
    `${mismatches.length} of ${count} entries are outside the tolerance (rtol ${formatTolerance(rtol)}, atol ${formatTolerance(atol)}); ` +
      `max abs error ${formatNumber(maxAbs)} at ${maxAbsPath || first.path}, max rel error ${formatNumber(maxRel)} at ${maxRelPath || first.path}`,
  ];
  return fail(lines.join('\n'), { ...details, firstMismatch: first.path, ...diagnosed() });
}

/**
 * Compares every field of an object of arrays (e.g. `{ out, mean, variance }`), naming the
 * field in each message; all fields are reported, not just the first wrong one. The first
 * wrong field's diagnosis, if any, is also the verdict's (`details.diagnosis`, unless a field
 * is itself called `diagnosis`).
 */
export function allCloseFields<T extends Record<string, Nested>>(got: T, expected: T, options: Tolerance = {}): Verdict {
  const failures: Verdict[] = [];
  const details: Record<string, unknown> = {};
  for (const key of Object.keys(expected)) {
    const verdict = allClose(got[key], expected[key], { ...options, name: key });
    details[key] = verdict.details;
    if (verdict.score < 1) failures.push(verdict);
  }
  if (failures.length === 0) return pass('correct', details);
  const diagnosis = failures.map((f) => diagnosisOf(f.details)).find((d) => d !== undefined);
  if (diagnosis && !Object.hasOwn(details, 'diagnosis')) details.diagnosis = diagnosis;
  return { score: 0, message: failures.map((f) => f.message).join('\n'), details };
}
