// transfer — reference solution (the network's own layers for features, float64 loops for the rest).
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';

export type Matrix = number[][];

/** The layer a symbolic output of `model` is read from; never applies a layer anew (no new inbound nodes). */
function outputOf(model: tf.LayersModel, layer: tf.layers.Layer): tf.LayersModel {
  return tf.model({ inputs: model.inputs, outputs: layer.output });
}

export function featureExtractor(model: tf.LayersModel): tf.LayersModel {
  return outputOf(model, model.layers[model.layers.length - 2]);
}

export function extractFeatures(extractor: tf.LayersModel, images: tf.Tensor4D): Matrix {
  return tf.tidy(() => (extractor.predict(images) as tf.Tensor).reshape([images.shape[0], -1]).arraySync() as Matrix);
}

function squaredDistance(a: number[], b: number[]): number {
  let sum = 0;
  for (let j = 0; j < a.length; j++) {
    const d = a[j] - b[j];
    sum += d * d;
  }
  return sum;
}

export function nearestNeighborPredict(trainFeatures: Matrix, trainLabels: number[], testFeatures: Matrix): number[] {
  return testFeatures.map((query) => {
    let best = 0;
    let bestDistance = Infinity;
    trainFeatures.forEach((row, i) => {
      const d = squaredDistance(row, query);
      // Strictly closer only: a tie keeps the lower training index.
      if (d < bestDistance) {
        best = i;
        bestDistance = d;
      }
    });
    return trainLabels[best];
  });
}

/** Softmax of one row of logits, shifted by its maximum so that exp never overflows. */
function softmax(logits: number[]): number[] {
  const top = Math.max(...logits);
  const e = logits.map((v) => Math.exp(v - top));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

function logits(weights: Matrix, bias: number[], x: number[]): number[] {
  return weights.map((w, k) => bias[k] + w.reduce((sum, v, j) => sum + v * x[j], 0));
}

export function trainLogisticRegression(
  features: Matrix,
  labels: number[],
  numClasses: number,
  options: { epochs: number; learningRate: number; l2: number; seed: number },
): { weights: Matrix; bias: number[] } {
  const { epochs, learningRate, l2, seed } = options;
  const n = features.length;
  const d = features[0].length;
  const random = seedrandom(String(seed));
  // A small random start: uniform in ±0.01, the bias at 0.
  const weights = Array.from({ length: numClasses }, () => Array.from({ length: d }, () => 0.02 * random() - 0.01));
  const bias = new Array<number>(numClasses).fill(0);
  for (let epoch = 0; epoch < epochs; epoch++) {
    const gradW = weights.map((w) => w.map((v) => l2 * v));
    const gradB = new Array<number>(numClasses).fill(0);
    features.forEach((x, i) => {
      const p = softmax(logits(weights, bias, x));
      p[labels[i]] -= 1;
      for (let k = 0; k < numClasses; k++) {
        gradB[k] += p[k] / n;
        for (let j = 0; j < d; j++) gradW[k][j] += (p[k] * x[j]) / n;
      }
    });
    for (let k = 0; k < numClasses; k++) {
      bias[k] -= learningRate * gradB[k];
      for (let j = 0; j < d; j++) weights[k][j] -= learningRate * gradW[k][j];
    }
  }
  return { weights, bias };
}

export function predictLogistic(model: { weights: Matrix; bias: number[] }, features: Matrix): number[] {
  return features.map((x) => {
    const z = logits(model.weights, model.bias, x);
    let best = 0;
    for (let k = 1; k < z.length; k++) if (z[k] > z[best]) best = k;
    return best;
  });
}

/**
 * The best recipe measured (docs/datasets.md): the network's `flatten` layer (its last
 * convolutional features, before the dense layers that specialise in 0–4), each feature
 * vector scaled to length 1, then 1-NN.
 */
export function fewShotClassify(model: tf.LayersModel, supportImages: tf.Tensor4D, supportLabels: number[], queryImages: tf.Tensor4D): number[] {
  const flatten = model.layers.find((layer) => layer.getClassName() === 'Flatten') ?? model.layers[model.layers.length - 2];
  const extractor = outputOf(model, flatten);
  const normalised = (images: tf.Tensor4D): Matrix =>
    extractFeatures(extractor, images).map((row) => {
      const length = Math.hypot(...row) || 1;
      return row.map((v) => v / length);
    });
  return nearestNeighborPredict(normalised(supportImages), supportLabels, normalised(queryImages));
}
