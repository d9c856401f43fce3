import * as tf from '@tensorflow/tfjs';
import { CholeskyDecomposition, Matrix as MlMatrix } from 'ml-matrix';
import type { Rng } from '../../grader/src/cases/rng.ts';
import { drawDistinct } from './data.ts';

/**
 * The measurements of the transfer checks, all in the trusted grader and in float64: distances
 * and nearest neighbours, the few-shot experiment's episodes, and the logistic-regression
 * objective with its optimum.
 */

export type Matrix = number[][];
export type Softmax = { weights: Matrix; bias: number[] };

// ---------------------------------------------------------------------------------------
// Nearest neighbours

/** Squared Euclidean distances from every query (row of `queries`) to every row of `rows`: queries × rows, row-major. */
export function squaredDistances(rows: ArrayLike<number>[], queries: ArrayLike<number>[]): Float64Array {
  const out = new Float64Array(queries.length * rows.length);
  queries.forEach((q, i) => {
    rows.forEach((r, j) => {
      let sum = 0;
      for (let c = 0; c < q.length; c++) {
        const d = q[c] - r[c];
        sum += d * d;
      }
      out[i * rows.length + j] = sum;
    });
  });
  return out;
}

/** Every feature is a whole number: then any way of computing a squared distance is exact, and ties are real ties. */
export function wholeNumbers(...matrices: Matrix[]): boolean {
  return matrices.every((m) => m.every((row) => row.every(Number.isInteger)));
}

/**
 * The labels 1-NN may answer for each query. With whole-number features distances are exact in
 * any arithmetic, so the answer is the label of the closest training row, the lowest index
 * among tied ones. With other features, a training row whose squared distance is within
 * `NEAR_TIE` (relative) of the closest one's could be the closest in another arithmetic, so
 * its label is accepted too: float32 tfjs through ‖a‖² + ‖b‖² − 2⟨a, b⟩ loses about 1e-7 of
 * ‖a‖² + ‖b‖², which for network features can be 1e-6 of the distance itself.
 */
export const NEAR_TIE = 1e-5;

export function acceptedLabels(trainFeatures: Matrix, trainLabels: number[], testFeatures: Matrix): Array<Set<number>> {
  const exact = wholeNumbers(trainFeatures, testFeatures);
  const d = squaredDistances(trainFeatures, testFeatures);
  const n = trainFeatures.length;
  return testFeatures.map((_, q) => {
    const row = d.subarray(q * n, (q + 1) * n);
    let best = 0;
    // Stryker disable next-line EqualityOperator: row[n] is undefined, never smaller
    for (let j = 1; j < n; j++) if (row[j] < row[best]) best = j;
    const accepted = new Set([trainLabels[best]]);
    if (!exact) {
      const slack = NEAR_TIE * Math.max(row[best], 1e-300);
      row.forEach((v, j) => {
        // Stryker disable next-line EqualityOperator: a float64 gap never equals the slack to the last bit
        if (v - row[best] <= slack) accepted.add(trainLabels[j]);
      });
    }
    return accepted;
  });
}

/** 1-NN by cosine similarity (the largest ⟨a, b⟩/(‖a‖‖b‖)), ties to the lower index: a declared mistake's answer. */
export function cosinePredict(trainFeatures: Matrix, trainLabels: number[], testFeatures: Matrix): number[] {
  const train = unitRows(trainFeatures);
  return unitRows(testFeatures).map((q) => {
    let best = 0;
    let bestSimilarity = -Infinity;
    train.forEach((row, j) => {
      const s = row.reduce((sum, v, c) => sum + v * q[c], 0);
      if (s > bestSimilarity) [best, bestSimilarity] = [j, s];
    });
    return trainLabels[best];
  });
}

/** Euclidean 1-NN in float64, ties to the lower training index (or, with `lastTie`, the higher: a declared mistake's answer). */
export function nearestPredict(trainFeatures: ArrayLike<number>[], trainLabels: number[], testFeatures: ArrayLike<number>[], lastTie = false): number[] {
  const d = squaredDistances(trainFeatures, testFeatures);
  const n = trainFeatures.length;
  return testFeatures.map((_, q) => {
    let best = 0;
    for (let j = 1; j < n; j++) {
      const delta = d[q * n + j] - d[q * n + best];
      if (delta < 0 || (lastTie && delta === 0)) best = j;
    }
    return trainLabels[best];
  });
}

