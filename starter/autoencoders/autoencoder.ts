// autoencoders — your implementation goes here.
//
// Rules of the game:
//   • Images are float32 tensors of shape [N, 28, 28, 1] with pixels in [0, 1].
//   • An Autoencoder is two tf.LayersModels: the encoder e maps [N, 28, 28, 1] to codes
//     [N, k]; the decoder d maps codes [N, k] back to images [N, 28, 28, 1].
//   • Use only tfjs's built-in layers (the grader rebuilds your models from their saved
//     form, and evaluates them itself on digits your code never sees).
//   • Return NEW tensors; do not dispose the tensors you are given. Wrap temporary work in
//     tf.tidy().
//   • You may import `@tensorflow/tfjs` and `seedrandom`.
//   • Keep the signatures exactly as they are.
// Run `npm run grade -- autoencoders` to check your work.
import * as tf from '@tensorflow/tfjs';

export interface Autoencoder {
  encoder: tf.LayersModel;
  decoder: tf.LayersModel;
}

/**
 * A new, untrained autoencoder with a code of exactly `bottleneck` numbers. The decoder's
 * outputs must lie in [0, 1] for ANY code (not only codes the encoder produces).
 */
export function buildAutoencoder(bottleneck: number): Autoencoder {
  throw new Error('not implemented: buildAutoencoder');
}

/**
 * Trains `model` (which you may not have built yourself: train whatever encoder and decoder
 * you are given) to minimise a reconstruction loss (MSE or binary cross-entropy) of
 * d(e(input)) against the CLEAN images. With `noiseStd`, the input is the image plus fresh
 * Gaussian noise of that std (new noise at least every epoch), clipped to [0, 1].
 * Returns the trained encoder and decoder and `losses`: per epoch, the mean of that epoch's
 * batch losses. (Make it `async` when you write it: training with tfjs is asynchronous.)
 */
export function trainAutoencoder(
  model: Autoencoder,
  images: tf.Tensor4D,
  options: { epochs: number; batchSize: number; seed: number; noiseStd?: number },
): Promise<Autoencoder & { losses: number[] }> {
  throw new Error('not implemented: trainAutoencoder');
}

/** The denoised images: the autoencoder's reconstruction of the noisy ones. */
export function denoise(model: Autoencoder, noisy: tf.Tensor4D): tf.Tensor4D {
  throw new Error('not implemented: denoise');
}

/**
 * `mask` is 1 where a pixel is known and 0 where it is missing. Start each image's missing
 * pixels at the mean of its known pixels, then `iterations` times: reconstruct the whole
 * image and copy the reconstruction into the missing pixels only. Known pixels must come back
 * bit for bit unchanged.
 */
export function inpaint(model: Autoencoder, images: tf.Tensor4D, mask: tf.Tensor4D, iterations: number): tf.Tensor4D {
  throw new Error('not implemented: inpaint');
}

/**
 * Fits a Gaussian (mean and full covariance) to the codes of `trainingImages` and decodes
 * `n` codes drawn from it. The same seed must give the same samples.
 */
export function sampleImages(model: Autoencoder, trainingImages: tf.Tensor4D, n: number, seed: number): tf.Tensor4D {
  throw new Error('not implemented: sampleImages');
}

/**
 * Learned compression: each code value quantised to `bits` bits (1–16) over a range stored
 * in the bytes themselves. The byte length is the storage cost.
 */
export function compress(model: Autoencoder, images: tf.Tensor4D, bits: number): Uint8Array {
  throw new Error('not implemented: compress');
}

/** The `count` images whose codes `compress` stored in `bytes`, from the bytes alone. */
export function decompress(model: Autoencoder, bytes: Uint8Array, count: number, bits: number): tf.Tensor4D {
  throw new Error('not implemented: decompress');
}
