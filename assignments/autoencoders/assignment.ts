import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { type CheckContext, defineAssignment, problem } from '../../grader/src/assignment/define.ts';
import type { Rng } from '../../grader/src/cases/rng.ts';
import { allClose } from '../../grader/src/checks/allclose.ts';
import { layersModel, tensor } from '../../grader/src/checks/tensors.ts';
import { finiteNumber } from '../../grader/src/checks/values.ts';
import { allOf, fail, invariant, pass, type Verdict } from '../../grader/src/checks/verdict.ts';
import * as reference from '../../solutions/autoencoders/autoencoder.ts';
import {
  architecture,
  type Autoencoder,
  backgroundMean,
  denoisingQuality,
  digitsSeen,
  format,
  frechetDistance,
  lossCurve,
  meanSquaredError,
  nearestDistances,
  outputsInUnitRange,
  PIXELS,
  psnr,
  range,
  reconstruction,
  reconstructionError,
  reconstructionSummary,
  oneRangeReconstruction,
  SIDE,
} from './checks.ts';
import { classifier, digits, featureExtractor, pcaBasis, pcaReconstruct, trainedAutoencoder, untrainedAutoencoder } from './data.ts';
import * as denoiseBlend from './mistakes/denoise-blend.ts';
import { baselineTable } from './baselines.ts';
import { drawn, EXAMPLES, lossChart, rows, sampleGrid } from './pictures.ts';

type X = tf.Tensor4D;
type TrainOptions = { epochs: number; batchSize: number; seed: number; noiseStd?: number };
type TrainArgs = [Autoencoder, X, TrainOptions];
type Trained = Autoencoder & { losses: number[] };
type InpaintArgs = [Autoencoder, X, X, number];
type SampleArgs = [Autoencoder, X, number, number];
type CompressArgs = [Autoencoder, X, number];

// Thresholds, calibrated from the reference (see the comments at each).
/**
 * A trained model's held-out reconstruction MSE must be at most this multiple of PCA's at the
 * same k, fitted by the grader on the same training images. Measured with the reference
 * (9 runs each: 3 training sets × 3 seeds, 512 held-out digits): k = 16 after 10 epochs of
 * batch 64, 0.80–0.84× PCA's (MSE 0.0217–0.0233 against PCA's 0.0273); k = 32 after 15
 * epochs, 0.85–0.89× (0.0149–0.0159 against 0.0176). After 8 epochs at k = 32 the reference
 * is still 1.16–1.23× PCA's, so the graded cases use k = 16 and 10 epochs (320 steps of
 * 64 digits, ~5 s of training on wasm; k = 32 needs 15 epochs, ~7.5 s).
 */
const PCA_MULTIPLE = 1;
/**
 * Denoising at noise std 0.5 after 8 epochs, k = 32 (6 runs): the reference's
 * MSE(denoised, clean) / MSE(noisy, clean) is 0.27 (background mean 0.035); trained on noisy
 * targets 0.52 (background 0.21, as grey as the noisy input's 0.195); trained without noise
 * 0.44 (background 0.036).
 */
const DENOISING_LIMITS = { ratio: 0.36, background: 0.1 };
/**
 * Sampling, all in digits-cnn's 128 `features` and measured on 256 samples from the zoo model
 * (5 draws each): the Fréchet distance between the student's samples and the reference's own
 * draws from the same fitted Gaussian is 3.8–4.9 for a correct sampler, 8.8–11.9 for one
 * with a diagonal covariance and 14–18 for codes uniform between each dimension's extremes,
 * so SAMPLE_FD_LIMIT tells them apart. The FID against held-out test digits is 68–74 for the
 * reference (70–83 uniform, 88–101 diagonal: FID alone does not separate them); digits-cnn
 * sees 9–10 digits in the reference's samples; the mean distance from a sample to its nearest
 * training image is 5.75–5.93 (held-out test digits: ~5.3; reconstructions of training
 * images ~3.4; copies 0).
 */
const SAMPLE_FD_LIMIT = 7;
const FID_LIMIT = 85;
const DIGITS_SEEN_SHARE = 0.02;
const DIGITS_SEEN_MIN = 8;
const NEAREST_FLOOR = 4.5;
/**
 * Compression: at 8 bits the PSNR of decompress(compress(x)) must be within EIGHT_BIT_LOSS_DB
 * of the unquantised reconstruction's (the reference loses 0.01–0.02 dB), and at any bits
 * within QUANTISATION_MARGIN_DB of what the grader gets by quantising the codes over one
 * range for all values (the coarser choice the handout allows).
 */
