import * as tf from '@tensorflow/tfjs';
import { type CheckContext, defineAssignment, problem } from '../../grader/src/assignment/define.ts';
import type { Rng } from '../../grader/src/cases/rng.ts';
import { layersModel } from '../../grader/src/checks/tensors.ts';
import { matrix, vector } from '../../grader/src/checks/values.ts';
import { allOf, drawFigures, fail, invariant, pass, type Verdict } from '../../grader/src/checks/verdict.ts';
import { lineChart, textTable } from '../../grader/src/report/figures.ts';
import * as reference from '../../solutions/generalization/generalize.ts';
import { accuracy, CHI_SQUARE_P, classifierProblem, distance, featureSummary, independence, norm, times, uniformity } from './checks.ts';
import { centredDigits, flatDigits, fullDigits, gaussianMatrix, lowRankMatrix, type Matrix, pooledDigits, skewedLabels } from './data.ts';

const seedOf = (rng: Rng): number => rng.int(0, 2 ** 31 - 1);
const format = (v: number, digits = 3): string => String(Number(v.toPrecision(digits)));

// randomLabels

type LabelArgs = [number[], number, number];

/** One labelling three times: a seed, the same seed again, another seed. */
function labelCalls(labels: (rng: Rng) => number[], numClasses: number) {
  return (rng: Rng): LabelArgs[] => {
    const old = labels(rng);
    const seed = seedOf(rng);
    return [[old, numClasses, seed], [old, numClasses, seed], [old, numClasses, seed + 1]];
  };
}

function checkLabels(ctx: CheckContext<LabelArgs, number[]>): Verdict {
  const [old, numClasses, seed] = ctx.args;
  for (const [i, call] of ctx.calls.entries()) {
    const out = call.output;
    if (out.length !== old.length) return fail(`call ${i + 1}: ${out.length} labels for ${old.length} examples; expected one label per example`);
    const bad = out.findIndex((label) => !Number.isInteger(label) || label < 0 || label >= numClasses);
    if (bad >= 0) return fail(`call ${i + 1}: label ${bad} is ${out[bad]}; labels are whole numbers 0 … ${numClasses - 1}`);
  }
  const [first, again, other] = ctx.calls.map((c) => c.output);
  const seeded = allOf([
    invariant(first.every((v, i) => v === again[i]), `seed ${seed} twice gave two different labellings: draw every label from a generator seeded with seed`),
    invariant(first.some((v, i) => v !== other[i]), `seeds ${seed} and ${seed + 1} gave the same labels: the seed should change them`),
  ]);
  if (seeded.score < 1) return seeded;
  const uniform = uniformity(first, numClasses);
  const apart = independence(old, first, numClasses);
  const counts = `class counts ${uniform.counts.join(', ')}`;
  const verdict = allOf([
    // Stryker disable next-line EqualityOperator: a p-value exactly 1e-6 is as unlikely either way
    invariant(uniform.p >= CHI_SQUARE_P, `your ${first.length} labels are not spread evenly over the ${numClasses} classes (${counts}; chi-square ${format(uniform.statistic)} on ${uniform.dof} degrees of freedom, p = ${uniform.p.toExponential(1)}): draw each label uniformly from 0 … ${numClasses - 1}`),
    // Stryker disable next-line EqualityOperator: as above
    invariant(apart.p >= CHI_SQUARE_P, `your labels depend on the old ones (chi-square test of independence ${format(apart.statistic)} on ${apart.dof} degrees of freedom, p = ${apart.p.toExponential(1)}): draw each new label without looking at the old one`),
  ]);
  return verdict.score === 1 ? pass(`${counts}; p = ${format(uniform.p, 2)} against uniform, p = ${format(apart.p, 2)} for independence from the old labels`) : verdict;
}

/** The new labels are the old ones in another order: the same class counts, not the same list. */
function isPermutation(ctx: CheckContext<LabelArgs, number[]>): boolean {
  const old = ctx.args[0];
  const out = ctx.output;
  if (out.length !== old.length || out.every((v, i) => v === old[i])) return false;
  const sorted = (v: number[]) => [...v].sort((a, b) => a - b);
  const [a, b] = [sorted(old), sorted(out)];
  return a.every((v, i) => v === b[i]);
}

