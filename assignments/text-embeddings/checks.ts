/**
 * Checks for `text-embeddings`. Tokens, vocabularies and counts involve no rounding and are
 * compared exactly. Rankings (mostSimilar, analogy) are compared with ties decided by the grader:
 * rows whose similarities are equal to the last bit whatever the order of the arithmetic (equal
 * rows, or one a power-of-two multiple of another) must come lower index first; everything else
 * only has to be in order to within rounding. Factorizations are compared sign-free: Gram
 * matrices, singular values, and documentVectors = X·wordVectors, never vector by vector.
 */
import { createHash } from 'node:crypto';
import { formatNumber } from '../../grader/src/checks/allclose.ts';
import { allOf, fail, pass, type Verdict } from '../../grader/src/checks/verdict.ts';
import type { Matrix } from '../../grader/src/linalg/dense.ts';
import { singularValues } from '../../grader/src/linalg/svd.ts';

const fmt = (value: number): string => formatNumber(value);

/** The grader's cosine similarity: 0 when either vector is zero. */
export function cosine(a: readonly number[], b: readonly number[]): number {
  const dot = a.reduce((sum, x, i) => sum + x * b[i], 0);
  const lengths = Math.hypot(...a) * Math.hypot(...b);
  return lengths === 0 ? 0 : dot / lengths;
}
const quote = (token: string | undefined): string => (token === undefined ? 'nothing' : JSON.stringify(token));

/** Two lists of strings, the first difference named. */
export function checkStrings(answer: string[], expected: string[], what: string): Verdict {
  const i = answer.findIndex((token, j) => token !== expected[j]);
  const at = i >= 0 ? i : answer.length === expected.length ? -1 : Math.min(answer.length, expected.length);
  if (at < 0) return pass(`${expected.length} ${what}`);
  const context = expected.slice(Math.max(0, at - 3), at).map(quote).join(', ');
  return fail(
    `${what} differ at position ${at}${context ? ` (after ${context})` : ''}: expected ${quote(expected[at])}, got ${quote(answer[at])}; ${answer.length} ${what} returned, ${expected.length} expected`,
    { position: at },
  );
}

/** A count matrix against the expected one, entry by entry, exactly. */
export function checkCountMatrix(answer: Matrix, expected: Matrix, rowName: string, colName: string): Verdict {
  const cols = expected[0]?.length ?? 0;
  if (answer.length !== expected.length || (answer.length > 0 && answer[0].length !== cols)) {
    const transposed = answer.length === cols && answer[0]?.length === expected.length ? ` (transposed? rows are ${rowName}s, columns ${colName}s)` : '';
    return fail(`expected a ${expected.length}×${cols} matrix (${rowName}s × ${colName}s), got ${answer.length}×${answer[0]?.length ?? 0}${transposed}`);
  }
  for (let i = 0; i < expected.length; i++) {
    // Stryker disable next-line EqualityOperator: j = cols compares two undefined entries (the output schema makes rows as long as the first)
    for (let j = 0; j < cols; j++) {
      if (answer[i][j] !== expected[i][j]) return fail(`entry [${i}][${j}] (${rowName} ${i}, ${colName} ${j}) is ${fmt(answer[i][j])}; expected ${fmt(expected[i][j])}`, { row: i, col: j });
    }
  }
  return pass();
}

// ── rankings ────────────────────────────────────────────────────────────────────────────────

/** Similarities closer than this are in either order (rounding); farther apart, in order. */
export const RANK_TOLERANCE = 1e-9;

/** b is a times a power of two (two zero rows included), so a's and b's cosines with any vector are equal to the last bit. */
export function sureTie(a: readonly number[], b: readonly number[]): boolean {
  const i = a.findIndex((x) => x !== 0);
  if (i < 0) return b.every((x) => x === 0);
  const ratio = b[i] / a[i];
  // log2 of a ratio ≤ 0 is NaN or −∞, never an integer; a power of two scales every entry exactly.
  return Number.isInteger(Math.log2(ratio)) && a.every((x, j) => x * ratio === b[j]);
}

/**
 * A ranking of candidates by cosine similarity to a target: `answer` must hold `count` distinct
 * candidates; at each rank the candidate's similarity must equal (to RANK_TOLERANCE) the rank's
 * similarity in the true order; and of two sure ties the lower index must come first (and be
 * chosen before a higher one is).
 */