const EIGHT_BIT_LOSS_DB = 1;
const QUANTISATION_MARGIN_DB = 0.5;
/** Inpainting: agreement with the reference on the missing pixels, and improvement over the mean fill. */
const INPAINT_ATOL = 2e-3;

const TRAINING_IMAGES = 2048;
const HELD_OUT = 512;
const seedOf = (rng: Rng): number => rng.int(0, 2 ** 31 - 1);
const codeWidth = (model: Autoencoder): number => model.encoder.outputs[0].shape[1] as number;

const autoencoderOutput = z.object({ encoder: layersModel, decoder: layersModel });
const image4d = tensor<X>({ rank: 4, dtype: 'float32' });

// buildAutoencoder

function checkBuild(ctx: CheckContext<[number], Autoencoder>): Verdict {
  const [k] = ctx.args;
  const shapes = architecture(ctx.output, k);
  if (shapes.score < 1) return shapes;
  const codes = tf.tidy(() => tf.concat([1, 10, 100].map((scale) => tf.mul(scale, tf.tensor2d(Array.from({ length: 8 * k }, () => ctx.rng.normal()), [8, k])))) as tf.Tensor2D);
  // Stryker disable next-line StringLiteral: any real digits show whether the codes are finite; the split cannot change the verdict
  const x = digits(ctx.rng, 16, 'test');
  try {
    const encoded = tf.tidy(() => ctx.output.encoder.apply(x) as tf.Tensor);
    const finite = encoded.dataSync().every(Number.isFinite);
    encoded.dispose();
    return allOf([
      invariant(finite, 'the encoder gives NaN or Infinity on real digits'),
      outputsInUnitRange(ctx.output.decoder, codes),
    ]);
  } finally {
    codes.dispose();
    x.dispose();
  }
}

// trainAutoencoder

function trainCase(k: number, options: Omit<TrainOptions, 'seed'>) {
  return (rng: Rng): TrainArgs => [untrainedAutoencoder(k), digits(rng, TRAINING_IMAGES, 'train'), { ...options, seed: seedOf(rng) }];
}

function checkTrain(ctx: CheckContext<TrainArgs, Trained>): Verdict {
  const [given, images, options] = ctx.args;
  const k = codeWidth(given);
  const shapes = architecture(ctx.output, k);
  if (shapes.score < 1) return shapes;
  const curve = lossCurve(ctx.output.losses, options.epochs);
  const x = digits(ctx.rng, HELD_OUT, 'test');
  const keep: tf.Tensor[] = [x];
  try {
    const out = reconstruction(ctx.output, x);
    const pca = pcaReconstruct(x, pcaBasis(images, k));
    keep.push(out, pca);
    const mse = meanSquaredError(out, x);
    const pcaMse = meanSquaredError(pca, x);
    // A denoiser is graded on denoising: trained on noisy inputs, it reconstructs clean ones
    // less well than PCA (the reference: MSE 0.047 after 8 epochs).
    const verdicts = [curve, options.noiseStd ? pass(reconstructionSummary(mse, pcaMse, k)) : reconstructionError(mse, pcaMse, PCA_MULTIPLE, k)];
    const columns: Array<[string, tf.Tensor]> = [['original', x], [`yours (k = ${k})`, out], [`PCA (k = ${k})`, pca]];
    if (options.noiseStd) {
      const corrupted = tf.tidy(() => tf.clipByValue(tf.add(x, tf.randomNormal(x.shape, 0, options.noiseStd, 'float32', seedOf(ctx.rng))), 0, 1) as X);
      const denoised = reconstruction(ctx.output, corrupted);
      keep.push(corrupted, denoised);
      const ratio = meanSquaredError(denoised, x) / meanSquaredError(corrupted, x);
      verdicts.push(denoisingQuality(ratio, backgroundMean(denoised, x), DENOISING_LIMITS));
      columns.push([`noisy (std ${options.noiseStd})`, corrupted], ['your denoised', denoised]);
    }
    const verdict = allOf(verdicts);
    const losses = ctx.output.losses;
    const summary = `loss ${format(losses[0])} after epoch 1 → ${format(losses[losses.length - 1])} after epoch ${losses.length}`;
    const result = verdict.score === 1 ? { ...verdict, message: `${verdicts.map((v) => v.message).filter((m) => m !== 'correct').join('\n')}\n${summary}` } : verdict;
    return drawn(result, ctx.visible, () => [
      rows(`Held-out digits through your trained autoencoder (k = ${k})`, columns, EXAMPLES, 'Digits your code never saw, reconstructed by decoder(encoder(x)) and by PCA with the same k fitted on the same training digits.'),
      lossChart(losses),
    ]);
  } finally {
    tf.dispose(keep);
  }
}

