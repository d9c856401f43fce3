// Never projects onto the ε-ball: only clips to [0, 1], so the perturbation grows to steps·stepSize.
import * as tf from '@tensorflow/tfjs';

function gradient(model: tf.LayersModel, x: tf.Tensor4D, labels: number[]): tf.Tensor4D {
  const oneHot = tf.oneHot(tf.tensor1d(labels, 'int32'), model.outputs[0].shape[1] as number).toFloat();
  return tf.grad((input: tf.Tensor) => {
    const p = (model.apply(input) as tf.Tensor2D).clipByValue(1e-7, 1 - 1e-7);
    return tf.mean<tf.Scalar>(tf.neg(tf.sum(tf.mul(oneHot, tf.log(p)), -1)));
  })(x) as tf.Tensor4D;
}

export function pgd(model: tf.LayersModel, x: tf.Tensor4D, labels: number[], options: { epsilon: number; stepSize: number; steps: number }): tf.Tensor4D {
  const { stepSize, steps } = options;
  return tf.tidy(() => {
    let current = x;
    for (let step = 0; step < steps; step++) {
      current = tf.clipByValue(tf.add(current, tf.mul(stepSize, tf.sign(gradient(model, current, labels)))), 0, 1) as tf.Tensor4D;
    }
    return current.clone();
  });
}
