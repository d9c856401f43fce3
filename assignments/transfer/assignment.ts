import * as tf from '@tensorflow/tfjs';
import { type CheckContext, defineAssignment, problem } from '../../grader/src/assignment/define.ts';
import type { Rng } from '../../grader/src/cases/rng.ts';
import { allClose } from '../../grader/src/checks/allclose.ts';
import { layersModel } from '../../grader/src/checks/tensors.ts';
import { matrix, record, vector } from '../../grader/src/checks/values.ts';
import { allOf, drawFigures, fail, invariant, pass, type Verdict } from '../../grader/src/checks/verdict.ts';
import type { Figure } from '../../grader/src/result/schema.ts';
import { imageGrid, textTable } from '../../grader/src/report/figures.ts';
import * as reference from '../../solutions/transfer/transfer.ts';
import {
  acceptedLabels,
  accuracy,
  cosinePredict,
  drawEpisodes,
  episodeAccuracies,
  largestLogit,
  lastTiePredict,
  logits,
  nearestPredict,
  type Matrix,
  meanInterval,
  objective,
  optimum,
  pairwiseSquaredDistances,
  pixelRows,
  type Softmax,
  unitRows,
} from './checks.ts';
import { blobs, episode, type Images, joined, layerFeatures, outputRows, NEW_DIGITS, penultimateLayer, PIXELS, querySet, SIDE, SOURCE_MODEL, supportSet, testCount, truncated, zoo } from './data.ts';

type Model = tf.LayersModel;
type X = tf.Tensor4D;
type TrainOptions = { epochs: number; learningRate: number; l2: number; seed: number };
type TrainArgs = [Matrix, number[], number, TrainOptions];
type FewShotArgs = [Model, X, number[], X];

const seedOf = (rng: Rng): number => rng.int(0, 2 ** 31 - 1);
const ALL_DIGITS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
const format = (v: number): string => v.toFixed(3);

// featureExtractor

/**
 * Features are compared in float32: allClose with rtol = FEATURE_TOLERANCE and atol =
 * FEATURE_TOLERANCE·max|f|, against the layer's output computed by the grader (or, for
 * extractFeatures, the reference's features). The same network on the same backend gives the
 * same numbers to the last bit; a model rebuilt from its artifacts in another process, or run
 * in other batch sizes, differs by float32 rounding (~1e-6 relative). A network whose weights
 * moved by one step of training, or another layer's output, is off by far more.
 */
const FEATURE_TOLERANCE = 1e-4;
/** Weights count as unchanged within this share of the largest weight of their tensor (a float32 nudge is 1e-6). */
const WEIGHT_TOLERANCE = 1e-5;

/** 24 images the student's code never saw: test digits of all ten classes. */
function probeImages(rng: Rng): X {
  return querySet(rng, 24, ALL_DIGITS).x;
}

/** `got` against `want` (FEATURE_TOLERANCE); `source` names where `want` comes from, for the message on a wrong width. */
function sameFeatures(got: number[][], want: number[][], name: string, source: string): Verdict {
  // Never empty: row counts are checked first, and probes have 24 images.
  const width = (m: number[][]) => m[0].length;
  if (width(got) !== width(want)) return fail(`${name} have ${width(got)} numbers per image; ${source} has ${width(want)}`);
  const scale = Math.max(...want.flat().map(Math.abs));
  return allClose(got, want, { name, atol: FEATURE_TOLERANCE * scale, rtol: FEATURE_TOLERANCE });
}

/**
 * How the extractor's weights compare with the first weights of the model it was built from:
 * whether their shapes are those, and the largest change relative to each tensor's largest
 * weight. A correct extractor holds the model's own weights, unchanged.
 */
