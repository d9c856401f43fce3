import { defineAssignment, problem } from '../../grader/src/assignment/define.ts';
import type { Rng } from '../../grader/src/cases/rng.ts';
import { allClose, allCloseFields } from '../../grader/src/checks/allclose.ts';
import { normRelativeError, numericalGradient, numericalGradientVector } from '../../grader/src/checks/gradient.ts';
import { deepClose, sameAs } from '../../grader/src/checks/mistakes.ts';
import { matrix, record, vector } from '../../grader/src/checks/values.ts';
import { allOf, fail, invariant, type Verdict } from '../../grader/src/checks/verdict.ts';
import * as reference from '../../solutions/cnn-layers/layers.ts';
import * as avgpoolKeepsPartialWindows from './mistakes/avgpool-keeps-partial-windows.ts';
import * as bnBackwardDbetaWrongAxis from './mistakes/bn-backward-dbeta-wrong-axis.ts';
import * as bnBackwardIgnoresStatistics from './mistakes/bn-backward-ignores-statistics.ts';
import * as bnForgetsEps from './mistakes/bn-forgets-eps.ts';
import * as bnInferenceUsesBatchStats from './mistakes/bn-inference-uses-batch-stats.ts';
import * as bnUnbiasedVariance from './mistakes/bn-unbiased-variance.ts';
import * as convFlipsKernel from './mistakes/conv-flips-kernel.ts';
import * as poolStrideOne from './mistakes/pool-stride-one.ts';
import * as poolgradAllTies from './mistakes/poolgrad-all-ties.ts';
import * as poolgradOverwrites from './mistakes/poolgrad-overwrites.ts';
import * as residualNoFinalRelu from './mistakes/residual-no-final-relu.ts';
import * as runningAverageSwapped from './mistakes/running-average-swapped.ts';

type Matrix = number[][];

/** Small integers: pooling windows then contain ties and maxima ≤ 0. */
const smallInts = (rng: Rng, rows: number, cols: number): Matrix => rng.matrix(rows, cols, () => rng.int(-4, 4));

/** Columns with their own offset and spread, as hidden units' pre-activations have. */
function featureColumns(rng: Rng, n: number, d: number): Matrix {
  const offsets = rng.vector(d, () => rng.uniform(-5, 5));
  const spreads = rng.vector(d, () => rng.pick([0.1, 1, 3]));
  return rng.matrix(n, d, () => 0).map((row) => row.map((_, j) => rng.normal(offsets[j], spreads[j])));
}

/** One column with variance ~1e-6, where leaving out eps changes the output visibly. */
function withNearlyConstantColumn(rng: Rng, z: Matrix): Matrix {
  const column = rng.int(0, z[0].length - 1);
  const level = rng.uniform(-2, 2);
  return z.map((row) => row.map((v, j) => (j === column ? level + rng.normal(0, 1e-3) : v)));
}

const LECTURE_MAX_POOL: Matrix = [[29, 15, 28, 184], [0, 100, 70, 38], [12, 12, 7, 2], [12, 12, 45, 6]];
const LECTURE_AVG_POOL: Matrix = [[31, 15, 28, 184], [0, 100, 70, 38], [12, 12, 7, 2], [12, 12, 45, 6]];

/**
 * The gradient check's threshold, on the norm-wise relative error ‖a − b‖ / (‖a‖ + ‖b‖)
 * between the answer and a fourth-order central difference whose step is 1e-3 of each
 * column's batch standard deviation. Measured on 9,000 random batches (3,000 from each case's
 * generator): the reference's worst is 4.5e-11; a dz that ignores the batch statistics gives
 * 6.8e-3 at least. Two earlier choices failed correct answers for about one student in a
 * hundred, on batches whose columns happen to vary little: the entry-wise relative error
 * (an entry near zero has a relative error of rounding noise; worst 1.9e-4) and a fixed
 * step of 1e-3 (too coarse for a column spread of 1e-3; worst 4.5e-5 even norm-wise).
 * Agreement with the reference is checked separately and more tightly (rtol 1e-6, atol 1e-9
 * per entry).
 */
const GRADIENT_CHECK_THRESHOLD = 1e-6;