/** A model trained on noisy targets leaves grey where the clean digit is black. */
function greyBackground(ctx: CheckContext<TrainArgs, Trained>): boolean {
  const [, , options] = ctx.args;
  if (!options.noiseStd) return false;
  // Stryker disable next-line StringLiteral: any real digits' background shows the grey; the split cannot change the match
  const x = digits(ctx.rng, HELD_OUT, 'test');
  const corrupted = tf.tidy(() => tf.clipByValue(tf.add(x, tf.randomNormal(x.shape, 0, options.noiseStd, 'float32', seedOf(ctx.rng))), 0, 1) as X);
  const denoised = reconstruction(ctx.output, corrupted);
  const background = backgroundMean(denoised, x);
  tf.dispose([x, corrupted, denoised]);
  // Stryker disable next-line EqualityOperator: a measured mean equal to its limit to the last bit has probability zero, and either verdict would be defensible there
  return background > DENOISING_LIMITS.background;
}

// denoise

function noisyDigits(rng: Rng, count: number, std: number): { clean: X; noisy: X } {
  const clean = digits(rng, count, 'test');
  const noisy = tf.tidy(() => tf.clipByValue(tf.add(clean, tf.randomNormal(clean.shape, 0, std, 'float32', seedOf(rng))), 0, 1) as X);
  return { clean, noisy };
}

function noisyCase(count: number, std: number) {
  return (rng: Rng): [Autoencoder, X] => [trainedAutoencoder(), noisyDigits(rng, count, std).noisy];
}

function checkDenoise(ctx: CheckContext<[Autoencoder, X], X>): Verdict {
  const [, noisy] = ctx.args;
  if (ctx.output.shape.join() !== noisy.shape.join()) return fail(`the denoised images have shape [${ctx.output.shape.join(', ')}]; expected [${noisy.shape.join(', ')}]`);
  const verdict = allClose(ctx.output.arraySync(), ctx.expected.arraySync(), { atol: 1e-5, rtol: 1e-4, name: 'denoised' });
  return drawn(verdict, ctx.visible, () => {
    // The clean digits behind the noisy ones, drawn again from the case's own generator.
    const { clean } = noisyDigits(ctx.inputRng(), noisy.shape[0], 0);
    try {
      return [rows('Denoising with the zoo\'s autoencoder', [['clean', clean], ['noisy', noisy], ['your denoised', ctx.output]], EXAMPLES, 'The noisy digits you were given, the clean ones behind them, and what your denoise returned.')];
    } finally {
      clean.dispose();
    }
  });
}

// inpaint

type MaskKind = 'block' | 'random' | 'lower-half';

/** 1 where a pixel is known, 0 where it is missing, for `count` images. */
function mask(rng: Rng, count: number, kind: MaskKind): X {
  const data = new Float32Array(count * PIXELS).fill(1);
  for (let i = 0; i < count; i++) {
    const base = i * PIXELS;
    if (kind === 'block') {
      const r0 = rng.int(6, 10);
      const c0 = rng.int(6, 10);
      for (let r = r0; r < r0 + 12; r++) for (let c = c0; c < c0 + 12; c++) data[base + r * SIDE + c] = 0;
    } else if (kind === 'random') {
      for (let p = 0; p < PIXELS; p++) if (rng.next() < 0.5) data[base + p] = 0;
    } else {
      for (let p = PIXELS / 2; p < PIXELS; p++) data[base + p] = 0;
    }
  }
  return tf.tensor4d(data, [count, SIDE, SIDE, 1]);
}

