import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { createRng } from '../../grader/src/cases/rng.ts';
import { PIXELS, SIDE, testImages } from './data.ts';

/**
 * The grader's own computations for understanding-layers: the network cut at a layer, a unit's
 * h, the acceptance rule for top-k lists, the ascent's objective and the calibration runs. None
 * of it reads the reference's code (solutions/); grader/test/understanding-layers-checks.test.ts
 * pins it against the reference and two independent implementations.
 */

type Model = tf.LayersModel;

export interface AscentOptions {
  steps: number;
  learningRate: number;
  l2: number;
  seed: number;
}

const cut = new WeakMap<Model, Map<string, Model>>();

/**
 * The network from its input to the named layer's output. Built from the model's existing
 * symbolic tensors (no layer is applied anew, so no inbound node is added), once per model and
 * layer.
 */
export function upTo(model: Model, layerName: string): Model {
  let byLayer = cut.get(model);
  if (!byLayer) cut.set(model, (byLayer = new Map<string, Model>()));
  let net = byLayer.get(layerName);
  if (!net) byLayer.set(layerName, (net = tf.model({ inputs: model.inputs, outputs: model.getLayer(layerName).output })));
  return net;
}

/** The layer's activations for the images (prediction mode: dropout off). */
export function activationsOf(model: Model, layerName: string, x: tf.Tensor): tf.Tensor {
  return upTo(model, layerName).predict(x) as tf.Tensor;
}

/** h of one unit for every image: the activation, or for a convolutional layer the channel's mean over height and width. */
function unitOf(activations: tf.Tensor, unit: number): tf.Tensor1D {
  // A convolutional layer's [N, height, width, channels] → [N, channels].
  const byUnit = activations.rank === 4 ? tf.mean(activations, [1, 2]) : activations;
  return tf.gather(byUnit, [unit], 1).reshape<tf.Tensor1D>([-1]);
}

/** h(x) of the unit for every image of x, as the grader computes it. */
export function unitValues(model: Model, layerName: string, unit: number, x: tf.Tensor): number[] {
  return tf.tidy(() => Array.from(unitOf(activationsOf(model, layerName, x), unit).dataSync()));
}

/**
 * The channels-first mistake's h: the activations read as [N, channels, height, width]
 * (PyTorch's layout) and averaged over the last two axes, so "unit u" is row u of the feature
 * map averaged over its columns and channels. Undefined where it does not exist: a layer that
 * is not convolutional, or a unit beyond the map's height.
 */
export function channelsFirstValues(model: Model, layerName: string, unit: number, x: tf.Tensor): number[] | undefined {
  return tf.tidy(() => {
    const a = activationsOf(model, layerName, x);
    if (a.rank !== 4 || unit >= a.shape[1]!) return undefined;
    return Array.from(tf.gather(tf.mean(a, [2, 3]), [unit], 1).dataSync());
  });
}

// topActivatingInputs

/**
 * Scores within TOP_TIE·max|score| of each other are near-ties: computed in another order (a
 * float64 mean of the float32 activations, one image at a time), they may swap, so either
 * order is accepted. A wrong unit, axis or sign moves scores by far more.
 */
export const TOP_TIE = 1e-5;

/**
 * What is wrong with `output` as the k indices of the largest `scores`, largest first (ties
 * to the lower index), or undefined when nothing is. Near-ties may go either way; exact ties
 * that every correct implementation reproduces — `sure(i, j)` — must follow the tie rule.
 */
