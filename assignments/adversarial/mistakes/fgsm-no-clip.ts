// Forgets to clip to [0, 1]: x + ε·sign(∇ₓ loss) leaves the range of valid images.
import * as tf from '@tensorflow/tfjs';

function gradient(model: tf.LayersModel, x: tf.Tensor4D, labels: number[]): tf.Tensor4D {
  const oneHot = tf.oneHot(tf.tensor1d(labels, 'int32'), model.outputs[0].shape[1] as number).toFloat();
  return tf.grad((input: tf.Tensor) => {
    const p = (model.apply(input) as tf.Tensor2D).clipByValue(1e-7, 1 - 1e-7);
    return tf.mean<tf.Scalar>(tf.neg(tf.sum(tf.mul(oneHot, tf.log(p)), -1)));
  })(x) as tf.Tensor4D;
}

export function fgsm(model: tf.LayersModel, x: tf.Tensor4D, labels: number[], epsilon: number): tf.Tensor4D {
  return tf.tidy(() => tf.add<tf.Tensor4D>(x, tf.mul(epsilon, tf.sign(gradient(model, x, labels)))));
}
