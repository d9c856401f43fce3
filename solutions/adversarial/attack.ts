// adversarial — reference solution (tf.grad over the mean cross-entropy).
import * as tf from '@tensorflow/tfjs';

/**
 * Keras's epsilon: probabilities are clipped to [EPS, 1 − EPS] before the logarithm, as
 * tf.losses and Keras's categorical cross-entropy do, so log(0) never happens.
 */
const EPS = 1e-7;

function meanCrossEntropy(model: tf.LayersModel, x: tf.Tensor4D, oneHot: tf.Tensor2D): tf.Scalar {
  const probabilities = (model.apply(x) as tf.Tensor2D).clipByValue(EPS, 1 - EPS);
  return tf.mean(tf.neg(tf.sum(tf.mul(oneHot, tf.log(probabilities)), -1)));
}

function oneHotLabels(model: tf.LayersModel, labels: number[]): tf.Tensor2D {
  const classes = model.outputs[0].shape[1] as number;
  return tf.oneHot(tf.tensor1d(labels, 'int32'), classes).toFloat() as tf.Tensor2D;
}

export function crossEntropyGradient(model: tf.LayersModel, x: tf.Tensor4D, labels: number[]): tf.Tensor4D {
  return tf.tidy(() => {
    const oneHot = oneHotLabels(model, labels);
    return tf.grad((input: tf.Tensor) => meanCrossEntropy(model, input as tf.Tensor4D, oneHot))(x) as tf.Tensor4D;
  });
}

export function fgsm(model: tf.LayersModel, x: tf.Tensor4D, labels: number[], epsilon: number): tf.Tensor4D {
  return tf.tidy(() => tf.clipByValue(tf.add(x, tf.mul(epsilon, tf.sign(crossEntropyGradient(model, x, labels)))), 0, 1) as tf.Tensor4D);
}

export function pgd(model: tf.LayersModel, x: tf.Tensor4D, labels: number[], options: { epsilon: number; stepSize: number; steps: number }): tf.Tensor4D {
  const { epsilon, stepSize, steps } = options;
  return tf.tidy(() => {
    const low = tf.maximum(tf.sub(x, epsilon), 0);
    const high = tf.minimum(tf.add(x, epsilon), 1);
    let current: tf.Tensor4D = x.clone();
    for (let step = 0; step < steps; step++) {
      const next = tf.tidy(() => {
        const moved = tf.add(current, tf.mul(stepSize, tf.sign(crossEntropyGradient(model, current, labels))));
        // The projection onto the ε-ball around the original x, intersected with [0, 1].
        return tf.minimum<tf.Tensor4D>(tf.maximum(moved, low), high);
      });
      current.dispose();
      current = next;
    }
    return current;
  });
}

/** A seeded 32-bit generator (mulberry32): the same seed gives the same signs on every backend. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomSignNoise(x: tf.Tensor4D, epsilon: number, seed: number): tf.Tensor4D {
  const next = mulberry32(seed);
  const signs = new Float32Array(x.size);
  for (let i = 0; i < signs.length; i++) signs[i] = next() < 0.5 ? -1 : 1;
  return tf.tidy(() => tf.clipByValue(tf.add(x, tf.mul(epsilon, tf.tensor(signs, x.shape))), 0, 1) as tf.Tensor4D);
}

export function accuracy(model: tf.LayersModel, x: tf.Tensor4D, labels: number[]): number {
  const predicted = tf.tidy(() => (model.predict(x) as tf.Tensor).argMax(-1).dataSync());
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) correct++;
  return correct / labels.length;
}
