import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../grader/src/cases/rng.ts';
import { MNIST_PIXELS, MNIST_SIDE, sampleMnist } from '../../grader/src/data/mnist.ts';
import { type Autoencoder, buildAutoencoder, zooAutoencoder } from '../../grader/src/models/autoencoder.ts';
import { zoo } from '../../grader/src/models/resident.ts';
import { svd } from '../../grader/src/linalg/svd.ts';

/**
 * The inputs of the autoencoder cases: real MNIST digits (grader/src/data/mnist.ts) — training
 * sets from the train part of the fixed split, held-out images from its test part —, an
 * untrained dense autoencoder for the training cases, and the zoo's trained denoising
 * autoencoder (`digits-dae32`, grader/src/models/autoencoder.ts) for every other problem, so a
 * student's denoising, inpainting, sampling and compression are graded on a good model
 * whatever their own training did.
 */

export { type Autoencoder };
export const SIDE = MNIST_SIDE;
export const PIXELS = MNIST_PIXELS;

/** `count` distinct digits of one part of the split, drawn by `rng`, as an [N, 28, 28, 1] tensor. */
export function digits(rng: Rng, count: number, part: 'train' | 'test'): tf.Tensor4D {
  const { images } = sampleMnist(rng, count, part);
  const flat = new Float32Array(count * PIXELS);
  images.forEach((row, i) => flat.set(row, i * PIXELS));
  return tf.tensor4d(flat, [count, SIDE, SIDE, 1]);
}

const initial = new Map<string, Autoencoder>();

/**
 * The untrained autoencoder a training case hands to trainAutoencoder: the zoo's dense
 * architecture with bottleneck k, from seeded initializers, built once per process and
 * backend. The student trains a copy in their own process; nothing trains this one (the
 * training problem does not run the reference during grading: `referenceUnused`).
 */
export function untrainedAutoencoder(k: number): Autoencoder {
  const key = `${k}@${tf.getBackend()}`;
  let model = initial.get(key);
  if (!model) initial.set(key, (model = buildAutoencoder({ bottleneck: k, hidden: 256, training: { seed: `autoencoders/untrained-${k}` } })));
  return model;
}

/** The zoo's trained denoising autoencoder (k = 32). */
export function trainedAutoencoder(): Autoencoder {
  return zooAutoencoder();
}

/** digits-cnn, whose penultimate layer gives the features of the Fréchet distance. */
export function classifier(): tf.LayersModel {
  return zoo('digits-cnn');
}

const extractors = new Map<string, tf.LayersModel>();

/** digits-cnn up to its `features` layer (128 ReLU units). */
export function featureExtractor(): tf.LayersModel {
  const key = tf.getBackend();
  let found = extractors.get(key);
  if (!found) {
    const model = classifier();
    extractors.set(key, (found = tf.model({ inputs: model.inputs, outputs: model.getLayer('features').output })));
  }
  return found;
}

/**
 * The top-k principal directions of a set of images (rows of X, n×784), from the SVD of the
 * 784×784 scatter matrix (Xc)ᵀXc, which tfjs forms in float32 and the grader's float64 SVD
 * decomposes.
 */
export function pcaBasis(images: tf.Tensor4D, k: number): { mean: Float64Array; basis: Float64Array[] } {
  const { mean, scatter } = tf.tidy(() => {
    const x = images.reshape([images.shape[0], PIXELS]);
    const mu = tf.mean(x, 0);
    const centred = tf.sub(x, mu);
    return { mean: mu.dataSync(), scatter: tf.matMul(centred, centred, true, false).arraySync() as number[][] };
  });
  const { V } = svd(scatter, { vectors: true });
  return { mean: Float64Array.from(mean), basis: Array.from({ length: k }, (_, j) => Float64Array.from(V, (row) => row[j])) };
}

/** Rank-k PCA reconstructions of `images` with a basis from pcaBasis, as a tensor of their shape. */
export function pcaReconstruct(images: tf.Tensor4D, pca: { mean: Float64Array; basis: Float64Array[] }): tf.Tensor4D {
  const data = images.dataSync();
  const n = images.shape[0];
  const out = new Float32Array(n * PIXELS);
  const centred = new Float64Array(PIXELS);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < PIXELS; p++) centred[p] = data[i * PIXELS + p] - pca.mean[p];
    const row = Float64Array.from(pca.mean);
    for (const v of pca.basis) {
      let score = 0;
      for (let p = 0; p < PIXELS; p++) score += centred[p] * v[p];
      for (let p = 0; p < PIXELS; p++) row[p] += score * v[p];
    }
    out.set(row, i * PIXELS);
  }
  return tf.tensor4d(out, images.shape);
}
