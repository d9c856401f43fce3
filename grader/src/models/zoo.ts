import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { PROJECT_ROOT } from '../assignment/load.ts';

/**
 * The model zoo: small convolutional networks on real MNIST (grader/src/data/mnist.ts) that
 * the neural-network assignments hand to student code (attacks, transfer learning, what
 * layers learn). Each is trained by this repository's own script (`npm run train-models`,
 * grader/src/models/train.ts) from fixed seeds and committed under grader/models/<name>/ with
 * a card; nothing is downloaded. grader/test/models.test.ts re-measures every committed model
 * against its card and its target, so a bad or stale artifact fails the tests.
 */

export interface ZooModelSpec {
  name: string;
  description: string;
  /** The digits it classifies; output unit i is `digits[i]`. Trained and tested on the images of these digits only. */
  digits: number[];
  /** Accuracy on the test part of the fixed split (restricted to `digits`) the committed model must reach. */
  target: number;
  training: TrainingSettings;
}

export interface TrainingSettings {
  /** Seeds the initial weights, the order of batches, the augmentation and dropout. */
  seed: string;
  epochs: number;
  batchSize: number;
  /** Adam's learning rate at the start; halved every `halveEvery` epochs. */
  learningRate: number;
  halveEvery: number;
  /** Each training image is shifted by a random whole number of pixels in −shift…shift, in x and y independently, every epoch. */
  shift: number;
}

/** The settings both models share; measured on the wasm backend (see docs/datasets.md). */
const TRAINING: Omit<TrainingSettings, 'seed'> = { epochs: 15, batchSize: 64, learningRate: 0.002, halveEvery: 5, shift: 2 };

export const ZOO: readonly ZooModelSpec[] = [
  {
    name: 'digits-cnn',
    description: 'Classifies all ten MNIST digits.',
    digits: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    target: 0.985,
    training: { seed: 'digits-cnn', ...TRAINING },
  },
  {
    name: 'digits04-cnn',
    description: 'Classifies the digits 0–4 only; it has never seen a 5–9 (for transfer learning to them).',
    digits: [0, 1, 2, 3, 4],
    target: 0.99,
    training: { seed: 'digits04-cnn', ...TRAINING },
  },
];

export const MODELS_DIR = path.join(PROJECT_ROOT, 'grader', 'models');

export function zooModel(name: string): ZooModelSpec {
  const spec = ZOO.find((m) => m.name === name);
  if (!spec) throw new Error(`no model "${name}" in the zoo; known: ${ZOO.map((m) => m.name).join(', ')}`);
  return spec;
}

/** A seed for one initializer: tfjs takes numbers, derived here from the model's seed string. */
function initializerSeed(seed: string, layer: number): number {
  let h = 2166136261;
  for (const ch of `${seed}/${layer}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h;
}

/**
 * The architecture, from tfjs's own layers only (so tfjs's loaders read the saved model
 * anywhere): two 3×3 convolutions with ReLU, each followed by 2×2 max pooling (32 then 64
 * channels), dropout 0.4, a dense ReLU layer of 128 units, dropout 0.4, and a softmax over the
 * classes. About 225,000 weights (under 1 MB as float32). The layer names are stable, so
 * assignments can name them (e.g. `features`, the layer before the classifier).
 */
export function buildZooModel(spec: ZooModelSpec): tf.Sequential {
  const seed = spec.training.seed;
  const init = (layer: number) => tf.initializers.glorotUniform({ seed: initializerSeed(seed, layer) });
  const model = tf.sequential({ name: spec.name.replace(/-/g, '_') });
  model.add(tf.layers.conv2d({ name: 'conv1', inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu', kernelInitializer: init(1) }));
  model.add(tf.layers.maxPooling2d({ name: 'pool1', poolSize: 2 }));
  model.add(tf.layers.conv2d({ name: 'conv2', filters: 64, kernelSize: 3, activation: 'relu', kernelInitializer: init(2) }));
  model.add(tf.layers.maxPooling2d({ name: 'pool2', poolSize: 2 }));
  model.add(tf.layers.flatten({ name: 'flatten' }));
  model.add(tf.layers.dropout({ name: 'dropout1', rate: 0.4 }));
  model.add(tf.layers.dense({ name: 'features', units: 128, activation: 'relu', kernelInitializer: init(3) }));
  model.add(tf.layers.dropout({ name: 'dropout2', rate: 0.4 }));
  model.add(tf.layers.dense({ name: 'classifier', units: spec.digits.length, activation: 'softmax', kernelInitializer: init(4) }));
  return model;
}

/** One line per layer: name, class, output shape and weight count (what a card records). */
export function describeArchitecture(model: tf.LayersModel): string[] {
  return model.layers.map((layer) => {
    const shape = JSON.stringify(layer.outputShape).replace(/null/g, 'N');
    return `${layer.name} (${layer.getClassName()}) → ${shape}, ${layer.countParams()} weights`;
  });
}
