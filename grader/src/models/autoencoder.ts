import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { MNIST_PIXELS, MNIST_SIDE } from '../data/mnist.ts';
import { loadWeightsSync } from './resident.ts';
import { CARD_FILE, modelDir, trainingDataSchema } from './store.ts';
import { MODELS_DIR } from './zoo.ts';

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

export function initializerSeed(seed: string, layer: number): number {
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

/** Clean images plus seeded Gaussian noise, clipped to [0, 1]. */
export function noisy(x: tf.Tensor4D, std: number, seed: number): tf.Tensor4D {
  return tf.tidy(() => tf.clipByValue(tf.add(x, tf.randomNormal(x.shape, 0, std, 'float32', seed)), 0, 1) as tf.Tensor4D);
}

export function readAutoencoderCard(name: string, root = MODELS_DIR): AutoencoderCard {
  return autoencoderCardSchema.parse(JSON.parse(readFileSync(path.join(modelDir(name, root), CARD_FILE), 'utf8')));
}

export const PARTS = ['encoder', 'decoder'] as const;

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
