/**
 * Generic diagnoses of a wrong numeric answer: facts about how the numbers a student returned
 * relate to the expected ones ("every entry is exactly 2× the expected value", "the expected
 * one transposed"), shown when no declared mistake recognises the answer. Each is a fact
 * about the numbers, checked entry-wise with the check's own rtol/atol, never a guess about
 * the code: a wrong diagnosis would send a student to fix what is not broken, so each one
 * fires only when its fact holds, and a diagnosis is never given for a right answer.
 *
 * Two guards keep the facts meaningful:
 * - "matches" is the check's own closeness, |got − t| ≤ atol + rtol·|t| for the transformed
 *   expected value t (plus a few units of rounding, since t is itself computed in floating
 *   point and a check may use rtol = atol = 0);
 * - a transformation must move the expected value clearly, by more than SEPARATION times
 *   the tolerance somewhere, so an answer that is merely a little off everywhere is never
 *   "explained" by a tiny scale factor, or a nearly symmetric matrix by its transpose.
 */

export interface Diagnosis {
  /** A stable id, e.g. `transposed`, `scaled`, `wrong-last-row`. */
  id: string;
  /** One short sentence naming the value, e.g. `out: every entry is exactly 2× the expected value.` */
  message: string;
}

export interface DiagnoseOptions {
  rtol: number;
  atol: number;
  /** The value's name in messages (as in allClose's messages); default `result`. */
  name?: string;
  /** Above this many entries the permutation test (a sort) is skipped; default PERMUTATION_LIMIT. */
  permutationLimit?: number;
}

/** How far (in tolerances) a transformation must move the expected value to count as one. */
export const SEPARATION = 10;
/** Permutations are found by sorting; above this many entries the test is skipped. */
export const PERMUTATION_LIMIT = 1_000_000;
/** Slack for a transformed value computed in floating point (a few units in the last place). */
const ROUNDING = 1e-15;
/** Longest list of rows, columns or factors a message spells out. */
const LIST_LIMIT = 6;

interface Flat {
  shape: number[];
  values: Float64Array;
}

/**
 * A rectangular nested array of finite numbers as its shape and row-major values; undefined
 * for anything else (ragged arrays, NaN, strings, typed arrays), about which nothing is said.
 * A lone number counts as a vector of length 1.
 */
function flatten(value: unknown): Flat | undefined {
  const shape: number[] = [];
  for (let v = value; Array.isArray(v); v = (v as unknown[])[0]) shape.push(v.length);
  const values = new Float64Array(shape.reduce((size, n) => size * n, 1));
  let next = 0;
  const walk = (v: unknown, depth: number): boolean => {
    if (depth === shape.length) {
      // Stryker disable next-line ConditionalExpression: `typeof v !== 'number'` → false is equivalent: Number.isFinite is false for every non-number (it does not coerce); the typeof test is there to narrow v's type.
      if (typeof v !== 'number' || !Number.isFinite(v)) return false;
      values[next++] = v;
      return true;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) return false;
    for (const item of v as unknown[]) if (!walk(item, depth + 1)) return false;
    return true;
  };
  return walk(value, 0) ? { shape: shape.length === 0 ? [1] : shape, values } : undefined;
}

/** Entries start, start + stride, … (count of them) of a flat array: a row, a column, all. */
interface Run {
  start: number;
  count: number;
  stride: number;
}

function some(run: Run, predicate: (k: number) => boolean): boolean {
  for (let i = 0, k = run.start; i < run.count; i++, k += run.stride) if (predicate(k)) return true;
  return false;
}

function formatShape(shape: number[]): string {
  return shape.length === 1 ? `length ${shape[0]}` : shape.join('×');
}

/**
 * A factor with 4 significant digits, or more where 4 would show 1 or −1 for a factor that is
 * not exactly that (1.0000003 must not read as "exactly 1×"). 17 digits show any double.
 */
export function formatFactor(factor: number): string {
  let shown = factor;
  for (const digits of [4, 9, 17]) {
    shown = Number(factor.toPrecision(digits));
    if (Math.abs(shown) !== 1) break;
  }
  return String(shown);
}

function list(items: Array<string | number>): string {
  const shown = items.slice(0, LIST_LIMIT).join(', ');
  return items.length > LIST_LIMIT ? `${shown}, … (${items.length} in all)` : shown;
}

