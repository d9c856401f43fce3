// Draws each code value uniformly between that dimension's smallest and largest training
// code, instead of from the fitted Gaussian: most such codes lie where no digit's code does.
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';

export function sampleImages(model: { encoder: tf.LayersModel; decoder: tf.LayersModel }, trainingImages: tf.Tensor4D, n: number, seed: number): tf.Tensor4D {
  const encoded = model.encoder.predict(trainingImages) as tf.Tensor2D;
  const codes = encoded.arraySync();
  encoded.dispose();
  const k = codes[0].length;
  const low = Array.from({ length: k }, (_, j) => Math.min(...codes.map((c) => c[j])));
  const high = Array.from({ length: k }, (_, j) => Math.max(...codes.map((c) => c[j])));
  const random = seedrandom(String(seed));
  const drawn = Array.from({ length: n }, () => low.map((lo, j) => lo + random() * (high[j] - lo)));
  return tf.tidy(() => model.decoder.predict(tf.tensor2d(drawn, [n, k])) as tf.Tensor4D);
}
