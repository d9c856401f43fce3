import * as tf from '@tensorflow/tfjs';
import { type CheckContext, defineAssignment, problem } from '../../grader/src/assignment/define.ts';
import type { Rng } from '../../grader/src/cases/rng.ts';
import { allClose } from '../../grader/src/checks/allclose.ts';
import { tensor } from '../../grader/src/checks/tensors.ts';
import { vector } from '../../grader/src/checks/values.ts';
import { allOf, drawFigures, fail, invariant, pass, type Verdict } from '../../grader/src/checks/verdict.ts';
import type { Figure } from '../../grader/src/result/schema.ts';
import { imageGrid } from '../../grader/src/report/figures.ts';
import * as reference from '../../solutions/understanding-layers/understand.ts';
import {
  activationsOf,
  ascend,
  type AscentOptions,
  bestTestImage,
  CALIBRATION_RUNS,
  calibrationRuns,
  channelsFirstValues,
  objectiveValues,
  pixelStats,
  SHARE_OF_LOWEST,
  sureTies,
  TEST_POOL,
  topKProblem,
  unitValues,
} from './checks.ts';
import { duplicatedImages, type Network, network, picture, SIDE, testImages } from './data.ts';

type Model = tf.LayersModel;
type X = tf.Tensor4D;
type ActivationArgs = [Model, string, X];
type TopArgs = [Model, string, number, X, number];
type AscentArgs = [Model, string, number, AscentOptions];

const seedOf = (rng: Rng): number => rng.int(0, 2 ** 31 - 1);
const format = (v: number, digits = 4): string => v.toPrecision(digits);

// layerActivations

/**
 * Activations are compared in float32: rtol = ACTIVATION_TOLERANCE, atol =
 * ACTIVATION_TOLERANCE·max|a|. The same network on the same backend gives the same numbers to
 * the last bit; run in another batch size or layer by layer they differ by float32 rounding
 * (~1e-6 relative). Another layer, or dropout left on, is off by far more.
 */
const ACTIVATION_TOLERANCE = 1e-4;

function activationCase(name: Network, layerName: string, count: number) {
  return (rng: Rng): ActivationArgs => [network(name), layerName, testImages(rng, count)];
}

function sameActivations(output: tf.Tensor, expected: tf.Tensor, what: string): Verdict {
  if (output.shape.join() !== expected.shape.join()) return fail(`${what} have shape [${output.shape.join(', ')}]; the layer's output for these images has shape [${expected.shape.join(', ')}]`);
  const want = expected.arraySync() as number[];
  const scale = tf.tidy(() => expected.abs().max().dataSync()[0]);
  return allClose(output.arraySync(), want, { name: what, rtol: ACTIVATION_TOLERANCE, atol: ACTIVATION_TOLERANCE * scale });
}

function checkActivations(ctx: CheckContext<ActivationArgs, tf.Tensor>): Verdict {
  const verdict = sameActivations(ctx.output, ctx.expected, 'your activations');
  const [model, layerName] = ctx.args;
  // On the other visible cases the drawing throws (the encoder has no conv1; a dense layer's
  // activations are not maps), and drawFigures keeps the verdict as it was.
  // Stryker disable next-line ConditionalExpression: see above
  if (!ctx.visible || verdict.score < 1 || layerName !== 'conv1') return verdict;
  return drawFigures(verdict, () => [filterPicture(model), featureMaps(ctx.output, ctx.args[2])]);
}

/** The first layer's filters, each its 3×3 weights drawn on its own grey scale (the lecture's edge detectors). */
function filterPicture(model: Model): Figure {
  const [kernel] = model.getLayer('conv1').getWeights();
  const [rows, cols, , channels] = kernel.shape;
  const w = kernel.arraySync() as number[][][][];
  const filters = Array.from({ length: channels }, (_, c) => Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, s) => w[r][s][0][c])));
  return imageGrid(`The ${channels} filters of digits-cnn's first layer`, filters, {
    columns: 8,
    scale: 12,
    range: 'each',
    caption: 'Each 3 × 3 kernel on its own scale, most negative weight black, most positive white: oriented edges, strokes and blobs. Every unit of conv1 is one of these slid across the image.',
  });
}

