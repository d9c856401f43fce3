/**
 * Checks for the `pca` assignment. They test what is mathematically true of every correct
 * answer — orthonormality, reconstruction, Eckart–Young optimality, captured variance,
 * subspaces compared by principal angles — and never compare singular vectors entry by
 * entry, whose signs (and, for repeated singular values, whose basis) are free.
 */
import type { Rng } from '../../grader/src/cases/rng.ts';
import { allClose, formatNumber } from '../../grader/src/checks/allclose.ts';
import { allOf, fail, invariant, labelled, pass, type Verdict } from '../../grader/src/checks/verdict.ts';
import { centerColumns, frobeniusSquared, type Matrix, matMul, orthonormalityError, transpose } from '../../grader/src/linalg/dense.ts';
import { principalCosines } from '../../grader/src/linalg/subspace.ts';
import { singularValues, svd } from '../../grader/src/linalg/svd.ts';
import { columnMeans, normalized, orthonormalRows, populationScales } from './data.ts';

/** Orthonormality and reconstruction: a backward-stable SVD is ~1e-14 (eig(XᵀX) is worse for small σ: see orthonormalColumns). */
export const ORTHONORMALITY_TOLERANCE = 1e-8;
export const RELATIVE_TOLERANCE = 1e-8;
/** Rounding allowance for vectors computed through XᵀX (see orthonormalColumns): ~45ε. */
export const GRAM_ROUNDING = 1e-14;
/** For σᵢ near zero, σᵢ² is compared instead of σᵢ (see singularValuesMatch). */
export const SQUARED_TOLERANCE = 1e-12;
/** Singular values below this fraction of σ₁ count as zero: their vectors are not graded. */
export const ZERO_SINGULAR_VALUE = 1e-8;
/** The autoencoder: final loss within 2 % of the optimum, subspace cosines ≥ 0.99. */
export const AUTOENCODER_LOSS_SLACK = 0.02;
export const AUTOENCODER_MIN_COSINE = 0.99;
export const PROCRUSTES_MIN_CORRELATION = 0.9;

const fmt = (value: number): string => formatNumber(value);

export function shapeOf(M: Matrix): string {
  return `${M.length}×${M[0]?.length ?? 0}`;
}

function expectShape(name: string, M: Matrix, rows: number, cols: number, advice: string): Verdict | undefined {
  const width = M[0]?.length ?? 0;
  if (M.length === rows && (rows === 0 || width === cols)) return undefined;
  return fail(`${name} is ${shapeOf(M)}; expected ${rows}×${cols}${advice}`);
}

/** The top-k right singular vectors of A, as rows. */
export function topDirections(A: Matrix, k: number): Matrix {
  return transpose(svd(A).V).slice(0, k);
}

/**
 * The row spaces of A and B are the same k-dimensional subspace: both have k independent
 * rows and every principal-angle cosine is at least `minCosine`.
 */
export function sameSubspace(A: Matrix, B: Matrix, minCosine: number): boolean {
  const cosines = principalCosines(A, B);
  return cosines.length === A.length && cosines.length === B.length && Math.min(...cosines) >= minCosine;
}

/** σ_k > σ_{k+1} by a margin: then the best rank-k subspace is unique. */
export function hasGap(S: number[], k: number): boolean {
  if (k === 0 || k >= S.length) return true;
  return S[k - 1] - S[k] > 1e-6 * S[0];
}

function columnsOf(M: Matrix, count: number): Matrix {
  return Array.from({ length: count }, (_, j) => M.map((row) => row[j]));
}

// ── svd ──────────────────────────────────────────────────────────────────────────────────

export interface SvdAnswer {
  U: Matrix;
  S: number[];
  V: Matrix;
}

/**
 * The columns of U (or V) are orthonormal: entry (i, j) of QᵀQ − I must be within
 * max(1e-8, GRAM_ROUNDING·σ₁²/(σᵢσⱼ)). The second term is the rounding of any SVD computed
 * through the eigenvalues of XᵀX, whose vectors Xv/σ lose orthogonality like ε·σ₁²/(σᵢσⱼ)
 * (measured: up to 5.3e-7 on 6 of 2000 hidden "random shapes", whose σ_min is ~1e-4·σ₁ or
 * less; with this rule 0 of 2000 fail) — a correct method, which must not lose points;
 * GRAM_ROUNDING is ~45ε, a 45× margin. Wrong vectors are off by far more.
 */