function batchNormLoss(dout: Matrix, gamma: number[], beta: number[], eps: number) {
  return (z: Matrix, g = gamma, b = beta): number => {
    const out = reference.batchNormForward(z, g, b, eps).out;
    let loss = 0;
    for (let i = 0; i < out.length; i++) for (let j = 0; j < out[i].length; j++) loss += dout[i][j] * out[i][j];
    return loss;
  };
}

function gradientCheck(name: string, analytic: number[] | Matrix, numeric: number[] | Matrix): Verdict {
  const error = normRelativeError(analytic, numeric);
  return invariant(
    error <= GRADIENT_CHECK_THRESHOLD,
    `${name} disagrees with a numerical (central-difference) gradient: relative error ${error.toExponential(2)}, expected ≤ ${GRADIENT_CHECK_THRESHOLD}`,
    { [`${name}RelativeError`]: error },
  );
}

type DropoutArgs = Parameters<typeof reference.dropoutForward>;
type DropoutOutput = ReturnType<typeof reference.dropoutForward>;

/** z for a two-sided binomial test: a correct dropout fails with probability < 1e-6. */
const BINOMIAL_Z = 5;

function checkDropoutCall(args: DropoutArgs, output: DropoutOutput, label: string): Verdict {
  const [x, p, train] = args;
  const shape = allOf([
    allClose(output.out.map((r) => r.map(() => 0)), x.map((r) => r.map(() => 0)), { name: `${label}out` }),
    allClose(output.mask.map((r) => r.map(() => 0)), x.map((r) => r.map(() => 0)), { name: `${label}mask` }),
  ]);
  if (shape.score < 1) return shape;
  if (!train) {
    return allOf([
      allClose(output.out, x, { name: `${label}out`, rtol: 0, atol: 0 }),
      allClose(output.mask, x.map((r) => r.map(() => 1)), { name: `${label}mask`, rtol: 0, atol: 0 }),
    ]);
  }
  const scale = 1 / (1 - p);
  const entries = output.mask.flat();
  const badIndex = entries.findIndex((m) => m !== 0 && Math.abs(m - scale) > 1e-12 * scale);
  const cols = x[0].length;
  const checks: Verdict[] = [];
  if (badIndex >= 0) {
    const where = `${label}mask[${Math.floor(badIndex / cols)}][${badIndex % cols}]`;
    checks.push(fail(`${where} is ${entries[badIndex]}; every mask entry must be 0 (dropped) or 1/(1 − p) = ${scale} (kept and rescaled)`));
  }
  checks.push(allClose(output.out, x.map((row, i) => row.map((v, j) => v * output.mask[i][j])), { name: `${label}out`, rtol: 1e-12, atol: 0 }));
  const n = entries.length;
  const dropped = entries.filter((m) => m === 0).length;
  const sd = Math.sqrt(n * p * (1 - p));
  const low = n * p - BINOMIAL_Z * sd;
  const high = n * p + BINOMIAL_Z * sd;
  checks.push(
    invariant(
      dropped >= low && dropped <= high,
      `${label}dropped ${dropped} of ${n} entries (${(dropped / n).toFixed(3)}); with p = ${p} expected between ${Math.ceil(Math.max(0, low))} and ${Math.floor(high)}`,
    ),
  );
  return allOf(checks);
}

