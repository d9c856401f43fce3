import * as tf from '@tensorflow/tfjs';
import { allOf, fail, invariant, pass, type Verdict } from '../../grader/src/checks/verdict.ts';
import { matMul } from '../../grader/src/linalg/dense.ts';
import { svd } from '../../grader/src/linalg/svd.ts';

/**
 * The checks of the autoencoders assignment. They run in the trusted grader on models and
 * tensors that crossed back from the student's process as data: every number here (errors,
 * ratios, distances) is computed by the grader itself, on images the student's code never saw.
 */

export interface Autoencoder {
  encoder: tf.LayersModel;
  decoder: tf.LayersModel;
}

export const SIDE = 28;
export const PIXELS = SIDE * SIDE;

/** The largest autoencoder the grader evaluates (weights of encoder and decoder together): ~40 MB of float32. */
export const MAX_PARAMETERS = 10_000_000;

export function format(value: number, digits = 4): string {
  return Number.isFinite(value) ? Number(value.toPrecision(digits)).toString() : String(value);
}

const shapeText = (shape: ReadonlyArray<number | null>): string => `[${shape.map((d) => (d === null ? 'N' : d)).join(', ')}]`;

/** The shape of a model's one input or output, or a message saying why there is not exactly one. */
function onlyShape(model: tf.LayersModel, side: 'inputs' | 'outputs', name: string): { shape: Array<number | null> } | { message: string } {
  const list = model[side];
  if (list.length !== 1) return { message: `the ${name} has ${list.length} ${side}; it must have exactly one` };
  return { shape: list[0].shape };
}

function sameShape(got: ReadonlyArray<number | null>, want: ReadonlyArray<number | null>): boolean {
  return got.length === want.length && got.every((d, i) => d === want[i]);
}

/**
 * The encoder maps [N, 28, 28, 1] to [N, k] and the decoder [N, k] back to [N, 28, 28, 1], read
 * from the models' own input and output shapes. A code wider than k is not a bottleneck.
 */
export function architecture(model: Autoencoder, k: number): Verdict {
  const image = [null, SIDE, SIDE, 1];
  const parts: Array<[tf.LayersModel, 'inputs' | 'outputs', string, Array<number | null>]> = [
    [model.encoder, 'inputs', 'encoder', image],
    [model.encoder, 'outputs', 'encoder', [null, k]],
    [model.decoder, 'inputs', 'decoder', [null, k]],
    [model.decoder, 'outputs', 'decoder', image],
  ];
  for (const [m, side, name, want] of parts) {
    const found = onlyShape(m, side, name);
    if ('message' in found) return fail(found.message);
    const { shape } = found;
    if (name === 'encoder' && side === 'outputs' && shape.length === 2 && (shape[1] ?? 0) > k) {
      return fail(`the encoder's output is ${shapeText(shape)}: a code of ${shape[1]} numbers is wider than the bottleneck k = ${k}, so nothing forces the autoencoder to compress`, { width: shape[1], k });
    }
    if (!sameShape(shape, want)) return fail(`the ${name}'s ${side === 'inputs' ? 'input' : 'output'} shape is ${shapeText(shape)}; expected ${shapeText(want)}`);
  }
  const parameters = model.encoder.countParams() + model.decoder.countParams();
  return invariant(parameters <= MAX_PARAMETERS, `the encoder and decoder have ${parameters} weights together; the grader evaluates at most ${MAX_PARAMETERS}`);
}

/** The smallest and largest value of a tensor. */
export function range(t: tf.Tensor): [number, number] {
  const data = t.dataSync();
  let low = Infinity;
  let high = -Infinity;
  for (const v of data) {
    if (v < low) low = v;
    if (v > high) high = v;
  }
  return [low, high];
}

/**
 * The decoder's outputs lie in [0, 1] for codes of every scale, not just those the encoder
 * happens to produce: `codes` are the grader's own draws (standard normal times 1, 10, 100).
 */
