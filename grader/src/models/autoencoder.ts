import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { z } from 'zod';
import { loadMnistSplit, MNIST_CREDIT, MNIST_PIXELS, MNIST_SIDE, mnistChecksum, type MnistData } from '../data/mnist.ts';
import { loadWeightsSync } from './resident.ts';
import { CARD_FILE, modelDir, trainingDataSchema, writeLayersModel } from './store.ts';
import { shuffledIndices } from './train.ts';
import { describeArchitecture, MODELS_DIR } from './zoo.ts';

/**
 * The zoo's autoencoder: a dense denoising autoencoder on real MNIST that the `autoencoders`
 * assignment hands to student code (denoising, inpainting, sampling, compression), so those
 * problems do not depend on the student's own training. Like the classifiers it is trained by
 * `npm run train-models` from fixed seeds and committed, under grader/models/<name>/ as two
 * tfjs layers models, `encoder/` and `decoder/`, with a card; models.test.ts re-measures it.
 */

export interface AutoencoderSpec {
  name: string;
  description: string;
  /** The code's width k. */
  bottleneck: number;
  /** Units of the one hidden ReLU layer on each side. */
  hidden: number;
  training: {
    seed: string;
    epochs: number;
    batchSize: number;
    learningRate: number;
    /** The std of the Gaussian noise added to an input (fresh every batch), clipped to [0, 1]; targets stay clean. */
    noiseStd: number;
    /**
     * The fraction of inputs (each image drawn independently) that get noise; the others stay
     * clean. Trained on noisy inputs only, the model reconstructed clean digits worse than it
     * denoised noisy ones (held-out MSE 0.0239 against 0.0179 after 30 epochs), and the
     * assignment gives it clean images too (inpainting, sampling, compression).
     */
    noisyFraction: number;
  };
  /** Held-out mean squared errors the committed model must reach: clean reconstruction, and denoising at noise `noiseStd`. */
  target: { reconstructionMse: number; denoisedMse: number };
}

export const DIGITS_DAE: AutoencoderSpec = {
  name: 'digits-dae32',
  description: 'A dense denoising autoencoder 784 → 256 → 32 → 256 → 784 (sigmoid), trained on all ten digits, half of the inputs with Gaussian noise of std 0.5.',
  bottleneck: 32,
  hidden: 256,
  training: { seed: 'digits-dae32', epochs: 30, batchSize: 128, learningRate: 0.002, noiseStd: 0.5, noisyFraction: 0.5 },
  target: { reconstructionMse: 0.012, denoisedMse: 0.02 },
};

export interface Autoencoder {
  encoder: tf.LayersModel;
  decoder: tf.LayersModel;
}

export const autoencoderCardSchema = z.strictObject({
  name: z.string(),
  description: z.string(),
  encoder: z.array(z.string()),
  decoder: z.array(z.string()),
  parameters: z.number().int().positive(),
  training: z.strictObject({ seed: z.string(), epochs: z.number().int().positive(), batchSize: z.number().int().positive(), learningRate: z.number().positive(), noiseStd: z.number().nonnegative(), noisyFraction: z.number().min(0).max(1) }),
  data: trainingDataSchema,
  backend: z.string(),
  tfjsVersion: z.string(),
  trainingSeconds: z.number().nonnegative(),
  /** Mean training loss (MSE against the clean images) per epoch. */
  epochs: z.array(z.number()),
  target: z.strictObject({ reconstructionMse: z.number().positive(), denoisedMse: z.number().positive() }),
  /** Measured on all test images after training: clean reconstruction, and denoising at the training noise (noise seeded `<seed>/test`). */
  testReconstructionMse: z.number().nonnegative(),
  testDenoisedMse: z.number().nonnegative(),
  trainedAt: z.string(),
});

export type AutoencoderCard = z.infer<typeof autoencoderCardSchema>;