function orthonormalColumns(name: 'U' | 'V', columns: Matrix, S: number[]): Verdict {
  let worst = { ratio: 0, error: 0, tolerance: ORTHONORMALITY_TOLERANCE, i: 0, j: 0 };
  for (let i = 0; i < columns.length; i++) {
    for (let j = i; j < columns.length; j++) {
      let dot = 0;
      for (let t = 0; t < columns[i].length; t++) dot += columns[i][t] * columns[j][t];
      const error = Math.abs(dot - (i === j ? 1 : 0));
      const tolerance = Math.max(ORTHONORMALITY_TOLERANCE, (GRAM_ROUNDING * S[0] * S[0]) / (S[i] * S[j]));
      if (error / tolerance > worst.ratio) worst = { ratio: error / tolerance, error, tolerance, i, j };
    }
  }
  const { error, tolerance, i, j } = worst;
  return invariant(
    worst.ratio <= 1,
    `the columns of ${name} are not orthonormal: entry (${i}, ${j}) of ${name}ᵀ${name} is off from the identity by ${fmt(error)} (tolerance ${fmt(tolerance)})`,
    { [`${name.toLowerCase()}Error`]: error },
  );
}

/**
 * Two singular values are the same to the grader's tolerance: within 1e-8·σ₁, or — for
 * (nearly) zero ones — their squares within 1e-12·σ₁². Equality and order use this one rule.
 */
export function sameSingularValue(a: number, b: number, sigma1: number): boolean {
  return Math.abs(a - b) <= RELATIVE_TOLERANCE * sigma1 || Math.abs(a * a - b * b) <= SQUARED_TOLERANCE * sigma1 * sigma1;
}

/**
 * S against the reference. Each σᵢ must agree to 1e-8·σ₁ — or, for (nearly) zero singular
 * values, σᵢ² must agree to 1e-12·σ₁²: a correct SVD through the eigenvalues of XᵀX gets a
 * zero σ as the square root of an eigenvalue of size ~ε·σ₁², i.e. ~1e-8·σ₁, and must not
 * lose points for it.
 */
function singularValuesMatch(S: number[], expected: number[]): Verdict {
  const sigma1 = expected[0];
  const wrong = S.map((s, i) => i).filter((i) => !sameSingularValue(S[i], expected[i], sigma1));
  if (wrong.length === 0) return pass();
  const i = wrong[0];
  return fail(
    `singular values: S[${i}] is ${fmt(S[i])}, expected ${fmt(expected[i])} (off by ${fmt(Math.abs(S[i] - expected[i]))}); ${wrong.length} of ${S.length} differ by more than ${RELATIVE_TOLERANCE}·σ₁`,
    { wrongSingularValues: wrong.length },
  );
}