export function outputsInUnitRange(decoder: tf.LayersModel, codes: tf.Tensor2D): Verdict {
  const out = tf.tidy(() => decoder.apply(codes) as tf.Tensor);
  try {
    // range() passes over NaN, so a decoder that gives NaN is failed here first.
    if (!out.dataSync().every(Number.isFinite)) return fail(`on ${codes.shape[0]} random codes the decoder gives NaN or Infinity; pixels must stay in [0, 1] for any code`);
    const [low, high] = range(out);
    return invariant(
      low >= 0 && high <= 1,
      `on ${codes.shape[0]} random codes (up to |z| = ${format(range(tf.abs(codes))[1], 3)}) the decoder's outputs range over [${format(low)}, ${format(high)}]; pixels must stay in [0, 1] for any code: end the decoder with a sigmoid`,
      { low, high },
    );
  } finally {
    out.dispose();
  }
}

/** decoder(encoder(x)), computed by the grader. */
export function reconstruction(model: Autoencoder, x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => model.decoder.apply(model.encoder.apply(x) as tf.Tensor) as tf.Tensor4D);
}

export function meanSquaredError(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.mean(tf.squaredDifference(a, b)).dataSync()[0]);
}

/** Peak signal-to-noise ratio in dB for pixels in [0, 1]. */
export function psnr(mse: number): number {
  return 10 * Math.log10(1 / mse);
}

/** The held-out reconstruction error, beside PCA's at the same k. */
export function reconstructionSummary(mse: number, pcaMse: number, k: number): string {
  const comparison = mse <= pcaMse ? `${format(pcaMse / mse, 3)}× lower than PCA's` : `${format(mse / pcaMse, 3)}× PCA's`;
  return `held-out MSE of decoder(encoder(x)) ${format(mse)} at k = ${k} (PCA with k = ${k} on the same training images: ${format(pcaMse)}; yours is ${comparison})`;
}

/** The held-out reconstruction error must be at most `multiple` × PCA's at the same k. */
export function reconstructionError(mse: number, pcaMse: number, multiple: number, k: number): Verdict {
  const summary = reconstructionSummary(mse, pcaMse, k);
  const limit = multiple === 1 ? "PCA's" : `${multiple}× PCA's`;
  return mse <= multiple * pcaMse ? pass(summary, { mse, pcaMse }) : fail(`${summary}; it must be at most ${limit}`, { mse, pcaMse });
}

/** One loss per epoch, all finite, the last below the first. */
export function lossCurve(losses: number[], epochs: number): Verdict {
  if (losses.length !== epochs) return fail(`losses has ${losses.length} entries; expected one per epoch (${epochs})`);
  if (!losses.every(Number.isFinite)) return fail('losses contains NaN or Infinity');
  return invariant(losses[epochs - 1] < losses[0], `the loss did not fall: first epoch ${format(losses[0])}, last ${format(losses[epochs - 1])}`, { first: losses[0], last: losses[epochs - 1] });
}

/**
 * The mean output over the pixels that are exactly 0 in the clean images: a denoiser trained on
 * clean targets leaves a dark background, one trained to reproduce its noisy input a grey one.
 */
export function backgroundMean(output: tf.Tensor, clean: tf.Tensor): number {
  return tf.tidy(() => {
    const background = tf.cast(tf.equal(clean, 0), 'float32');
    return tf.div(tf.sum(tf.mul(output, background)), tf.maximum(tf.sum(background), 1)).dataSync()[0];
  });
}

export function denoisingQuality(ratio: number, background: number, limits: { ratio: number; background: number }): Verdict {
  const summary = `MSE(denoised, clean) / MSE(noisy, clean) = ${format(ratio, 3)}, mean denoised background ${format(background, 3)}`;
  if (ratio <= limits.ratio && background <= limits.background) return pass(summary, { ratio, background });
  return allOf([
    invariant(ratio <= limits.ratio, `${summary}: the ratio must be at most ${limits.ratio}`, { ratio }),
    invariant(background <= limits.background, `${summary}: where the clean digit is black the denoised image must be dark too (mean at most ${limits.background}); a grey background is what a model trained to reproduce its noisy input gives`, { background }),
  ]);
}

// Generation