export function lastTiePredict(trainFeatures: Matrix, trainLabels: number[], testFeatures: Matrix): number[] {
  return nearestPredict(trainFeatures, trainLabels, testFeatures, true);
}

// ---------------------------------------------------------------------------------------
// The few-shot experiment

/** 95 % normal interval of a mean: mean ± 1.96·sd/√n. */
export function meanInterval(values: number[]): { mean: number; half: number } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / Math.max(1, n - 1);
  return { mean, half: (1.96 * Math.sqrt(variance)) / Math.sqrt(n) };
}

/**
 * Episodes drawn from a pool: for each, `shots` pool positions of every class (`poolClasses[j]`
 * is position j's class), drawn by `rng`.
 */
export function drawEpisodes(rng: Rng, poolClasses: number[], shots: number, count: number): number[][] {
  const classes = [...new Set(poolClasses)].sort((a, b) => a - b);
  const positions = classes.map((c) => poolClasses.flatMap((k, j) => (k === c ? [j] : [])));
  return Array.from({ length: count }, () => positions.flatMap((ps) => drawDistinct(rng, ps, shots)));
}

/**
 * 1-NN accuracy of each episode: queries × pool squared distances `d`, each query's class,
 * each pool position's class, and the support positions of every episode. Ties go to the
 * support position listed first.
 */
export function episodeAccuracies(d: ArrayLike<number>, queryClasses: number[], poolClasses: number[], episodes: number[][]): number[] {
  const width = poolClasses.length;
  return episodes.map((support) => {
    let right = 0;
    queryClasses.forEach((c, q) => {
      let best = support[0];
      for (const j of support) if (d[q * width + j] < d[q * width + best]) best = j;
      if (poolClasses[best] === c) right++;
    });
    return right / queryClasses.length;
  });
}

/**
 * Squared Euclidean distances from every query to every row, in float32 tfjs as
 * ‖q‖² + ‖r‖² − 2⟨q, r⟩: the experiment's 975 × 300 distances between 784-pixel images took
 * 0.6–0.8 s so, against 0.9–1.2 s in float64 loops (squaredDistances; measured side by side,
 * 2026-12-01, wasm, on a busy machine). Rounding can only reorder neighbours whose distances
 * agree to about 1e-6, which moves an accuracy over 975 queries and 300 episodes by far less
 * than the margin it is compared with.
 */
export function pairwiseSquaredDistances(rows: tf.Tensor2D, queries: tf.Tensor2D): Float32Array {
  return tf.tidy(() => {
    const rowSquares = tf.sum(tf.square(rows), 1).reshape([1, -1]);
    const querySquares = tf.sum(tf.square(queries), 1).reshape([-1, 1]);
    return tf.sub(tf.add(querySquares, rowSquares), tf.mul(2, tf.matMul(queries, rows, false, true))).dataSync() as Float32Array;
  });
}

/** Rows scaled to length 1 (a row of zeros is kept). */
export function unitRows(rows: ArrayLike<number>[]): Float64Array[] {
  return rows.map((row) => {
    let sum = 0;
    for (let j = 0; j < row.length; j++) sum += row[j] * row[j];
    const length = Math.sqrt(sum) || 1;
    return Float64Array.from(row, (v) => v / length);
  });
}

/** The rows of a batch of images as flat pixel vectors. */
export function pixelRows(x: tf.Tensor): Float32Array[] {
  const data = x.dataSync() as Float32Array;
  const width = data.length / x.shape[0];
  return Array.from({ length: x.shape[0] }, (_, i) => data.subarray(i * width, (i + 1) * width));
}

/** Fraction of predictions equal to the truth. */
export function accuracy(predicted: number[], truth: number[]): number {
  return predicted.filter((p, i) => p === truth[i]).length / truth.length;
}

// ---------------------------------------------------------------------------------------
// Softmax regression

/** log Σ exp(z), shifted by the largest entry so that exp never overflows. */
export function logSumExp(z: number[]): number {
  const top = Math.max(...z);
  return top + Math.log(z.reduce((sum, v) => sum + Math.exp(v - top), 0));
}