/**
 * The inpainting cases. Where a case names `improvement`, the error on the missing pixels
 * after the iterations must be at most that fraction of the mean fill's. Measured with the
 * reference on the zoo model (6 draws of 64 test digits each): a random half of the pixels
 * missing, 0.21–0.28 of the mean fill's error after 5 iterations; a 12×12 block, 0.84–0.90
 * after 10; the lower half, 0.84–0.94 after 2 and 0.87–1.03 after 20 (iterating does not
 * always help there, so that case only compares with the reference).
 */
export const INPAINT_CASES: ReadonlyArray<{ name: string; kind: MaskKind; iterations: number; count: number; improvement?: number; hidden?: true }> = [
  { name: 'half of the pixels missing at random, 5 iterations', kind: 'random', iterations: 5, count: 16, improvement: 0.5 },
  { name: 'no iterations: the mean fill alone', kind: 'block', iterations: 0, count: 16 },
  { name: 'a 12×12 block missing, 10 iterations', kind: 'block', iterations: 10, count: 32, improvement: 0.97, hidden: true },
  { name: 'the lower half missing, 3 iterations', kind: 'lower-half', iterations: 3, count: 16, hidden: true },
];

function inpaintCase(kind: MaskKind, iterations: number, count: number) {
  return (rng: Rng): InpaintArgs => [trainedAutoencoder(), digits(rng, count, 'test'), mask(rng, count, kind), iterations];
}

/** The first known pixel (mask 1) that did not come back bit for bit, as a failure. */
export function knownPixelsKept(got: ArrayLike<number>, original: ArrayLike<number>, known: ArrayLike<number>): Verdict {
  for (let p = 0; p < got.length; p++) {
    if (known[p] === 1 && !Object.is(got[p], original[p])) {
      const image = Math.floor(p / PIXELS);
      const pixel = p % PIXELS;
      return fail(`image ${image}, pixel (row ${Math.floor(pixel / SIDE)}, column ${pixel % SIDE}) is known (mask 1) but came back as ${got[p]} instead of ${original[p]}: known pixels must be returned unchanged, bit for bit`);
    }
  }
  return pass();
}

function checkInpaint(ctx: CheckContext<InpaintArgs, X>): Verdict {
  const [model, images, known, iterations] = ctx.args;
  if (ctx.output.shape.join() !== images.shape.join()) return fail(`the inpainted images have shape [${ctx.output.shape.join(', ')}]; expected [${images.shape.join(', ')}]`);
  const got = ctx.output.dataSync();
  const original = images.dataSync();
  const m = known.dataSync();
  const kept = knownPixelsKept(got, original, m);
  if (kept.score < 1) return kept;
  const want = ctx.expected.dataSync();
  const missing: number[] = [];
  // Stryker disable next-line EqualityOperator: at p = got.length, m[p] is undefined, never 0, so the extra step does nothing
  for (let p = 0; p < got.length; p++) if (m[p] === 0) missing.push(p);
  const close = allClose(missing.map((p) => got[p]), missing.map((p) => want[p]), { atol: INPAINT_ATOL, rtol: 0, name: `missing pixels after ${iterations} iteration${iterations === 1 ? '' : 's'}` });
  if (close.score < 1) return close;
  const picture = (verdict: Verdict): Verdict =>
    drawn(verdict, ctx.visible, () => {
      // Missing pixels shown mid-grey.
      const masked = tf.tidy(() => tf.where(tf.equal(known, 1), images, tf.fill(images.shape, 0.5)));
      try {
        return [rows(`Inpainting after ${iterations} iteration${iterations === 1 ? '' : 's'}`, [['original', images], ['given (missing: grey)', masked], ['your inpainted', ctx.output]], EXAMPLES, 'The digits, what your inpaint was given, and what it returned.')];
      } finally {
        masked.dispose();
      }
    });
  if (iterations === 0) return picture(pass("the missing pixels start at the mean of each image's known pixels"));
  // The error on the missing pixels against the truth, beside the mean fill's.
  const fill = reference.inpaint(model, images, known, 0);
  const baseline = fill.dataSync();
  fill.dispose();
  const error = (values: ArrayLike<number>): number => missing.reduce((s, p) => s + (values[p] - original[p]) ** 2, 0) / missing.length;
  const [yours, mean] = [error(got), error(baseline)];
  const summary = `MSE on the missing pixels ${format(yours)} after ${iterations} iterations, against ${format(mean)} for the mean fill (${format(yours / mean, 3)}×)`;
  const limit = INPAINT_CASES.find((c) => c.name === ctx.caseName)?.improvement;
  if (limit === undefined) return picture(pass(summary));
  return picture(invariant(yours <= limit * mean, `${summary}: at most ${limit}× is required here`, { yours, mean }));
}

