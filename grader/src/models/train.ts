import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { loadMnistSplit, MNIST_CREDIT, MNIST_PIXELS, MNIST_SIDE, mnistChecksum, type MnistData, type MnistPart, selectMnist } from '../data/mnist.ts';
import type { ModelCard } from './store.ts';
import { buildZooModel, describeArchitecture, type ZooModelSpec } from './zoo.ts';

/**
 * Training and evaluation of the zoo's models (grader/src/models/zoo.ts). Training is not part
 * of `npm test`: `npm run train-models` runs it and commits nothing by itself; the artifacts it
 * writes are reviewed and committed like code.
 */

/** The images of one part of the split whose label is one of `digits`, with labels mapped to output units. */
export interface ClassData {
  images: Float32Array;
  /** Output unit of each image: the index of its digit in `digits`. */
  classes: Int32Array;
  count: number;
}

export function classData(data: MnistData, digits: readonly number[]): ClassData {
  const keep: number[] = [];
  for (let i = 0; i < data.count; i++) if (digits.includes(data.labels[i])) keep.push(i);
  const { images, labels, count } = selectMnist(data, keep);
  return { images, classes: Int32Array.from(labels, (digit) => digits.indexOf(digit)), count };
}

/** The test images of a model's digits, as the card's accuracy is measured on them. */
export function testData(spec: ZooModelSpec, part: MnistPart = 'test'): ClassData {
  return classData(loadMnistSplit(part), spec.digits);
}

/** Fraction of `data` the model classifies right (argmax of its output), in batches of 500. */
export function accuracyOn(model: tf.LayersModel, data: ClassData): number {
  let correct = 0;
  for (let start = 0; start < data.count; start += 500) {
    const count = Math.min(500, data.count - start);
    const predicted = tf.tidy(() => {
      const x = tf.tensor4d(data.images.subarray(start * MNIST_PIXELS, (start + count) * MNIST_PIXELS), [count, MNIST_SIDE, MNIST_SIDE, 1]);
      return (model.predict(x) as tf.Tensor).argMax(-1).dataSync();
    });
    for (let i = 0; i < count; i++) if (predicted[i] === data.classes[start + i]) correct++;
  }
  return correct / data.count;
}

/** Copies image `index` into `into` at `offset`, moved by (dx, dy) whole pixels; vacated pixels are 0. */
function shiftedImage(from: Float32Array, index: number, dx: number, dy: number, into: Float32Array, offset: number): void {
  for (let r = 0; r < MNIST_SIDE; r++) {
    const sr = r - dy;
    if (sr < 0 || sr >= MNIST_SIDE) continue;
    for (let c = 0; c < MNIST_SIDE; c++) {
      const sc = c - dx;
      if (sc >= 0 && sc < MNIST_SIDE) into[offset + r * MNIST_SIDE + c] = from[index * MNIST_PIXELS + sr * MNIST_SIDE + sc];
    }
  }
}

/** 0…count−1 in a random order from `random` (Fisher–Yates): a training epoch's batch order. */
export function shuffledIndices(count: number, random: () => number): number[] {
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

export interface EpochProgress {
  epoch: number;
  epochs: number;
  loss: number;
  accuracy: number;
  seconds: number;
}

/**
 * Trains one zoo model from its seed on the train part of the split. Reproducible on one
 * backend: the initial weights come from seeded initializers; batch order and shifts from a
 * seeded generator; dropout from tfjs's random ops, which draw their seeds from `Math.random`
 * when a layer has none — so `Math.random` is replaced by a seeded generator while training
 * and restored afterwards. (A fixed seed on the Dropout layer itself would drop the same units
 * in every batch.)
 */
export async function trainZooModel(
  spec: ZooModelSpec,
  options: { backend: string; onEpoch?: (progress: EpochProgress) => void },
): Promise<{ model: tf.Sequential; card: ModelCard }> {
  const { seed, epochs, batchSize, learningRate, halveEvery, shift } = spec.training;
  const trainAll = loadMnistSplit('train');
  const testAll = loadMnistSplit('test');
  const train = classData(trainAll, spec.digits);
  const test = classData(testAll, spec.digits);
  const model = buildZooModel(spec);
  const optimizer = tf.train.adam(learningRate);
  model.compile({ optimizer, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });

  const rng = seedrandom(`${seed}/batches`);
  const savedRandom = Math.random;
  Math.random = seedrandom(`${seed}/dropout`);
  const started = performance.now();
  const history: ModelCard['epochs'] = [];
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      const epochStarted = performance.now();
      // Adam reads its learning rate at every step; the schedule halves it every `halveEvery` epochs.
      (optimizer as unknown as { learningRate: number }).learningRate = learningRate * 0.5 ** Math.floor(epoch / halveEvery);
      const order = shuffledIndices(train.count, rng);
      let lossSum = 0;
      let accuracySum = 0;
      let batches = 0;
      for (let start = 0; start < train.count; start += batchSize) {
        const ids = order.slice(start, start + batchSize);
        const images = new Float32Array(ids.length * MNIST_PIXELS);
        const classes = new Float32Array(ids.length);
        ids.forEach((index, k) => {
          const dx = Math.floor(rng() * (2 * shift + 1)) - shift;
          const dy = Math.floor(rng() * (2 * shift + 1)) - shift;
          shiftedImage(train.images, index, dx, dy, images, k * MNIST_PIXELS);
          classes[k] = train.classes[index];
        });
        const x = tf.tensor4d(images, [ids.length, MNIST_SIDE, MNIST_SIDE, 1]);
        const y = tf.tensor1d(classes);
        const [loss, accuracy] = (await model.trainOnBatch(x, y)) as number[];
        x.dispose();
        y.dispose();
        lossSum += loss;
        accuracySum += accuracy;
        batches++;
      }
      const entry = { loss: lossSum / batches, accuracy: accuracySum / batches };
      history.push(entry);
      options.onEpoch?.({ epoch: epoch + 1, epochs, ...entry, seconds: (performance.now() - epochStarted) / 1000 });
    }
  } finally {
    Math.random = savedRandom;
  }
  const trainingSeconds = (performance.now() - started) / 1000;
  const parameters = model.countParams();
  const card: ModelCard = {
    name: spec.name,
    description: spec.description,
    digits: [...spec.digits],
    architecture: describeArchitecture(model),
    parameters,
    weightBytes: parameters * 4,
    training: { ...spec.training },
    data: {
      source: MNIST_CREDIT,
      trainImages: train.count,
      testImages: test.count,
      trainSplitChecksum: mnistChecksum(trainAll),
      testSplitChecksum: mnistChecksum(testAll),
    },
    backend: options.backend,
    tfjsVersion: tf.version.tfjs,
    trainingSeconds: Math.round(trainingSeconds * 10) / 10,
    epochs: history,
    target: spec.target,
    testAccuracy: accuracyOn(model, test),
    trainedAt: new Date().toISOString(),
  };
  return { model, card };
}