export function checkRanking(answer: number[], vectors: Matrix, target: number[], candidates: number[], count: number, name: (i: number) => string): Verdict {
  const score = new Map(candidates.map((i) => [i, cosine(vectors[i], target)]));
  const sorted = [...score.values()].sort((a, b) => b - a);
  if (answer.length !== count) return fail(`expected ${count} results, got ${answer.length}`);
  const seen = new Set<number>();
  for (const [rank, i] of answer.entries()) {
    const similarity = score.get(i);
    if (similarity === undefined) return fail(`result ${rank} is ${name(i)}, which is not one of the candidates${Number.isInteger(i) && i >= 0 && i < vectors.length ? ' (a, b and c themselves are excluded)' : ''}`);
    if (seen.has(i)) return fail(`${name(i)} appears twice`);
    seen.add(i);
    // Stryker disable next-line EqualityOperator: two similarities exactly RANK_TOLERANCE apart, to the last bit, have probability zero
    if (Math.abs(similarity - sorted[rank]) > RANK_TOLERANCE) {
      // Stryker disable next-line EqualityOperator: the first answer exactly RANK_TOLERANCE above the least similarity, to the last bit, has probability zero
      const ascending = rank === 0 && similarity <= sorted[sorted.length - 1] + RANK_TOLERANCE;
      return fail(
        `result ${rank} is ${name(i)}, with cosine similarity ${fmt(similarity)}; the ${ordinal(rank + 1)} most similar has ${fmt(sorted[rank])}${ascending ? ' (most similar first: sort in decreasing order)' : ''}`,
        { rank },
      );
    }
  }
  for (const [rank, i] of answer.entries()) {
    const earlier = candidates.find((j) => j < i && sureTie(vectors[j], vectors[i]) && !answer.slice(0, rank).includes(j));
    if (earlier !== undefined) {
      return fail(`result ${rank} is ${name(i)}, but ${name(earlier)} is exactly as similar (the same direction) and has the lower index: equal similarities go in increasing index order`, { rank });
    }
  }
  return pass();
}

export function ordinal(n: number): string {
  const suffix = n % 10 === 1 && n % 100 !== 11 ? 'st' : n % 10 === 2 && n % 100 !== 12 ? 'nd' : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th';
  return `${n}${suffix}`;
}

// ── factorizations ──────────────────────────────────────────────────────────────────────────

/**
 * Tolerance of the factorization checks, relative to σ₁ (or σ₁²): a backward-stable SVD is
 * ~1e-14; one through the eigenvalues of XᵀX or Jacobi rotations ~1e-12 here. Wrong answers are
 * off by whole singular values.
 */
export const FACTOR_TOLERANCE = 1e-7;

const spectra = new Map<string, number[]>();
/** How many spectra `spectrum` keeps: a grading's few matrices, each checked many times. */
export const SPECTRA_KEPT = 8;

/**
 * The singular values of M, remembered by content: `mlgrade check` checks the same 502×502
 * PPMI matrix of the addresses a dozen times for each student (the answer, then nudged,
 * scrambled and moved), and its SVD costs 0.3 s where the hash costs 5 ms.
 */
export function spectrum(M: Matrix): number[] {
  const hash = createHash('sha256');
  // The row count and the numbers fix a rectangular matrix.
  hash.update(String(M.length));
  for (const row of M) hash.update(new Float64Array(row));
  const key = hash.digest('hex');
  let S = spectra.get(key);
  if (!S) {
    S = singularValues(M);
    spectra.set(key, S);
    if (spectra.size > SPECTRA_KEPT) spectra.delete(spectra.keys().next().value!);
  }
  return S;
}

/** σ_k > σ_{k+1} by a margin: then the span of the top k singular vectors is unique. */
export function hasGap(S: readonly number[], k: number): boolean {
  // Stryker disable next-line EqualityOperator: a gap of exactly 1e-6·σ₁, to the last bit, has probability zero
  return k >= S.length || S[k - 1] - S[k] > 1e-6 * S[0];
}

/** AᵀA; A has at least one row (answers reach it after their shape is checked). */
function gram(A: Matrix): Matrix {
  const k = A[0].length;
  return Array.from({ length: k }, (_, a) => Array.from({ length: k }, (__, b) => A.reduce((sum, row) => sum + row[a] * row[b], 0)));
}

/** The largest |A_ij − B_ij| over A's entries (B as large or larger), and where; B(i, j) gives B's entry. */
function worstEntry(A: Matrix, B: (i: number, j: number) => number): { error: number; i: number; j: number } {
  let worst = { error: 0, i: 0, j: 0 };
  A.forEach((row, i) =>
    row.forEach((a, j) => {
      const error = Math.abs(a - B(i, j));
      if (error > worst.error) worst = { error, i, j };
    }),
  );
  return worst;
}

/**
 * The largest |⟨E_i, E_j⟩ − ⟨F_i, F_j⟩| over all pairs of rows i, j, where, and the two inner
 * products there (when the largest is 0: i = j = 0, and got and want are 0). An inner product is the same to the bit either way round (the same products, added
 * in the same order), so the upper triangle holds every value, and the first worst pair in row
 * order of the whole matrix lies in it. With plain loops and no v × v matrices: building both
 * with `reduce` took 25 s of `mlgrade check text-embeddings` (a 1006-word vocabulary).
 */
