// understanding-layers — reference solution (the network's own layers, tf.grad for the ascent).
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';

/** The network from its input to the named layer's output; reads existing symbolic tensors, so it adds no inbound nodes. */
function upTo(model: tf.LayersModel, layerName: string): tf.LayersModel {
  return tf.model({ inputs: model.inputs, outputs: model.getLayer(layerName).output });
}

export function layerActivations(model: tf.LayersModel, layerName: string, images: tf.Tensor4D): tf.Tensor {
  return upTo(model, layerName).predict(images) as tf.Tensor;
}

/** h for every image: the unit's activation, or for a convolutional layer its channel's mean over height and width. */
function unitValues(activations: tf.Tensor, unit: number): tf.Tensor1D {
  const perUnit = activations.rank === 4 ? tf.mean(activations, [1, 2]) : activations;
  return tf.gather(perUnit.reshape([activations.shape[0], -1]), unit, 1) as tf.Tensor1D;
}

export function topActivatingInputs(model: tf.LayersModel, layerName: string, unit: number, images: tf.Tensor4D, k: number): number[] {
  const scores = tf.tidy(() => tf.abs(unitValues(layerActivations(model, layerName, images), unit)).arraySync());
  const order = scores.map((_, i) => i);
  order.sort((a, b) => scores[b] - scores[a] || a - b);
  return order.slice(0, k);
}

export function activationMaximization(model: tf.LayersModel, layerName: string, unit: number, options: { steps: number; learningRate: number; l2: number; seed: number }): tf.Tensor4D {
  const { steps, learningRate, l2, seed } = options;
  const random = seedrandom(String(seed));
  const start = new Float32Array(28 * 28);
  for (let i = 0; i < start.length; i++) start[i] = 0.1 * random();
  const net = upTo(model, layerName);
  const objective = (x: tf.Tensor): tf.Scalar =>
    tf.sub(tf.abs(unitValues(net.apply(x) as tf.Tensor, unit)).sum(), tf.mul(l2 / 2, tf.sum(tf.square(x))));
  const gradient = tf.grad(objective);
  let x: tf.Tensor4D = tf.tensor4d(start, [1, 28, 28, 1]);
  for (let step = 0; step < steps; step++) {
    const next = tf.tidy(() => tf.clipByValue(tf.add(x, tf.mul(learningRate, gradient(x))), 0, 1) as tf.Tensor4D);
    x.dispose();
    x = next;
  }
  return x;
}