function initializerSeed(seed: string, layer: number): number {
  let h = 2166136261;
  for (const ch of `${seed}/${layer}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h;
}

/** The architecture, from seeded initializers: encoder flatten → dense(hidden, ReLU) → dense(k); decoder dense(hidden, ReLU) → dense(784, sigmoid) → reshape. */
export function buildAutoencoder(spec: Pick<AutoencoderSpec, 'bottleneck' | 'hidden'> & { training: { seed: string } }): Autoencoder {
  const init = (layer: number) => tf.initializers.glorotUniform({ seed: initializerSeed(spec.training.seed, layer) });
  const encoder = tf.sequential({
    name: 'encoder',
    layers: [
      tf.layers.flatten({ name: 'flatten', inputShape: [MNIST_SIDE, MNIST_SIDE, 1] }),
      tf.layers.dense({ name: 'encode', units: spec.hidden, activation: 'relu', kernelInitializer: init(1) }),
      tf.layers.dense({ name: 'code', units: spec.bottleneck, kernelInitializer: init(2) }),
    ],
  });
  const decoder = tf.sequential({
    name: 'decoder',
    layers: [
      tf.layers.dense({ name: 'decode', inputShape: [spec.bottleneck], units: spec.hidden, activation: 'relu', kernelInitializer: init(3) }),
      tf.layers.dense({ name: 'pixels', units: MNIST_PIXELS, activation: 'sigmoid', kernelInitializer: init(4) }),
      tf.layers.reshape({ name: 'image', targetShape: [MNIST_SIDE, MNIST_SIDE, 1] }),
    ],
  });
  return { encoder, decoder };
}

export function reconstruct(model: Autoencoder, x: tf.Tensor, training = false): tf.Tensor4D {
  return model.decoder.apply(model.encoder.apply(x, { training }), { training }) as tf.Tensor4D;
}

function imagesOf(data: MnistData): tf.Tensor4D {
  return tf.tensor4d(data.images, [data.count, MNIST_SIDE, MNIST_SIDE, 1]);
}

/** Clean images plus seeded Gaussian noise, clipped to [0, 1]. */
export function noisy(x: tf.Tensor4D, std: number, seed: number): tf.Tensor4D {
  return tf.tidy(() => tf.clipByValue(tf.add(x, tf.randomNormal(x.shape, 0, std, 'float32', seed)), 0, 1) as tf.Tensor4D);
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

const PARTS = ['encoder', 'decoder'] as const;

/** Writes encoder/ and decoder/ (model.json and weights.bin each, tfjs's format) and card.json into grader/models/<name>/ (or `root`). */
export async function saveAutoencoder(model: Autoencoder, card: AutoencoderCard, root = MODELS_DIR): Promise<string> {
  const dir = modelDir(card.name, root);
  for (const part of PARTS) await writeLayersModel(model[part], path.join(dir, part));
  writeFileSync(path.join(dir, CARD_FILE), `${JSON.stringify(autoencoderCardSchema.parse(card), null, 2)}\n`);
  return dir;
}

export function readAutoencoderCard(name: string, root = MODELS_DIR): AutoencoderCard {
  return autoencoderCardSchema.parse(JSON.parse(readFileSync(path.join(modelDir(name, root), CARD_FILE), 'utf8')));
}

const resident = new Map<string, Autoencoder>();

/**
 * The committed autoencoder, built from today's architecture and given the committed weights
 * by name (synchronously, for case generators), once per process and backend.
 */
export function zooAutoencoder(spec: AutoencoderSpec = DIGITS_DAE, root = MODELS_DIR): Autoencoder {
  const key = `${spec.name}@${tf.getBackend()}@${root}`;
  let model = resident.get(key);
  if (!model) {
    const built = buildAutoencoder(spec);
    for (const part of PARTS) loadWeightsSync(built[part], path.join(modelDir(spec.name, root), part));
    model = built;
    resident.set(key, model);
  }
  return model;
}