// sampleImages

function sampleCalls(n: number) {
  return (rng: Rng): SampleArgs[] => {
    const model = trainedAutoencoder();
    const images = digits(rng, TRAINING_IMAGES, 'train');
    const seed = seedOf(rng);
    return [[model, images, n, seed], [model, images, n, seed], [model, images, n, seed + 1]];
  };
}

function featuresOf(x: X): number[][] {
  return tf.tidy(() => featureExtractor().apply(x) as tf.Tensor2D).arraySync();
}

function labelsOf(x: X): number[] {
  // Stryker disable next-line UnaryOperator: for the classifier's [N, 10] output, axes −1 and 1 are the same axis
  return Array.from(tf.tidy(() => (classifier().apply(x) as tf.Tensor).argMax(-1)).dataSync());
}

function checkSample(ctx: CheckContext<SampleArgs, X>): Verdict {
  const [, training, n] = ctx.args;
  for (const [i, call] of ctx.calls.entries()) {
    if (call.output.shape.join() !== [n, SIDE, SIDE, 1].join()) return fail(`call ${i + 1}: the samples have shape [${call.output.shape.join(', ')}]; expected [${n}, ${SIDE}, ${SIDE}, 1]`);
    const [low, high] = range(call.output);
    if (low < 0 || high > 1) return fail(`call ${i + 1}: sample pixels range over [${format(low)}, ${format(high)}]; decoded images must lie in [0, 1]`);
  }
  const same = (a: X, b: X): boolean => {
    const [p, q] = [a.dataSync(), b.dataSync()];
    return p.every((v, i) => v === q[i]);
  };
  const [first, second, third] = ctx.calls.map((c) => c.output);
  const reproducible = allOf([
    invariant(same(first, second), 'calls 1 and 2 used the same seed but gave different samples: draw the codes from a generator seeded with `seed`'),
    invariant(!same(first, third), 'calls 1 and 3 used different seeds but gave the same samples: the codes must depend on `seed`'),
  ]);
  if (reproducible.score < 1) return reproducible;
  const heldOut = digits(ctx.rng, HELD_OUT, 'test');
  try {
    const features = featuresOf(first);
    const againstReference = frechetDistance(features, featuresOf(ctx.expected));
    const fid = frechetDistance(features, featuresOf(heldOut));
    const seen = digitsSeen(labelsOf(first), DIGITS_SEEN_SHARE);
    const nearest = nearestDistances(first, training);
    const meanNearest = nearest.reduce((s, v) => s + v, 0) / nearest.length;
    const summary = `in digits-cnn's features: Fréchet distance ${format(againstReference, 3)} to the grader's own draws from the fitted Gaussian, FID ${format(fid, 3)} to held-out digits; digits-cnn sees ${seen} different digits (each at least ${DIGITS_SEEN_SHARE * 100} % of the samples); mean distance to the nearest training image ${format(meanNearest, 3)}`;
    const verdict = allOf([
      // Stryker disable next-line EqualityOperator: a measured distance equal to its limit to the last bit has probability zero, and either verdict would be defensible there
      invariant(againstReference <= SAMPLE_FD_LIMIT, `${summary}: your samples are not distributed like decoded draws from the Gaussian fitted to the training codes (a Fréchet distance of at most ${SAMPLE_FD_LIMIT} is required)`, { againstReference }),
      // Stryker disable next-line EqualityOperator: a measured distance equal to its limit to the last bit has probability zero, and either verdict would be defensible there
      invariant(fid <= FID_LIMIT, `${summary}: the FID must be at most ${FID_LIMIT}`, { fid }),
      invariant(seen >= DIGITS_SEEN_MIN, `${summary}: samples should cover at least ${DIGITS_SEEN_MIN} digits`, { seen }),
      // Stryker disable next-line EqualityOperator: a measured distance equal to its limit to the last bit has probability zero, and either verdict would be defensible there
      invariant(meanNearest >= NEAREST_FLOOR, `${summary}: samples this close to training images are copies, not new digits (at least ${NEAREST_FLOOR} is required)`, { meanNearest }),
    ]);
    return drawn(verdict.score === 1 ? { ...verdict, message: summary } : verdict, ctx.visible, () => [sampleGrid(first, 32)]);
  } finally {
    heldOut.dispose();
  }
}