// Stryker disable next-line ArrowFunction: a `sure` that returns undefined is as false
export function topKProblem(scores: number[], output: number[], k: number, sure: (i: number, j: number) => boolean = () => false): string | undefined {
  if (output.length !== k) return `you returned ${output.length} indices; k = ${k}`;
  const bad = output.findIndex((i) => !Number.isInteger(i) || i < 0 || i >= scores.length);
  if (bad >= 0) return `entry ${bad} is ${output[bad]}, not the index of one of the ${scores.length} images (0 … ${scores.length - 1})`;
  const repeated = output.findIndex((i, p) => output.indexOf(i) !== p);
  // Stryker disable next-line EqualityOperator: entry 0 is always its value's first occurrence, so `repeated` is never 0
  if (repeated >= 0) return `image ${output[repeated]} appears twice (entries ${output.indexOf(output[repeated])} and ${repeated}); the k images must be different`;
  const tie = TOP_TIE * Math.max(...scores.map(Math.abs));
  const show = (i: number) => `image ${i} (|h| = ${scores[i].toPrecision(6)})`;
  // With p or q = k, output[k] is undefined: no comparison with it is true, so < and ≤ agree.
  // Stryker disable next-line EqualityOperator: see above
  for (let p = 0; p < k; p++) {
    // Stryker disable next-line EqualityOperator: see above
    for (let q = p + 1; q < k; q++) {
      const [a, b] = [output[p], output[q]];
      if (scores[b] > scores[a] + tie) return `entry ${p} is ${show(a)}, but entry ${q}, ${show(b)}, is larger: largest first`;
      // Stryker disable next-line EqualityOperator: the entries are distinct (checked above), so a ≠ b
      if (scores[a] === scores[b] && a > b && sure(a, b)) return `entries ${p} and ${q} are ${show(a)} and image ${b}, tied exactly: ties go to the LOWER index first`;
    }
  }
  const chosen = new Set(output);
  // Stryker disable next-line EqualityOperator: scores[scores.length] is undefined, and no comparison with it is true
  for (let i = 0; i < scores.length; i++) {
    if (chosen.has(i)) continue;
    // Stryker disable next-line EqualityOperator: i is left out and j is in the list, so i ≠ j
    const beaten = output.find((j) => scores[i] > scores[j] + tie || (scores[i] === scores[j] && i < j && sure(i, j)));
    if (beaten !== undefined) {
      const why = scores[i] === scores[beaten] ? ', with the lower index' : '';
      return `you left out ${show(i)}, which beats ${show(beaten)} in your list${why}`;
    }
  }
  return undefined;
}

/**
 * The exact ties every correct implementation reproduces: two images with the same pixels
 * (the same computation on the same numbers), or two exact zeros (a ReLU channel that is zero
 * everywhere has mean 0 however it is summed).
 */
export function sureTies(x: tf.Tensor, scores: number[]): (i: number, j: number) => boolean {
  const data = x.dataSync();
  const size = data.length / x.shape[0];
  const key = (i: number) => Buffer.from(data.buffer, data.byteOffset + i * size * 4, size * 4).toString('base64');
  const first = new Map<string, number>();
  const group = scores.map((_, i) => {
    const k = key(i);
    if (!first.has(k)) first.set(k, i);
    return first.get(k)!;
  });
  return (i, j) => scores[i] === 0 || group[i] === group[j];
}

// activationMaximization

/** The objective |h(x)| − (l2/2)·‖x‖² of every image of x, as the grader computes it. */
export function objectiveValues(model: Model, layerName: string, unit: number, l2: number, x: tf.Tensor): number[] {
  return tf.tidy(() => {
    const h = tf.abs(unitOf(activationsOf(model, layerName, x), unit));
    return Array.from(tf.sub(h, tf.mul(l2 / 2, tf.sum(tf.square(x), [1, 2, 3]))).dataSync());
  });
}

/**
 * Gradient ascent on the objective from every start in `starts` at once (images are
 * independent at prediction time, so the gradient of the sum is each image's own gradient):
 * x ← clip(x + learningRate·∇, 0, 1), `steps` times.
 */
