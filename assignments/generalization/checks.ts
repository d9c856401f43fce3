import * as tf from '@tensorflow/tfjs';
import type { Matrix } from './data.ts';

/**
 * The statistics the generalization checks rest on: chi-square tests of random labels, the
 * accuracy of a returned network, least squares in float64 for the grader's own answers and
 * the numbers that describe random ReLU features.
 */

/** ln Γ(x) for x ≥ 0.5 — here x = dof/2 (Lanczos, g = 7, nine terms: about 15 significant digits). */
function logGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  const z = x - 1;
  let sum = c[0];
  for (let i = 1; i < 9; i++) sum += c[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/**
 * Q(a, x), the regularised upper incomplete gamma function: the series for x < a + 1, the
 * continued fraction (modified Lentz) above it, each to a relative 1e-15.
 */
export function upperGamma(a: number, x: number): number {
  // Stryker disable next-line EqualityOperator: at x = 0 both branches give 1 (the series' front factor is 0)
  if (x <= 0) return 1;
  const front = Math.exp(-x + a * Math.log(x) - logGamma(a));
  // The series converges fast below a + 1, the continued fraction above it; each converges on
  // both sides, only more slowly, so choosing the other one (or the other side of a + 1) gives
  // the same value to the tests' 1e-9: the choice is speed, not correctness.
  // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator,BlockStatement: either method is accurate on both sides (see above)
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    // Stryker disable next-line LogicalOperator,ConditionalExpression,EqualityOperator: the cap is never reached, and terms below 1e-16 of the sum change nothing
    for (let n = 1; n < 10_000 && Math.abs(term) > Math.abs(sum) * 1e-16; n++) {
      term *= x / (a + n);
      sum += term;
    }
    return Math.max(0, 1 - sum * front);
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  // Stryker disable next-line EqualityOperator: the cap is never reached (the fraction converges in tens of steps)
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: Lentz's guard against dividing by zero; no chi-square here brings d or c within 1e-300 of 0
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: as above
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    // Stryker disable next-line EqualityOperator: a step exactly 1e-16 from 1 changes nothing either way
    if (Math.abs(step - 1) < 1e-16) break;
  }
  return h * front;
}

/** P(χ²_dof ≥ statistic). */
export function chiSquareTail(statistic: number, dof: number): number {
  return upperGamma(dof / 2, statistic / 2);
}

/** A chi-square test fails below this tail probability: a correct answer fails one with probability 1e-6. */
export const CHI_SQUARE_P = 1e-6;

export interface ChiSquare {
  statistic: number;
  dof: number;
  p: number;
}

/** Pearson's chi-square of the class counts of `labels` against a uniform choice among `numClasses`. */
export function uniformity(labels: readonly number[], numClasses: number): ChiSquare & { counts: number[] } {
  const counts = new Array<number>(numClasses).fill(0);
  for (const label of labels) counts[label]++;
  const expected = labels.length / numClasses;
  const statistic = counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
  return { statistic, dof: numClasses - 1, p: chiSquareTail(statistic, numClasses - 1), counts };
}

/**
 * Pearson's chi-square test of independence between the old labels and the new ones: the
 * contingency table of (old, new) pairs against the product of its margins. Old classes that
 * do not occur add nothing.
 */
export function independence(old: readonly number[], fresh: readonly number[], numClasses: number): ChiSquare {
  const oldClasses = [...new Set(old)];
  const row = new Map(oldClasses.map((c, i) => [c, i]));
  const table = oldClasses.map(() => new Array<number>(numClasses).fill(0));
  old.forEach((label, i) => table[row.get(label)!][fresh[i]]++);
  const rowSums = table.map((r) => r.reduce((a, b) => a + b, 0));
  const columnSums = Array.from({ length: numClasses }, (_, j) => table.reduce((sum, r) => sum + r[j], 0));
  const n = old.length;
  let statistic = 0;
  table.forEach((r, i) =>
    r.forEach((count, j) => {
      const expected = (rowSums[i] * columnSums[j]) / n;
      if (expected > 0) statistic += (count - expected) ** 2 / expected;
    }),
  );
  const used = columnSums.filter((s) => s > 0).length;
  const dof = Math.max(1, (oldClasses.length - 1) * (used - 1));
  return { statistic, dof, p: chiSquareTail(statistic, dof) };
}

/** The fraction of `labels` the network's most probable class gets right, on images as a [n, 28, 28, 1] tensor or as flat pixels. */
export function accuracy(model: tf.LayersModel, images: tf.Tensor4D | Float32Array, labels: readonly number[]): number {
  const predicted = tf.tidy(() => {
    const x = images instanceof Float32Array ? tf.tensor4d(images, [labels.length, 28, 28, 1]) : images;
    return (model.predict(x) as tf.Tensor).argMax(1).dataSync();
  });
  return labels.filter((label, i) => predicted[i] === label).length / labels.length;
}

/** The network's output for one image: undefined if it is 10 probabilities, else what is wrong. */
export function classifierProblem(model: tf.LayersModel): string | undefined {
  const inputShape = model.inputs[0].shape.slice(1).join(' × ');
  if (inputShape !== '28 × 28 × 1') return `your network takes inputs of shape ${inputShape}; expected 28 × 28 × 1 (an MNIST image)`;
  const probabilities = tf.tidy(() => Array.from((model.predict(tf.zeros([1, 28, 28, 1])) as tf.Tensor).dataSync()));
  if (probabilities.length !== 10) return `your network gives ${probabilities.length} numbers per image; expected 10 class probabilities`;
  const total = probabilities.reduce((a, b) => a + b, 0);
  // Stryker disable next-line EqualityOperator: a sum exactly 1e-3 from 1 is as wrong either way
  if (probabilities.some((p) => !(p >= 0)) || Math.abs(total - 1) > 1e-3) return `your network's 10 outputs for a blank image sum to ${total.toPrecision(4)} or include negative values: end with a softmax, so that they are class probabilities`;
  return undefined;
}

/** A·v for a matrix and a vector. */
export function times(A: Matrix, v: readonly number[]): number[] {
  return A.map((row) => row.reduce((sum, x, j) => sum + x * v[j], 0));
}

/** The Euclidean norm of a vector. */
export function norm(v: readonly number[]): number {
  return Math.sqrt(v.reduce((sum, x) => sum + x * x, 0));
}

/** ‖a − b‖. */
export function distance(a: readonly number[], b: readonly number[]): number {
  return Math.sqrt(a.reduce((sum, x, i) => sum + (x - b[i]) ** 2, 0));
}

/** What random ReLU features look like, and what their distribution should make of them. */
export interface FeatureSummary {
  /** The fraction of exact zeros (a half, in expectation, for any row that is not zero). */
  zeros: number;
  /** The fraction of negative entries (none after a ReLU). */
  negative: number;
  /**
   * The mean over every entry of F² divided by its expectation, mean over the rows of
   * ‖x‖²/(2d): for x·w with w ~ N(0, I/d), max(0, x·w)² has mean ‖x‖²/(2d).
   */
  secondMoment: number;
}

export function featureSummary(X: Matrix, F: Matrix): FeatureSummary {
  const d = X[0].length;
  let zeros = 0;
  let negative = 0;
  let squares = 0;
  let count = 0;
  for (const row of F) {
    for (const v of row) {
      if (v === 0) zeros++;
      if (v < 0) negative++;
      squares += v * v;
      count++;
    }
  }
  const expected = X.reduce((sum, x) => sum + x.reduce((s, v) => s + v * v, 0), 0) / X.length / (2 * d);
  return { zeros: zeros / count, negative: negative / count, secondMoment: squares / count / expected };
}
