// adversarial — your implementation goes here.
//
// Rules of the game:
//   • Images are float32 tensors of shape [N, 28, 28, 1] with pixels in [0, 1]; `labels[i]` is
//     the class index of image i. `model` is a tf.LayersModel whose output is softmax
//     probabilities, one row per image (10 classes for digits-cnn, 5 for digits04-cnn: do not
//     assume a number of classes).
//   • Return NEW tensors; do not dispose or change the tensors and the model you are given.
//     Wrap temporary work in tf.tidy().
//   • You may import `@tensorflow/tfjs` and `seedrandom`.
//   • Keep the signatures exactly as they are.
// Run `npm run grade -- adversarial` to check your work.
import * as tf from '@tensorflow/tfjs';

/**
 * ∇ₓ ℓ: the gradient, with respect to the pixels of x, of the MEAN categorical cross-entropy
 * of the model's predicted probabilities against `labels` (one-hot). Same shape as x.
 */
export function crossEntropyGradient(model: tf.LayersModel, x: tf.Tensor4D, labels: number[]): tf.Tensor4D {
  throw new Error('not implemented: crossEntropyGradient');
}

/** The fast gradient sign method: clip(x + ε·sign(∇ₓ ℓ), 0, 1). */
export function fgsm(model: tf.LayersModel, x: tf.Tensor4D, labels: number[], epsilon: number): tf.Tensor4D {
  throw new Error('not implemented: fgsm');
}

/**
 * Projected gradient ascent, starting at x_adv = x. Each of the `steps` iterations takes a
 * step of stepSize·sign(∇ℓ at x_adv), then projects x_adv onto the L∞ ball of radius ε around
 * the ORIGINAL x (every pixel within ±ε of the x you were given) and onto [0, 1].
 */
export function pgd(model: tf.LayersModel, x: tf.Tensor4D, labels: number[], options: { epsilon: number; stepSize: number; steps: number }): tf.Tensor4D {
  throw new Error('not implemented: pgd');
}

/**
 * clip(x + ε·s, 0, 1), where every entry of s is +1 or −1, each with probability ½, drawn
 * independently from a generator seeded with `seed` (the same seed gives the same noise).
 */
export function randomSignNoise(x: tf.Tensor4D, epsilon: number, seed: number): tf.Tensor4D {
  throw new Error('not implemented: randomSignNoise');
}

/** The fraction of images whose most probable class (argmax) is their label. */
export function accuracy(model: tf.LayersModel, x: tf.Tensor4D, labels: number[]): number {
  throw new Error('not implemented: accuracy');
}