/** Samples of the right shape, in range and seeded right, but not distributed like the fitted Gaussian's. */
function wrongDistribution(ctx: CheckContext<SampleArgs, X>): boolean {
  // Stryker disable next-line EqualityOperator: a measured distance equal to its limit to the last bit has probability zero, and either verdict would be defensible there
  return frechetDistance(featuresOf(ctx.output), featuresOf(ctx.expected)) > SAMPLE_FD_LIMIT;
}

// compress / decompress

function compressCase(bits: number, count = 64) {
  return (rng: Rng): CompressArgs => [trainedAutoencoder(), digits(rng, count, 'test'), bits];
}

/** Bytes allowed for `count` codes of k values at `bits` bits: the packed values and a header of up to two float64 per code dimension. */
export function storageAllowance(count: number, k: number, bits: number): number {
  return Math.ceil((count * k * bits) / 8) + 16 * k + 64;
}

function checkCompress(ctx: CheckContext<CompressArgs, Uint8Array>): Verdict {
  const [model, images, bits] = ctx.args;
  const count = images.shape[0];
  const k = codeWidth(model);
  const bytes = ctx.output;
  const allowance = storageAllowance(count, k, bits);
  const bpp = (8 * bytes.length) / (count * PIXELS);
  if (bytes.length > allowance) {
    return fail(`${bytes.length} bytes for ${count} images (${format(bpp, 3)} bits per pixel): ${count} codes of ${k} values at ${bits} bits need ${Math.ceil((count * k * bits) / 8)} bytes, plus a header (at most ${allowance} in all)`, { bytes: bytes.length, allowance });
  }
  const followUp = ctx.calls[0].followUp!;
  const decompressed = followUp.output as X;
  if (decompressed.shape.join() !== images.shape.join()) return fail(`decompress returned shape [${decompressed.shape.join(', ')}]; expected [${images.shape.join(', ')}]`);
  const [low, high] = range(decompressed);
  if (low < 0 || high > 1) return fail(`decompressed pixels range over [${format(low)}, ${format(high)}]; they must lie in [0, 1]`);
  const unquantised = reconstruction(model, images);
  const oneRange = oneRangeReconstruction(model, images, bits);
  const yours = psnr(meanSquaredError(decompressed, images));
  const exact = psnr(meanSquaredError(unquantised, images));
  const floor = psnr(meanSquaredError(oneRange, images));
  const referencePsnr = psnr(meanSquaredError(followUp.expected as X, images));
  tf.dispose([unquantised, oneRange]);
  const summary = `${bytes.length} bytes for ${count} images (${format(bpp, 3)} bits per pixel); PSNR ${format(yours, 3)} dB after decompress(compress(x)) at ${bits} bits (unquantised reconstruction ${format(exact, 3)} dB; the reference at ${bits} bits ${format(referencePsnr, 3)} dB; one range for all code values ${format(floor, 3)} dB)`;
  const verdict = allOf([
    // Stryker disable next-line EqualityOperator: a PSNR equal to its bound to the last bit has probability zero, and either verdict would be defensible there
    bits >= 8 ? invariant(yours >= exact - EIGHT_BIT_LOSS_DB, `${summary}: at 8 bits quantising should cost less than ${EIGHT_BIT_LOSS_DB} dB; does the range stored in the bytes cover the codes?`) : pass(),
    // Stryker disable next-line EqualityOperator: a PSNR equal to its bound to the last bit has probability zero, and either verdict would be defensible there
    invariant(yours >= floor - QUANTISATION_MARGIN_DB, `${summary}: more than ${QUANTISATION_MARGIN_DB} dB below quantising over one range`),
  ]);
  const metrics = { psnr: yours, bitsPerPixel: bpp };
  if (verdict.score < 1) return { ...verdict, metrics };
  // The lecture's learned-versus-JPEG comparison, for the student to read (visible cases only).
  return { ...verdict, metrics, message: ctx.visible ? `${summary}\n${baselineTable({ name: `yours: ${k} code values at ${bits} bits`, bytes: bytes.length, psnr: yours }, images, k, bits)}` : summary };
}

