// The decoder's last layer is linear: its pixels are not kept in [0, 1].
import * as tf from '@tensorflow/tfjs';

// Seeded, unlike a student's would be, so that grading it twice gives the same messages (the
// decoder's output range is in them): the student copy's test compares them word for word.
const init = (seed: number) => tf.initializers.glorotUniform({ seed });

export function buildAutoencoder(bottleneck: number): { encoder: tf.LayersModel; decoder: tf.LayersModel } {
  const encoder = tf.sequential({
    layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 256, activation: 'relu', kernelInitializer: init(1) }), tf.layers.dense({ units: bottleneck, kernelInitializer: init(2) })],
  });
  const decoder = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [bottleneck], units: 256, activation: 'relu', kernelInitializer: init(3) }), tf.layers.dense({ units: 784, kernelInitializer: init(4) }), tf.layers.reshape({ targetShape: [28, 28, 1] })],
  });
  return { encoder, decoder };
}