/** Image 0 of the case and the 32 maps of the student's conv1 activations for it. */
function featureMaps(output: tf.Tensor, images: X): Figure {
  const [, height, width, channels] = output.shape;
  const a = tf.tidy(() => output.slice([0, 0, 0, 0], [1, height, width, channels]).arraySync() as number[][][][])[0];
  const maps = Array.from({ length: channels }, (_, c) => a.map((row) => row.map((v) => v[c])));
  const digit = picture(images, 0).map((row) => row.slice(1, 1 + width)).slice(1, 1 + height);
  return imageGrid('Your conv1 activations for the first image', [digit, ...maps], {
    columns: 11,
    scale: 2,
    range: 'each',
    caption: `First the image (its central ${height} × ${width} pixels), then its ${channels} feature maps, each on its own scale: where each filter responds.`,
  });
}

/** The answer is the named layer's input (the previous layer's output, or the images for the first layer). */
function isLayerInput(ctx: CheckContext<ActivationArgs, tf.Tensor>): boolean {
  const [model, layerName, images] = ctx.args;
  const index = model.layers.findIndex((layer) => layer.name === layerName);
  return tf.tidy(() => {
    const before = index === 0 ? images : activationsOf(model, model.layers[index - 1].name, images);
    // Stryker disable next-line StringLiteral: the name only shapes a message the detector never reads
    return sameActivations(ctx.output, before, 'activations').score === 1;
  });
}

// topActivatingInputs

function topCase(name: Network, layerName: string, units: [number, number], count: number, k: number) {
  return (rng: Rng): TopArgs => [network(name), layerName, rng.int(...units), testImages(rng, count), k];
}

/**
 * A unit of the encoder's signed code whose largest |h| on the drawn images include at least
 * three negative h: there the order by h and the order by |h| differ.
 */
function signedCodeCase(count: number, k: number) {
  return (rng: Rng): TopArgs => {
    const model = network('digits-dae32');
    const x = testImages(rng, count);
    const all = tf.tidy(() => activationsOf(model, 'code', x).arraySync() as number[][]);
    const units = all[0].map((_, u) => u);
    const negativesAtTop = (u: number) => {
      const h = all.map((row) => row[u]);
      const top = h.map((_, i) => i).sort((a, b) => Math.abs(h[b]) - Math.abs(h[a]) || a - b).slice(0, k);
      return top.filter((i) => h[i] < 0).length;
    };
    const qualifying = units.filter((u) => negativesAtTop(u) >= 3);
    const unit = qualifying.length > 0 ? rng.pick(qualifying) : units.reduce((best, u) => (negativesAtTop(u) > negativesAtTop(best) ? u : best));
    return [model, 'code', unit, x, k];
  };
}

/**
 * A `features` unit that is exactly zero (a ReLU switched off) on all but a few of the drawn
 * images, with k larger than that few: the rest of the list is exact ties at 0, in index order.
 */
function mostlyZeroCase(count: number) {
  return (rng: Rng): TopArgs => {
    const model = network('digits-cnn');
    const x = testImages(rng, count);
    const all = tf.tidy(() => activationsOf(model, 'features', x).arraySync() as number[][]);
    const nonzero = all[0].map((_, u) => all.filter((row) => row[u] !== 0).length);
    const candidates = nonzero.flatMap((n, u) => (n >= 2 && n <= count / 4 ? [u] : []));
    const unit = candidates.length > 0 ? rng.pick(candidates) : nonzero.indexOf(Math.min(...nonzero.filter((n) => n > 0)));
    return [model, 'features', unit, x, nonzero[unit] + 6];
  };
}

function scoresOf([model, layerName, unit, images]: TopArgs): number[] {
  return unitValues(model, layerName, unit, images).map(Math.abs);
}

function checkTop(ctx: CheckContext<TopArgs, number[]>): Verdict {
  const [model, layerName, unit, images, k] = ctx.args;
  const scores = scoresOf(ctx.args);
  const problem = topKProblem(scores, ctx.output, k, sureTies(images, scores));
  if (problem !== undefined) return fail(problem);
  const verdict = pass(`your top ${k}: ${ctx.output.map((i) => `${i} (|h| = ${format(scores[i], 3)})`).join(', ')}`);
  if (!ctx.visible) return verdict;
  return drawFigures(verdict, () => [
    imageGrid(`The ${k} test images that drive ${layerName} unit ${unit} of ${model.name.replace(/_/g, '-')} hardest`, ctx.output.map((i) => picture(images, i)), {
      columns: k,
      scale: 3,
      range: [0, 1],
      caption: `Your list, largest |h| first: ${ctx.output.map((i) => format(scores[i], 3)).join(', ')}.`,
    }),
  ]);
}