export function ascend(model: Model, layerName: string, unit: number, options: Omit<AscentOptions, 'seed'>, starts: tf.Tensor4D, sign = 1): tf.Tensor4D {
  const net = upTo(model, layerName);
  const { steps, learningRate, l2 } = options;
  const total = (x: tf.Tensor) => tf.sub<tf.Scalar>(tf.sum(tf.abs(unitOf(net.apply(x) as tf.Tensor, unit))), tf.mul(l2 / 2, tf.sum(tf.square(x))));
  const gradient = tf.grad(total);
  let x = starts.clone();
  for (let step = 0; step < steps; step++) {
    const next = tf.tidy(() => tf.clipByValue(tf.add(x, tf.mul(sign * learningRate, gradient(x))), 0, 1) as tf.Tensor4D);
    x.dispose();
    x = next;
  }
  return x;
}

/** The calibration: how many runs from different starts, and the share of their lowest objective a student's run must reach. */
export const CALIBRATION_RUNS = 10;
export const SHARE_OF_LOWEST = 0.9;

/** The start of seed s: 784 pixels 0.1·u, u uniform in [0, 1) from seedrandom(String(s)) — the reference's. */
export function seededStart(seed: number): Float32Array {
  const random = seedrandom(String(seed));
  return Float32Array.from({ length: PIXELS }, () => 0.1 * random());
}

const calibrated = new WeakMap<Model, Map<string, number[]>>();

/**
 * The objective reached from the starts of the seeds 1 … CALIBRATION_RUNS (the reference's
 * runs from ten seeds), computed once per process for each model, layer, unit and options: a
 * case's unit and options are the same for every student, so `mlgrade check` computes them
 * once per case.
 */
export function calibrationRuns(model: Model, layerName: string, unit: number, options: Omit<AscentOptions, 'seed'>): number[] {
  let byKey = calibrated.get(model);
  if (!byKey) calibrated.set(model, (byKey = new Map<string, number[]>()));
  const key = JSON.stringify([layerName, unit, options.steps, options.learningRate, options.l2]);
  let values = byKey.get(key);
  if (!values) {
    const seeds = Array.from({ length: CALIBRATION_RUNS }, (_, i) => i + 1);
    const starts = tf.tensor4d(Float32Array.from(seeds.flatMap((s) => Array.from(seededStart(s)))), [seeds.length, SIDE, SIDE, 1]);
    const ends = ascend(model, layerName, unit, options, starts);
    values = objectiveValues(model, layerName, unit, options.l2, ends);
    tf.dispose([starts, ends]);
    byKey.set(key, values);
  }
  return values;
}

/** How many test images "the best test image" is the best of, and the seed that draws them. */
export const TEST_POOL = 500;
const bestOfTest = new WeakMap<Model, Map<string, { value: number; index: number; image: number[] }>>();

/** The test image (of TEST_POOL drawn with a fixed seed) with the highest objective for the unit, once per process. */
export function bestTestImage(model: Model, layerName: string, unit: number, l2: number): { value: number; index: number; image: number[] } {
  let byKey = bestOfTest.get(model);
  if (!byKey) bestOfTest.set(model, (byKey = new Map<string, { value: number; index: number; image: number[] }>()));
  const key = JSON.stringify([layerName, unit, l2]);
  let found = byKey.get(key);
  if (!found) {
    const x = testImages(createRng('understanding-layers/best-test-image'), TEST_POOL);
    const values = objectiveValues(model, layerName, unit, l2, x);
    const index = values.indexOf(Math.max(...values));
    found = { value: values[index], index, image: Array.from(x.dataSync().subarray(index * PIXELS, (index + 1) * PIXELS)) };
    x.dispose();
    byKey.set(key, found);
  }
  return found;
}

/** The smallest and largest pixel, the mean and the standard deviation of an image. */
export function pixelStats(x: tf.Tensor): { min: number; max: number; mean: number; std: number } {
  const data = x.dataSync();
  let [min, max, sum, squares] = [Infinity, -Infinity, 0, 0];
  for (const v of data) {
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
    squares += v * v;
  }
  const mean = sum / data.length;
  return { min, max, mean, std: Math.sqrt(Math.max(0, squares / data.length - mean * mean)) };
}
