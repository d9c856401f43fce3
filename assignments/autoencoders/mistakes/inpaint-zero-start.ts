// Starts the missing pixels at 0 (black) instead of the mean of the known ones.
import * as tf from '@tensorflow/tfjs';

export function inpaint(model: { encoder: tf.LayersModel; decoder: tf.LayersModel }, images: tf.Tensor4D, mask: tf.Tensor4D, iterations: number): tf.Tensor4D {
  return tf.tidy(() => {
    const known = tf.equal(mask, 1);
    let current = tf.where(known, images, tf.zerosLike(images));
    for (let i = 0; i < iterations; i++) current = tf.where(known, images, model.decoder.predict(model.encoder.predict(current) as tf.Tensor) as tf.Tensor4D);
    return current;
  });
}