export default defineAssignment({
  id: 'cnn-layers',
  title: 'CNN layers: convolution, pooling, batch norm, dropout, residual blocks',
  module: 'layers.ts',
  // Each student pools one visible case with windows and a stride of their own (handout, section 2).
  variant: (rng) => ({ poolSize: rng.int(2, 3), poolStride: rng.int(1, 3) }),
  problems: [
    problem({
      export: 'conv2d',
      title: '2-D convolution (cross-correlation) with stride and zero padding',
      points: 10,
      reference: reference.conv2d,
      output: matrix,
      cases: [
        { name: '3×3 kernel, stride 1, no padding', args: (rng) => [rng.matrix(5, 6), rng.matrix(3, 3)] },
        { name: '3×2 kernel, stride 2 with a remainder, padding 1', args: (rng) => [rng.matrix(7, 8), rng.matrix(3, 2), 2, 1] },
        { name: '1×4 kernel, stride 3, padding 2', args: (rng) => [rng.matrix(6, 9), rng.matrix(1, 4), 3, 2] },
        {
          name: 'random shapes',
          visibility: 'hidden',
          weight: 2,
          args: (rng) => {
            const padding = rng.int(0, 2);
            const x = rng.matrix(rng.int(3, 11), rng.int(3, 11));
            const kernel = rng.matrix(rng.int(1, Math.min(4, x.length + 2 * padding)), rng.int(1, Math.min(4, x[0].length + 2 * padding)));
            return [x, kernel, rng.int(1, 3), padding];
          },
        },
      ],
      check: ({ output, expected }) => allClose(output, expected, { name: 'out' }),
      mistakes: [
        {
          id: 'conv-flips-kernel',
          hint: 'Your output matches a true convolution, which flips the kernel by 180°. Deep-learning "convolution" is cross-correlation: out[i][j] = Σ x[i·s + a][j·s + b] · kernel[a][b], with no flip.',
          matches: sameAs(convFlipsKernel.conv2d),
        },
      ],
    }),
    problem({
      export: 'maxPool2d',
      title: 'Max pooling',
      points: 8,
      reference: reference.maxPool2d,
      output: matrix,
      cases: [
        { name: "the lecture's example (2×2 windows, default stride)", args: () => [LECTURE_MAX_POOL, 2] },
        // The student's variant (see `variant` below), stated in their handout.
        { name: "your variant's windows and stride (see your handout), ties and negatives", args: (rng, variant) => [smallInts(rng, 7, 9), variant.poolSize as number, variant.poolStride as number] },
        { name: '2×2 windows, stride 3 (gaps, remainder dropped)', args: (rng) => [rng.matrix(9, 8), 2, 3] },
        { name: 'random shapes', visibility: 'hidden', weight: 2, args: (rng) => [smallInts(rng, rng.int(4, 12), rng.int(4, 12)), rng.int(2, 3), rng.int(1, 3)] },
      ],
      check: ({ output, expected }) => allClose(output, expected, { name: 'out' }),
      mistakes: [
        {
          id: 'pool-stride-one',
          hint: 'Your windows move one step at a time. Move them by `stride` (which defaults to the window size), and drop windows that do not fit: the output has floor((H − size)/stride) + 1 rows.',
          matches: sameAs(poolStrideOne.maxPool2d),
        },
      ],
    }),
    problem({
      export: 'avgPool2d',
      title: 'Average pooling',
      points: 6,
      reference: reference.avgPool2d,
      output: matrix,
      cases: [
        { name: "the lecture's example (2×2 windows, default stride)", args: () => [LECTURE_AVG_POOL, 2] },
        { name: '3×3 windows on 8×7 (windows that do not fit are dropped)', args: (rng) => [rng.matrix(8, 7), 3] },
        { name: '2×2 windows, stride 1', args: (rng) => [rng.matrix(5, 6), 2, 1] },
        { name: 'random shapes', visibility: 'hidden', weight: 2, args: (rng) => [rng.matrix(rng.int(4, 12), rng.int(4, 12)), rng.int(2, 4), rng.int(1, 4)] },
      ],
      check: ({ output, expected }) => allClose(output, expected, { name: 'out' }),
      mistakes: [
        {
          id: 'avgpool-keeps-partial-windows',
          hint: 'Your output keeps windows that run past the edge of the input. Like the deep-learning libraries, drop them: only windows that fit completely produce an output.',
          matches: sameAs(avgpoolKeepsPartialWindows.avgPool2d),
        },
      ],
    }),
    problem({
      export: 'maxPool2dBackward',
      title: 'Max pooling, backward pass',
      points: 10,
      dependsOn: ['maxPool2d'],
      reference: reference.maxPool2dBackward,
      output: matrix,
      cases: [
        {
          name: '2×2 windows, no overlap, ties',
          args: (rng) => {
            const x = smallInts(rng, 6, 6);
            return [rng.matrix(3, 3), x, 2];
          },
        },
        {
          name: '3×3 windows, stride 1 (overlapping windows accumulate)',
          args: (rng) => {
            const x = smallInts(rng, 5, 6);
            return [rng.matrix(3, 4), x, 3, 1];
          },
        },
        {
          name: 'all entries negative, stride 2 over 3×3 windows',
          args: (rng) => {
            const x = rng.matrix(7, 7, () => -rng.uniform(0.1, 3));
            return [rng.matrix(3, 3), x, 3, 2];
          },
        },
        {
          name: 'random shapes',
          visibility: 'hidden',
          weight: 2,
          args: (rng) => {
            const size = rng.int(2, 3);
            const stride = rng.int(1, 3);
            const x = smallInts(rng, rng.int(size, 10), rng.int(size, 10));
            const rows = Math.floor((x.length - size) / stride) + 1;
            const cols = Math.floor((x[0].length - size) / stride) + 1;
            return [rng.matrix(rows, cols), x, size, stride];
          },
        },
      ],
      check: ({ output, expected }) => allClose(output, expected, { name: 'dx' }),
      mistakes: [
        {
          id: 'poolgrad-overwrites',
          hint: 'Where windows overlap, one input can be the maximum of several windows; its gradient is the sum of theirs. Accumulate with += instead of assigning.',
          matches: sameAs(poolgradOverwrites.maxPool2dBackward),
        },
        {
          id: 'poolgrad-all-ties',
          hint: 'When several entries tie for a window\'s maximum, only one of them was selected in the forward pass: send the gradient to the first one in row-major order, not to all of them.',
          matches: sameAs(poolgradAllTies.maxPool2dBackward),
        },
      ],
    }),
    problem({
      export: 'batchNormForward',
      title: 'Batch normalization, forward pass (training)',
      points: 10,
      reference: reference.batchNormForward,
      output: record({ out: matrix, mean: vector, variance: vector }),
      cases: [
        {
          name: '8 examples × 3 features',
          args: (rng) => [featureColumns(rng, 8, 3), rng.vector(3, () => rng.uniform(0.5, 2)), rng.vector(3)],
        },
        {
          name: 'a nearly constant feature (eps matters)',
          args: (rng) => [withNearlyConstantColumn(rng, featureColumns(rng, 6, 4)), rng.vector(4, () => rng.uniform(0.5, 2)), rng.vector(4)],
        },
        {
          name: 'two examples, eps = 0.1',
          args: (rng) => [featureColumns(rng, 2, 5), rng.vector(5, () => rng.uniform(0.5, 2)), rng.vector(5), 0.1],
        },
        {
          name: 'random shapes',
          visibility: 'hidden',
          weight: 2,
          args: (rng) => {
            const d = rng.int(1, 8);
            return [withNearlyConstantColumn(rng, featureColumns(rng, rng.int(2, 20), d)), rng.vector(d, () => rng.uniform(-2, 2)), rng.vector(d)];
          },
        },
      ],
      check: ({ output, expected }) => allCloseFields(output, expected),
      mistakes: [
        {
          id: 'bn-unbiased-variance',
          hint: 'Your variance divides by n − 1. Batch norm uses the biased (population) variance over the batch: divide by n.',
          matches: sameAs(bnUnbiasedVariance.batchNormForward),
        },
        {
          id: 'bn-forgets-eps',
          hint: 'Your normalization divides by sqrt(variance). Add eps inside the square root, sqrt(variance + eps): it keeps a nearly constant feature from being blown up (or dividing by zero).',
          matches: sameAs(bnForgetsEps.batchNormForward),
        },
      ],
    }),
    problem({
      export: 'batchNormBackward',
      title: 'Batch normalization, backward pass',
      points: 12,
      reference: reference.batchNormBackward,
      output: record({ dz: matrix, dgamma: vector, dbeta: vector }),
      cases: [
        {
          name: '6 examples × 3 features',
          args: (rng) => [rng.matrix(6, 3), featureColumns(rng, 6, 3), rng.vector(3, () => rng.uniform(0.5, 2))],
        },
        {
          name: '10 examples × 4 features, negative gamma',
          args: (rng) => [rng.matrix(10, 4), featureColumns(rng, 10, 4), rng.vector(4, () => -rng.uniform(0.5, 2))],
        },
        {
          name: 'random shapes',
          visibility: 'hidden',
          weight: 2,
          args: (rng) => {
            const n = rng.int(3, 16);
            const d = rng.int(1, 6);
            return [rng.matrix(n, d), featureColumns(rng, n, d), rng.vector(d, () => rng.uniform(-2, 2))];
          },
        },
      ],
      check: ({ args, output, expected }) => {
        const matchesReference = allCloseFields(output, expected);
        // A dz of another shape cannot be gradient-checked; the comparison above already says what is wrong.
        if (!deepClose(output.dz.map((r) => r.length), expected.dz.map((r) => r.length))) return matchesReference;
        const [dout, z, gamma, eps = 1e-5] = args;
        const beta = gamma.map(() => 0);
        const loss = batchNormLoss(dout, gamma, beta, eps);
        const verdicts = [matchesReference];
        // Steps of 1e-3 of each column's spread (over the batch, as the forward pass sees it).
        const spreads = z[0].map((_, j) => {
          const mean = z.reduce((s, row) => s + row[j], 0) / z.length;
          return Math.sqrt(z.reduce((s, row) => s + (row[j] - mean) ** 2, 0) / z.length + eps);
        });
        verdicts.push(gradientCheck('dz', output.dz, numericalGradient((m) => loss(m), z, (_, j) => 1e-3 * spreads[j])));
        if (output.dgamma.length === gamma.length) verdicts.push(gradientCheck('dgamma', output.dgamma, numericalGradientVector((g) => loss(z, g), gamma)));
        if (output.dbeta.length === beta.length) verdicts.push(gradientCheck('dbeta', output.dbeta, numericalGradientVector((b) => loss(z, gamma, b), beta)));
        return allOf(verdicts);
      },
      mistakes: [
        {
          id: 'bn-backward-dbeta-wrong-axis',
          hint: 'dbeta has one entry per feature (column): sum dout over the examples (rows), not over the features.',
          matches: sameAs(bnBackwardDbetaWrongAxis.batchNormBackward),
        },
        {
          id: 'bn-backward-ignores-statistics',
          hint: 'The batch mean and variance depend on every z in the batch, so they must be differentiated too. Treating them as constants gives dout·gamma/sqrt(var + eps), which misses two terms.',
          matches: sameAs(bnBackwardIgnoresStatistics.batchNormBackward),
        },
      ],
    }),
    problem({
      export: 'batchNormInference',
      title: 'Batch normalization at inference time',
      points: 6,
      reference: reference.batchNormInference,
      output: matrix,
      cases: [
        {
          name: '5 examples × 3 features',
          args: (rng) => [featureColumns(rng, 5, 3), rng.vector(3, () => rng.uniform(0.5, 2)), rng.vector(3), rng.vector(3, () => rng.uniform(-3, 3)), rng.vector(3, () => rng.uniform(0.5, 4))],
        },
        {
          name: 'a single example',
          args: (rng) => [featureColumns(rng, 1, 4), rng.vector(4, () => rng.uniform(0.5, 2)), rng.vector(4), rng.vector(4, () => rng.uniform(-3, 3)), rng.vector(4, () => rng.uniform(0.5, 4))],
        },
        {
          name: 'random shapes',
          visibility: 'hidden',
          args: (rng) => {
            const d = rng.int(1, 6);
            return [featureColumns(rng, rng.int(1, 12), d), rng.vector(d), rng.vector(d), rng.vector(d), rng.vector(d, () => rng.uniform(0.1, 4)), rng.uniform(1e-5, 1e-2)];
          },
        },
      ],
      check: ({ output, expected }) => allClose(output, expected, { name: 'out' }),
      mistakes: [
        {
          id: 'bn-inference-uses-batch-stats',
          hint: 'At inference time, normalize with the running mean and variance gathered during training, not with the statistics of the batch in front of you (a batch may hold a single example).',
          matches: sameAs(bnInferenceUsesBatchStats.batchNormInference),
        },
      ],
    }),
    problem({
      export: 'updateRunningAverage',
      title: 'Running averages of the batch statistics',
      points: 4,
      reference: reference.updateRunningAverage,
      output: vector,
      cases: [
        { name: 'momentum 0.9', args: (rng) => [rng.vector(4), rng.vector(4), 0.9] },
        { name: 'momentum 0.7, 6 features', args: (rng) => [rng.vector(6), rng.vector(6), 0.7] },
        { name: 'random momentum', visibility: 'hidden', args: (rng) => [rng.vector(5), rng.vector(5), rng.uniform(0.55, 0.99)] },
      ],
      check: ({ output, expected }) => allClose(output, expected, { name: 'running' }),
      mistakes: [
        {
          id: 'running-average-swapped',
          hint: 'Momentum is the weight of the old running value: momentum·running + (1 − momentum)·batch. Yours weights the new batch by the momentum.',
          matches: sameAs(runningAverageSwapped.updateRunningAverage),
        },
      ],
    }),
    problem({
      export: 'dropoutForward',
      title: 'Inverted dropout',
      points: 10,
      reference: reference.dropoutForward,
      output: record({ out: matrix, mask: matrix }),
      cases: [
        {
          name: 'training, p = 0.3: mask values, scale, dropped fraction, same and different seeds',
          calls: (rng) => {
            const x = rng.matrix(40, 50);
            const seed = rng.int(0, 1e6);
            return [[x, 0.3, true, seed], [x, 0.3, true, seed], [x, 0.3, true, seed + 1]];
          },
        },
        {
          name: 'training, p = 0.75',
          calls: (rng) => {
            const x = rng.matrix(30, 40);
            const seed = rng.int(0, 1e6);
            return [[x, 0.75, true, seed], [x, 0.75, true, seed], [x, 0.75, true, seed + 7]];
          },
        },
        // Returning the input involves no arithmetic: compared exactly.
        { name: 'evaluation mode is the identity', exact: true, args: (rng) => [rng.matrix(6, 7), 0.5, false, rng.int(0, 1e6)] },
        {
          name: 'random p',
          visibility: 'hidden',
          weight: 2,
          calls: (rng) => {
            const x = rng.matrix(rng.int(30, 60), rng.int(30, 60));
            const p = rng.pick([0.1, 0.2, 0.4, 0.6, 0.9]);
            const seed = rng.int(0, 1e6);
            return [[x, p, true, seed], [x, p, true, seed], [x, p, true, seed + 1]];
          },
        },
      ],
      check: ({ calls }) => {
        const verdicts = calls.map((call, i) => checkDropoutCall(call.args, call.output, calls.length > 1 ? `call ${i + 1}: ` : ''));
        if (calls.length === 3 && verdicts.every((v) => v.score === 1)) {
          verdicts.push(invariant(deepClose(calls[0].output.mask, calls[1].output.mask, { rtol: 0, atol: 0 }), 'the same seed gave two different masks; dropout must be reproducible from its seed'));
          verdicts.push(invariant(!deepClose(calls[0].output.mask, calls[2].output.mask, { rtol: 0, atol: 0 }), 'two different seeds gave the same mask; the mask must come from a generator seeded with `seed`'));
        }
        return allOf(verdicts);
      },
      mistakes: [
        {
          id: 'dropout-no-rescale',
          hint: 'Your kept entries are multiplied by 1. In inverted dropout they are scaled by 1/(1 − p), so each output keeps the expected value of its input and evaluation needs no change.',
          matches: ({ calls }) => calls.some(({ args, output }) => args[2] && args[1] > 0 && output.mask.flat().every((m) => m === 0 || m === 1)),
        },
        {
          id: 'dropout-keep-probability',
          hint: 'p is the probability of dropping an entry, not of keeping it: drop with probability p and scale the survivors by 1/(1 − p).',
          matches: ({ calls }) =>
            calls.some(({ args, output }) => {
              const [, p, train] = args;
              const kept = output.mask.flat().filter((m) => m !== 0);
              return train && p !== 0.5 && kept.length > 0 && kept.every((m) => Math.abs(m - 1 / p) < 1e-9 * (1 / p));
            }),
        },
      ],
    }),
    problem({
      export: 'residualForward',
      title: 'A residual block',
      points: 8,
      reference: reference.residualForward,
      output: matrix,
      cases: [
        { name: '4 examples, d = 3, hidden 5', args: (rng) => [rng.matrix(4, 3), rng.matrix(3, 5), rng.matrix(5, 3)] },
        { name: '7 examples, d = 6, hidden 2', args: (rng) => [rng.matrix(7, 6), rng.matrix(6, 2), rng.matrix(2, 6)] },
        {
          name: 'random shapes',
          visibility: 'hidden',
          args: (rng) => {
            const d = rng.int(1, 8);
            const h = rng.int(1, 8);
            return [rng.matrix(rng.int(1, 10), d), rng.matrix(d, h), rng.matrix(h, d)];
          },
        },
      ],
      check: ({ output, expected }) => allClose(output, expected, { name: 'out' }),
      mistakes: [
        {
          id: 'residual-no-final-relu',
          hint: 'Some of your outputs are negative: the block applies a ReLU after adding the shortcut, relu(x + relu(x·w1)·w2).',
          matches: sameAs(residualNoFinalRelu.residualForward),
        },
      ],
    }),
    // mlgrade new-problem adds problems above this line.
  ],
});
