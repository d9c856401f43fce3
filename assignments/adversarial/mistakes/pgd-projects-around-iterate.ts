// Projects onto the ε-ball around the previous iterate instead of the original image, so
// the perturbation can grow by up to ε at every step.
import * as tf from '@tensorflow/tfjs';

function gradient(model: tf.LayersModel, x: tf.Tensor4D, labels: number[]): tf.Tensor4D {
  const oneHot = tf.oneHot(tf.tensor1d(labels, 'int32'), model.outputs[0].shape[1] as number).toFloat();
  return tf.grad((input: tf.Tensor) => {
    const p = (model.apply(input) as tf.Tensor2D).clipByValue(1e-7, 1 - 1e-7);
    return tf.mean<tf.Scalar>(tf.neg(tf.sum(tf.mul(oneHot, tf.log(p)), -1)));
  })(x) as tf.Tensor4D;
}

export function pgd(model: tf.LayersModel, x: tf.Tensor4D, labels: number[], options: { epsilon: number; stepSize: number; steps: number }): tf.Tensor4D {
  const { epsilon, stepSize, steps } = options;
  return tf.tidy(() => {
    let current = x;
    for (let step = 0; step < steps; step++) {
      const moved = tf.add(current, tf.mul(stepSize, tf.sign(gradient(model, current, labels))));
      current = tf.clipByValue(tf.minimum(tf.maximum(moved, tf.sub(current, epsilon)), tf.add(current, epsilon)), 0, 1) as tf.Tensor4D;
    }
    return current.clone();
  });
}