export function worstInnerProduct(E: Matrix, F: Matrix): { error: number; i: number; j: number; got: number; want: number } {
  let worst = { error: 0, i: 0, j: 0, got: 0, want: 0 };
  // Stryker disable next-line EqualityOperator: a pass with i = E.length runs no inner loop
  for (let i = 0; i < E.length; i++) {
    for (let j = i; j < E.length; j++) {
      const got = dot(E[i], E[j]);
      const want = dot(F[i], F[j]);
      const error = Math.abs(got - want);
      if (error > worst.error) worst = { error, i, j, got, want };
    }
  }
  return worst;
}

/** Σ a_t·b_t over a's entries, added in order. */
function dot(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let t = 0; t < a.length; t++) sum += a[t] * b[t];
  return sum;
}

/** The diagonal matrix with these values, as an entry function. */
const diagonal =
  (values: readonly number[]) =>
  (i: number, j: number): number =>
    i === j ? values[i] : 0;
const entries = (B: Matrix) => (i: number, j: number) => B[i][j];

export interface LsaAnswer {
  documentVectors: Matrix;
  wordVectors: Matrix;
  singularValues: number[];
}

/**
 * LSA, sign-free: singular values as the reference's; wordVectors with orthonormal columns;
 * documentVectors = X·wordVectors; and documentVectorsᵀ·documentVectors = Σ_k² (which, with the
 * rest, makes the columns of wordVectors right singular vectors for σ₁ … σ_k).
 */
export function checkLsa(X: Matrix, k: number, answer: LsaAnswer, expectedSingularValues: readonly number[]): Verdict {
  const n = X.length;
  const d = X[0].length;
  const { documentVectors: D, wordVectors: W, singularValues: S } = answer;
  if (D.length !== n || D.some((row) => row.length !== k)) return fail(`documentVectors must be n×k = ${n}×${k} (one row per document), got ${D.length}×${D[0]?.length ?? 0}`);
  if (W.length !== d || W.some((row) => row.length !== k)) return fail(`wordVectors must be d×k = ${d}×${k} (one row per word), got ${W.length}×${W[0]?.length ?? 0}`);
  if (S.length !== k) return fail(`singularValues must hold k = ${k} numbers, got ${S.length}`);
  const sigma1 = expectedSingularValues[0];
  const checks: Verdict[] = [];
  // Stryker disable next-line EqualityOperator: an error of exactly the tolerance, to the last bit, has probability zero
  const wrong = S.findIndex((s, i) => Math.abs(s - expectedSingularValues[i]) > FACTOR_TOLERANCE * sigma1);
  if (wrong >= 0) checks.push(fail(`singularValues[${wrong}] is ${fmt(S[wrong])}; expected ${fmt(expectedSingularValues[wrong])}, the ${ordinal(wrong + 1)} largest singular value of X (X itself: do not centre it)`));
  const orthonormal = worstEntry(gram(W), diagonal(new Array<number>(k).fill(1)));
  // Stryker disable next-line EqualityOperator: an error of exactly the tolerance, to the last bit, has probability zero
  if (orthonormal.error > FACTOR_TOLERANCE) {
    checks.push(fail(`the columns of wordVectors are not orthonormal: entry (${orthonormal.i}, ${orthonormal.j}) of wordVectorsᵀ·wordVectors is off from the identity by ${fmt(orthonormal.error)} (wordVectors = V_k, unscaled)`));
  }
  const XW = X.map((row) => Array.from({ length: k }, (_, j) => row.reduce((sum, x, t) => sum + x * W[t][j], 0)));
  const rebuilt = worstEntry(D, entries(XW));
  // Stryker disable next-line EqualityOperator: an error of exactly the tolerance, to the last bit, has probability zero
  if (rebuilt.error > FACTOR_TOLERANCE * sigma1) {
    checks.push(fail(`documentVectors is not X·wordVectors: entry [${rebuilt.i}][${rebuilt.j}] differs by ${fmt(rebuilt.error)} (σ₁ = ${fmt(sigma1)}); documentVectors = U_k·Σ_k = X·V_k`));
  }
  const squares = worstEntry(gram(D), diagonal(expectedSingularValues.map((s) => s * s)));
  // Stryker disable next-line EqualityOperator: an error of exactly the tolerance, to the last bit, has probability zero
  if (squares.error > FACTOR_TOLERANCE * sigma1 * sigma1) {
    checks.push(
      fail(
        `documentVectorsᵀ·documentVectors should be diag(σ₁², …, σ_k²): entry (${squares.i}, ${squares.j}) is off by ${fmt(squares.error)} (σ₁² = ${fmt(sigma1 * sigma1)}); are the columns of wordVectors the top k right singular vectors, and documentVectors U_k scaled by Σ_k?`,
      ),
    );
  }
  return allOf(checks);
}

