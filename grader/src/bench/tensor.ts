import * as tf from '@tensorflow/tfjs';
import { type BackendName, initTensorBackend } from '../tensor/backend.ts';
import { createRng } from '../cases/rng.ts';
import { disposeModel } from '../tensor/serialize.ts';
import { formatMs, median } from './stats.ts';

/**
 * The tensor section of `npm run bench`: the same workloads on every backend available here,
 * timed in this one process, and the ratios against the pure-JS cpu backend.
 */

interface Workload {
  name: string;
  /** Builds the workload on the active backend; returns one timed step and a cleanup. */
  setup: () => { step: () => Promise<void>; dispose: () => void };
}

function randomTensor(shape: number[], seed: string): tf.Tensor {
  const rng = createRng(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: size }, () => rng.normal()), shape);
}

function oneHotLabels(n: number, classes: number, seed: string): tf.Tensor2D {
  const rng = createRng(seed);
  return tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({ length: n }, () => rng.int(0, classes - 1)), 'int32'), classes).toFloat() as tf.Tensor2D);
}

function smallCnn(): tf.LayersModel {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 16, kernelSize: 3, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
    ],
  });
  model.compile({ optimizer: tf.train.sgd(0.01), loss: 'categoricalCrossentropy' });
  return model;
}

const WORKLOADS: Workload[] = [
  {
    name: 'matMul 512×512',
    setup: () => {
      const a = randomTensor([512, 512], 'a');
      const b = randomTensor([512, 512], 'b');
      return {
        step: async () => {
          const c = tf.matMul(a, b);
          await c.data();
          c.dispose();
        },
        dispose: () => tf.dispose([a, b]),
      };
    },
  },
  {
    name: 'CNN training step (conv16→pool→conv32→pool→dense10, batch 64, 28×28)',
    setup: () => {
      const model = smallCnn();
      const x = randomTensor([64, 28, 28, 1], 'x');
      const y = oneHotLabels(64, 10, 'y');
      return {
        step: async () => {
          await model.trainOnBatch(x, y);
        },
        dispose: () => {
          tf.dispose([x, y]);
          disposeModel(model);
        },
      };
    },
  },
  {
    name: 'FGSM step on 64 images (same CNN)',
    setup: () => {
      const model = smallCnn();
      const x = randomTensor([64, 28, 28, 1], 'x');
      const y = oneHotLabels(64, 10, 'y');
      const lossGradient = tf.grad((input: tf.Tensor) => tf.losses.softmaxCrossEntropy(y, model.apply(input) as tf.Tensor));
      return {
        step: async () => {
          const adversarial = tf.tidy(() => tf.clipByValue(tf.add(x, tf.mul(0.1, tf.sign(lossGradient(x)))), -3, 3));
          await adversarial.data();
          adversarial.dispose();
        },
        dispose: () => {
          tf.dispose([x, y]);
          disposeModel(model);
        },
      };
    },
  },
  {
    name: 'autoencoder epoch (784-128-32-128-784, 2048 samples, batch 128)',
    setup: () => {
      const dense = (units: number, activation: 'relu' | 'sigmoid', seed: number, inputShape?: number[]) =>
        tf.layers.dense({ units, activation, inputShape, kernelInitializer: tf.initializers.glorotUniform({ seed }) });
      const model = tf.sequential({ layers: [dense(128, 'relu', 1, [784]), dense(32, 'relu', 2), dense(128, 'relu', 3), dense(784, 'sigmoid', 4)] });
      model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
      const x = tf.tidy(() => tf.sigmoid(randomTensor([2048, 784], 'ae')));
      return {
        step: async () => {
          await model.fit(x, x, { epochs: 1, batchSize: 128, verbose: 0, shuffle: false });
        },
        dispose: () => {
          x.dispose();
          disposeModel(model);
        },
      };
    },
  },
];

async function time(workload: Workload, repeats: number): Promise<number> {
  const { step, dispose } = workload.setup();
  try {
    await step(); // warm-up: kernel compilation, memory growth
    const times: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const started = performance.now();
      await step();
      times.push(performance.now() - started);
    }
    return median(times);
  } finally {
    dispose();
  }
}

export async function runTensorBench(options: { quick?: boolean }, out: NodeJS.WritableStream): Promise<void> {
  const order: BackendName[] = [];
  const missing: string[] = [];
  for (const name of ['node', 'wasm', 'cpu'] as const) {
    try {
      await initTensorBackend(name);
      order.push(name);
    } catch {
      missing.push(name);
    }
  }
  out.write(`\ntensors (backends measured here: ${order.join(', ')}; not available: ${missing.join(', ') || 'none'})\n`);
  const results = new Map<string, Map<BackendName, number>>();
  for (const backend of order) {
    await initTensorBackend(backend);
    for (const workload of WORKLOADS) {
      const repeats = backend === 'cpu' || options.quick ? 1 : 5;
      const ms = await time(workload, repeats);
      if (!results.has(workload.name)) results.set(workload.name, new Map());
      results.get(workload.name)!.set(backend, ms);
      out.write(`  ${backend.padEnd(5)} ${workload.name}: ${formatMs(ms)} (median of ${repeats})\n`);
    }
  }
  out.write('  ratios (cpu time / backend time, same workload, this run):\n');
  for (const [name, times] of results) {
    const cpu = times.get('cpu');
    if (cpu === undefined) continue;
    const ratios = order.filter((b) => b !== 'cpu').map((b) => `${b} ${(cpu / times.get(b)!).toFixed(1)}×`);
    out.write(`    ${name}: ${ratios.join(', ')}\n`);
  }
}