export function checkSvd(X: Matrix, answer: SvdAnswer, expected: SvdAnswer): Verdict {
  const n = X.length;
  const d = X[0].length;
  const r = Math.min(n, d);
  const shape =
    expectShape('U', answer.U, n, r, ` (n×r with r = min(n, d) = ${r}: the thin SVD)`) ??
    expectShape('V', answer.V, d, r, ` (d×r with r = min(n, d) = ${r}: V's columns are the right singular vectors)`) ??
    (answer.S.length === r ? undefined : fail(`S has ${answer.S.length} entries; expected r = min(n, d) = ${r}`));
  if (shape) return shape;
  const { S } = answer;
  const sigma1 = expected.S[0];
  const checks: Verdict[] = [];
  const negative = S.findIndex((s) => s < 0 && !sameSingularValue(s, 0, sigma1));
  if (negative >= 0) checks.push(fail(`S[${negative}] = ${fmt(S[negative])} is negative; singular values are ≥ 0 (flip the sign of the matching column of U instead)`));
  // Out of order only by more than the tolerance of equality: a correct method may return
  // singular values that are zero up to rounding (~1e-8·σ₁ through √λ) in any order.
  const rise = S.findIndex((s, i) => i > 0 && s > S[i - 1] && !sameSingularValue(s, S[i - 1], sigma1));
  if (rise >= 0) checks.push(fail(`S is not sorted from the largest down: S[${rise - 1}] = ${fmt(S[rise - 1])} < S[${rise}] = ${fmt(S[rise])}`));
  checks.push(singularValuesMatch(S, expected.S));
  // Vectors belonging to zero singular values are not determined by X; only the others are graded.
  const significant = expected.S.filter((s) => s > ZERO_SINGULAR_VALUE * sigma1).length;
  checks.push(orthonormalColumns('U', columnsOf(answer.U, significant), expected.S));
  checks.push(orthonormalColumns('V', columnsOf(answer.V, significant), expected.S));
  const rebuilt = matMul(answer.U.map((row) => row.map((u, j) => u * S[j])), transpose(answer.V));
  const residual = Math.sqrt(frobeniusSquared(X.map((row, i) => row.map((v, j) => v - rebuilt[i][j]))) / Math.max(frobeniusSquared(X), Number.MIN_VALUE));
  checks.push(invariant(residual <= RELATIVE_TOLERANCE, `U·diag(S)·Vᵀ does not rebuild X: ‖X − U·diag(S)·Vᵀ‖_F / ‖X‖_F = ${fmt(residual)} (tolerance ${RELATIVE_TOLERANCE})`, { residual }));
  return allOf(checks);
}

// ── low-rank approximation ───────────────────────────────────────────────────────────────

export interface LowRankReport {
  verdict: Verdict;
  error: number;
  optimum: number;
}

/** Peak signal-to-noise ratio of an 8-bit image approximation: 10·log10(255² / MSE), in dB. */
export function psnr(squaredError: number, n: number, d: number): number {
  return 10 * Math.log10((255 * 255 * n * d) / squaredError);
}

/** Numbers stored for a rank-k approximation of an n×d matrix: U_k, Σ_k and V_k. */
export function rankKStorage(k: number, n: number, d: number): number {
  return k * (n + d + 1);
}

/** Mean squared error of projecting X onto random k-dimensional subspaces of its rows' space. */
export function randomProjectionError(X: Matrix, k: number, rng: Rng, draws = 5): number {
  if (k === 0) return frobeniusSquared(X);
  let total = 0;
  for (let t = 0; t < draws; t++) {
    const Q = orthonormalRows(rng, k, X[0].length);
    const projected = matMul(matMul(X, transpose(Q)), Q);
    total += frobeniusSquared(X.map((row, i) => row.map((v, j) => v - projected[i][j])));
  }
  return total / draws;
}

/** Singular values of a case's input, computed once when several calls share it (the photo at three k). */
const spectra = new WeakMap<Matrix, number[]>();
function spectrumOf(X: Matrix): number[] {
  let S = spectra.get(X);
  if (!S) spectra.set(X, (S = singularValues(X)));
  return S;
}