export function weightChange(extractor: Model, model: Model): { sameShapes: boolean; largest: number } {
  const mine = extractor.getWeights();
  const theirs = model.getWeights().slice(0, mine.length);
  const sameShapes = mine.length === theirs.length && mine.every((w, i) => w.shape.join() === theirs[i].shape.join());
  if (!sameShapes) return { sameShapes, largest: Infinity };
  let largest = 0;
  mine.forEach((w, i) => {
    const a = w.dataSync();
    const b = theirs[i].dataSync();
    let scale = 0;
    let worst = 0;
    for (let j = 0; j < b.length; j++) {
      scale = Math.max(scale, Math.abs(b[j]));
      worst = Math.max(worst, Math.abs(a[j] - b[j]));
    }
    largest = Math.max(largest, worst / (scale || 1));
  });
  return { sameShapes, largest };
}

function checkExtractor(ctx: CheckContext<[Model], Model>): Verdict {
  const [model] = ctx.args;
  const x = probeImages(ctx.rng);
  try {
    const verdict = sameFeatures(outputRows(ctx.output, x), layerFeatures(model, penultimateLayer(model), x), 'your extractor\'s features', 'the layer before the classifier');
    if (verdict.score < 1) return verdict;
    const change = weightChange(ctx.output, model);
    return invariant(
      // A float32 ratio never equals the tolerance exactly, so < and ≤ agree.
      // Stryker disable next-line EqualityOperator: see above
      change.largest <= WEIGHT_TOLERANCE,
      `your extractor's weights are not the model's: the largest change is ${change.largest.toExponential(2)} of a tensor's largest weight. Reuse the trained layers as they are; do not train, re-initialise or copy them approximately`,
    );
  } finally {
    x.dispose();
  }
}

/** The extractor gives the model's own output: the classifier's softmax probabilities. */
function isWholeModel(ctx: CheckContext<[Model], Model>): boolean {
  const x = probeImages(ctx.rng);
  try {
    // Stryker disable next-line StringLiteral: the names only shape a message the detector never reads
    return sameFeatures(outputRows(ctx.output, x), outputRows(ctx.args[0], x), 'probabilities', 'the model\'s output').score === 1;
  } finally {
    x.dispose();
  }
}

/** The extractor has the architecture of the model's first layers but other weights. */
function isChanged(ctx: CheckContext<[Model], Model>): boolean {
  const change = weightChange(ctx.output, ctx.args[0]);
  // Stryker disable next-line EqualityOperator: a float32 ratio never equals the tolerance exactly
  return change.sameShapes && change.largest > WEIGHT_TOLERANCE;
}

// extractFeatures and the experiment

/** Each new digit's support candidates in the experiment, and how many support sets are drawn for each shot count. */
const POOL_PER_DIGIT = 60;
const EPISODES = 300;
const SHOTS = [1, 5];
/**
 * The claim graded: 1-NN on the network's penultimate features beats 1-NN on raw pixels by at
 * least this much, at one shot and at five. Measured with the reference on 30 seeds (60
 * candidates per digit, all 975 test images of 5–9 as queries, 300 support sets each):
 * features − pixels was 0.065–0.113 (mean 0.082) at one shot and 0.044–0.080 (mean 0.065)
 * at five; the softmax outputs instead of the features are 0.05–0.26 BELOW pixels.
 */
const FEATURE_MARGIN = 0.02;
const EXPERIMENT = `the experiment: ${POOL_PER_DIGIT} labelled train images of each digit 5–9, and every test image of 5–9 as a query`;

function experimentImages(rng: Rng): Images {
  return joined(supportSet(rng, POOL_PER_DIGIT), querySet(rng, testCount()));
}

interface Row {
  name: string;
  accuracies: number[][];
}