/** `output` is a top-k list by the mistake's scores and not one by the right scores (so the two differ here). */
export function rankedLike(wrong: number[], right: number[], output: number[], k: number): boolean {
  return topKProblem(wrong, output, k) === undefined && topKProblem(right, output, k) !== undefined;
}

/** The answer is the top k by signed h, which on this case is not the top k by |h|. */
function isSigned(ctx: CheckContext<TopArgs, number[]>): boolean {
  const [model, layerName, unit, images, k] = ctx.args;
  return rankedLike(unitValues(model, layerName, unit, images), scoresOf(ctx.args), ctx.output, k);
}

/** The answer is the top k by the channels-first mistake's |h|, which on this case is not the top k by the channel's mean. */
function isChannelsFirst(ctx: CheckContext<TopArgs, number[]>): boolean {
  const [model, layerName, unit, images, k] = ctx.args;
  const wrong = channelsFirstValues(model, layerName, unit, images);
  return wrong !== undefined && rankedLike(wrong.map(Math.abs), scoresOf(ctx.args), ctx.output, k);
}

// activationMaximization

/**
 * Units and options of the ascent cases, each measured with the reference (see
 * docs/datasets.md): alive at every start (|h| > 0, so the gradient is not zero), and 60 runs
 * from different starts end within 10 % of each other, every one of them at or above 0.99 of the
 * lowest of the ten calibration runs (SHARE_OF_LOWEST asks for 0.9).
 */
const ASCENTS = {
  conv1: { network: 'digits-cnn' as Network, layer: 'conv1', units: [12, 21, 30, 31], options: { steps: 100, learningRate: 100, l2: 1e-4 } },
  code: { network: 'digits-dae32' as Network, layer: 'code', units: [1, 4, 10, 12, 16, 17, 23, 25, 28], options: { steps: 50, learningRate: 3, l2: 1e-4 } },
  conv1of04: { network: 'digits04-cnn' as Network, layer: 'conv1', units: [1, 23, 29], options: { steps: 100, learningRate: 100, l2: 1e-4 } },
};

/** Two calls with one seed: `steps: 0` (the start) and then the full ascent. */
function ascentCalls({ network: name, layer, units, options }: (typeof ASCENTS)[keyof typeof ASCENTS]) {
  return (rng: Rng): AscentArgs[] => {
    const unit = rng.pick(units);
    const seed = seedOf(rng);
    return [
      [network(name), layer, unit, { ...options, steps: 0, seed }],
      [network(name), layer, unit, { ...options, seed }],
    ];
  };
}

const IMAGE_SHAPE = [1, SIDE, SIDE, 1];
/** How far outside [0, 1] a pixel may be (float32 rounding of a clip is exact; this is slack only). */
const RANGE_SLACK = 1e-6;

function shapeProblem(output: X, label: string): Verdict | undefined {
  return output.shape.join() === IMAGE_SHAPE.join() ? undefined : fail(`${label}: your image has shape [${output.shape.join(', ')}]; it must be [${IMAGE_SHAPE.join(', ')}]`);
}

/** The start (steps = 0): pixels uniform in [0, 0.1): all inside, mean near 0.05, spread out (784 draws: the mean is 0.05 ± 0.001). */
function checkStart(start: X): Verdict {
  const { min, max, mean, std } = pixelStats(start);
  return invariant(
    // No float32 pixel, mean or deviation lies exactly on one of these bounds.
    // Stryker disable next-line EqualityOperator: see above
    min >= 0 && max < 0.1 + RANGE_SLACK && Math.abs(mean - 0.05) <= 0.01 && std >= 0.02,
    `with steps = 0 your function should return its starting image, pixels drawn uniformly from [0, 0.1); yours range over [${format(min)}, ${format(max)}] with mean ${format(mean)} and standard deviation ${format(std)} (uniform [0, 0.1) gives 0.05 and 0.029)`,
  );
}