/** Mean and covariance (divisor n − 1) of the rows of a features matrix. */
export function gaussianOf(features: number[][]): { mean: number[]; covariance: number[][] } {
  const n = features.length;
  const d = features[0].length;
  const mean = Array.from({ length: d }, (_, j) => features.reduce((s, f) => s + f[j], 0) / n);
  const covariance = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (const f of features) {
    // Stryker disable next-line EqualityOperator: with i = d the inner loop starts at j = d and does not run
    for (let i = 0; i < d; i++) {
      // Σ (fᵢ − μᵢ)(fⱼ − μⱼ) equals Σ (fᵢ ± μᵢ)(fⱼ − μⱼ) and Σ (fᵢ − μᵢ)(fⱼ ± μⱼ), since Σ (f − μ) = 0:
      // only one factor needs centring, so a sign flip in either is equivalent (up to rounding).
      // Stryker disable next-line ArithmeticOperator: see above
      const a = f[i] - mean[i];
      // Stryker disable next-line ArithmeticOperator: see above
      for (let j = i; j < d; j++) covariance[i][j] += a * (f[j] - mean[j]);
    }
  }
  // Stryker disable next-line EqualityOperator: with i = d the inner loop starts at j = d and does not run
  for (let i = 0; i < d; i++) for (let j = i; j < d; j++) covariance[j][i] = covariance[i][j] /= n - 1;
  return { mean, covariance };
}

/** The symmetric square root of a symmetric positive semi-definite matrix (through its SVD, which for such a matrix is its eigendecomposition). */
function sqrtPsd(a: number[][]): number[][] {
  // Stryker disable next-line ObjectLiteral: vectors are svd's default
  const { U, S } = svd(a, { vectors: true });
  const d = a.length;
  // Stryker disable next-line ArithmeticOperator: the negated root −C^½ gives the same C^½·C₂·C^½ in frechetDistance
  return Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => S.reduce((sum, s, k) => sum + U[i][k] * Math.sqrt(s) * U[j][k], 0)));
}

/**
 * The Fréchet distance between Gaussians fitted to two feature sets (FID when the features
 * are a classifier's): |μ₁ − μ₂|² + tr(C₁ + C₂ − 2(C₁C₂)^½). tr (C₁C₂)^½ is the sum of the
 * square roots of the eigenvalues of C₁^½ C₂ C₁^½, which is symmetric positive semi-definite.
 */
export function frechetDistance(a: number[][], b: number[][]): number {
  const ga = gaussianOf(a);
  const gb = gaussianOf(b);
  const d = ga.mean.length;
  const root = sqrtPsd(ga.covariance);
  const middle = matMul(matMul(root, gb.covariance), root);
  const traceRoot = svd(middle).S.reduce((s, v) => s + Math.sqrt(Math.max(v, 0)), 0);
  let distance = 0;
  for (let i = 0; i < d; i++) distance += (ga.mean[i] - gb.mean[i]) ** 2 + ga.covariance[i][i] + gb.covariance[i][i];
  // Never below 0 but by rounding (identical sets give ~1e-7).
  return Math.max(0, distance - 2 * traceRoot);
}

/** How many of the ten digits get at least `share` of the predicted labels. */
export function digitsSeen(labels: number[], share: number): number {
  const counts = new Array<number>(10).fill(0);
  for (const l of labels) counts[l]++;
  return counts.filter((c) => c >= share * labels.length).length;
}

/** Per sample, the Euclidean distance to its nearest image in `pool` (both [N, 28, 28, 1]). */
export function nearestDistances(samples: tf.Tensor4D, pool: tf.Tensor4D): Float32Array {
  return tf.tidy(() => {
    const a = samples.reshape([samples.shape[0], PIXELS]);
    const b = pool.reshape([pool.shape[0], PIXELS]);
    const squared = tf.add(tf.sub(tf.sum(tf.square(a), 1, true), tf.mul(2, tf.matMul(a, b, false, true))), tf.sum(tf.square(b), 1).expandDims(0));
    return tf.sqrt(tf.relu(tf.min(squared, 1))).dataSync() as Float32Array;
  });
}

// Compression

/**
 * decoder(codes quantised to `bits` bits): round to the nearest of 2^bits levels spread over
 * ONE range, the smallest to the largest code value of all the images — the coarser of the
 * two ranges the handout allows, so a correct answer with either does at least about as well.
 */
export function oneRangeReconstruction(model: Autoencoder, images: tf.Tensor4D, bits: number): tf.Tensor4D {
  return tf.tidy(() => {
    const codes = model.encoder.apply(images) as tf.Tensor2D;
    const [low, high] = range(codes);
    const levels = 2 ** bits - 1;
    const step = high > low ? (high - low) / levels : 1;
    const quantised = tf.add(low, tf.mul(tf.round(tf.div(tf.sub(codes, low), step)), step));
    return model.decoder.apply(quantised) as tf.Tensor4D;
  });
}

export { pass };