// memorize

type MemorizeArgs = [tf.Tensor4D, number[], { epochs: number; seed: number }];

/**
 * The network must get at least this fraction of its random training labels right. The
 * 784-512-10 MLP with Adam (0.001, batches of 32) reached 0.995–1.000 on 200 digits in 30
 * epochs (the reference, 4 draws) and 0.990–1.000 on 400 in 20 (the reference, 6 draws; the two
 * alternatives 0.990–0.998); what counts is the number of steps: 200 digits for 15 epochs gave
 * only 0.970–0.995. See docs/datasets.md. The first guess, 4 epochs for 200, gives 0.68–0.72.
 */
const MEMORIZED = 0.95;
/** Held-out digits with their true labels: near chance (a tenth). The same networks scored 0.07–0.17 on 500. */
const NEAR_CHANCE = 0.3;
const HELD_OUT = 500;

function memorizeArgs(count: number, epochs: number) {
  return (rng: Rng): MemorizeArgs => {
    const { pixels } = flatDigits(rng, count, 'train');
    const labels = Array.from({ length: count }, () => rng.int(0, 9));
    return [tf.tensor4d(pixels, [count, 28, 28, 1]), labels, { epochs, seed: seedOf(rng) }];
  };
}

/** The accuracy of the returned network on the random labels it was trained on. */
const trainingAccuracy = (ctx: CheckContext<MemorizeArgs, tf.LayersModel>): number => accuracy(ctx.output, ctx.args[0], ctx.args[1]);

function checkMemorize(ctx: CheckContext<MemorizeArgs, tf.LayersModel>): Verdict {
  const problem = classifierProblem(ctx.output);
  if (problem) return fail(problem);
  const [, labels, { epochs }] = ctx.args;
  const train = trainingAccuracy(ctx);
  const held = flatDigits(ctx.rng, HELD_OUT, 'test');
  const test = accuracy(ctx.output, held.pixels, held.labels);
  const summary = `trained for ${epochs} epochs on ${labels.length} digits with random labels, your network gets ${format(train)} of those labels right, and ${format(test)} of ${HELD_OUT} held-out digits' true labels`;
  const verdict = allOf([
    // Stryker disable next-line EqualityOperator: an accuracy of exactly 0.95 or 0.3 is a bar either way (190 of 200, 150 of 500)
    invariant(train >= MEMORIZED, `${summary}: it should memorise at least ${MEMORIZED} of its training labels`),
    // Stryker disable next-line EqualityOperator: as above
    invariant(test <= NEAR_CHANCE, `${summary}: a network that learned only random labels should be near chance (at most ${NEAR_CHANCE}) on the true labels of digits it never saw`),
  ]);
  const result = verdict.score === 1 ? pass(summary) : verdict;
  if (!ctx.visible) return result;
  return drawFigures(result, () => [
    textTable('Memorising random labels', ['digits', 'accuracy'], [
      [`the ${labels.length} training digits, on their random labels`, format(train)],
      [`${HELD_OUT} held-out digits, on their true labels`, format(test)],
    ], { caption: `Your network, measured by the grader. Training accuracy near 1 with test accuracy near 0.1 is memorisation: there is nothing to generalise from random labels.` }),
  ]);
}

// randomReluFeatures

type FeatureArgs = [Matrix, number, number];

/** The zeros of a ReLU of a symmetric variable: a half, in expectation. Allowed: 0.4 … 0.6. */
const ZEROS = [0.4, 0.6] as const;
/**
 * The mean of F² over its expectation, mean ‖x‖²/(2d). Its spread across draws of W is widest
 * when the rows are alike (digits): about 2.2/√p relative, 0.07 at p = 1000. Allowed: 0.7 … 1.4.
 */
const SECOND_MOMENT = [0.7, 1.4] as const;

/** Features of X, of X's first rows with the same seed (the same W), and of X with another seed. */
function featureCalls(X: (rng: Rng) => Matrix, p: number) {
  return (rng: Rng): FeatureArgs[] => {
    const rows = X(rng);
    const seed = seedOf(rng);
    return [[rows, p, seed], [rows.slice(0, Math.ceil(rows.length / 3)), p, seed], [rows, p, seed + 1]];
  };
}