/** The first index of a sorted array whose value is ≥ value. */
function lowerBound(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

class Comparison {
  readonly got: Float64Array;
  readonly expected: Float64Array;
  readonly gotShape: number[];
  readonly shape: number[];
  readonly sameShape: boolean;

  constructor(
    got: Flat,
    expected: Flat,
    private readonly rtol: number,
    private readonly atol: number,
    readonly name: string,
    readonly permutationLimit: number,
  ) {
    this.got = got.values;
    this.expected = expected.values;
    this.gotShape = got.shape;
    this.shape = expected.shape;
    this.sameShape = got.shape.length === expected.shape.length && got.shape.every((n, i) => n === expected.shape[i]);
  }

  /** a matches b (the reference value) within the check's tolerance. */
  close(a: number, b: number): boolean {
    return Math.abs(a - b) <= this.atol + (this.rtol + ROUNDING) * Math.abs(b);
  }

  /** a differs from b (the reference value) by clearly more than the tolerance. */
  distinct(a: number, b: number): boolean {
    return Math.abs(a - b) > SEPARATION * (this.atol + this.rtol * Math.abs(b));
  }

  /** An expected entry a zero answer would clearly get wrong. */
  significant(k: number): boolean {
    return this.distinct(0, this.expected[k]);
  }

  /**
   * The expected entries at these places hold two clearly different significant values. A
   * constant (e.g. every pooling maximum is 4) is a multiple of any other constant, so
   * "your answer is 0.75× the expected" would be a coincidence, not a finding.
   */
  varied(run: Run): boolean {
    let first: number | undefined;
    return some(run, (k) => {
      if (!this.significant(k)) return false;
      const e = this.expected[k];
      first ??= e;
      return this.distinct(e, first);
    });
  }

  /** All entries, as one run. */
  get all(): Run {
    return { start: 0, count: this.expected.length, stride: 1 };
  }

  private sorted?: { values: Float64Array; repeated: Uint8Array };

  /** The expected values in increasing order (sorted once, on first use). */
  get sortedExpected(): Float64Array {
    return this.sortedValues().values;
  }

  private sortedValues(): { values: Float64Array; repeated: Uint8Array } {
    this.sorted ??= this.sortValues();
    return this.sorted;
  }

  private sortValues(): { values: Float64Array; repeated: Uint8Array } {
    const values = this.expected.slice().sort(); // a typed array sorts by value
    const repeated = new Uint8Array(values.length);
    // values[-1] is undefined, which matches nothing.
    values.forEach((v, i) => {
      if (this.close(v, values[i - 1])) repeated[i] = repeated[i - 1] = 1;
    });
    return { values, repeated };
  }

  /** No other expected entry matches expected[k]'s value. */
  occursOnce(k: number): boolean {
    const { values, repeated } = this.sortedValues();
    return repeated[lowerBound(values, this.expected[k])] === 0;
  }

  /**
   * The answer is the expected value moved by an index map (`source(k)` is the expected
   * entry that belongs at k, or −1 where the map says nothing), and the move is evidence:
   * it clearly changes at least two entries with values that occur once in the expected
   * value. Repeated small integers (pooling maxima: [4, 4, 3] "reversed" is [3, 4, 4]) match
   * a moved copy of themselves too easily.
   */
  movedBy(source: (k: number) => number): boolean {
    let evidence = 0;
    for (let k = 0; k < this.got.length; k++) {
      const from = source(k);
      if (from < 0) continue;
      if (!this.close(this.got[k], this.expected[from])) return false;
      // Two pieces of evidence are enough; looking up more would only cost time.
      if (evidence !== 2 && this.distinct(this.expected[from], this.expected[k]) && this.occursOnce(from)) evidence++;
    }
    return evidence === 2;
  }

  /** Rows and columns of the last two axes; rank-2 answers are one such slice. */
  get rows(): number {
    return this.shape[this.shape.length - 2];
  }

  get cols(): number {
    return this.shape[this.shape.length - 1];
  }

  get rank(): number {
    return this.shape.length;
  }
}

type Finder = (c: Comparison) => Diagnosis | undefined;

const allZero: Finder = (c) => {
  if (!c.got.every((g) => c.close(g, 0))) return undefined;
  return { id: 'all-zero', message: `${c.name}: every entry is 0, but the expected value is not all zeros.` };
};

const transposed: Finder = (c) => {
  if (c.rank !== 2 || c.gotShape.length !== 2) return undefined;
  const [n, m] = c.shape;
  if (c.gotShape[0] !== m || c.gotShape[1] !== n) return undefined;
  // got is m×n: got[i][j] = expected[j][i].
  const source = (k: number): number => (k % n) * m + Math.floor(k / n);
  if (n === m ? !c.movedBy(source) : !c.got.every((g, k) => c.close(g, c.expected[source(k)]))) return undefined;
  const shapes = n === m ? `both ${n}×${n}` : `yours is ${m}×${n}, expected ${n}×${m}`;
  return { id: 'transposed', message: `${c.name}: your answer is the expected one transposed (${shapes}).` };
};

const reshaped: Finder = (c) => {
  if (c.got.length !== c.expected.length || !c.got.every((g, k) => c.close(g, c.expected[k]))) return undefined;
  return {
    id: 'reshaped',
    message: `${c.name}: your answer has the expected entries in the expected order, but its shape is ${formatShape(c.gotShape)}, expected ${formatShape(c.shape)}.`,
  };
};

const negated: Finder = (c) => {
  // Some expected entry is significant (diagnose's precondition), so negating changes it.
  if (!c.got.every((g, k) => c.close(g, -c.expected[k]))) return undefined;
  return { id: 'negated', message: `${c.name}: every entry is exactly -1× the expected value: the answer is negated.` };
};

/** The least-squares factor of got ≈ factor·expected over a run of entries. */
function leastSquaresFactor(c: Comparison, run: Run): number {
  let ge = 0;
  let ee = 0;
  some(run, (k) => {
    ge += c.got[k] * c.expected[k];
    ee += c.expected[k] * c.expected[k];
    return false;
  });
  return ee > 0 ? ge / ee : 0;
}

const scaled: Finder = (c) => {
  if (!c.varied(c.all)) return undefined;
  const factor = leastSquaresFactor(c, c.all);
  let notOne = false;
  let notMinusOne = false;
  let notZero = false;
  for (let k = 0; k < c.got.length; k++) {
    const e = c.expected[k];
    const t = factor * e;
    if (!c.close(c.got[k], t)) return undefined;
    notOne ||= c.distinct(t, e);
    notMinusOne ||= c.distinct(t, -e);
    notZero ||= c.distinct(t, 0);
  }
  if (!notOne || !notMinusOne || !notZero) return undefined;
  return { id: 'scaled', message: `${c.name}: every entry is exactly ${formatFactor(factor)}× the expected value.` };
};

/** What the entries along an axis are called in messages. */
function axisWords(c: Comparison, axis: 'first' | 'last'): { one: string; many: string } {
  if (c.rank === 1) return { one: 'entry', many: 'entries' };
  if (c.rank === 2) return axis === 'first' ? { one: 'row', many: 'rows' } : { one: 'column', many: 'columns' };
  return axis === 'first' ? { one: 'slice (first axis)', many: 'slices (first axis)' } : { one: 'entry (last axis)', many: 'entries (last axis)' };
}

// For a vector the first axis is the last: trying it twice costs a pass and changes nothing.
const reversed: Finder = (c) => {
  const n = c.shape[0];
  const block = c.got.length / n;
  if (c.movedBy((k) => (n - 1 - Math.floor(k / block)) * block + (k % block))) {
    const what = c.rank === 1 ? 'in reverse order' : `with its ${axisWords(c, 'first').many} in reverse order`;
    return { id: 'reversed', message: `${c.name}: your answer is the expected one ${what}.` };
  }
  const w = c.cols;
  if (c.movedBy((k) => k - (k % w) + (w - 1 - (k % w)))) {
    // Stryker disable next-line StringLiteral: `'last'` → "" is equivalent: axisWords tests only `axis === 'first'`, so any other value reads as the last axis.
    return { id: 'reversed', message: `${c.name}: your answer is the expected one with its ${axisWords(c, 'last').many} in reverse order.` };
  }
  return undefined;
};

const shifted: Finder = (c) => {
  const shift = (axis: 'first' | 'last', n: number, index: (k: number) => number, stride: number): Diagnosis | undefined => {
    if (n < 3) return undefined; // the overlap must be at least two entries long
    const { one, many } = axisWords(c, axis);
    const [forward, backward] = axis === 'last' || c.rank === 1 ? ['right', 'left'] : c.rank === 2 ? ['down', 'up'] : ['forward', 'back'];
    if (c.movedBy((k) => (index(k) >= 1 ? k - stride : -1))) {
      return { id: 'shifted', message: `${c.name}: your answer is the expected one shifted ${forward} by one ${one}: your ${many} 1–${n - 1} are the expected ${many} 0–${n - 2}.` };
    }
    if (c.movedBy((k) => (index(k) <= n - 2 ? k + stride : -1))) {
      return { id: 'shifted', message: `${c.name}: your answer is the expected one shifted ${backward} by one ${one}: your ${many} 0–${n - 2} are the expected ${many} 1–${n - 1}.` };
    }
    return undefined;
  };
  const n = c.shape[0];
  const block = c.got.length / n;
  const w = c.cols;
  return shift('first', n, (k) => Math.floor(k / block), block) ?? shift('last', w, (k) => k % w, 1);
};

const signPerColumn: Finder = (c) => {
  if (c.rank !== 2 || c.rows < 2) return undefined;
  const [n, m] = c.shape;
  const flipped: number[] = [];
  for (let j = 0; j < m; j++) {
    let same = true;
    let opposite = true;
    let changes = false;
    for (let i = 0; i < n; i++) {
      const k = i * m + j;
      const e = c.expected[k];
      same &&= c.close(c.got[k], e);
      opposite &&= c.close(c.got[k], -e);
      changes ||= c.distinct(-e, e);
    }
    if (same) continue;
    if (!opposite || !changes) return undefined;
    flipped.push(j);
  }
  const which = flipped.length === 1 ? `column ${flipped[0]}` : `columns ${list(flipped)}`;
  return {
    id: 'sign-per-column',
    message: `${c.name}: right up to the sign of ${which}: ${flipped.length === 1 ? 'that column is' : 'those columns are'} negated, the others are right.`,
  };
};

/**
 * Each row (or column) of the answer is its own multiple of the expected row (column), with
 * at least two clearly different factors (one common factor is `scaled`). Factors count only
 * for rows that are not constant (see `varied`).
 */
function scaledPerSlice(c: Comparison, along: 'row' | 'column'): Diagnosis | undefined {
  if (c.rank !== 2) return undefined;
  const [n, m] = c.shape;
  // A row of one number is never `varied`: it is a multiple of anything and never counts.
  const [slices, length, sliceStride, entryStride] = along === 'row' ? [n, m, m, 1] : [m, n, 1, m];
  const slice = (s: number): Run => ({ start: s * sliceStride, count: length, stride: entryStride });
  const factors: number[] = [];
  const determined: number[] = [];
  for (let s = 0; s < slices; s++) {
    const factor = leastSquaresFactor(c, slice(s));
    factors.push(factor);
    if (some(slice(s), (k) => !c.close(c.got[k], factor * c.expected[k]))) return undefined;
    if (c.varied(slice(s))) determined.push(s);
  }
  const first = factors[determined[0]];
  const different = determined.some((s) => some(slice(s), (k) => c.distinct(first * c.expected[k], factors[s] * c.expected[k])));
  if (!different) return undefined;
  const changed = determined.filter((s) => some(slice(s), (k) => c.distinct(factors[s] * c.expected[k], c.expected[k])));
  if (changed.length === 0) return undefined;
  const shown = changed.slice(0, LIST_LIMIT).map((s) => formatFactor(factors[s])).join(', ') + (changed.length > LIST_LIMIT ? ', …' : '');
  const which = changed.length === 1 ? `factor ${shown} for ${along} ${changed[0]}` : `factors ${shown} for ${along}s ${list(changed)}`;
  // "The others match" only where it is true: a constant row, or one a little off, is a
  // multiple of the expected row without matching it.
  const isChanged = new Set(changed);
  const wrong = (s: number): boolean => !isChanged.has(s) && some(slice(s), (k) => !c.close(c.got[k], c.expected[k]));
  const othersMatch = changed.length < slices && !some({ start: 0, count: slices, stride: 1 }, wrong);
  const others = othersMatch ? ` (the other ${along}s match)` : '';
  return { id: `scaled-per-${along}`, message: `${c.name}: each ${along} is a multiple of the expected ${along}: ${which}${others}.` };
}

/** Right everywhere except where `suspect` holds (in the last two axes' coordinates). */
function rightExcept(c: Comparison, suspect: (row: number, col: number) => boolean): { wrong: number; suspects: number } | undefined {
  const { rows, cols } = c;
  let wrong = 0;
  let suspects = 0;
  for (let k = 0; k < c.got.length; k++) {
    const right = c.close(c.got[k], c.expected[k]);
    if (suspect(Math.floor(k / cols) % rows, k % cols)) {
      suspects++;
      if (!right) wrong++;
    } else if (!right) {
      return undefined;
    }
  }
  return { wrong, suspects };
}

const wrongEdges: Finder = (c) => {
  if (c.rank < 2) return undefined;
  const { rows, cols } = c;
  const where = (what: string): string => (c.rank === 2 ? what : `${what} of each ${rows}×${cols} slice (the last two axes)`);
  const edges: Array<[string, string, boolean, (row: number, col: number) => boolean]> = [
    ['wrong-last-row', 'in the last row', rows >= 2, (row) => row === rows - 1],
    ['wrong-last-column', 'in the last column', cols >= 2, (_, col) => col === cols - 1],
    ['wrong-border', 'on the border (first and last rows and columns)', rows >= 3 && cols >= 3, (row, col) => row === 0 || col === 0 || row === rows - 1 || col === cols - 1],
  ];
  for (const [id, what, applies, suspect] of edges) {
    const found = applies ? rightExcept(c, suspect) : undefined;
    if (found) return { id, message: `${c.name}: right everywhere except ${where(what)}: ${found.wrong} of the ${found.suspects} entries there ${found.wrong === 1 ? 'is' : 'are'} off.` };
  }
  return undefined;
};

const permuted: Finder = (c) => {
  const size = c.got.length;
  if (size !== c.expected.length || size > c.permutationLimit) return undefined;
  const got = c.got.slice().sort();
  const expected = c.sortedExpected;
  for (let k = 0; k < size; k++) if (!c.close(got[k], expected[k])) return undefined;
  if (!c.sameShape) {
    return {
      id: 'permuted',
      message: `${c.name}: your answer has the expected entries in a different arrangement (yours is ${formatShape(c.gotShape)}, expected ${formatShape(c.shape)}).`,
    };
  }
  // As for index maps (movedBy): two values that occur once must have clearly moved.
  let misplaced = 0;
  let moved = 0;
  for (let k = 0; k < size; k++) {
    if (!c.close(c.got[k], c.expected[k])) misplaced++;
    if (c.distinct(c.got[k], c.expected[k]) && c.occursOnce(k)) moved++;
  }
  if (moved < 2) return undefined;
  return { id: 'permuted', message: `${c.name}: your answer has the expected entries in a different order (${misplaced} of ${size} are not in place).` };
};

/**
 * From the most specific fact to the least; the first that holds is reported. Answers of the
 * expected shape and answers of another shape have their own lists.
 */
const SAME_SHAPE: Finder[] = [
  allZero,
  transposed,
  negated,
  scaled,
  reversed,
  shifted,
  signPerColumn,
  (c) => scaledPerSlice(c, 'row'),
  (c) => scaledPerSlice(c, 'column'),
  wrongEdges,
  permuted,
];
const OTHER_SHAPE: Finder[] = [transposed, reshaped, permuted];

/**
 * What is true of a wrong answer `got` against `expected` (nested number arrays of any rank),
 * compared with the check's rtol/atol; undefined when the answer is right, when nothing
 * listed holds, or when the expected value has no entry clearly away from zero.
 */
export function diagnose(got: unknown, expected: unknown, options: DiagnoseOptions): Diagnosis | undefined {
  const g = flatten(got);
  const e = flatten(expected);
  if (!g || !e) return undefined;
  const c = new Comparison(g, e, options.rtol, options.atol, options.name ?? 'result', options.permutationLimit ?? PERMUTATION_LIMIT);
  if (!c.expected.some((_, k) => c.significant(k))) return undefined;
  if (c.sameShape && c.got.every((v, k) => c.close(v, c.expected[k]))) return undefined;
  for (const find of c.sameShape ? SAME_SHAPE : OTHER_SHAPE) {
    const found = find(c);
    if (found) return found;
  }
  return undefined;
}

/** The diagnosis a verdict's details carry (`details.diagnosis`), if it is well formed. */
export function diagnosisOf(details: unknown): Diagnosis | undefined {
  if (typeof details !== 'object' || details === null) return undefined;
  const candidate = (details as { diagnosis?: unknown }).diagnosis;
  if (typeof candidate !== 'object' || candidate === null) return undefined;
  const { id, message } = candidate as { id?: unknown; message?: unknown };
  return typeof id === 'string' && typeof message === 'string' ? { id, message } : undefined;
}
