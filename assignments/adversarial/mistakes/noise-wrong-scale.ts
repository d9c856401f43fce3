// Treats ε as a 0–255 pixel value and divides it by 255: every pixel moves by ±ε/255, not ±ε.
import * as tf from '@tensorflow/tfjs';

export function randomSignNoise(x: tf.Tensor4D, epsilon: number, seed: number): tf.Tensor4D {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const signs = new Float32Array(x.size);
  for (let i = 0; i < signs.length; i++) signs[i] = next() < 0.5 ? -1 : 1;
  return tf.tidy(() => tf.clipByValue(tf.add(x, tf.mul(epsilon / 255, tf.tensor(signs, x.shape))), 0, 1) as tf.Tensor4D);
}
