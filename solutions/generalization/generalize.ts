import * as tf from '@tensorflow/tfjs';
import { Matrix as MlMatrix, SingularValueDecomposition } from 'ml-matrix';
import seedrandom from 'seedrandom';

export type Matrix = number[][];

export function randomLabels(labels: number[], numClasses: number, seed: number): number[] {
  const random = seedrandom(`labels/${seed}`);
  return labels.map(() => Math.floor(random() * numClasses));
}

/** A shuffled 0…n−1 from a seeded generator (Fisher–Yates). */
function shuffled(n: number, random: () => number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

export async function memorize(images: tf.Tensor4D, labels: number[], options: { epochs: number; seed: number }): Promise<tf.LayersModel> {
  const { epochs, seed } = options;
  const random = seedrandom(`memorize/${seed}`);
  const init = (layer: number) => tf.initializers.glorotUniform({ seed: (seed % 2 ** 20) * 4 + layer });
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28, 1] }),
      tf.layers.dense({ units: 512, activation: 'relu', kernelInitializer: init(0) }),
      tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: init(1) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy' });
  const targets = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), 10));
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = tf.tensor1d(shuffled(labels.length, random), 'int32');
    const [x, y] = [tf.gather(images, order), tf.gather(targets, order)];
    await model.fit(x, y, { epochs: 1, batchSize: 32, shuffle: false, verbose: 0 });
    tf.dispose([order, x, y]);
  }
  targets.dispose();
  return model;
}

/** A standard normal draw (Box–Muller) from a uniform generator. */
function gaussian(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

export function randomReluFeatures(X: Matrix, p: number, seed: number): Matrix {
  const d = X[0].length;
  const random = seedrandom(`features/${seed}`);
  const scale = 1 / Math.sqrt(d);
  // W is d × p, drawn row by row: the same d, p and seed give the same W.
  const W = Array.from({ length: d }, () => Array.from({ length: p }, () => gaussian(random) * scale));
  return X.map((x) => {
    const row = new Array<number>(p).fill(0);
    x.forEach((v, i) => {
      if (v === 0) return;
      const w = W[i];
      for (let j = 0; j < p; j++) row[j] += v * w[j];
    });
    return row.map((v) => Math.max(0, v));
  });
}

export function minNormLeastSquares(A: Matrix, y: number[]): number[] {
  const svd = new SingularValueDecomposition(new MlMatrix(A), { autoTranspose: true });
  const sigma = svd.diagonal;
  // Singular values below this are rounding noise of zero ones: their directions are left out.
  const cutoff = Math.max(A.length, A[0].length) * Number.EPSILON * Math.max(...sigma);
  const U = svd.leftSingularVectors;
  const V = svd.rightSingularVectors;
  const beta = new Array<number>(A[0].length).fill(0);
  sigma.forEach((s, k) => {
    if (s <= cutoff) return;
    let uy = 0;
    for (let i = 0; i < y.length; i++) uy += U.get(i, k) * y[i];
    for (let j = 0; j < beta.length; j++) beta[j] += (V.get(j, k) * uy) / s;
  });
  return beta;
}

export function doubleDescentCurve(trainX: Matrix, trainY: number[], testX: Matrix, testY: number[], featureCounts: number[], seed: number): number[] {
  return featureCounts.map((p) => {
    const beta = minNormLeastSquares(randomReluFeatures(trainX, p, seed), trainY);
    const test = randomReluFeatures(testX, p, seed);
    return test.reduce((sum, f, i) => sum + (f.reduce((s, v, j) => s + v * beta[j], 0) - testY[i]) ** 2, 0) / testY.length;
  });
}