function checkAscent(ctx: CheckContext<AscentArgs, X>): Verdict {
  const [startCall, finalCall] = ctx.calls;
  const [model, layerName, unit, options] = finalCall.args;
  const wrongShape = shapeProblem(startCall.output, 'steps = 0') ?? shapeProblem(finalCall.output, `steps = ${options.steps}`);
  if (wrongShape) return wrongShape;
  const start = checkStart(startCall.output);
  if (start.score < 1) return start;
  const { min, max } = pixelStats(finalCall.output);
  // Stryker disable next-line EqualityOperator: no float32 pixel is exactly 1e-6 outside [0, 1]
  if (min < -RANGE_SLACK || max > 1 + RANGE_SLACK) return fail(`your image has pixels from ${format(min)} to ${format(max)}; every pixel must stay in [0, 1]`);
  const [begun, reached] = [startCall.output, finalCall.output].map((x) => objectiveValues(model, layerName, unit, options.l2, x)[0]);
  const runs = calibrationRuns(model, layerName, unit, options);
  const lowest = Math.min(...runs);
  const best = bestTestImage(model, layerName, unit, options.l2);
  const what = `|h| − (l2/2)·‖x‖² at your image is ${format(reached)}`;
  const verdict = allOf([
    invariant(reached > begun, `${what}, not above its value at your starting image (${format(begun)}): ${options.steps} steps of gradient ascent must raise it`),
    invariant(
      // Stryker disable next-line EqualityOperator: J is never exactly 0.9 of the lowest run
      reached >= SHARE_OF_LOWEST * lowest,
      `${what}; the reference's runs from ${CALIBRATION_RUNS} seeds reach ${format(lowest)} to ${format(Math.max(...runs))}, and at least ${SHARE_OF_LOWEST} × ${format(lowest)} = ${format(SHARE_OF_LOWEST * lowest)} is required`,
    ),
    invariant(reached > best.value, `${what}, not above its value on the best of ${TEST_POOL} test images (${format(best.value)})`),
  ]);
  if (verdict.score < 1) return verdict;
  const summary = `${what} (from ${format(begun)} at your start); the reference's ${CALIBRATION_RUNS} runs: ${format(lowest)} to ${format(Math.max(...runs))}; the best of ${TEST_POOL} test images: ${format(best.value)}`;
  const passed = pass(summary);
  if (!ctx.visible) return passed;
  return drawFigures(passed, () => [
    imageGrid(`What ${layerName} unit ${unit} of ${model.name.replace(/_/g, '-')} responds to most`, [picture(startCall.output, 0), picture(finalCall.output, 0), chunk(best.image)], {
      columns: 3,
      scale: 4,
      range: [0, 1],
      caption: `Your start, your image after ${options.steps} steps (objective ${format(reached)}), and the best of ${TEST_POOL} test images (${format(best.value)}).`,
    }),
  ]);
}

const chunk = (flat: number[]): number[][] => Array.from({ length: SIDE }, (_, r) => flat.slice(r * SIDE, (r + 1) * SIDE));

/** Pixels outside [0, 1]: the ascent did not clip. */
function isUnclipped(ctx: CheckContext<AscentArgs, X>): boolean {
  const { min, max } = pixelStats(ctx.calls[1].output);
  // Stryker disable next-line EqualityOperator: no float32 pixel is exactly 1e-6 outside [0, 1]
  return min < -RANGE_SLACK || max > 1 + RANGE_SLACK;
}

/**
 * The answer is what gradient DESCENT reaches from the student's own start (the steps = 0
 * call's image), and on this case descent ends below the start while ascent would not.
 */
function isDescent(ctx: CheckContext<AscentArgs, X>): boolean {
  const [startCall, finalCall] = ctx.calls;
  const [model, layerName, unit, options] = finalCall.args;
  // (A final image of another shape is never close to the replay below.)
  if (startCall.output.shape.join() !== IMAGE_SHAPE.join()) return false;
  return tf.tidy(() => {
    const down = ascend(model, layerName, unit, options, startCall.output, -1);
    const close = allClose(finalCall.output.arraySync(), down.arraySync(), { atol: 1e-3, rtol: 0 }).score === 1;
    const [begun, descended] = [startCall.output, down].map((x) => objectiveValues(model, layerName, unit, options.l2, x)[0]);
    return close && descended < begun;
  });
}

/**
 * Cases that cost over 0.2 s for each student when `mlgrade check` replays the reference (an
 * ascent of 100 steps; a top-k over 200–300 images through the whole network): checked for
 * 5 student ids rather than 50 (2 graded through the sandbox, 3 replayed). Their calibration runs are
 * computed once per process.
 */
const costly = { checkStudents: 5 } as const;