/** The experiment on the student's features: 300 support sets per shot count, 1-NN on pixels, features and unit-length features. */
function runExperiment(ctx: CheckContext<[Model, X], Matrix>): { rows: Row[]; episodes: number[][][] } {
  const { labels, x } = experimentImages(ctx.inputRng());
  x.dispose();
  const pool = NEW_DIGITS.length * POOL_PER_DIGIT;
  const poolClasses = labels.slice(0, pool);
  const queryClasses = labels.slice(pool);
  const representations: Array<[string, () => tf.Tensor2D]> = [
    ['raw pixels (784)', () => ctx.args[1].reshape([ctx.args[1].shape[0], -1])],
    [`your features (${ctx.output[0].length})`, () => tf.tensor2d(ctx.output)],
    ['your features scaled to length 1', () => tf.tensor2d(unitRows(ctx.output).map((row) => Array.from(row)))],
  ];
  const episodes = SHOTS.map((shots) => drawEpisodes(ctx.rng, poolClasses, shots, EPISODES));
  const rows = representations.map(([name, make]) => {
    const d = tf.tidy(() => {
      const all = make();
      return pairwiseSquaredDistances(all.slice(0, pool), all.slice(pool));
    });
    return { name, accuracies: episodes.map((e) => episodeAccuracies(d, queryClasses, poolClasses, e)) };
  });
  return { rows, episodes };
}

/** The claim, at one shot count: mean 1-NN accuracy on the features at least FEATURE_MARGIN above the pixels'. */
export function featuresBeatPixels(shots: number, accuracy: number, pixels: number): Verdict {
  return invariant(
    // Means of k/975 over 300 episodes: a difference within 1e-9 of the margin is rounding.
    // Stryker disable next-line EqualityOperator: see above
    accuracy - pixels >= FEATURE_MARGIN - 1e-9,
    `${shots}-shot: 1-NN on your features is right on ${format(accuracy)} of the queries, on raw pixels ${format(pixels)}; the penultimate layer's features beat pixels by ${FEATURE_MARGIN} or more (the reference's: by 0.04–0.11)`,
  );
}

function checkExperiment(ctx: CheckContext<[Model, X], Matrix>): Verdict {
  const [, images] = ctx.args;
  if (ctx.output.length !== images.shape[0]) return fail(`you returned ${ctx.output.length} rows of features for ${images.shape[0]} images; one row per image`);
  const { rows, episodes } = runExperiment(ctx);
  const [pixels, features] = rows.map((r) => r.accuracies.map((a) => meanInterval(a).mean));
  const verdict = allOf(SHOTS.map((shots, s) => featuresBeatPixels(shots, features[s], pixels[s])));
  const cell = (a: number[]) => {
    const { mean, half } = meanInterval(a);
    return `${format(mean)} ± ${format(half)}`;
  };
  const table = rows.map((r) => [r.name, ...r.accuracies.map(cell)]);
  const summary = table.map(([name, ...cells]) => `${name}: ${SHOTS.map((shots, s) => `${shots}-shot ${cells[s]}`).join(', ')}`).join('\n');
  const result = verdict.score === 1 ? pass(`1-NN accuracy on the digits 5–9 over ${EPISODES} support sets each (95 % intervals):\n${summary}`) : verdict;
  if (!ctx.visible || result.score < 1) return result;
  return drawFigures(result, () => [
    textTable('One-shot and five-shot 1-NN accuracy on digits the network never saw', ['features', ...SHOTS.map((s) => `${s}-shot`)], table, {
      caption: `Mean accuracy on the ${images.shape[0] - NEW_DIGITS.length * POOL_PER_DIGIT} test images of 5–9 over ${EPISODES} support sets per column, drawn from ${POOL_PER_DIGIT} train images of each digit, with 95 % intervals. Same support sets in every row.`,
    }),
    supportPicture(images, episodes[1][0], 5),
  ]);
}

/** The support images of one episode, one row per digit. */
function supportPicture(images: X, positions: number[], shots: number): Figure {
  const data = images.dataSync();
  const picture = (j: number) => Array.from({ length: SIDE }, (_, r) => Array.from(data.subarray(j * PIXELS + r * SIDE, j * PIXELS + (r + 1) * SIDE)));
  return imageGrid(`The ${shots} labelled examples of each digit in one five-shot support set`, positions.map(picture), {
    columns: shots,
    scale: 3,
    range: [0, 1],
    caption: 'One row per digit, 5 to 9: all a five-shot classifier knows about the new digits.',
  });
}

