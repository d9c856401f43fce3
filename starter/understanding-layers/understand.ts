// understanding-layers — your implementation goes here.
//
// Rules of the game:
//   • Images are float32 tensors of shape [N, 28, 28, 1] with pixels in [0, 1]. `model` is a
//     trained tf.LayersModel that takes such images (digits-cnn, digits04-cnn, or the encoder e
//     of the digits-dae32 autoencoder), and `layerName` is the name of one of its layers
//     (model.getLayer(layerName)).
//   • A unit of a dense layer is one of its outputs; a unit of a convolutional layer is one of
//     its channels (the last axis: tfjs lays activations out as [N, height, width, channels]).
//   • Do not dispose or change the tensors and the model you are given. Wrap temporary work in
//     tf.tidy().
//   • You may import `@tensorflow/tfjs`, `seedrandom` and `ml-matrix`.
//   • Keep the signatures exactly as they are.
// Run `npm run grade -- understanding-layers` to check your work.
import * as tf from '@tensorflow/tfjs';

/**
 * The output of the named layer for every image, as the trained network computes it at
 * prediction time: shape [N, ...the layer's output shape].
 */
export function layerActivations(model: tf.LayersModel, layerName: string, images: tf.Tensor4D): tf.Tensor {
  throw new Error('not implemented: layerActivations');
}

/**
 * The indices of the k images with the largest |h|, largest first, where h is the unit's
 * activation for the image (for a convolutional layer: the mean of the unit's channel over
 * height and width). Where several images have the same |h|, the lower index comes first.
 */
export function topActivatingInputs(model: tf.LayersModel, layerName: string, unit: number, images: tf.Tensor4D, k: number): number[] {
  throw new Error('not implemented: topActivatingInputs');
}

/**
 * Activation maximisation: gradient ASCENT on the input image x ([1, 28, 28, 1]) of
 *     |h(x)| − (l2/2)·‖x‖²
 * with h as in topActivatingInputs. Start from pixels drawn uniformly from [0, 0.1) with a
 * generator seeded by `seed` (the same seed gives the same start); then `steps` times: move x
 * by learningRate times the gradient of the objective, and clip every pixel to [0, 1].
 * Return the final image.
 */
export function activationMaximization(
  model: tf.LayersModel,
  layerName: string,
  unit: number,
  options: { steps: number; learningRate: number; l2: number; seed: number },
): tf.Tensor4D {
  throw new Error('not implemented: activationMaximization');
}