function checkFeatures(ctx: CheckContext<FeatureArgs, Matrix>): Verdict {
  for (const [i, call] of ctx.calls.entries()) {
    const [rows, p] = call.args;
    if (call.output.length !== rows.length || call.output[0]?.length !== p) return fail(`call ${i + 1}: your features are ${call.output.length} × ${call.output[0]?.length ?? 0}; expected ${rows.length} × ${p} (a row of p features for each row of X)`);
  }
  const [first, part, other] = ctx.calls.map((c) => c.output);
  const [X, p, seed] = ctx.args;
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  const sameW = part.every((row, i) => row.every((v, j) => close(v, first[i][j])));
  if (!sameW) return fail(`with seed ${seed}, the features of X's first ${part.length} rows differ from the first rows of X's features: W must depend only on d, p and the seed (not on the rows or their number), so that training and test rows share it`);
  if (first.every((row, i) => row.every((v, j) => close(v, other[i][j])))) return fail(`seeds ${seed} and ${seed + 1} gave the same features: draw W from the seed`);
  const s = featureSummary(X, first);
  const measured = `${format(s.negative)} of your features are negative, ${format(s.zeros)} are zero, and their mean square is ${format(s.secondMoment)} × the expected ‖x‖²/(2d)`;
  const verdict = allOf([
    invariant(s.negative === 0, `${measured}: a ReLU feature is max(0, x·w), never negative`),
    // Stryker disable next-line EqualityOperator: a fraction of zeros exactly at a bound is as far inside as outside (the bands are 5σ wide)
    invariant(s.zeros >= ZEROS[0] && s.zeros <= ZEROS[1], `${measured}: about half of them should be zero (x·w is symmetric about 0, and the ReLU zeroes its negative half)`),
    // Stryker disable next-line EqualityOperator: as above, for the mean square
    invariant(s.secondMoment >= SECOND_MOMENT[0] && s.secondMoment <= SECOND_MOMENT[1], `${measured}: with W's entries N(0, 1/d), max(0, x·w)² has mean ‖x‖²/(2d) — check W's variance (1/d, so a standard deviation of 1/√d)`),
  ]);
  return verdict.score === 1 ? pass(`${p} features per row: ${format(s.zeros)} zero, mean square ${format(s.secondMoment)} × ‖x‖²/(2d)`) : verdict;
}

/** About half the features are negative: X·W without the ReLU. */
function withoutRelu(ctx: CheckContext<FeatureArgs, Matrix>): boolean {
  const s = featureSummary(ctx.args[0], ctx.output);
  // Stryker disable next-line EqualityOperator: fractions exactly at these bounds are measure-zero events
  return s.negative >= ZEROS[0] && s.negative <= ZEROS[1] && s.zeros < 0.01;
}

// minNormLeastSquares

type LeastSquaresArgs = [Matrix, number[]];

/** β may differ from A⁺y by this much relative to ‖A⁺y‖ (correct solvers in float64 agree to 2e-11 on these matrices). */
const RELATIVE = 1e-6;

function leastSquaresArgs(A: (rng: Rng) => Matrix) {
  return (rng: Rng): LeastSquaresArgs => {
    const matrix = A(rng);
    return [matrix, Array.from({ length: matrix.length }, () => rng.normal())];
  };
}

/** The grader's minimum-norm β, and what is wrong with the student's. */
function checkLeastSquares(ctx: CheckContext<LeastSquaresArgs, number[]>): Verdict {
  const [A, y] = ctx.args;
  const [n, p] = [A.length, A[0].length];
  const beta = ctx.output;
  const best = ctx.expected;
  if (beta.length !== p) return fail(`β has ${beta.length} entries; expected ${p}, one per column of A`);
  const off = distance(beta, best) / Math.max(norm(best), 1e-300);
  // Stryker disable next-line EqualityOperator: a relative difference of exactly 1e-6 is a bar either way
  if (off <= RELATIVE) return pass(`‖β − A⁺y‖ / ‖A⁺y‖ = ${off.toExponential(1)}`);
  const residual = norm(times(A, beta).map((v, i) => v - y[i]));
  const bestResidual = norm(times(A, best).map((v, i) => v - y[i]));
  const shape = `A is ${n} × ${p}${n < p ? ' (more columns than rows: infinitely many exact fits)' : n > p ? ' (more rows than columns)' : ''}`;
  return fail(`${shape}: your β is ${format(off)} × ‖A⁺y‖ away from the minimum-norm solution A⁺y (‖β‖ = ${format(norm(beta))} against ${format(norm(best))}; ‖Aβ − y‖ = ${format(residual)} against ${format(bestResidual)})`);
}