function checkFeatures(ctx: CheckContext<[Model, X], Matrix>): Verdict {
  if (ctx.caseName === EXPERIMENT) return checkExperiment(ctx);
  const [, images] = ctx.args;
  if (ctx.output.length !== images.shape[0]) return fail(`you returned ${ctx.output.length} rows of features for ${images.shape[0]} images; one row per image`);
  return sameFeatures(ctx.output, ctx.expected, 'your features', 'the extractor\'s output (flattened)');
}

// nearestNeighborPredict

type NearestArgs = [Matrix, number[], Matrix];

/** Whole-number features on a small grid: many exact ties, which go to the lower training index. */
function gridCase(rows: number, queries: number, d: number, classes: number) {
  return (rng: Rng): NearestArgs => {
    const point = () => Array.from({ length: d }, () => rng.int(0, 3));
    const train = Array.from({ length: rows }, point);
    // Every third training row again, later, with another label: a tie at distance 0 for a query there.
    const copies = train.filter((_, i) => i % 3 === 0).map((row) => row.slice());
    const labels = [...train, ...copies].map(() => rng.int(0, classes - 1));
    copies.forEach((_, k) => {
      const i = rows + k;
      labels[i] = (labels[3 * k] + 1) % classes;
    });
    const test = [...copies.slice(0, Math.ceil(queries / 3)).map((row) => row.slice()), ...Array.from({ length: queries - Math.ceil(queries / 3) }, point)];
    return [[...train, ...copies], labels, test];
  };
}

/**
 * Whole-number rows of very different lengths along few directions: the nearest row by
 * Euclidean distance and the most similar by cosine differ for most queries.
 */
function lengthsCase(rows: number, queries: number) {
  return (rng: Rng): NearestArgs => {
    const directions = [[1, 0, 0], [1, 1, 0], [0, 1, 1], [1, 0, 1]];
    const row = () => {
      const direction = rng.pick(directions);
      const length = rng.int(1, 6);
      return direction.map((v) => v * length + rng.int(0, 1));
    };
    const train = Array.from({ length: rows }, row);
    return [train, train.map((_, i) => i % 4), Array.from({ length: queries }, row)];
  };
}

/** Features of a one-shot support set and of test images, from the network's penultimate layer. */
function featuresCase(queries: number) {
  return (rng: Rng): NearestArgs => {
    const model = zoo(SOURCE_MODEL);
    const { support, queries: test } = episode(rng, 1, queries);
    const features = [support.x, test.x].map((x) => layerFeatures(model, penultimateLayer(model), x));
    tf.dispose([support.x, test.x]);
    return [features[0], support.labels, features[1]];
  };
}

function checkNearest(ctx: CheckContext<NearestArgs, number[]>): Verdict {
  const [train, labels, test] = ctx.args;
  if (ctx.output.length !== test.length) return fail(`you returned ${ctx.output.length} labels for ${test.length} test rows`);
  const accepted = acceptedLabels(train, labels, test);
  const wrongRows = ctx.output.flatMap((label, q) => (accepted[q].has(label) ? [] : [q]));
  if (wrongRows.length === 0) return pass();
  const [wrong] = wrongRows;
  const count = wrongRows.length;
  return fail(`${count} of ${test.length} labels are wrong; the first is test row ${wrong}: you answered ${ctx.output[wrong]}, its nearest training row (Euclidean distance, ties to the lower index) has label ${[...accepted[wrong]].join(' or ')}`);
}

// trainLogisticRegression

/**
 * The objective at the student's weights must be within this of the optimum the grader finds
 * by Newton's method. The reference, from 3 starts on 6 data sets of each case, ends within
 * 1.1e-8 (blobs, 3,000 epochs of 0.2) and 3e-11 (unit features, 300 epochs of 1) of it; the
 * l2 penalty applied to the bias too ends 3.9e-4 (features) to 2.5e-3 (blobs) above it.
 */
const OBJECTIVE_TOLERANCE = 1e-5;

