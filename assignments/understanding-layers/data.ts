import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../grader/src/cases/rng.ts';
import { MNIST_PIXELS, MNIST_SIDE, sampleMnist } from '../../grader/src/data/mnist.ts';
import { zooAutoencoder } from '../../grader/src/models/autoencoder.ts';
import { zoo } from '../../grader/src/models/resident.ts';

/**
 * The inputs of the understanding-layers cases: the zoo's trained networks and real MNIST test
 * images. Three networks, each a tf.Sequential that takes [N, 28, 28, 1] images:
 *   digits-cnn     conv1 (26×26×32) → pool1 → conv2 (11×11×64) → pool2 → flatten → features (128) → classifier
 *   digits04-cnn   the same architecture, trained on the digits 0–4 only
 *   digits-dae32   the encoder e of the denoising autoencoder: flatten → encode (256, ReLU) → code (32, linear)
 * The encoder's `code` units are the only signed ones (every other layer ends in a ReLU,
 * max pooling or softmax), so they are where |h| and h differ.
 */

export const SIDE = MNIST_SIDE;
export const PIXELS = MNIST_PIXELS;

export const NETWORKS = ['digits-cnn', 'digits04-cnn', 'digits-dae32'] as const;
export type Network = (typeof NETWORKS)[number];

/** The network of that name, resident once per process (the grader's own copy). */
export function network(name: Network): tf.LayersModel {
  return name === 'digits-dae32' ? zooAutoencoder().encoder : zoo(name);
}

/** `count` distinct test images drawn by `rng`, as an [N, 28, 28, 1] tensor. */
export function testImages(rng: Rng, count: number): tf.Tensor4D {
  const { images } = sampleMnist(rng, count, 'test');
  return tf.tensor4d(Float32Array.from(images.flat()), [count, SIDE, SIDE, 1]);
}

/**
 * `distinct` test images, each appearing twice, in an order drawn by `rng`: every image's
 * |h| is tied exactly with its copy's, on any implementation (the same pixels give the same
 * numbers), so the order of the copies is the tie rule's alone.
 */
export function duplicatedImages(rng: Rng, distinct: number): tf.Tensor4D {
  const { images } = sampleMnist(rng, distinct, 'test');
  const order = [...images.keys(), ...images.keys()];
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return tf.tensor4d(Float32Array.from(order.flatMap((k) => images[k])), [order.length, SIDE, SIDE, 1]);
}

/** One image of an [N, 28, 28, 1] tensor as 28 rows of 28 numbers (for figures). */
export function picture(x: tf.Tensor, index: number): number[][] {
  const data = x.dataSync();
  return Array.from({ length: SIDE }, (_, r) => Array.from(data.subarray(index * PIXELS + r * SIDE, index * PIXELS + (r + 1) * SIDE)));
}
