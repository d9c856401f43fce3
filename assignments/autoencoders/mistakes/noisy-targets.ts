// Adds the noise to the targets as well as the inputs: the model learns to reproduce its
// noisy input, not to remove the noise.
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';

type Autoencoder = { encoder: tf.LayersModel; decoder: tf.LayersModel };

export async function trainAutoencoder(
  model: Autoencoder,
  images: tf.Tensor4D,
  options: { epochs: number; batchSize: number; seed: number; noiseStd?: number },
): Promise<Autoencoder & { losses: number[] }> {
  const { epochs, batchSize, seed, noiseStd } = options;
  const random = seedrandom(String(seed));
  const optimizer = tf.train.adam(0.002);
  const variables = [...model.encoder.trainableWeights, ...model.decoder.trainableWeights].map((w) => w.read() as tf.Variable);
  const n = images.shape[0];
  const losses: number[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = Array.from({ length: n }, (_, i) => i).sort(() => random() - 0.5);
    let sum = 0;
    let batches = 0;
    for (let start = 0; start < n; start += batchSize) {
      const noiseSeed = Math.floor(random() * 2 ** 31);
      const cost = tf.tidy(() => {
        const clean = tf.gather(images, tf.tensor1d(order.slice(start, start + batchSize), 'int32'));
        const input = noiseStd ? tf.clipByValue(tf.add(clean, tf.randomNormal(clean.shape, 0, noiseStd, 'float32', noiseSeed)), 0, 1) : clean;
        return optimizer.minimize(() => tf.losses.meanSquaredError<tf.Tensor, tf.Scalar>(input, model.decoder.apply(model.encoder.apply(input)) as tf.Tensor), true, variables)!;
      });
      sum += (await cost.data())[0];
      cost.dispose();
      batches++;
    }
    losses.push(sum / batches);
  }
  optimizer.dispose();
  return { ...model, losses };
}