function blobCase(counts: number[], d: number, options: Omit<TrainOptions, 'seed'>) {
  return (rng: Rng): TrainArgs => {
    const { features, labels } = blobs(rng, counts, d, { offset: 1, spread: 1 });
    return [features, labels, counts.length, { ...options, seed: seedOf(rng) }];
  };
}

/** Unit-length penultimate features of a five-shot support set of 5–9, classes 0–4. */
function supportFeaturesCase(options: Omit<TrainOptions, 'seed'>) {
  return (rng: Rng): TrainArgs => {
    const support = supportSet(rng, 5);
    const model = zoo(SOURCE_MODEL);
    const features = unitRows(layerFeatures(model, penultimateLayer(model), support.x)).map((row) => Array.from(row));
    support.x.dispose();
    return [features, support.labels.map((digit) => NEW_DIGITS.indexOf(digit)), NEW_DIGITS.length, { ...options, seed: seedOf(rng) }];
  };
}

function shapes(model: Softmax, numClasses: number, d: number): Verdict {
  const rows = model.weights.map((row) => row.length);
  return allOf([
    invariant(rows.length === numClasses && rows.every((length) => length === d), `weights must be ${numClasses} × ${d} (numClasses × featureDim); yours has ${rows.length} rows, of ${[...new Set(rows)].join(' and ') || 'no'} numbers`),
    invariant(model.bias.length === numClasses, `bias must have ${numClasses} entries (one per class); yours has ${model.bias.length}`),
  ]);
}

function checkTrain(ctx: CheckContext<TrainArgs, Softmax>): Verdict {
  const [features, labels, numClasses, { l2 }] = ctx.args;
  const shape = shapes(ctx.output, numClasses, features[0].length);
  if (shape.score < 1) return shape;
  const best = optimum(features, labels, numClasses, l2);
  const value = objective(ctx.output, features, labels, l2);
  const gap = value - best.value;
  return invariant(
    // Stryker disable next-line EqualityOperator: a gap never equals the tolerance to the last bit
    gap <= OBJECTIVE_TOLERANCE,
    `the objective (mean cross-entropy + (l2/2)·‖W‖², bias not penalised) at your weights is ${value.toFixed(6)}; its minimum is ${best.value.toFixed(6)} (${gap.toExponential(2)} above; at most ${OBJECTIVE_TOLERANCE} is allowed). With this learning rate and number of epochs, plain gradient descent on that objective reaches the minimum`,
  );
}

function penalisesBias(ctx: CheckContext<TrainArgs, Softmax>): boolean {
  const [features, labels, numClasses, { l2 }] = ctx.args;
  // Weights of the wrong shape give NaN here (a missing weight or bias is undefined), never a match.
  const withBias = optimum(features, labels, numClasses, l2, true);
  // Stryker disable next-line EqualityOperator: a gap never equals the tolerance to the last bit
  return objective(ctx.output, features, labels, l2, true) - withBias.value <= OBJECTIVE_TOLERANCE;
}

// predictLogistic

type PredictArgs = [Softmax, Matrix];

function predictCase(classes: number, d: number, rows: number) {
  return (rng: Rng): PredictArgs => [{ weights: rng.matrix(classes, d), bias: rng.vector(classes) }, rng.matrix(rows, d)];
}

/** Logits this close (relative) are near-ties: either class is accepted. */
const LOGIT_TIE = 1e-9;

function checkPredict(ctx: CheckContext<PredictArgs, number[]>): Verdict {
  const [{ weights, bias }, features] = ctx.args;
  if (ctx.output.length !== features.length) return fail(`you returned ${ctx.output.length} labels for ${features.length} rows`);
  const wrong = features.findIndex((x, i) => {
    const z = logits(weights, bias, x);
    const top = Math.max(...z);
    // A label that is not a class (1.5, −1, K) reads z[label] as undefined: NaN, never within the tie.
    // Stryker disable next-line EqualityOperator: a float64 gap never equals the tie's width exactly
    return !(top - z[ctx.output[i]] <= LOGIT_TIE * Math.max(1, Math.abs(top)));
  });
  if (wrong < 0) return pass();
  return fail(`row ${wrong}: you predicted ${ctx.output[wrong]}, but class ${largestLogit(weights, bias, features[wrong])} has the largest logit W·x + b`);
}

