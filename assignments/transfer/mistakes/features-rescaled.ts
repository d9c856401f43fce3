// Mistake: the images are divided by 255 before the network sees them, as if their pixels were
// 0–255; they are already in [0, 1], so the features are those of nearly black images.
import * as tf from '@tensorflow/tfjs';

type Matrix = number[][];

export function extractFeatures(extractor: tf.LayersModel, images: tf.Tensor4D): Matrix {
  return tf.tidy(() => (extractor.predict(tf.div(images, 255)) as tf.Tensor).reshape([images.shape[0], -1]).arraySync() as Matrix);
}