export function checkLowRank(X: Matrix, k: number, answer: Matrix, expected: Matrix): LowRankReport {
  const n = X.length;
  const d = X[0].length;
  const S = spectrumOf(X);
  const optimum = S.slice(k).reduce((sum, s) => sum + s * s, 0);
  const shape = expectShape('the approximation', answer, n, d, ' (the same shape as X)');
  if (shape) return { verdict: shape, error: NaN, optimum };
  const error = frobeniusSquared(X.map((row, i) => row.map((v, j) => v - answer[i][j])));
  const total = frobeniusSquared(X);
  const checks: Verdict[] = [];
  // With a gap after σ_k, X_k is unique and the answer is held to it entry by entry (the
  // stated tolerance). An answer within that tolerance can then have σ_{k+1} and an error
  // off the optimum by as much as the tolerance allows (‖E‖₂ ≤ ‖E‖_F): the invariants below
  // allow that much too, so they never fail an answer the stated tolerance accepts.
  const gap = hasGap(S, k);
  const tolerance = { rtol: 1e-6, atol: 1e-7 * Math.sqrt(total / (n * d)) };
  const slack = gap ? Math.sqrt(frobeniusSquared(expected.map((row) => row.map((v) => tolerance.atol + tolerance.rtol * Math.abs(v))))) : 0;
  const answerS = singularValues(answer);
  const extra = answerS[k] ?? 0;
  const rankBound = RELATIVE_TOLERANCE * S[0] + slack;
  checks.push(
    invariant(
      // Stryker disable next-line EqualityOperator: σ_{k+1} of the answer equal to the bound to the last bit has probability zero
      extra <= rankBound,
      `the answer has rank above k = ${k}: its singular value number ${k + 1} is ${fmt(extra)} (should be ≈ 0, at most ${fmt(rankBound)})`,
      { extraSingularValue: extra },
    ),
  );
  checks.push(
    invariant(
      // Stryker disable next-line EqualityOperator: an error off the optimum by exactly the allowance, to the last bit, has probability zero
      Math.abs(error - optimum) <= RELATIVE_TOLERANCE * optimum + 1e-12 * total + slack * (2 * Math.sqrt(optimum) + slack),
      `your rank-${k} error ‖X − X_k‖²_F is ${fmt(error)}; the Eckart–Young optimum is ${fmt(optimum)} (the sum of σᵢ² for i > ${k})`,
      { error, optimum },
    ),
  );
  if (gap) checks.push(allClose(answer, expected, { name: 'X_k', ...tolerance }));
  return { verdict: allOf(checks), error, optimum };
}

// ── pca ──────────────────────────────────────────────────────────────────────────────────

export interface PcaAnswer {
  mean: number[];
  scale: number[];
  components: Matrix;
  explainedVarianceRatio: number[];
  loadings: Matrix;
}

export function checkPca(X: Matrix, k: number, standardize: boolean, answer: PcaAnswer, expected: PcaAnswer): Verdict {
  const n = X.length;
  const d = X[0].length;
  const mean = columnMeans(X);
  const scale = standardize ? populationScales(X, mean) : mean.map(() => 1);
  // A loop, not Math.max(...X.flat()): spreading more than ~125,000 entries (300 MNIST images
  // of 784 pixels) into one call overflows the stack, and the check would crash on them.
  let spread = 0;
  for (const row of X) for (const v of row) spread = Math.max(spread, Math.abs(v));
  const checks: Verdict[] = [];
  checks.push(allClose(answer.mean, mean, { name: 'mean', rtol: 1e-9, atol: 1e-12 * spread }));
  checks.push(allClose(answer.scale, scale, { name: 'scale', rtol: 1e-9, atol: 0 }));
  const shape =
    // Stryker disable next-line OptionalChaining: reached only when answer.components.length === d ≥ 1, so components[0] exists
    expectShape('components', answer.components, k, d, ` (k×d: one principal direction per row${answer.components.length === d && answer.components[0]?.length === k ? '; yours has them as columns' : ''})`) ??
    expectShape('loadings', answer.loadings, n, k, ' (n×k: one loading vector per example)') ??
    (answer.explainedVarianceRatio.length === k ? undefined : fail(`explainedVarianceRatio has ${answer.explainedVarianceRatio.length} entries; expected k = ${k}`));
  if (shape) return allOf([...checks, shape]);
  const Z = normalized(X, mean, scale);
  const S = singularValues(Z);
  const total = S.reduce((sum, s) => sum + s * s, 0);
  const C = answer.components;
  const rowsError = orthonormalityError(C);
  checks.push(invariant(rowsError <= ORTHONORMALITY_TOLERANCE, `the rows of components are not orthonormal: C·Cᵀ differs from the identity by up to ${fmt(rowsError)}`, { rowsError }));
  // The variance each component captures, ‖Z·cᵢ‖², must be σᵢ²: true of every optimal answer, ties included.
  const captured = matMul(Z, transpose(C));
  const capturedVariance = Array.from({ length: k }, (_, i) => captured.reduce((sum, row) => sum + row[i] ** 2, 0));
  checks.push(
    labelled(
      'variance captured by each component (‖Z·cᵢ‖², which must equal σᵢ² of Z in order)',
      allClose(capturedVariance, S.slice(0, k).map((s) => s * s), { name: 'captured', rtol: 0, atol: RELATIVE_TOLERANCE * S[0] ** 2 }),
    ),
  );
  if (hasGap(S, k)) {
    const cosines = principalCosines(C, expected.components);
    const worst = Math.min(...cosines);
    checks.push(invariant(worst >= 1 - RELATIVE_TOLERANCE, `your components span a different subspace from the top-${k} principal directions: the smallest principal-angle cosine is 1 − ${fmt(1 - worst)} (it must be within ${RELATIVE_TOLERANCE} of 1)`, { worstCosine: worst }));
  }
  checks.push(
    labelled('explainedVarianceRatio', allClose(answer.explainedVarianceRatio, S.slice(0, k).map((s) => (s * s) / total), { name: 'explainedVarianceRatio', rtol: RELATIVE_TOLERANCE, atol: 1e-14 })),
  );
  const zScale = Math.sqrt(total / (n * d)) || 1;
  checks.push(labelled('loadings must equal Z·componentsᵀ (with your components)', allClose(answer.loadings, captured, { name: 'loadings', rtol: RELATIVE_TOLERANCE, atol: 1e-10 * zScale })));
  return allOf(checks);
}