/**
 * Cases that cost 0.3 s or more for each student when `mlgrade check` replays the reference
 * (sampling 0.8 s; compression at 4 and 8 bits 0.4–0.9 s; measured here, 2 cores, wasm):
 * checked for 10 student ids rather than 50, so that `npm test` keeps its time.
 * `mlgrade check --full` checks them for all.
 */
const costly = { checkStudents: 10 } as const;
/**
 * A training costs 4–5 s for each student (7 s on a slower day: 22 s for the three cases),
 * and each sandboxed grading of the reference trains them again: the trainings are checked
 * for 5 ids (2 graded through the sandbox, the first again to prove determinism, and 3
 * replayed), not 10. What they are checked against was calibrated on 9 runs (PCA_MULTIPLE) and 6
 * (DENOISING_LIMITS), where the reference's worst run keeps a margin of 16 % and 25 %.
 */
const training = { checkStudents: 5 } as const;

export default defineAssignment({
  id: 'autoencoders',
  title: 'Autoencoders: bottlenecks, denoising, inpainting, generation, compression',
  module: 'autoencoder.ts',
  tensors: true,
  memoryMb: 1024,
  problems: [
    problem({
      export: 'buildAutoencoder',
      title: 'An encoder and a decoder with a bottleneck',
      points: 4,
      timeoutMs: 10_000,
      reference: reference.buildAutoencoder,
      referenceUnused: true,
      output: autoencoderOutput,
      cases: [
        { name: 'bottleneck k = 32', args: () => [32] },
        { name: 'bottleneck k = 8', visibility: 'hidden', args: () => [8] },
        { name: 'bottleneck k = 2', visibility: 'hidden', args: () => [2] },
      ],
      check: checkBuild,
      mistakes: [
        {
          id: 'no-bottleneck',
          hint: 'the encoder must end in a layer of exactly `bottleneck` units: a wider code lets the network copy its input instead of compressing it',
          matches: (ctx) => (ctx.output.encoder.outputs[0].shape[1] ?? 0) > ctx.args[0],
        },
        {
          id: 'unsquashed-output',
          hint: "end the decoder with a sigmoid activation: a linear last layer can give pixels below 0 or above 1 for codes the encoder never produced",
          matches: (ctx) => architecture(ctx.output, ctx.args[0]).score === 1 && range(tf.tidy(() => ctx.output.decoder.apply(tf.mul(100, tf.ones([1, ctx.args[0]]))) as tf.Tensor)).some((v) => v < 0 || v > 1),
        },
      ],
    }),
    problem({
      export: 'trainAutoencoder',
      title: 'Training on real digits (and denoising)',
      points: 12,
      timeoutMs: 120_000,
      reference: reference.trainAutoencoder,
      referenceUnused: true,
      output: z.object({ encoder: layersModel, decoder: layersModel, losses: z.array(finiteNumber) }),
      cases: [
        { ...training, name: 'k = 16, 10 epochs on 2,048 digits', args: trainCase(16, { epochs: 10, batchSize: 64 }) },
        { ...training, name: 'denoising: noise std 0.5, k = 32, 8 epochs', args: trainCase(32, { epochs: 8, batchSize: 64, noiseStd: 0.5 }) },
        { ...training, name: 'k = 16, 10 epochs on other digits', visibility: 'hidden', args: trainCase(16, { epochs: 10, batchSize: 64 }) },
      ],
      check: checkTrain,
      mistakes: [
        {
          id: 'noisy-targets',
          hint: 'compare the reconstruction with the CLEAN image: with noisy targets the model learns to reproduce the noise, and backgrounds stay grey',
          matches: greyBackground,
        },
      ],
    }),
    problem({
      export: 'denoise',
      title: 'Denoising with a trained autoencoder',
      points: 3,
      timeoutMs: 20_000,
      reference: reference.denoise,
      output: image4d,
      cases: [
        { name: '32 digits with noise of std 0.5', args: noisyCase(32, 0.5) },
        { name: '64 digits with noise of std 0.3', visibility: 'hidden', args: noisyCase(64, 0.3) },
      ],
      check: checkDenoise,
      mistakes: [
        {
          id: 'denoise-blend',
          hint: 'return the reconstruction decoder(encoder(x̃)) itself: mixing the noisy input back in keeps part of the noise',
          matches: (ctx) => allClose(ctx.output.arraySync(), (denoiseBlend.denoise(...ctx.args)).arraySync(), { atol: 1e-4, rtol: 1e-3 }).score === 1,
        },
      ],
    }),
    problem({
      export: 'inpaint',
      title: 'Inpainting: filling in missing pixels',
      points: 7,
      timeoutMs: 20_000,
      reference: reference.inpaint,
      output: image4d,
      cases: [
        // exact: the known pixels are a copy, compared bit for bit (mlgrade check's rounding-level test leaves these cases out).
        ...INPAINT_CASES.map((c) => ({ name: c.name, visibility: c.hidden ? ('hidden' as const) : undefined, exact: true as const, args: inpaintCase(c.kind, c.iterations, c.count) })),
      ],
      check: checkInpaint,
      mistakes: [
        {
          id: 'inpaint-overwrites-known',
          hint: 'copy the reconstruction into the missing pixels only (tf.where with the mask); the known pixels must come back exactly as given',
          matches: (ctx) => {
            const [got, original, m] = [ctx.output.dataSync(), ctx.args[1].dataSync(), ctx.args[2].dataSync()];
            return got.some((v, p) => m[p] === 1 && v !== original[p]);
          },
        },
        {
          id: 'inpaint-zero-start',
          hint: "start each image's missing pixels at the mean of its known pixels, not at 0",
          matches: (ctx) => ctx.args[3] === 0 && (() => {
            const [got, m] = [ctx.output.dataSync(), ctx.args[2].dataSync()];
            return got.every((v, p) => m[p] === 1 || v === 0);
          })(),
        },
      ],
    }),
    problem({
      export: 'sampleImages',
      title: 'Generating digits from a Gaussian fitted to the codes',
      points: 7,
      timeoutMs: 20_000,
      reference: reference.sampleImages,
      output: image4d,
      cases: [
        { ...costly, name: '256 samples (seed twice, then another seed)', calls: sampleCalls(256) },
        { ...costly, name: '256 samples from other training digits', visibility: 'hidden', calls: sampleCalls(256) },
      ],
      check: checkSample,
      mistakes: [
        {
          id: 'uniform-codes',
          hint: "draw each code from the Gaussian fitted to the training codes, with their mean and full covariance (mean + L·z, L the Cholesky factor of the covariance, z standard normal): codes drawn uniformly, or each dimension on its own, land where no digit's code is",
          matches: wrongDistribution,
        },
      ],
    }),
    problem({
      export: 'compress',
      title: 'Learned compression: quantised codes',
      points: 7,
      timeoutMs: 20_000,
      reference: reference.compress,
      followUp: { export: 'decompress', args: ([model, images, bits], bytes) => [model, bytes, images.shape[0], bits], reference: reference.decompress, output: image4d },
      output: z.instanceof(Uint8Array, { error: 'expected a Uint8Array' }),
      cases: [
        { ...costly, name: '64 digits at 8 bits', args: compressCase(8) },
        { ...costly, name: '64 digits at 4 bits', args: compressCase(4) },
        { name: '128 digits at 2 bits', visibility: 'hidden', args: compressCase(2, 128) },
        { ...costly, name: '128 digits at 6 bits', visibility: 'hidden', args: compressCase(6, 128) },
      ],
      check: checkCompress,
      mistakes: [
        {
          id: 'float32-codes',
          hint: 'quantise each code value to `bits` bits and pack them: storing float32 codes costs 32 bits a value whatever `bits` says',
          matches: (ctx) => ctx.output.length >= 4 * ctx.args[1].shape[0] * codeWidth(ctx.args[0]),
        },
      ],
    }),
    // mlgrade new-problem adds problems above this line.
  ],
  // Gradescope's leaderboard: the compression's quality within the storage budget at 4 bits.
  leaderboard: [{ name: 'PSNR at 4 bits (dB)', problem: 'compress', case: '64 digits at 4 bits', metric: 'psnr' }],
});
