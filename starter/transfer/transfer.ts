// transfer — your implementation goes here.
//
// Rules of the game:
//   • Images are float32 tensors of shape [N, 28, 28, 1] with pixels in [0, 1]. `model` is a
//     trained tf.LayersModel whose last layer (the classifier) gives softmax probabilities:
//     digits04-cnn, which has only ever seen the digits 0–4.
//   • A Matrix is an array of rows, one per example (X is n × d).
//   • Do not dispose or change the tensors and the model you are given. Wrap temporary work in
//     tf.tidy().
//   • You may import `@tensorflow/tfjs`, `seedrandom` and `ml-matrix`.
//   • Keep the signatures exactly as they are.
// Run `npm run grade -- transfer` to check your work.
import * as tf from '@tensorflow/tfjs';

export type Matrix = number[][];

/**
 * The same network up to (and including) the layer before the classifier, with the trained
 * weights as they are: the encoder e that turns an image into features.
 */
export function featureExtractor(model: tf.LayersModel): tf.LayersModel {
  throw new Error('not implemented: featureExtractor');
}

/** The extractor's output for every image, one row per image (flattened if it is not already a vector). */
export function extractFeatures(extractor: tf.LayersModel, images: tf.Tensor4D): Matrix {
  throw new Error('not implemented: extractFeatures');
}

/**
 * For every test row, the label of the closest training row by Euclidean distance; where
 * several are equally close, the one with the LOWEST training index.
 */
export function nearestNeighborPredict(trainFeatures: Matrix, trainLabels: number[], testFeatures: Matrix): number[] {
  throw new Error('not implemented: nearestNeighborPredict');
}

/**
 * Softmax regression by full-batch gradient descent: `epochs` steps of size `learningRate` on
 * mean cross-entropy + (l2/2)·‖W‖² (the bias is not penalised), from a small random start drawn
 * with `seed`. weights is numClasses × featureDim; labels are 0 … numClasses − 1.
 */
export function trainLogisticRegression(
  features: Matrix,
  labels: number[],
  numClasses: number,
  options: { epochs: number; learningRate: number; l2: number; seed: number },
): { weights: Matrix; bias: number[] } {
  throw new Error('not implemented: trainLogisticRegression');
}

/** The class with the largest logit W·x + b for every row of features. */
export function predictLogistic(model: { weights: Matrix; bias: number[] }, features: Matrix): number[] {
  throw new Error('not implemented: predictLogistic');
}

/**
 * Your own few-shot classifier: label every query image with one of `supportLabels` (digits
 * 5–9, a few labelled images of each), using `model` however you like. Graded on accuracy.
 */
export function fewShotClassify(model: tf.LayersModel, supportImages: tf.Tensor4D, supportLabels: number[], queryImages: tf.Tensor4D): number[] {
  throw new Error('not implemented: fewShotClassify');
}