// ── autoencoder ──────────────────────────────────────────────────────────────────────────

export interface AutoencoderAnswer {
  W1: Matrix;
  W2: Matrix;
  losses: number[];
}

/** Mean over examples of ‖x̃ − x̃·W1·W2‖² on centred data. */
export function autoencoderLoss(Xc: Matrix, W1: Matrix, W2: Matrix): number {
  const output = matMul(matMul(Xc, W1), W2);
  return frobeniusSquared(Xc.map((row, i) => row.map((v, j) => v - output[i][j]))) / Xc.length;
}

export interface AutoencoderReport {
  verdict: Verdict;
  loss: number;
  optimum: number;
}

export function checkAutoencoder(X: Matrix, k: number, epochs: number, answer: AutoencoderAnswer): AutoencoderReport {
  const d = X[0].length;
  const Xc = centerColumns(X).centered;
  const S = singularValues(Xc);
  const optimum = S.slice(k).reduce((sum, s) => sum + s * s, 0) / X.length;
  const shape =
    expectShape('W1', answer.W1, d, k, ' (d×k: the encoder)') ??
    expectShape('W2', answer.W2, k, d, ' (k×d: the decoder)') ??
    (answer.losses.length === epochs ? undefined : fail(`losses has ${answer.losses.length} entries; expected one per step (${epochs})`));
  if (shape) return { verdict: shape, loss: NaN, optimum };
  const loss = autoencoderLoss(Xc, answer.W1, answer.W2);
  const checks: Verdict[] = [];
  checks.push(
    invariant(
      loss <= (1 + AUTOENCODER_LOSS_SLACK) * optimum,
      `the trained autoencoder's loss is ${fmt(loss)}, ${fmt(loss / optimum)}× the optimum ${fmt(optimum)} that PCA reaches (Eckart–Young: Σ_{i>${k}} σᵢ² / n); it must be within ${AUTOENCODER_LOSS_SLACK * 100} %`,
      { loss, optimum },
    ),
  );
  const cosines = principalCosines(answer.W2, topDirections(Xc, k));
  // A W2 of rank below k spans fewer directions, and has fewer principal angles.
  const worst = cosines.length < k ? 0 : Math.min(...cosines);
  checks.push(
    invariant(
      worst >= AUTOENCODER_MIN_COSINE,
      cosines.length < k
        ? `the rows of W2 span only ${cosines.length} dimension${cosines.length === 1 ? '' : 's'}; the decoder must span the top-${k} principal subspace`
        : `the rows of W2 do not span the top-${k} principal subspace: principal-angle cosines ${cosines.map(fmt).join(', ')} (each must be ≥ ${AUTOENCODER_MIN_COSINE})`,
      { cosines },
    ),
  );
  const last = answer.losses[answer.losses.length - 1];
  checks.push(
    invariant(
      Math.abs(last - loss) <= 0.05 * loss + 1e-9,
      `losses[${epochs - 1}] is ${fmt(last)}, but the weights you returned have loss ${fmt(loss)}: losses must record the mean squared reconstruction error on the centred data`,
    ),
  );
  return { verdict: allOf(checks), loss, optimum };
}

