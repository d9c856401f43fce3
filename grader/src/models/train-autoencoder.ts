import { writeFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { loadMnistSplit, MNIST_CREDIT, MNIST_SIDE, mnistChecksum, type MnistData } from '../data/mnist.ts';
import { type Autoencoder, type AutoencoderCard, autoencoderCardSchema, type AutoencoderSpec, buildAutoencoder, initializerSeed, noisy, PARTS, reconstruct } from './autoencoder.ts';
import { CARD_FILE, modelDir, writeLayersModel } from './store.ts';
import { shuffledIndices } from './train.ts';
import { describeArchitecture, MODELS_DIR } from './zoo.ts';

/**
 * Training and measuring the zoo's autoencoder (autoencoder.ts), for `npm run train-models`
 * and the test that re-measures the committed model. Not part of a student copy
 * (`mlgrade export`): students write their own training loop.
 */

function imagesOf(data: MnistData): tf.Tensor4D {
  return tf.tensor4d(data.images, [data.count, MNIST_SIDE, MNIST_SIDE, 1]);
}

function meanSquaredError(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.mean(tf.squaredDifference(a, b)).dataSync()[0]);
}

/** Held-out errors of a model on `data`, in batches of 500: clean reconstruction and denoising at `noiseStd`. */
export function measureAutoencoder(model: Autoencoder, data: MnistData, noiseStd: number, seed: string): { reconstructionMse: number; denoisedMse: number } {
  const x = imagesOf(data);
  const noiseSeed = initializerSeed(seed, 0);
  try {
    const corrupted = noisy(x, noiseStd, noiseSeed);
    let clean = 0;
    let denoised = 0;
    for (let start = 0; start < data.count; start += 500) {
      const n = Math.min(500, data.count - start);
      tf.tidy(() => {
        const batch = x.slice([start, 0, 0, 0], [n, -1, -1, -1]);
        clean += meanSquaredError(reconstruct(model, batch), batch) * n;
        denoised += meanSquaredError(reconstruct(model, corrupted.slice([start, 0, 0, 0], [n, -1, -1, -1])), batch) * n;
      });
    }
    corrupted.dispose();
    return { reconstructionMse: clean / data.count, denoisedMse: denoised / data.count };
  } finally {
    x.dispose();
  }
}

/**
 * Trains the zoo's autoencoder from its seed on the train part of the split: Adam on the mean
 * squared error against the clean images, a random half of the inputs with fresh seeded
 * noise every batch.
 * Reproducible on one backend (seeded initializers, batch order and noise).
 */
export async function trainAutoencoder(spec: AutoencoderSpec, options: { backend: string; onEpoch?: (epoch: number, loss: number, seconds: number) => void }): Promise<{ model: Autoencoder; card: AutoencoderCard }> {
  const { seed, epochs, batchSize, learningRate, noiseStd, noisyFraction } = spec.training;
  const train = loadMnistSplit('train');
  const test = loadMnistSplit('test');
  const model = buildAutoencoder(spec);
  const x = imagesOf(train);
  const optimizer = tf.train.adam(learningRate);
  const variables = [...model.encoder.trainableWeights, ...model.decoder.trainableWeights].map((w) => w.read() as tf.Variable);
  const random = seedrandom(`${seed}/batches`);
  const history: number[] = [];
  const started = performance.now();
  for (let epoch = 0; epoch < epochs; epoch++) {
    const epochStarted = performance.now();
    const order = shuffledIndices(train.count, random);
    let sum = 0;
    let batches = 0;
    for (let start = 0; start < train.count; start += batchSize) {
      const noiseSeed = Math.floor(random() * 2 ** 31);
      const cost = tf.tidy(() => {
        const clean = tf.gather(x, tf.tensor1d(order.slice(start, start + batchSize), 'int32'));
        const chosen = tf.less(tf.randomUniform([clean.shape[0], 1, 1, 1], 0, 1, 'float32', noiseSeed + 1), noisyFraction);
        const input = tf.where(tf.broadcastTo(chosen, clean.shape), noisy(clean, noiseStd, noiseSeed), clean);
        return optimizer.minimize(() => tf.losses.meanSquaredError<tf.Tensor, tf.Scalar>(clean, reconstruct(model, input, true)), true, variables)!;
      });
      sum += (await cost.data())[0];
      cost.dispose();
      batches++;
    }
    history.push(sum / batches);
    options.onEpoch?.(epoch + 1, sum / batches, (performance.now() - epochStarted) / 1000);
  }
  x.dispose();
  optimizer.dispose();
  const measured = measureAutoencoder(model, test, noiseStd, `${seed}/test`);
  const card: AutoencoderCard = {
    name: spec.name,
    description: spec.description,
    encoder: describeArchitecture(model.encoder),
    decoder: describeArchitecture(model.decoder),
    parameters: model.encoder.countParams() + model.decoder.countParams(),
    training: { ...spec.training },
    data: { source: MNIST_CREDIT, trainImages: train.count, testImages: test.count, trainSplitChecksum: mnistChecksum(train), testSplitChecksum: mnistChecksum(test) },
    backend: options.backend,
    tfjsVersion: tf.version.tfjs,
    trainingSeconds: Math.round((performance.now() - started) / 100) / 10,
    epochs: history,
    target: { ...spec.target },
    testReconstructionMse: measured.reconstructionMse,
    testDenoisedMse: measured.denoisedMse,
    trainedAt: new Date().toISOString(),
  };
  return { model, card };
}

/** Writes encoder/ and decoder/ (model.json and weights.bin each, tfjs's format) and card.json into grader/models/<name>/ (or `root`). */
export async function saveAutoencoder(model: Autoencoder, card: AutoencoderCard, root = MODELS_DIR): Promise<string> {
  const dir = modelDir(card.name, root);
  for (const part of PARTS) await writeLayersModel(model[part], path.join(dir, part));
  writeFileSync(path.join(dir, CARD_FILE), `${JSON.stringify(autoencoderCardSchema.parse(card), null, 2)}\n`);
  return dir;
}

