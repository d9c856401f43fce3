import type { Rng } from '../../grader/src/cases/rng.ts';
import { MNIST_PIXELS, MNIST_SIDE, type MnistPart, sampleMnist } from '../../grader/src/data/mnist.ts';

/**
 * The inputs of the generalization cases: real MNIST digits (as a flat Float32Array for the
 * memorisation network, or 2 × 2 mean-pooled to 14 × 14 = 196 numbers per row for the random
 * feature regressions), label vectors, and generated matrices for least squares.
 */

export type Matrix = number[][];

/** `count` distinct MNIST digits of one part, flat (784 pixels each, row after row), with their labels. */
export function flatDigits(rng: Rng, count: number, part: MnistPart): { pixels: Float32Array; labels: number[] } {
  const { images, labels } = sampleMnist(rng, count, part);
  const pixels = new Float32Array(count * MNIST_PIXELS);
  images.forEach((image, i) => pixels.set(image, i * MNIST_PIXELS));
  return { pixels, labels };
}

/** The side of a pooled digit. */
export const POOLED_SIDE = MNIST_SIDE / 2;

/** A digit's 2 × 2 blocks averaged: 196 numbers, row after row. */
export function pooled(image: ArrayLike<number>): number[] {
  const out = new Array<number>(POOLED_SIDE * POOLED_SIDE);
  for (let r = 0; r < POOLED_SIDE; r++) {
    for (let c = 0; c < POOLED_SIDE; c++) {
      const at = (dr: number, dc: number) => image[(2 * r + dr) * MNIST_SIDE + 2 * c + dc];
      out[r * POOLED_SIDE + c] = (at(0, 0) + at(0, 1) + at(1, 0) + at(1, 1)) / 4;
    }
  }
  return out;
}

/** `count` pooled MNIST digits of one part as the rows of X, and their digits as numbers (the regression target y). */
export function pooledDigits(rng: Rng, count: number, part: MnistPart): { X: Matrix; y: number[] } {
  const { images, labels } = sampleMnist(rng, count, part);
  return { X: images.map(pooled), y: labels };
}

/**
 * The double-descent data: `train` pooled training digits and `test` pooled test digits, each
 * row minus the mean training row. Digits are non-negative and alike, so without centring x·w
 * has one sign for most rows, ReLU features are nearly linear in x and nearly collinear, and
 * the test error spikes at p well below n on about one draw in ten (measured: a p = 50 twelve
 * times the peak at p = n); centred, the peak was within ±20 % of n on every draw.
 */
export function centredDigits(rng: Rng, train: number, test: number): { trainX: Matrix; trainY: number[]; testX: Matrix; testY: number[] } {
  const a = pooledDigits(rng, train, 'train');
  const b = pooledDigits(rng, test, 'test');
  const mean = a.X[0].map((_, j) => a.X.reduce((sum, row) => sum + row[j], 0) / train);
  const centre = (X: Matrix) => X.map((row) => row.map((v, j) => v - mean[j]));
  return { trainX: centre(a.X), trainY: a.y, testX: centre(b.X), testY: b.y };
}

/** `count` MNIST digits of one part, flat (784 numbers per row), as the rows of X. */
export function fullDigits(rng: Rng, count: number, part: MnistPart): Matrix {
  return sampleMnist(rng, count, part).images;
}

/** An n × d matrix of independent standard normal entries. */
export function gaussianMatrix(rng: Rng, n: number, d: number): Matrix {
  return Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal()));
}

/** A product of an n × r and an r × d Gaussian matrix: rank r (below n and d). */
export function lowRankMatrix(rng: Rng, n: number, d: number, rank: number): Matrix {
  const left = gaussianMatrix(rng, n, rank);
  const right = gaussianMatrix(rng, rank, d);
  return left.map((row) => Array.from({ length: d }, (_, j) => row.reduce((sum, v, k) => sum + v * right[k][j], 0)));
}

/**
 * `count` labels of `numClasses` classes with class 0 taking about `major` of them and the
 * others sharing the rest: a skewed histogram that a shuffle keeps and fresh draws do not.
 */
export function skewedLabels(rng: Rng, count: number, numClasses: number, major: number): number[] {
  return Array.from({ length: count }, () => (rng.next() < major ? 0 : rng.int(1, numClasses - 1)));
}
