// Returns the number of correctly classified images instead of their fraction.
import * as tf from '@tensorflow/tfjs';

export function accuracy(model: tf.LayersModel, x: tf.Tensor4D, labels: number[]): number {
  const predicted = tf.tidy(() => (model.predict(x) as tf.Tensor).argMax(-1).dataSync());
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) correct++;
  return correct;
}
