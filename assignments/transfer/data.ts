import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../grader/src/cases/rng.ts';
import { loadMnistSplit, MNIST_PIXELS, MNIST_SIDE, type MnistData, type MnistPart } from '../../grader/src/data/mnist.ts';
import { zoo } from '../../grader/src/models/resident.ts';

/**
 * The inputs of the transfer cases: the zoo's `digits04-cnn`, trained on the digits 0–4 only,
 * and real MNIST images of the digits 5–9 it has never seen. Support images (the few labelled
 * examples) come from the train part of the fixed split, queries from its test part, so no
 * image is ever both.
 */

export { zoo };
export const SIDE = MNIST_SIDE;
export const PIXELS = MNIST_PIXELS;

/** The network trained on 0–4, and the new task's digits. */
export const SOURCE_MODEL = 'digits04-cnn';
export const NEW_DIGITS: readonly number[] = [5, 6, 7, 8, 9];

const split = new Map<MnistPart, { data: MnistData; byDigit: Map<number, number[]> }>();

/** One part of the split, with the indices of each digit's images in it (built once per process). */
function part(which: MnistPart): { data: MnistData; byDigit: Map<number, number[]> } {
  let found = split.get(which);
  if (!found) {
    const data = loadMnistSplit(which);
    const byDigit = new Map<number, number[]>();
    for (let i = 0; i < data.count; i++) {
      const list = byDigit.get(data.labels[i]) ?? [];
      list.push(i);
      byDigit.set(data.labels[i], list);
    }
    split.set(which, (found = { data, byDigit }));
  }
  return found;
}

/** `count` distinct items of `items` in an order drawn by `rng` (a partial Fisher–Yates shuffle). */
export function drawDistinct<T>(rng: Rng, items: readonly T[], count: number): T[] {
  if (count > items.length) throw new Error(`drawDistinct: asked for ${count} of ${items.length} items`);
  const pool = items.slice();
  for (let i = 0; i < count; i++) {
    const j = rng.int(i, pool.length - 1);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, count);
}

/** Labelled images: the pixels as an [N, 28, 28, 1] tensor, and each image's digit. */
export interface Images {
  x: tf.Tensor4D;
  labels: number[];
}

function imagesOf(which: MnistPart, indices: number[]): Images {
  const { data } = part(which);
  const flat = new Float32Array(indices.length * PIXELS);
  indices.forEach((id, k) => flat.set(data.images.subarray(id * PIXELS, (id + 1) * PIXELS), k * PIXELS));
  return { x: tf.tensor4d(flat, [indices.length, SIDE, SIDE, 1]), labels: indices.map((id) => data.labels[id]) };
}

/** `perDigit` train-part images of each digit in `digits`, digit by digit. */
export function supportSet(rng: Rng, perDigit: number, digits: readonly number[] = NEW_DIGITS): Images {
  const { byDigit } = part('train');
  return imagesOf('train', digits.flatMap((digit) => drawDistinct(rng, byDigit.get(digit)!, perDigit)));
}

/** `count` distinct test-part images of `digits`, in a random order. */
export function querySet(rng: Rng, count: number, digits: readonly number[] = NEW_DIGITS): Images {
  const { byDigit } = part('test');
  return imagesOf('test', drawDistinct(rng, digits.flatMap((digit) => byDigit.get(digit)!), count));
}

/** How many test-part images the digits have (all of them can be queries). */
export function testCount(digits: readonly number[] = NEW_DIGITS): number {
  const { byDigit } = part('test');
  return digits.reduce((sum, digit) => sum + byDigit.get(digit)!.length, 0);
}

/** The images of a and then b in one tensor, with their labels. */
export function joined(a: Images, b: Images): Images {
  const x = tf.concat<tf.Tensor4D>([a.x, b.x]);
  a.x.dispose();
  b.x.dispose();
  return { x, labels: [...a.labels, ...b.labels] };
}

/** One few-shot episode: `shots` support images of each new digit (digit by digit) and `queries` test images. */
export function episode(rng: Rng, shots: number, queries: number): { support: Images; queries: Images } {
  return { support: supportSet(rng, shots), queries: querySet(rng, queries) };
}

/**
 * A classification data set for softmax regression: `counts[k]` points of class k in d
 * dimensions, each its class's mean plus standard normal noise; the means are drawn around
 * (offset, …, offset), `spread` apart, so the classes overlap (the optimum's weights stay
 * small, where plain gradient descent converges in the cases' epochs), the data is not
 * centred and unequal class sizes need a bias.
 */
export function blobs(rng: Rng, counts: number[], d: number, options: { offset: number; spread: number }): { features: number[][]; labels: number[] } {
  const means = counts.map(() => Array.from({ length: d }, () => options.offset + options.spread * rng.normal()));
  const labels = drawDistinct(rng, counts.flatMap((count, k) => new Array<number>(count).fill(k)), counts.reduce((a, b) => a + b, 0));
  return { features: labels.map((k) => means[k].map((m) => m + rng.normal())), labels };
}

/** The network up to the layer named `layer`: a model for the cases that hand an extractor to extractFeatures. */
export function truncated(model: tf.LayersModel, layer: string): tf.LayersModel {
  return tf.model({ inputs: model.inputs, outputs: model.getLayer(layer).output });
}

/** A model's output for every image, one flat row per image. */
export function outputRows(model: tf.LayersModel, x: tf.Tensor4D): number[][] {
  return tf.tidy(() => (model.predict(x) as tf.Tensor).reshape([x.shape[0], -1]).arraySync() as number[][]);
}

/** The output of layer `layer` for every image, one flat row per image. */
export function layerFeatures(model: tf.LayersModel, layer: string, x: tf.Tensor4D): number[][] {
  return outputRows(truncated(model, layer), x);
}

/** The name of the layer before the classifier (the last layer). */
export function penultimateLayer(model: tf.LayersModel): string {
  return model.layers[model.layers.length - 2].name;
}
