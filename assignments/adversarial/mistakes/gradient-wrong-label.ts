// Differentiates the loss of the model's own prediction (argmax) instead of the given label.
import * as tf from '@tensorflow/tfjs';

export function crossEntropyGradient(model: tf.LayersModel, x: tf.Tensor4D, labels: number[]): tf.Tensor4D {
  return tf.tidy(() => {
    const classes = model.outputs[0].shape[1] as number;
    const predicted = (model.predict(x) as tf.Tensor2D).argMax<tf.Tensor1D>(-1);
    const oneHot = tf.oneHot(predicted, classes).toFloat();
    void labels;
    return tf.grad((input: tf.Tensor) => {
      const p = (model.apply(input) as tf.Tensor2D).clipByValue(1e-7, 1 - 1e-7);
      return tf.mean<tf.Scalar>(tf.neg(tf.sum(tf.mul(oneHot, tf.log(p)), -1)));
    })(x) as tf.Tensor4D;
  });
}