/** An under-determined A: β fits y exactly, but it is not the smallest such β. */
function exactFitNotSmallest(ctx: CheckContext<LeastSquaresArgs, number[]>): boolean {
  const [A, y] = ctx.args;
  // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: with as many rows as columns, or a β of the wrong length, no β both fits exactly and is longer than A⁺y (the fit is unique; the residual of a short β is NaN): the guard only says so early
  if (A.length >= A[0].length || ctx.output.length !== A[0].length) return false;
  const residual = norm(times(A, ctx.output).map((v, i) => v - y[i]));
  // Stryker disable next-line EqualityOperator,ArithmeticOperator: an exact fit is within 1e-12 of y, far inside either bar; a β exactly 1 + 1e-6 as long as A⁺y is a measure-zero event
  return residual <= 1e-6 * norm(y) && norm(ctx.output) > norm(ctx.expected) * (1 + 1e-6);
}

// doubleDescentCurve

type CurveArgs = [Matrix, number[], Matrix, number[], number[], number];

/**
 * The most over-parameterised model must beat the peak by this factor. Over the two cases'
 * inputs for 40 student draws (the reference) and 15 each (the two alternatives), 110 curves,
 * the peak was 12.7 × the error at the largest p or more; the peak's height varies most (it
 * follows the smallest singular value near p = n), so the bar leaves a factor of 3. Every peak
 * was within ±20 % of n, and no error outside that band exceeded a third of the band's largest.
 * See docs/datasets.md.
 */
const DESCENT = 4;
/** The peak's place: within ±20 % of the number of training rows, the interpolation threshold. */
const PEAK_BAND = 0.2;

function curveArgs(train: number, test: number, counts: number[]) {
  return (rng: Rng): CurveArgs => {
    const { trainX, trainY, testX, testY } = centredDigits(rng, train, test);
    return [trainX, trainY, testX, testY, counts, seedOf(rng)];
  };
}

function checkCurve(ctx: CheckContext<CurveArgs, number[]>): Verdict {
  const [trainX, , testX, , counts] = ctx.args;
  const curve = ctx.output;
  const n = trainX.length;
  if (curve.length !== counts.length) return fail(`${curve.length} errors for ${counts.length} feature counts; expected one per count, in order`);
  const negative = curve.findIndex((e) => e < 0);
  if (negative >= 0) return fail(`the error at p = ${counts[negative]} is ${curve[negative]}; a mean squared error is never negative`);
  const peak = curve.indexOf(Math.max(...curve));
  const last = curve.length - 1;
  const described = `your test error peaks at p = ${counts[peak]} (${format(curve[peak])}) and is ${format(curve[last])} at p = ${counts[last]}; n = ${n} training rows`;
  const verdict = allOf([
    invariant(Math.abs(counts[peak] - n) <= PEAK_BAND * n, `${described}: the peak should be at the interpolation threshold p ≈ n (within ±${PEAK_BAND * 100} %), where the features just suffice to fit the ${n} rows exactly`),
    invariant(curve[last] * DESCENT <= curve[peak], `${described}: past the threshold the error should come down again, to at most 1/${DESCENT} of the peak at the largest p`),
  ]);
  const result = verdict.score === 1 ? pass(described) : verdict;
  if (!ctx.visible) return result;
  const finite = curve.filter((e) => e > 0);
  const range: [number, number] = finite.length > 0 ? [Math.min(...finite), Math.max(...finite)] : [1, 10];
  return drawFigures(result, () => [
    lineChart('Your double-descent curve', [
      { name: 'test error', points: counts.map((p, i): [number, number] => [p, curve[i]]) },
      { name: `interpolation threshold p = n = ${n}`, points: [[n, range[0]], [n, range[1]]] },
    ], { xLabel: 'p (random ReLU features)', yLabel: 'test mean squared error', logY: true, caption: `Minimum-norm least squares on p random ReLU features of ${n} pooled and centred training digits, measured on ${testX.length} test digits.` }),
  ]);
}