/** One row's cross-entropy log Σ exp(z) − z[label]. */
function crossEntropy(z: number[], label: number): number {
  return logSumExp(z) - z[label];
}

/** The scores W·x + b of one example. */
export function logits(weights: Matrix, bias: number[], x: number[]): number[] {
  return bias.map((b, k) => weights[k].reduce((sum, w, j) => sum + w * x[j], b));
}

/** The class with the largest score, the first of tied ones. */
export function largestLogit(weights: Matrix, bias: number[], x: number[]): number {
  const z = logits(weights, bias, x);
  return z.indexOf(Math.max(...z));
}

/**
 * The objective the handout states: mean cross-entropy + (l2/2)·‖W‖², the bias not penalised
 * (with `penaliseBias`, + (l2/2)·‖b‖² too: a declared mistake's objective).
 */
export function objective(model: Softmax, features: Matrix, labels: number[], l2: number, penaliseBias = false): number {
  const data = features.reduce((sum, x, i) => sum + crossEntropy(logits(model.weights, model.bias, x), labels[i]), 0) / features.length;
  const squares = (m: Matrix) => m.reduce((sum, row) => sum + row.reduce((s, v) => s + v * v, 0), 0);
  return data + (l2 / 2) * (squares(model.weights) + (penaliseBias ? squares([model.bias]) : 0));
}

/**
 * The minimum of a smooth convex function by Newton's method from `start`, in float64: each
 * step solves H·s = g (Cholesky; H must be positive definite), then halves s until the value
 * falls by at least a quarter of what the quadratic model promises (backtracking), and stops
 * when a step promises less than 1e-24 or fails to lower the value.
 */
export function newtonMinimum(
  value: (theta: number[]) => number,
  derivatives: (theta: number[]) => { gradient: number[]; hessian: number[][] },
  start: number[],
): { theta: number[]; value: number } {
  let theta = start;
  let current = value(theta);
  // Stryker disable next-line EqualityOperator: Newton converges in far fewer than 100 iterations
  for (let iteration = 0; iteration < 100; iteration++) {
    const { gradient, hessian } = derivatives(theta);
    const size = gradient.length;
    // Built in float64 from sums in different orders, its two triangles can differ in the last bit.
    // Stryker disable next-line EqualityOperator: averaging an entry with itself changes nothing
    for (let a = 0; a < size; a++) for (let b = 0; b < a; b++) hessian[a][b] = hessian[b][a] = (hessian[a][b] + hessian[b][a]) / 2;
    const step = new CholeskyDecomposition(new MlMatrix(hessian)).solve(MlMatrix.columnVector(gradient)).to1DArray();
    const decrease = step.reduce((sum, s, j) => sum + s * gradient[j], 0);
    // Stryker disable next-line EqualityOperator: a decrease of exactly 1e-24 does not occur
    if (!(decrease > 1e-24)) break;
    let t = 1;
    let next = theta.map((v, j) => v - t * step[j]);
    let nextValue = value(next);
    // Stryker disable next-line EqualityOperator: equal values to the last bit do not occur
    while (nextValue > current - 0.25 * t * decrease && t > 1e-10) {
      t /= 2;
      next = theta.map((v, j) => v - t * step[j]);
      nextValue = value(next);
    }
    if (!(nextValue <= current)) break;
    theta = next;
    current = nextValue;
  }
  return { theta, value: current };
}

/**
 * An orthonormal basis of the span of the rows (Gram–Schmidt, twice over for accuracy): rows
 * whose remainder is below 1e-10 of their length add nothing.
 */
function rowSpace(rows: Matrix): Matrix {
  const basis: Matrix = [];
  const project = (v: number[]): number[] =>
    basis.reduce((w, b) => {
      const c = b.reduce((sum, x, j) => sum + x * w[j], 0);
      return w.map((x, j) => x - c * b[j]);
    }, v);
  for (const row of rows) {
    const v = project(project(row));
    const length = Math.hypot(...v);
    // Stryker disable next-line EqualityOperator,ArithmeticOperator: a remainder is either ~1e-16 of its row (a dependent row) or far above 1e-10
    if (length > 1e-10 * Math.hypot(...row)) basis.push(v.map((x) => x / length));
  }
  return basis;
}