// fewShotClassify

/**
 * fewShotClassify earns its points by accuracy, on the same episodes as the reference and a
 * raw-pixel 1-NN: full points within FEW_SHOT_SLACK of the reference's mean accuracy, none at
 * or below the pixels', and in between in proportion. The reference (the `flatten` layer's
 * features scaled to length 1, then 1-NN) beats pixels by 0.19 at one shot and 0.15 at five
 * (docs/datasets.md); a correct copy of its recipe differs from it only where two support
 * images are within float32 rounding of a query, far less than the slack.
 */
const FEW_SHOT_SLACK = 0.02;
const FEW_SHOT_EPISODES = 5;
const FEW_SHOT_QUERIES = 100;

function fewShotCalls(shots: number) {
  return (rng: Rng): FewShotArgs[] =>
    Array.from({ length: FEW_SHOT_EPISODES }, () => {
      const { support, queries } = episode(rng, shots, FEW_SHOT_QUERIES);
      return [zoo(SOURCE_MODEL), support.x, support.labels, queries.x];
    });
}

/** The true digits of a few-shot case's queries, replayed from the case's own generator (they never go to the student). */
function queryDigits(ctx: CheckContext<FewShotArgs, number[]>, shots: number): number[][] {
  const rng = ctx.inputRng();
  return ctx.calls.map(() => {
    const { support, queries } = episode(rng, shots, FEW_SHOT_QUERIES);
    tf.dispose([support.x, queries.x]);
    return queries.labels;
  });
}

export function fewShotScore(mine: number, referenceAccuracy: number, pixels: number): number {
  if (mine >= referenceAccuracy - FEW_SHOT_SLACK) return 1;
  return Math.min(1, Math.max(0, (mine - pixels) / Math.max(0.05, referenceAccuracy - FEW_SHOT_SLACK - pixels)));
}

function checkFewShot(ctx: CheckContext<FewShotArgs, number[]>): Verdict {
  const shots = ctx.args[2].length / NEW_DIGITS.length;
  const truth = queryDigits(ctx, shots);
  const bad = ctx.calls.findIndex(({ output }) => output.length !== FEW_SHOT_QUERIES);
  if (bad >= 0) return fail(`episode ${bad + 1}: you returned ${ctx.calls[bad].output.length} labels for ${FEW_SHOT_QUERIES} query images`);
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const mine = mean(ctx.calls.map(({ output }, i) => accuracy(output, truth[i])));
  const referenceAccuracy = mean(ctx.calls.map(({ expected }, i) => accuracy(expected, truth[i])));
  const pixels = mean(
    ctx.calls.map(({ args: [, support, labels, queries] }, i) => {
      const predicted = nearestPredict(pixelRows(support), labels, pixelRows(queries));
      return accuracy(predicted, truth[i]);
    }),
  );
  const score = fewShotScore(mine, referenceAccuracy, pixels);
  const numbers = `mean accuracy over ${ctx.calls.length} episodes of ${shots} labelled image${shots > 1 ? 's' : ''} per digit: yours ${format(mine)}, the reference's ${format(referenceAccuracy)}, raw-pixel 1-NN ${format(pixels)}`;
  if (score === 1) return pass(numbers);
  return { score, message: `${numbers}. Full points from ${format(referenceAccuracy - FEW_SHOT_SLACK)}, none at or below the pixels'; you earn ${(100 * score).toFixed(0)} %. Which layer's features, scaled how, and which classifier? See the handout's measurements.` };
}

/**
 * Cases that cost 0.3–0.5 s for each student when `mlgrade check` replays the reference (the
 * experiment extracts the features of 1,275 images; a few-shot case runs the network on five
 * episodes): checked for 5 student ids rather than 50 (2 graded through the sandbox). The
 * answers are deterministic functions of the images, so more ids add new images, not new paths.
 */
