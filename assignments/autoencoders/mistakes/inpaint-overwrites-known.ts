// Returns the last reconstruction everywhere: the known pixels are overwritten too.
import * as tf from '@tensorflow/tfjs';

export function inpaint(model: { encoder: tf.LayersModel; decoder: tf.LayersModel }, images: tf.Tensor4D, mask: tf.Tensor4D, iterations: number): tf.Tensor4D {
  return tf.tidy(() => {
    const known = tf.equal(mask, 1);
    const mean = tf.div(tf.sum(tf.mul(images, mask), [1, 2, 3], true), tf.sum(mask, [1, 2, 3], true));
    let current = tf.where(known, images, tf.mul(mean, tf.onesLike(images))) as tf.Tensor4D;
    for (let i = 0; i < iterations; i++) current = model.decoder.predict(model.encoder.predict(current)) as tf.Tensor4D;
    return current;
  });
}