/**
 * The minimum of `objective` (l2 > 0), by Newton's method with backtracking, in float64, to the
 * last digits. With more features than examples, the optimal weights lie in the span of the
 * examples (the data term sees W only through W·x_i, and any part of W outside that span only
 * adds to ‖W‖²), so the problem is solved in coordinates of that span: the same minimum, with
 * 25 coordinates instead of 128 for a five-shot support set (645 unknowns became 130, and
 * the Newton steps ~100× cheaper); the weights found are mapped back to the features.
 *
 * The parameters are each class's weights and bias, θ = (W_k, b_k) for k = 1…K.
 * The Hessian of the data term is (1/n)·Σ_i (diag(p_i) − p_i p_iᵀ) ⊗ x̃_i x̃_iᵀ with x̃ = (x, 1);
 * adding the same constant to every bias changes nothing, so where the bias is not penalised
 * the Hessian is singular along that direction, along which the gradient is always 0. Adding
 * 11ᵀ/K on the bias block makes it positive definite without changing any step.
 */
export function optimum(data: Matrix, labels: number[], numClasses: number, l2: number, penaliseBias = false): Softmax & { value: number } {
  const n = data.length;
  // The reduction is exact for any shape; with d ≤ n it would only cost time.
  // Stryker disable next-line ConditionalExpression,EqualityOperator: see above
  const basis = data[0].length > n ? rowSpace(data) : undefined;
  const features = basis ? data.map((x) => basis.map((b) => b.reduce((sum, v, j) => sum + v * x[j], 0))) : data;
  const d = features[0].length;
  const width = d + 1;
  const size = numClasses * width;
  const unpack = (theta: number[]): Softmax => ({
    weights: Array.from({ length: numClasses }, (_, k) => theta.slice(k * width, k * width + d)),
    bias: Array.from({ length: numClasses }, (_, k) => theta[k * width + d]),
  });
  const value = (theta: number[]) => objective(unpack(theta), features, labels, l2, penaliseBias);
  const derivatives = (theta: number[]): { gradient: number[]; hessian: number[][] } => {
    const { weights, bias } = unpack(theta);
    const gradient = new Array<number>(size).fill(0);
    const hessian = Array.from({ length: size }, () => new Array<number>(size).fill(0));
    features.forEach((x, i) => {
      const z = logits(weights, bias, x);
      const normaliser = logSumExp(z);
      const p = z.map((v) => Math.exp(v - normaliser));
      const xt = [...x, 1];
      for (let k = 0; k < numClasses; k++) {
        const residual = (p[k] - (labels[i] === k ? 1 : 0)) / n;
        for (let j = 0; j < width; j++) gradient[k * width + j] += residual * xt[j];
        for (let l = 0; l < numClasses; l++) {
          const c = (p[k] * ((k === l ? 1 : 0) - p[l])) / n;
          for (let j = 0; j < width; j++) {
            const cj = c * xt[j];
            const row = hessian[k * width + j];
            for (let m = 0; m < width; m++) row[l * width + m] += cj * xt[m];
          }
        }
      }
    });
    for (let k = 0; k < numClasses; k++) {
      for (let j = 0; j < width; j++) {
        const at = k * width + j;
        if (j < d || penaliseBias) {
          gradient[at] += l2 * theta[at];
          hessian[at][at] += l2;
        }
      }
      // Stryker disable next-line ConditionalExpression,ArithmeticOperator: any positive multiple of 11ᵀ here, and adding it when the bias is penalised too, keeps the matrix positive definite, and the line search finds the same minimum
      if (!penaliseBias) for (let l = 0; l < numClasses; l++) hessian[k * width + d][l * width + d] += 1 / numClasses;
    }
    return { gradient, hessian };
  };
  const minimum = newtonMinimum(value, derivatives, new Array<number>(size).fill(0));
  const { weights, bias } = unpack(minimum.theta);
  const back = basis ? weights.map((a) => data[0].map((_, j) => a.reduce((sum, v, c) => sum + v * basis[c][j], 0))) : weights;
  return { weights: back, bias, value: minimum.value };
}