const costly = { checkStudents: 5 } as const;

export default defineAssignment({
  id: 'transfer',
  title: 'Transfer learning: one-shot digits with features learned on others',
  module: 'transfer.ts',
  tensors: true,
  problems: [
    problem({
      export: 'featureExtractor',
      title: 'The network without its classifier',
      points: 6,
      timeoutMs: 20_000,
      reference: reference.featureExtractor,
      // The check computes the layer's output itself: the reference's answer is a model, which
      // an exported copy could not record (mlgrade export), and nothing needs it.
      referenceUnused: true,
      output: layersModel,
      cases: [
        { name: 'digits04-cnn (trained on 0–4)', args: () => [zoo(SOURCE_MODEL)] },
        { name: 'digits-cnn (trained on all ten digits)', visibility: 'hidden', args: () => [zoo('digits-cnn')] },
      ],
      check: checkExtractor,
      mistakes: [
        {
          id: 'extractor-softmax',
          hint: 'Your extractor returns the classifier\'s probabilities: it includes the last layer. Stop one layer earlier, at the layer before the classifier (model.layers[model.layers.length - 2]).',
          matches: isWholeModel,
        },
        {
          id: 'extractor-retrained',
          hint: 'Your extractor has the right layers but not the trained weights: it was rebuilt, re-initialised or trained again. Reuse the model\'s own layers (tf.model({ inputs: model.inputs, outputs: <the layer before the classifier>.output })).',
          matches: isChanged,
        },
      ],
    }),
    problem({
      export: 'extractFeatures',
      title: 'Features of images, and the one-shot experiment',
      points: 10,
      timeoutMs: 30_000,
      reference: reference.extractFeatures,
      output: matrix,
      cases: [
        {
          name: '16 test images of 5–9 through digits04-cnn\'s extractor',
          args: (rng) => [truncated(zoo(SOURCE_MODEL), 'features'), querySet(rng, 16).x],
        },
        { ...costly, name: EXPERIMENT, weight: 2, args: (rng) => [truncated(zoo(SOURCE_MODEL), 'features'), experimentImages(rng).x] },
        {
          name: '20 test images of all ten digits through digits-cnn up to pool2 (5 × 5 × 64 numbers each)',
          visibility: 'hidden',
          args: (rng) => [truncated(zoo('digits-cnn'), 'pool2'), querySet(rng, 20, ALL_DIGITS).x],
        },
      ],
      check: checkFeatures,
      mistakes: [
        {
          id: 'features-rescaled',
          hint: 'Your features are those of images 255 times darker: the pixels are already in [0, 1]. Give the extractor the images as they are.',
          // Stryker disable next-line StringLiteral: the names only shape a message the detector never reads
          matches: (ctx) => ctx.caseName !== EXPERIMENT && sameFeatures(ctx.output, tf.tidy(() => outputRows(ctx.args[0], tf.div<X>(ctx.args[1], 255))), 'features', 'the extractor\'s output').score === 1,
        },
      ],
    }),
    problem({
      export: 'nearestNeighborPredict',
      title: 'Euclidean 1-nearest-neighbour',
      points: 8,
      reference: reference.nearestNeighborPredict,
      output: vector,
      cases: [
        { name: 'whole-number features on a grid: exact ties', exact: true, args: gridCase(15, 9, 3, 3) },
        { name: 'rows of very different lengths', exact: true, args: lengthsCase(16, 12) },
        { name: 'penultimate features: a one-shot support set of 5–9 and 40 test images', args: featuresCase(40) },
        { name: 'a larger grid', visibility: 'hidden', exact: true, args: gridCase(30, 20, 4, 4) },
      ],
      check: checkNearest,
      mistakes: [
        {
          id: 'nn-cosine',
          hint: 'Your neighbours are the most similar by angle (cosine similarity), not the closest: use the Euclidean distance ‖a − b‖, which also counts how long the vectors are.',
          matches: ({ args: [train, labels, test], output }) => cosinePredict(train, labels, test).every((label, q) => label === output[q]),
        },
        {
          id: 'nn-ties-last',
          hint: 'Where two training rows are equally close, you chose the later one. Ties go to the LOWER training index: replace only on a strictly smaller distance.',
          matches: ({ args: [train, labels, test], output }) => lastTiePredict(train, labels, test).every((label, q) => label === output[q]),
        },
      ],
    }),
    problem({
      export: 'trainLogisticRegression',
      title: 'Softmax regression by gradient descent',
      points: 10,
      timeoutMs: 20_000,
      reference: reference.trainLogisticRegression,
      output: record({ weights: matrix, bias: vector }),
      cases: [
        { name: 'three overlapping classes of 36, 15 and 9 points in 4 dimensions; l2 = 0.1', args: blobCase([36, 15, 9], 4, { epochs: 3000, learningRate: 0.2, l2: 0.1 }) },
        { name: 'unit-length features of a five-shot support set of 5–9 (25 × 128); l2 = 0.05', args: supportFeaturesCase({ epochs: 300, learningRate: 1, l2: 0.05 }) },
        {
          name: 'four classes in 5 dimensions',
          visibility: 'hidden',
          args: (rng) => blobCase([rng.int(20, 30), rng.int(10, 20), rng.int(8, 12), rng.int(5, 8)], 5, { epochs: 3000, learningRate: 0.2, l2: 0.1 })(rng),
        },
      ],
      check: checkTrain,
      mistakes: [
        {
          id: 'logistic-l2-bias',
          hint: 'You penalise the bias too. The l2 term is (l2/2)·‖W‖² over the weights only: the bias gradient is the mean of (p − y) alone, with no l2·b added.',
          matches: penalisesBias,
        },
      ],
    }),
    problem({
      export: 'predictLogistic',
      title: 'Predicting with softmax regression',
      points: 4,
      reference: reference.predictLogistic,
      output: vector,
      cases: [
        { name: '3 classes, 4 features, 20 rows', args: predictCase(3, 4, 20) },
        { name: '5 classes, 6 features, 30 rows', visibility: 'hidden', args: predictCase(5, 6, 30) },
      ],
      check: checkPredict,
      mistakes: [
        {
          id: 'predict-no-bias',
          hint: 'Your predictions ignore the bias: the score of class k is w_k · z + b_k, with b_k added before taking the largest.',
          matches: ({ args: [{ weights }, features], output }) => features.every((x, i) => output[i] === largestLogit(weights, weights.map(() => 0), x)),
        },
      ],
    }),
    problem({
      export: 'fewShotClassify',
      title: 'Your own few-shot classifier',
      points: 12,
      timeoutMs: 30_000,
      reference: reference.fewShotClassify,
      output: vector,
      cases: [
        { ...costly, name: `one-shot: ${FEW_SHOT_EPISODES} episodes of 1 labelled image per digit 5–9 and ${FEW_SHOT_QUERIES} queries`, calls: fewShotCalls(1) },
        { ...costly, name: `five-shot: ${FEW_SHOT_EPISODES} episodes of 5 labelled images per digit and ${FEW_SHOT_QUERIES} queries`, calls: fewShotCalls(5) },
        { ...costly, name: `three-shot: ${FEW_SHOT_EPISODES} episodes`, visibility: 'hidden', calls: fewShotCalls(3) },
      ],
      check: checkFewShot,
      mistakes: [
        {
          id: 'fewshot-softmax',
          hint: 'Your classifier does worse than nearest neighbour on raw pixels because it compares the classifier\'s softmax outputs. They only say how much an image looks like a 0, 1, 2, 3 or 4; take features from an earlier layer (see the handout\'s measurements).',
          matches: ({ calls }) => calls.every(({ args: [model, support, labels, queries], output }) => nearestPredict(outputRows(model, support), labels, outputRows(model, queries)).every((label, q) => label === output[q])),
        },
      ],
    }),
    // mlgrade new-problem adds problems above this line.
  ],
});