/**
 * Word embeddings U_k·sqrt(Σ_k), sign-free: EᵀE = Σ_k (column j's squared length is σ_j,
 * columns orthogonal), and where σ_k > σ_{k+1} the Gram matrix E·Eᵀ = U_k·Σ_k·U_kᵀ equals the
 * reference's (then it does not depend on the choice of singular vectors).
 */
export function checkWordEmbeddings(E: Matrix, v: number, k: number, expected: Matrix, singularValues: readonly number[]): Verdict {
  if (E.length !== v || E.some((row) => row.length !== k)) return fail(`expected ${v} rows (one per word) of k = ${k} numbers, got ${E.length} rows of ${E[0]?.length ?? 0}`);
  const sigma1 = singularValues[0];
  const G = gram(E);
  const columns = worstEntry(G, diagonal(singularValues));
  const checks: Verdict[] = [];
  // Stryker disable next-line EqualityOperator: an error of exactly the tolerance, to the last bit, has probability zero
  if (columns.error > FACTOR_TOLERANCE * sigma1) {
    checks.push(
      fail(
        columns.i === columns.j
          ? `column ${columns.i} of the embeddings has squared length ${fmt(G[columns.i][columns.i])}; U_k·sqrt(Σ_k)'s column j has squared length σ_j = ${fmt(singularValues[columns.i])}`
          : `columns ${columns.i} and ${columns.j} of the embeddings are not orthogonal (inner product ${fmt(G[columns.i][columns.j])}): the columns of U_k are`,
      ),
    );
  }
  if (hasGap(singularValues, k)) {
    const inner = worstInnerProduct(E, expected);
    // Stryker disable next-line EqualityOperator: an error of exactly the tolerance, to the last bit, has probability zero
    if (inner.error > FACTOR_TOLERANCE * sigma1) {
      checks.push(fail(`the embeddings' inner products differ from U_k·Σ_k·U_kᵀ: words ${inner.i} and ${inner.j} have ${fmt(inner.got)}, expected ${fmt(inner.want)}; use the top k singular vectors of M`));
    }
  }
  return allOf(checks);
}

// ── the State of the Union ──────────────────────────────────────────────────────────────────

/** The mean cosine similarity of each group's words with each other, and with the other groups' words. */
export function groupSimilarities(E: Matrix, vocabulary: readonly string[], groups: Readonly<Record<string, readonly string[]>>): Array<{ group: string; within: number; between: number }> {
  const row = (word: string): number[] => E[vocabulary.indexOf(word)];
  return Object.entries(groups).map(([group, words]) => {
    let within = 0;
    let pairs = 0;
    words.forEach((a, i) =>
      words.slice(i + 1).forEach((b) => {
        within += cosine(row(a), row(b));
        pairs++;
      }),
    );
    let between = 0;
    let others = 0;
    for (const [other, otherWords] of Object.entries(groups)) {
      if (other === group) continue;
      for (const a of words) {
        for (const b of otherWords) {
          between += cosine(row(a), row(b));
          others++;
        }
      }
    }
    return { group, within: within / pairs, between: between / others };
  });
}

/**
 * How much more similar a group's words must be to each other than to the other groups' words
 * (mean cosines). The reference's smallest margin over 16 variants (windows 2–6, k 20–60, 80 %
 * of the addresses): 0.24 (economy); U_k without sqrt(Σ_k) still exceeds it, which the Gram
 * check catches instead.
 */
export const GROUP_MARGIN = 0.1;

/** The share of documents whose most similar other document (cosine, ties to the lower index) is within `years` of it. */
export function nearestWithinYears(D: Matrix, years: readonly number[], span: number): number {
  // Rows scaled to length 1 once: then a cosine is a dot product (a zero row stays zero).
  const unit = D.map((row) => {
    const length = Math.hypot(...row);
    return row.map((x) => (length === 0 ? 0 : x / length));
  });
  let near = 0;
  for (let i = 0; i < unit.length; i++) {
    // The first other row always replaces these: its cosine is finite.
    // Stryker disable next-line UnaryOperator
    let best = -1;
    let bestScore = -Infinity;
    for (let j = 0; j < unit.length; j++) {
      if (j === i) continue;
      const s = unit[i].reduce((sum, x, t) => sum + x * unit[j][t], 0);
      if (s > bestScore) [best, bestScore] = [j, s];
    }
    if (Math.abs(years[best] - years[i]) <= span) near++;
  }
  return near / D.length;
}

/** Nearest speeches within ±20 years: the reference reaches 0.94 on all the addresses with k = 20, and 0.90–0.95 on 20 draws of 80 % of them with k from 15 to 30. */
export const ERA_SPAN = 20;
export const ERA_SHARE = 0.85;