export default defineAssignment({
  id: 'understanding-layers',
  title: 'What layers learn: activations, top images and activation maximisation',
  module: 'understand.ts',
  tensors: true,
  problems: [
    problem({
      export: 'layerActivations',
      title: 'A layer\'s activations',
      points: 10,
      timeoutMs: 20_000,
      reference: reference.layerActivations,
      output: tensor({ dtype: 'float32' }),
      cases: [
        { name: 'digits-cnn, conv1, 8 test images (26 × 26 × 32 numbers each)', args: activationCase('digits-cnn', 'conv1', 8) },
        { name: 'digits-cnn, features (the layer before the classifier), 16 test images', args: activationCase('digits-cnn', 'features', 16) },
        { name: 'the encoder e of digits-dae32, code, 16 test images', args: activationCase('digits-dae32', 'code', 16) },
        { name: 'digits04-cnn, conv2, 10 test images', visibility: 'hidden', args: activationCase('digits04-cnn', 'conv2', 10) },
        { name: 'digits-cnn, pool1, 6 test images', visibility: 'hidden', args: activationCase('digits-cnn', 'pool1', 6) },
      ],
      check: checkActivations,
      mistakes: [
        {
          id: 'activations-layer-input',
          hint: 'You returned what goes INTO the named layer (the output of the layer before it). Return what comes out of it: model.getLayer(layerName).output.',
          matches: isLayerInput,
        },
      ],
    }),
    problem({
      export: 'topActivatingInputs',
      title: 'The images a unit responds to most',
      points: 16,
      timeoutMs: 20_000,
      reference: reference.topActivatingInputs,
      output: vector,
      cases: [
        { ...costly, name: 'digits-cnn, conv2, a unit drawn for you, 200 test images, k = 9', exact: true, args: topCase('digits-cnn', 'conv2', [0, 10], 200, 9) },
        { ...costly, name: 'the encoder e of digits-dae32, code (signed), a unit drawn for you, 200 test images, k = 9', exact: true, args: signedCodeCase(200, 9) },
        { name: 'digits-cnn, conv1, a unit drawn for you, 20 test images each given twice, k = 10: exact ties', exact: true, args: (rng) => [network('digits-cnn'), 'conv1', rng.int(0, 31), duplicatedImages(rng, 20), 10] },
        { ...costly, name: 'digits-cnn, features, a unit drawn for you, 300 test images, k = 9', visibility: 'hidden', exact: true, args: topCase('digits-cnn', 'features', [0, 127], 300, 9) },
        { name: 'digits04-cnn, conv1, a unit drawn for you, 150 test images, k = 5', visibility: 'hidden', exact: true, args: topCase('digits04-cnn', 'conv1', [0, 25], 150, 5) },
        { name: 'digits-cnn, features, a unit that is zero on most of 60 test images; k larger than the rest', visibility: 'hidden', exact: true, args: mostlyZeroCase(60) },
      ],
      check: checkTop,
      mistakes: [
        {
          id: 'top-signed',
          hint: 'You ranked the images by h itself; rank them by its size |h|. A unit that can go negative (like the code units of the encoder) responds strongly to an image with h = −5 as well.',
          matches: isSigned,
        },
        {
          id: 'top-channels-first',
          hint: 'For a convolutional layer you averaged over the wrong axes, as if the activations were [N, channels, height, width] (PyTorch\'s layout). tfjs lays them out [N, height, width, channels]: the unit is the LAST axis; average over axes 1 and 2.',
          matches: isChannelsFirst,
        },
      ],
    }),
    problem({
      export: 'activationMaximization',
      title: 'Activation maximisation by gradient ascent',
      points: 24,
      timeoutMs: 30_000,
      reference: reference.activationMaximization,
      output: tensor<X>({ rank: 4, dtype: 'float32' }),
      cases: [
        { ...costly, name: 'digits-cnn, conv1, a unit drawn for you; 100 steps of 100, l2 = 1e-4 (steps = 0 first)', calls: ascentCalls(ASCENTS.conv1) },
        { ...costly, name: 'the encoder e of digits-dae32, code, a unit drawn for you; 50 steps of 3, l2 = 1e-4 (steps = 0 first)', calls: ascentCalls(ASCENTS.code) },
        { ...costly, name: 'digits04-cnn, conv1, a unit drawn for you; 100 steps of 100, l2 = 1e-4 (steps = 0 first)', visibility: 'hidden', calls: ascentCalls(ASCENTS.conv1of04) },
      ],
      check: checkAscent,
      mistakes: [
        {
          id: 'ascent-no-clip',
          hint: 'Some of your pixels are outside [0, 1]: clip every pixel to [0, 1] after EVERY step (not only at the end), so the ascent stays among images.',
          matches: isUnclipped,
        },
        {
          id: 'ascent-descends',
          hint: 'Your image is where gradient DESCENT goes from your start: the objective falls. Ascent moves x along the gradient, x + learningRate·∇, to make |h| − (l2/2)·‖x‖² larger.',
          matches: isDescent,
        },
      ],
    }),
    // mlgrade new-problem adds problems above this line.
  ],
});
