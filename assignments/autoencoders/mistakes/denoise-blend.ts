// Keeps half of the noisy input "to preserve detail": the average of the input and its
// reconstruction, which keeps half of the noise too.
import * as tf from '@tensorflow/tfjs';

export function denoise(model: { encoder: tf.LayersModel; decoder: tf.LayersModel }, noisy: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.mul(0.5, tf.add(noisy, model.decoder.predict(model.encoder.predict(noisy) as tf.Tensor) as tf.Tensor4D)));
}
