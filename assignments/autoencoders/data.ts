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
 * The top-k principal directions of a set of images (rows of X, n×784): subspace iteration on
 * the 784×784 scatter matrix S = (Xc)ᵀXc with k + 8 vectors (products with S in tfjs, float32;
 * orthonormalisation in float64), then the Rayleigh–Ritz step on the k + 8 directions with
 * the grader's SVD. 25 iterations reproduce the held-out PCA error of a full SVD of S to 6
 * significant digits in 0.3–0.8 s instead of 1.3–2.1 s (measured side by side on two MNIST
 * training sets of 2,048 digits at k = 16 and 32; 15 iterations: 5 digits).
 */
export function pcaBasis(images: tf.Tensor4D, k: number, iterations = 25): { mean: Float64Array; basis: Float64Array[] } {
  const width = Math.min(PIXELS, k + 8);
  const { mean, scatter } = tf.tidy(() => {
    const x = images.reshape([images.shape[0], PIXELS]);
    const mu = tf.mean(x, 0);
    const centred = tf.sub(x, mu);
    return { mean: mu, scatter: tf.matMul(centred, centred, true, false) };
  });
  const times = (q: Float64Array): Float64Array => Float64Array.from(tf.tidy(() => tf.matMul(scatter, tf.tensor2d(Float32Array.from(q), [PIXELS, width])).dataSync()));
  try {
    // A fixed start: the first `width` coordinate directions plus a deterministic ramp, so that
    // no top direction is orthogonal to it.
    let q = orthonormalColumns(Float64Array.from({ length: PIXELS * width }, (_, i) => Math.sin(i + 1) + (Math.floor(i / width) === i % width ? 1 : 0)), width);
    for (let t = 0; t < iterations; t++) q = orthonormalColumns(times(q), width);
    // Rayleigh–Ritz: the eigenvectors of QᵀSQ (width × width) rotate Q onto S's eigenvectors.
    const sq = times(q);
    const small: number[][] = Array.from({ length: width }, () => new Array<number>(width).fill(0));
    for (let a = 0; a < width; a++) {
      for (let b = 0; b < width; b++) {
        for (let p = 0; p < PIXELS; p++) small[a][b] += q[p * width + a] * sq[p * width + b];
      }
    }
    const { U } = svd(small.map((row, a) => row.map((v, b) => (v + small[b][a]) / 2)), { vectors: true });
    const basis = Array.from({ length: k }, (_, j) => {
      const v = new Float64Array(PIXELS);
      for (let p = 0; p < PIXELS; p++) for (let a = 0; a < width; a++) v[p] += q[p * width + a] * U[a][j];
      return v;
    });
    return { mean: Float64Array.from(mean.dataSync()), basis };
  } finally {
    tf.dispose([mean, scatter]);
  }
}

/** Modified Gram–Schmidt on the columns of a row-major PIXELS × width matrix. */
function orthonormalColumns(m: Float64Array, width: number): Float64Array {
  for (let a = 0; a < width; a++) {
    for (let b = 0; b < a; b++) {
      let dot = 0;
      for (let p = 0; p < PIXELS; p++) dot += m[p * width + a] * m[p * width + b];
      for (let p = 0; p < PIXELS; p++) m[p * width + a] -= dot * m[p * width + b];
    }
    let norm = 0;
    for (let p = 0; p < PIXELS; p++) norm += m[p * width + a] ** 2;
    norm = Math.sqrt(norm);
    for (let p = 0; p < PIXELS; p++) m[p * width + a] /= norm;
  }
  return m;
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
