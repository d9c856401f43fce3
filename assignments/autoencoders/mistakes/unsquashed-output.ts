// The decoder's last layer is linear: its pixels are not kept in [0, 1].
import * as tf from '@tensorflow/tfjs';

export function buildAutoencoder(bottleneck: number): { encoder: tf.LayersModel; decoder: tf.LayersModel } {
  const encoder = tf.sequential({
    layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 256, activation: 'relu' }), tf.layers.dense({ units: bottleneck })],
  });
  const decoder = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [bottleneck], units: 256, activation: 'relu' }), tf.layers.dense({ units: 784 }), tf.layers.reshape({ targetShape: [28, 28, 1] })],
  });
  return { encoder, decoder };
}
