// generalization — your implementation goes here.
//
// Rules of the game:
//   • A Matrix is number[][]: rows are examples, as in the lecture's X (n × d).
//   • Never change the arrays or tensors you are given; return new ones. Wrap temporary tensor
//     work in tf.tidy().
//   • Everything random is drawn from a generator seeded with `seed`: the same call gives the
//     same answer.
//   • You may import `@tensorflow/tfjs`, `seedrandom` and `ml-matrix`.
//   • Keep the signatures exactly as they are.
// Run `npm run grade -- generalization` to check your work.
import * as tf from '@tensorflow/tfjs';

export type Matrix = number[][];

/**
 * Random labels for the memorisation experiment: each label replaced by an independent uniform
 * draw from 0 … numClasses − 1, whatever it was before (not a shuffle of the old labels).
 */
export function randomLabels(labels: number[], numClasses: number, seed: number): number[] {
  throw new Error('not implemented: randomLabels');
}

/**
 * A network that memorises: trained on the images ([N, 28, 28, 1], pixels in [0, 1]) with the
 * given labels (0–9) for `epochs` passes, it should get nearly all of those training labels
 * right even when they are random. Use an MLP 784 → 512 (ReLU) → 10 (softmax) trained with
 * Adam (learning rate 0.001) on the cross-entropy in batches of 32: the epochs the grader
 * passes are enough for that network. Returns the trained model (it outputs 10 class
 * probabilities per image).
 */
export function memorize(images: tf.Tensor4D, labels: number[],
  options: { epochs: number; seed: number }): Promise<tf.LayersModel> {
  throw new Error('not implemented: memorize');
}

/**
 * Random ReLU features of the rows of X (n × d): max(0, X·W), an n × p matrix, where W is a
 * d × p matrix of independent normal entries with mean 0 and variance 1/d. W depends only on
 * d, p and the seed, so features of the training and the test rows drawn with one seed use the
 * same W.
 */
export function randomReluFeatures(X: Matrix, p: number, seed: number): Matrix {
  throw new Error('not implemented: randomReluFeatures');
}

/**
 * The minimum-norm least-squares solution A⁺y (A⁺ the pseudo-inverse of the n × p matrix A): the
 * β of smallest ‖β‖ among those that minimise ‖Aβ − y‖. It must work when A has more rows than
 * columns (over-determined), more columns than rows (under-determined, infinitely many exact
 * fits) and when A is square or rank-deficient.
 */
export function minNormLeastSquares(A: Matrix, y: number[]): number[] {
  throw new Error('not implemented: minNormLeastSquares');
}

/**
 * The double-descent curve: for each p of featureCounts, fit minNormLeastSquares on the random
 * ReLU features of trainX (p features, drawn with `seed`) against trainY, and return the TEST
 * mean squared error, mean over the rows of testX of (features·β − y)², using the same W for
 * the test rows. One number per p, in the order of featureCounts.
 */
export function doubleDescentCurve(trainX: Matrix, trainY: number[], testX: Matrix,
  testY: number[], featureCounts: number[], seed: number): number[] {
  throw new Error('not implemented: doubleDescentCurve');
}