/** Zero error from the interpolation threshold on: the training rows, which min-norm least squares fits exactly once p ≥ n. */
function reportsTrainingError(ctx: CheckContext<CurveArgs, number[]>): boolean {
  const [trainX, , , , counts] = ctx.args;
  const curve = ctx.output;
  if (curve.length !== counts.length) return false;
  const beyond = counts.map((p, i) => [p, i] as const).filter(([p]) => p >= trainX.length + 5);
  const top = Math.max(...curve);
  return beyond.length > 0 && top > 0 && beyond.every(([, i]) => curve[i] <= 1e-8 * top);
}

/** Each trains a network on wasm (about a second, more for 400 digits): checked for 5 student ids (2 graded in the sandbox, 3 replayed). */
const training = { checkStudents: 5 } as const;
/**
 * Random features of digits take 0.3–0.5 s per student replayed in `mlgrade check`: checked for
 * 10 student ids. Their distribution was measured on 100 draws of each case for the reference and
 * both alternatives (docs/datasets.md), well inside the bands.
 */
const features = { checkStudents: 10 } as const;
/** A double-descent curve takes 1.5–2 s (a 100 × 2000 SVD among others): checked for 10 student ids. */
const costly = { checkStudents: 10 } as const;

export default defineAssignment({
  id: 'generalization',
  title: 'Generalization: memorising random labels, and double descent',
  module: 'generalize.ts',
  tensors: true,
  problems: [
    problem({
      export: 'randomLabels',
      title: 'Random labels',
      points: 8,
      reference: reference.randomLabels,
      referenceUnused: true,
      output: vector,
      cases: [
        { name: '1000 MNIST training labels, 10 classes; a seed twice, then another', calls: labelCalls((rng) => flatDigits(rng, 1000, 'train').labels, 10) },
        { name: '1200 labels of 5 classes, about 70 % of them 0; a seed twice, then another', calls: labelCalls((rng) => skewedLabels(rng, 1200, 5, 0.7), 5) },
        { name: '3000 labels of 10 classes, about half of them 0', visibility: 'hidden', calls: labelCalls((rng) => skewedLabels(rng, 3000, 10, 0.5), 10) },
        { name: '500 labels, all 3, into 4 classes', visibility: 'hidden', calls: labelCalls(() => new Array<number>(500).fill(3), 4) },
      ],
      check: checkLabels,
      mistakes: [
        { id: 'labels-permuted', hint: 'Your labels are the old labels in another order: they keep the old class counts exactly. Shuffling is not randomising. Draw each new label on its own, uniformly from 0 … numClasses − 1 (for example Math.floor(random() * numClasses) with a seeded generator), whatever the old label was; the class counts then change too.', matches: isPermutation },
      ],
    }),
    problem({
      export: 'memorize',
      title: 'Memorising random labels',
      points: 14,
      timeoutMs: 60_000,
      reference: reference.memorize,
      referenceUnused: true,
      output: layersModel,
      cases: [
        { ...training, name: '200 MNIST training digits with random labels, 30 epochs', args: memorizeArgs(200, 30) },
        { ...training, name: '400 MNIST training digits with random labels, 20 epochs', visibility: 'hidden', args: memorizeArgs(400, 20) },
      ],
      check: checkMemorize,
      mistakes: [
        {
          id: 'memorize-one-epoch',
          hint: `Your network gets fewer than half of its own (random) training labels right. Memorising them takes every one of options.epochs passes over all the images, with the labels you are given and the network the spec names (784 → 512 ReLU → 10 softmax, Adam at 0.001, batches of 32): check each of these.`,
          // Stryker disable next-line EqualityOperator: an accuracy of exactly 0.5 is a bar either way
          matches: (ctx) => classifierProblem(ctx.output) === undefined && trainingAccuracy(ctx) < 0.5,
        },
      ],
    }),
    problem({
      export: 'randomReluFeatures',
      title: 'Random ReLU features',
      points: 10,
      // The reference takes about 0.3 s for 24 × 784 digits and p = 1000 on a busy machine.
      timeoutMs: 10_000,
      reference: reference.randomReluFeatures,
      referenceUnused: true,
      output: matrix,
      cases: [
        { name: '30 rows of 20 standard normal numbers, p = 2000; its first 10 rows; another seed', calls: featureCalls((rng) => gaussianMatrix(rng, 30, 20), 2000) },
        { ...features, name: '60 pooled MNIST digits (d = 196), p = 1000; the first 20; another seed', calls: featureCalls((rng) => pooledDigits(rng, 60, 'train').X, 1000) },
        { ...features, name: '24 MNIST digits (d = 784), p = 1000; the first 8; another seed', visibility: 'hidden', calls: featureCalls((rng) => fullDigits(rng, 24, 'test'), 1000) },
      ],
      check: checkFeatures,
      mistakes: [
        { id: 'features-no-relu', hint: 'About half of your features are negative: they are X·W without the ReLU. Random ReLU features are max(0, X·W), entry by entry.', matches: withoutRelu },
      ],
    }),
    problem({
      export: 'minNormLeastSquares',
      title: 'Minimum-norm least squares',
      points: 12,
      reference: reference.minNormLeastSquares,
      output: vector,
      cases: [
        { name: 'over-determined: A is 30 × 10', args: leastSquaresArgs((rng) => gaussianMatrix(rng, 30, 10)) },
        { name: 'under-determined: A is 10 × 30', args: leastSquaresArgs((rng) => gaussianMatrix(rng, 10, 30)) },
        { name: 'rank-deficient: A is 25 × 15 of rank 8', args: leastSquaresArgs((rng) => lowRankMatrix(rng, 25, 15, 8)) },
        { name: 'square: A is 20 × 20', visibility: 'hidden', args: leastSquaresArgs((rng) => gaussianMatrix(rng, 20, 20)) },
        { name: 'under-determined: random ReLU features of 40 pooled digits, p = 120', visibility: 'hidden', args: leastSquaresArgs((rng) => reference.randomReluFeatures(pooledDigits(rng, 40, 'train').X, 120, seedOf(rng))) },
        { name: 'under-determined and rank-deficient: A is 12 × 40 of rank 6', visibility: 'hidden', args: leastSquaresArgs((rng) => lowRankMatrix(rng, 12, 40, 6)) },
      ],
      check: checkLeastSquares,
      mistakes: [
        {
          id: 'normal-equations',
          hint: 'Your β fits every row exactly, but it is not the smallest such β. With more columns than rows there are infinitely many exact fits and AᵀA is singular, so solving the normal equations AᵀAβ = Aᵀy picks one of them, not the minimum-norm one. Use the pseudo-inverse: from the SVD A = UΣVᵀ, β = V Σ⁺ Uᵀ y, inverting only the singular values that are not zero.',
          matches: exactFitNotSmallest,
        },
      ],
    }),
    problem({
      export: 'doubleDescentCurve',
      title: 'The double-descent curve',
      points: 16,
      timeoutMs: 30_000,
      reference: reference.doubleDescentCurve,
      referenceUnused: true,
      output: vector,
      cases: [
        { ...costly, name: '100 pooled, centred training digits, 500 test digits, p from 10 to 2000', args: curveArgs(100, 500, [10, 25, 50, 75, 90, 100, 110, 125, 150, 200, 400, 1000, 2000]) },
        { ...costly, name: '80 pooled, centred training digits, 400 test digits, p from 10 to 1600', visibility: 'hidden', args: curveArgs(80, 400, [10, 40, 64, 72, 80, 88, 96, 120, 160, 320, 800, 1600]) },
      ],
      check: checkCurve,
      mistakes: [
        { id: 'curve-training-error', hint: 'Your errors drop to zero once p ≥ n: that is the training error (minimum-norm least squares fits the n training rows exactly from there on). Report the mean squared error on the test rows, with their features drawn with the same W (the same seed).', matches: reportsTrainingError },
      ],
    }),
    // mlgrade new-problem adds problems above this line.
  ],
});
