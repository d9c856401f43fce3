/**
 * The check code of assignments/autoencoders (checks.ts, and the `check` and `matches`
 * functions of assignment.ts), called directly: the helpers of checks.ts on tiny tensors and
 * hand-built models whose answers are known exactly (stubs where only shapes or parameter
 * counts matter), and each problem's check and mistake detectors on contexts built like
 * grading builds them (caseContext), with the reference's answers, the declared mistakes'
 * answers and answers made to sit on each limit. Exact messages, so a changed string or
 * number fails a test. All data is made inside the tests (see docs/architecture.md, "Keep test
 * data inside the tests").
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import assignment, { INPAINT_CASES, knownPixelsKept, storageAllowance } from '../../assignments/autoencoders/assignment.ts';
import {
  architecture,
  type Autoencoder,
  backgroundMean,
  denoisingQuality,
  digitsSeen,
  format,
  frechetDistance,
  gaussianOf,
  lossCurve,
  MAX_PARAMETERS,
  meanSquaredError,
  nearestDistances,
  oneRangeReconstruction,
  outputsInUnitRange,
  psnr,
  range,
  reconstruction,
  reconstructionError,
  reconstructionSummary,
} from '../../assignments/autoencoders/checks.ts';
import { baselineTable } from '../../assignments/autoencoders/baselines.ts';
import { classifier, digits, featureExtractor, pcaBasis, pcaReconstruct } from '../../assignments/autoencoders/data.ts';
import { EXAMPLES, lossChart, rows, sampleGrid } from '../../assignments/autoencoders/pictures.ts';
import * as denoiseBlend from '../../assignments/autoencoders/mistakes/denoise-blend.ts';
import * as float32Codes from '../../assignments/autoencoders/mistakes/float32-codes.ts';
import * as inpaintOverwritesKnown from '../../assignments/autoencoders/mistakes/inpaint-overwrites-known.ts';
import * as inpaintZeroStart from '../../assignments/autoencoders/mistakes/inpaint-zero-start.ts';
import * as noBottleneck from '../../assignments/autoencoders/mistakes/no-bottleneck.ts';
import * as uniformCodes from '../../assignments/autoencoders/mistakes/uniform-codes.ts';
import * as unsquashedOutput from '../../assignments/autoencoders/mistakes/unsquashed-output.ts';
import * as reference from '../../solutions/autoencoders/autoencoder.ts';
import type { CallRecord, CheckContext, FollowUpRecord, ProblemSpec } from '../src/assignment/define.ts';
import { caseContext } from '../src/cases/calls.ts';
import { createRng } from '../src/cases/rng.ts';
import type { Verdict } from '../src/checks/verdict.ts';
import { zooAutoencoder } from '../src/models/autoencoder.ts';
import { initTensorBackend } from '../src/tensor/backend.ts';

type Ctx = CheckContext<unknown[], unknown>;
type X = tf.Tensor4D;
type Shape = Array<number | null>;

const SEED = 'autoencoders-checks';

/** Matchers for values a test does not pin (typed, so they can stand in an object literal). */
const aNumber = (): unknown => expect.any(Number);
const anObject = (): unknown => expect.any(Object);

beforeAll(async () => {
  await initTensorBackend();
}, 60_000);

// Models and contexts, made by each test that needs them.

/** A stand-in for a LayersModel where only its input and output shapes and its parameter count are read. */
function stubModel(inputs: Shape[], outputs: Shape[], parameters = 0): tf.LayersModel {
  return { inputs: inputs.map((shape) => ({ shape })), outputs: outputs.map((shape) => ({ shape })), countParams: () => parameters } as unknown as tf.LayersModel;
}

const IMAGE: Shape = [null, 28, 28, 1];

function stubAutoencoder(k: number, shapes: Partial<Record<'encoderIn' | 'encoderOut' | 'decoderIn' | 'decoderOut', Shape[]>> = {}, parameters: [number, number] = [0, 0]): Autoencoder {
  return {
    encoder: stubModel(shapes.encoderIn ?? [IMAGE], shapes.encoderOut ?? [[null, k]], parameters[0]),
    decoder: stubModel(shapes.decoderIn ?? [[null, k]], shapes.decoderOut ?? [IMAGE], parameters[1]),
  };
}

/** A stand-in autoencoder whose encoder returns `codes` and whose decoder returns its input unchanged. */
function passThrough(codes: number[][]): Autoencoder {
  const encode = (): tf.Tensor => tf.tensor2d(codes);
  const decode = (q: tf.Tensor): tf.Tensor => q.clone();
  return {
    encoder: { predict: encode, apply: encode } as unknown as tf.LayersModel,
    decoder: { predict: decode, apply: decode } as unknown as tf.LayersModel,
  };
}

/** A real decoder [N, k] → [N, 28, 28, 1] whose output ignores the code: pixel p is activation(bias[p]). */
function constantDecoder(k: number, bias: (p: number) => number, activation: 'sigmoid' | 'linear'): tf.LayersModel {
  const decoder = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [k], units: 784, activation, kernelInitializer: 'zeros' }), tf.layers.reshape({ targetShape: [28, 28, 1] })],
  });
  const b = tf.tensor1d(Float32Array.from({ length: 784 }, (_, p) => bias(p)));
  const kernel = tf.zeros([k, 784]);
  decoder.layers[0].setWeights([kernel, b]);
  tf.dispose([kernel, b]);
  return decoder;
}

/** A real encoder [N, 28, 28, 1] → [N, k]: zero weights, so every code is `bias`. */
function constantEncoder(k: number, bias: (j: number) => number = () => 0): tf.LayersModel {
  const encoder = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: k, kernelInitializer: 'zeros' })] });
  const b = tf.tensor1d(Float32Array.from({ length: k }, (_, j) => bias(j)));
  const kernel = tf.zeros([784, k]);
  encoder.layers[1].setWeights([kernel, b]);
  tf.dispose([kernel, b]);
  return encoder;
}

/** Real dense layers: the code is the first k pixels, and the decoder puts it back there (0 elsewhere). */
function pixelAutoencoder(k: number): Autoencoder {
  const encoder = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: k, useBias: false })] });
  const decoder = tf.sequential({ layers: [tf.layers.dense({ inputShape: [k], units: 784, useBias: false }), tf.layers.reshape({ targetShape: [28, 28, 1] })] });
  const [down, up] = [tf.tensor2d(Float32Array.from({ length: 784 * k }, (_, i) => (i % (k + 1) === 0 && i < k * k ? 1 : 0)), [784, k]), tf.tensor2d(Float32Array.from({ length: k * 784 }, (_, i) => (i % 785 === 0 ? 1 : 0)), [k, 784])];
  encoder.layers[1].setWeights([down]);
  decoder.layers[0].setWeights([up]);
  tf.dispose([down, up]);
  return { encoder, decoder };
}

/** The identity as an autoencoder with a code of all 784 pixels: flatten, then reshape back. */
function identityAutoencoder(): Autoencoder {
  return {
    encoder: tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] })] }),
    decoder: tf.sequential({ layers: [tf.layers.reshape({ inputShape: [784], targetShape: [28, 28, 1] })] }),
  };
}

function image4d(values: number[], count = 1): X {
  return tf.tensor4d(Float32Array.from({ length: count * 784 }, (_, i) => values[i] ?? 0), [count, 28, 28, 1]);
}

function problemOf(name: string): ProblemSpec {
  const found = assignment.problems.find((p) => p.export === name);
  if (!found) throw new Error(`no problem ${name}`);
  return found;
}

function detector(name: string, id: string): (ctx: Ctx) => boolean {
  const mistake = problemOf(name).mistakes?.find((m) => m.id === id);
  if (!mistake) throw new Error(`no mistake ${id} in ${name}`);
  return mistake.matches;
}

type Call = { args: unknown[]; output: unknown; expected?: unknown; followUp?: FollowUpRecord };

type ContextOptions = { caseName?: string; seed?: string; visible?: boolean };

function contextOf(calls: Call[], { caseName = 'a test case', seed = SEED, visible = false }: ContextOptions = {}): Ctx {
  return caseContext(calls.map((c): CallRecord<unknown[], unknown> => ({ args: c.args, output: c.output, expected: c.expected, ...(c.followUp ? { followUp: c.followUp } : {}) })), caseName, visible, seed);
}

async function check(name: string, calls: Call[], options?: ContextOptions): Promise<Verdict> {
  return await problemOf(name).check(contextOf(calls, options));
}

/** The arguments of case `index` of a problem, drawn from `seed` like grading draws them. */
function caseArgs<A extends unknown[]>(name: string, index: number, seed = `${SEED}/${name}/${index}`): A {
  return problemOf(name).cases[index].args!(createRng(seed), {}) as A;
}

function withEntries(t: tf.Tensor, entries: Record<number, number>): X {
  const data = Float32Array.from(t.dataSync());
  for (const [i, v] of Object.entries(entries)) data[Number(i)] = v;
  return tf.tensor4d(data, t.shape as [number, number, number, number]);
}

// checks.ts

describe('format', () => {
  it('rounds to significant digits, and names NaN and the infinities', () => {
    expect(format(1 / 3)).toBe('0.3333');
    expect(format(1 / 3, 2)).toBe('0.33');
    expect(format(123456)).toBe('123500');
    expect(format(2)).toBe('2');
    expect(format(NaN)).toBe('NaN');
    expect(format(-Infinity)).toBe('-Infinity');
  });
});

describe('architecture', () => {
  it('passes [N, 28, 28, 1] → [N, k] → [N, 28, 28, 1], real models included', () => {
    expect(architecture(stubAutoencoder(2), 2)).toEqual({ score: 1, message: 'correct' });
    expect(architecture(stubAutoencoder(8), 8)).toEqual({ score: 1, message: 'correct' });
    const real = reference.buildAutoencoder(8);
    expect(architecture(real, 8)).toEqual({ score: 1, message: 'correct' });
    expect(architecture(real, 16).message).toBe("the encoder's output shape is [N, 8]; expected [N, 16]");
  });

  it('names each of the four shapes that is wrong', () => {
    const k = 8;
    expect(architecture(stubAutoencoder(k, { encoderIn: [[null, 28, 28, 3]] }), k)).toEqual({ score: 0, message: "the encoder's input shape is [N, 28, 28, 3]; expected [N, 28, 28, 1]" });
    // A flat 784 input: two dimensions, wider than k, but an input, not a code.
    expect(architecture(stubAutoencoder(k, { encoderIn: [[null, 784]] }), k)).toEqual({ score: 0, message: "the encoder's input shape is [N, 784]; expected [N, 28, 28, 1]" });
    // One dimension short, the others equal.
    expect(architecture(stubAutoencoder(k, { encoderIn: [[null, 28, 28]] }), k)).toEqual({ score: 0, message: "the encoder's input shape is [N, 28, 28]; expected [N, 28, 28, 1]" });
    expect(architecture(stubAutoencoder(k, { encoderOut: [[null, 4]] }), k)).toEqual({ score: 0, message: "the encoder's output shape is [N, 4]; expected [N, 8]" });
    // A code of rank 3 with more than k in its second place is a wrong shape, not a wide code.
    expect(architecture(stubAutoencoder(k, { encoderOut: [[null, 40, 1]] }), k)).toEqual({ score: 0, message: "the encoder's output shape is [N, 40, 1]; expected [N, 8]" });
    expect(architecture(stubAutoencoder(k, { decoderIn: [[null, 16]] }), k)).toEqual({ score: 0, message: "the decoder's input shape is [N, 16]; expected [N, 8]" });
    expect(architecture(stubAutoencoder(k, { decoderOut: [[null, 784]] }), k)).toEqual({ score: 0, message: "the decoder's output shape is [N, 784]; expected [N, 28, 28, 1]" });
    expect(architecture(stubAutoencoder(k, { decoderOut: [[2, 28, 28, 1]] }), k)).toEqual({ score: 0, message: "the decoder's output shape is [2, 28, 28, 1]; expected [N, 28, 28, 1]" });
  });

  it('asks for exactly one input and one output of each model', () => {
    const k = 4;
    expect(architecture(stubAutoencoder(k, { encoderIn: [IMAGE, IMAGE] }), k)).toEqual({ score: 0, message: 'the encoder has 2 inputs; it must have exactly one' });
    expect(architecture(stubAutoencoder(k, { encoderOut: [[null, k], [null, k]] }), k)).toEqual({ score: 0, message: 'the encoder has 2 outputs; it must have exactly one' });
    expect(architecture(stubAutoencoder(k, { decoderIn: [] }), k)).toEqual({ score: 0, message: 'the decoder has 0 inputs; it must have exactly one' });
    expect(architecture(stubAutoencoder(k, { decoderOut: [IMAGE, IMAGE, IMAGE] }), k)).toEqual({ score: 0, message: 'the decoder has 3 outputs; it must have exactly one' });
  });

  it('says a wider code is no bottleneck; a narrower one is just a wrong shape', () => {
    expect(architecture(stubAutoencoder(256), 32)).toEqual({
      score: 0,
      message: "the encoder's output is [N, 256]: a code of 256 numbers is wider than the bottleneck k = 32, so nothing forces the autoencoder to compress",
      details: { width: 256, k: 32 },
    });
    expect(architecture(stubAutoencoder(33), 32).message).toBe("the encoder's output is [N, 33]: a code of 33 numbers is wider than the bottleneck k = 32, so nothing forces the autoencoder to compress");
    expect(architecture(stubAutoencoder(31), 32)).toEqual({ score: 0, message: "the encoder's output shape is [N, 31]; expected [N, 32]" });
    // A real model: the no-bottleneck mistake.
    expect(architecture(noBottleneck.buildAutoencoder(32), 32).message).toBe(
      "the encoder's output is [N, 256]: a code of 256 numbers is wider than the bottleneck k = 32, so nothing forces the autoencoder to compress",
    );
  });

  it('counts the weights of encoder and decoder together, up to MAX_PARAMETERS', () => {
    expect(MAX_PARAMETERS).toBe(10_000_000);
    const half = MAX_PARAMETERS / 2;
    expect(architecture(stubAutoencoder(2, {}, [half, half]), 2)).toEqual({ score: 1, message: 'correct' });
    expect(architecture(stubAutoencoder(2, {}, [half, half + 1]), 2)).toEqual({
      score: 0,
      message: 'the encoder and decoder have 10000001 weights together; the grader evaluates at most 10000000',
    });
    // The sum, not the difference.
    expect(architecture(stubAutoencoder(2, {}, [6_000_000, 5_000_000]), 2).message).toBe('the encoder and decoder have 11000000 weights together; the grader evaluates at most 10000000');
  });
});

describe('range', () => {
  it('gives the smallest and largest value, wherever they are', () => {
    const t = tf.tensor1d([2, -1, 3, 0]);
    expect(range(t)).toEqual([-1, 3]);
    expect(range(tf.tensor1d([0.5]))).toEqual([0.5, 0.5]);
    expect(range(tf.tensor2d([[4, 5], [6, 1]]))).toEqual([1, 6]);
    // The first of equal values is kept: 0 before −0 stays 0.
    const zeros = range(tf.tensor1d([0, -0]));
    expect(Object.is(zeros[0], 0) && Object.is(zeros[1], 0)).toBe(true);
  });
});

describe('outputsInUnitRange', () => {
  const codes = (): tf.Tensor2D => tf.tensor2d([[1, -250], [3, 4], [0.5, 0]]);

  it('passes outputs in [0, 1], 0 and 1 included', () => {
    const decoder = constantDecoder(2, (p) => (p === 0 ? 0 : p === 1 ? 1 : 0.5), 'linear');
    expect(outputsInUnitRange(decoder, codes())).toEqual({ score: 1, message: 'correct', details: { low: 0, high: 1 } });
    const sigmoid = constantDecoder(2, (p) => (p % 7) - 3, 'sigmoid');
    expect(outputsInUnitRange(sigmoid, codes()).score).toBe(1);
  });

  it('fails a linear decoder, below 0 or above 1, with the range and the largest code', () => {
    const below = constantDecoder(2, (p) => (p === 5 ? -0.25 : 0.5), 'linear');
    expect(outputsInUnitRange(below, codes())).toEqual({
      score: 0,
      message: "on 3 random codes (up to |z| = 250) the decoder's outputs range over [-0.25, 0.5]; pixels must stay in [0, 1] for any code: end the decoder with a sigmoid",
      details: { low: -0.25, high: 0.5 },
    });
    const above = constantDecoder(2, (p) => (p === 5 ? 1.5 : 0.5), 'linear');
    expect(outputsInUnitRange(above, tf.tensor2d([[1.23456, -0.5]])).message).toBe(
      "on 1 random codes (up to |z| = 1.23) the decoder's outputs range over [0.5, 1.5]; pixels must stay in [0, 1] for any code: end the decoder with a sigmoid",
    );
  });

  it('fails a decoder that gives NaN or Infinity, which range() passes over', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      const out = tf.tensor4d([0.5, bad, 0.25, 0.75], [1, 2, 2, 1]);
      const decoder = { apply: () => out } as unknown as tf.LayersModel;
      expect(outputsInUnitRange(decoder, tf.tensor2d([[0.5], [1]]))).toEqual({ score: 0, message: 'on 2 random codes the decoder gives NaN or Infinity; pixels must stay in [0, 1] for any code' });
      expect(out.isDisposed).toBe(true);
    }
    // Only NaN: range() alone would report [Infinity, -Infinity] and pass.
    expect(range(tf.tensor1d([Number.NaN]))).toEqual([Infinity, -Infinity]);
  });

  it('disposes of the decoded batch', () => {
    const out = tf.zeros([1, 28, 28, 1]);
    const decoder = { predict: () => out, apply: () => out } as unknown as tf.LayersModel;
    expect(outputsInUnitRange(decoder, tf.tensor2d([[0.5]])).score).toBe(1);
    expect(out.isDisposed).toBe(true);
  });
});

describe('reconstruction errors', () => {
  it('reconstruction is decoder(encoder(x))', () => {
    const x = image4d([0.25, 0.5, 0.75]);
    expect(Array.from(reconstruction(identityAutoencoder(), x).dataSync())).toEqual(Array.from(x.dataSync()));
    const grey = { encoder: constantEncoder(3), decoder: constantDecoder(3, () => 0.5, 'linear') };
    expect(Array.from(reconstruction(grey, x).dataSync().slice(0, 3))).toEqual([0.5, 0.5, 0.5]);
  });

  it('meanSquaredError and psnr', () => {
    expect(meanSquaredError(tf.tensor1d([1, 2, 3, 4]), tf.tensor1d([1, 0, 3, 0]))).toBe(5);
    expect(psnr(0.01)).toBe(20);
    expect(psnr(0.001)).toBeCloseTo(30, 12);
    expect(psnr(1)).toBe(0);
  });

  it('reconstructionSummary says how many times lower than PCA, or how many times PCA', () => {
    expect(reconstructionSummary(0.01, 0.02, 16)).toBe("held-out MSE of decoder(encoder(x)) 0.01 at k = 16 (PCA with k = 16 on the same training images: 0.02; yours is 2× lower than PCA's)");
    expect(reconstructionSummary(0.03, 0.02, 32)).toBe("held-out MSE of decoder(encoder(x)) 0.03 at k = 32 (PCA with k = 32 on the same training images: 0.02; yours is 1.5× PCA's)");
    expect(reconstructionSummary(0.02, 0.02, 8)).toBe("held-out MSE of decoder(encoder(x)) 0.02 at k = 8 (PCA with k = 8 on the same training images: 0.02; yours is 1× lower than PCA's)");
    expect(reconstructionSummary(0.012345678, 0.0234567, 8)).toContain('MSE of decoder(encoder(x)) 0.01235 at k = 8 (PCA with k = 8 on the same training images: 0.02346; yours is 1.9× lower');
  });

  it('reconstructionError passes at most `multiple` × PCA’s, at the limit included', () => {
    expect(reconstructionError(0.02, 0.02, 1, 32)).toEqual({ score: 1, message: reconstructionSummary(0.02, 0.02, 32), details: { mse: 0.02, pcaMse: 0.02 } });
    expect(reconstructionError(0.5, 0.25, 2, 32)).toEqual({ score: 1, message: reconstructionSummary(0.5, 0.25, 32), details: { mse: 0.5, pcaMse: 0.25 } });
    expect(reconstructionError(0.5000001, 0.25, 2, 32)).toEqual({
      score: 0,
      message: "held-out MSE of decoder(encoder(x)) 0.5 at k = 32 (PCA with k = 32 on the same training images: 0.25; yours is 2× PCA's); it must be at most 2× PCA's",
      details: { mse: 0.5000001, pcaMse: 0.25 },
    });
    expect(reconstructionError(0.03, 0.02, 1, 16)).toEqual({
      score: 0,
      message: "held-out MSE of decoder(encoder(x)) 0.03 at k = 16 (PCA with k = 16 on the same training images: 0.02; yours is 1.5× PCA's); it must be at most PCA's",
      details: { mse: 0.03, pcaMse: 0.02 },
    });
  });
});

describe('lossCurve', () => {
  it('passes one finite loss per epoch, the last below the first', () => {
    expect(lossCurve([0.3, 0.4, 0.2], 3)).toEqual({ score: 1, message: 'correct', details: { first: 0.3, last: 0.2 } });
    expect(lossCurve([0.3], 1).score).toBe(0);
  });

  it('fails a wrong length, NaN or Infinity, and a loss that did not fall', () => {
    expect(lossCurve([0.3, 0.2], 3)).toEqual({ score: 0, message: 'losses has 2 entries; expected one per epoch (3)' });
    expect(lossCurve([0.3, 0.2, 0.1, 0.05], 3)).toEqual({ score: 0, message: 'losses has 4 entries; expected one per epoch (3)' });
    expect(lossCurve([0.3, NaN, 0.1], 3)).toEqual({ score: 0, message: 'losses contains NaN or Infinity' });
    expect(lossCurve([Infinity, 0.2, 0.1], 3)).toEqual({ score: 0, message: 'losses contains NaN or Infinity' });
    expect(lossCurve([0.25, 0.1, 0.25], 3)).toEqual({ score: 0, message: 'the loss did not fall: first epoch 0.25, last 0.25', details: { first: 0.25, last: 0.25 } });
    expect(lossCurve([0.123456, 0.5], 2).message).toBe('the loss did not fall: first epoch 0.1235, last 0.5');
  });
});

describe('denoising measures', () => {
  it('backgroundMean averages the output where the clean image is exactly 0', () => {
    const clean = tf.tensor4d([0, 1, 0, 0], [1, 2, 2, 1]);
    const output = tf.tensor4d([0.25, 0.875, 0.5, 0.75], [1, 2, 2, 1]);
    expect(backgroundMean(output, clean)).toBe(0.5);
    expect(backgroundMean(tf.tensor4d([0.5, 0.25, 0.75, 1], [1, 2, 2, 1]), tf.tensor4d([0.1, 0, 1, 0], [1, 2, 2, 1]))).toBe(0.625);
    // No background at all: 0, not NaN.
    expect(backgroundMean(output, tf.ones([1, 2, 2, 1]))).toBe(0);
  });

  it('denoisingQuality passes each limit exactly, fails just over it, with both messages', () => {
    const limits = { ratio: 0.36, background: 0.1 };
    expect(denoisingQuality(0.36, 0.1, limits)).toEqual({ score: 1, message: 'MSE(denoised, clean) / MSE(noisy, clean) = 0.36, mean denoised background 0.1', details: { ratio: 0.36, background: 0.1 } });
    expect(denoisingQuality(0.3600001, 0.1, limits)).toEqual({
      score: 0,
      message: 'MSE(denoised, clean) / MSE(noisy, clean) = 0.36, mean denoised background 0.1: the ratio must be at most 0.36',
      details: { ratio: 0.3600001 },
    });
    // The ratio exactly at its limit passes beside a failing background.
    expect(denoisingQuality(0.36, 0.1000001, limits)).toEqual({
      score: 0,
      message:
        'MSE(denoised, clean) / MSE(noisy, clean) = 0.36, mean denoised background 0.1: where the clean digit is black the denoised image must be dark too (mean at most 0.1); a grey background is what a model trained to reproduce its noisy input gives',
      details: { background: 0.1000001 },
    });
    expect(denoisingQuality(0.2, 0.1000001, limits)).toEqual({
      score: 0,
      message:
        'MSE(denoised, clean) / MSE(noisy, clean) = 0.2, mean denoised background 0.1: where the clean digit is black the denoised image must be dark too (mean at most 0.1); a grey background is what a model trained to reproduce its noisy input gives',
      details: { background: 0.1000001 },
    });
    expect(denoisingQuality(0.5234, 0.21, { ratio: 0.5, background: 0.2 }).message).toBe(
      'MSE(denoised, clean) / MSE(noisy, clean) = 0.523, mean denoised background 0.21: the ratio must be at most 0.5\n' +
        'MSE(denoised, clean) / MSE(noisy, clean) = 0.523, mean denoised background 0.21: where the clean digit is black the denoised image must be dark too (mean at most 0.2); a grey background is what a model trained to reproduce its noisy input gives',
    );
  });
});

describe('generation measures', () => {
  it('gaussianOf: the mean, and the covariance with divisor n − 1, symmetric', () => {
    expect(gaussianOf([[1, 2], [3, 6], [5, 4]])).toEqual({ mean: [3, 4], covariance: [[4, 2], [2, 4]] });
    expect(gaussianOf([[1, 0, 2], [3, 2, 2]])).toEqual({ mean: [2, 1, 2], covariance: [[2, 2, 0], [2, 2, 0], [0, 0, 0]] });
  });

  it('frechetDistance: 0 for identical sets, and the closed form of Gaussians in one and two dimensions', () => {
    const a = [[1, 2], [3, 6], [5, 4], [0, 1]];
    expect(frechetDistance(a, a)).toBeCloseTo(0, 9);
    // 1-D: means 1 and 3, variances 2 and 4: (1 − 3)² + 2 + 4 − 2·√8.
    expect(frechetDistance([[0], [2]], [[1], [3], [5]])).toBeCloseTo(10 - 2 * Math.sqrt(8), 12);
    // 2-D, covariances that do not commute: tr (C₁C₂)^½ = √(tr C₁C₂ + 2√(det C₁ det C₂)).
    const b = [[0, 0], [1, 0], [0, 1], [4, 3], [2, -1]];
    const ga = gaussianOf(a);
    const gb = gaussianOf(b);
    const [p, q] = [ga.covariance, gb.covariance];
    const trace = p[0][0] * q[0][0] + p[0][1] * q[1][0] + p[1][0] * q[0][1] + p[1][1] * q[1][1];
    const det = (m: number[][]): number => m[0][0] * m[1][1] - m[0][1] * m[1][0];
    const meanTerm = (ga.mean[0] - gb.mean[0]) ** 2 + (ga.mean[1] - gb.mean[1]) ** 2;
    const expected = meanTerm + p[0][0] + p[1][1] + q[0][0] + q[1][1] - 2 * Math.sqrt(trace + 2 * Math.sqrt(det(p) * det(q)));
    expect(expected).toBeGreaterThan(1);
    expect(frechetDistance(a, b)).toBeCloseTo(expected, 9);
    expect(frechetDistance(b, a)).toBeCloseTo(expected, 9);
  });

  it('digitsSeen counts the digits with at least `share` of the labels, the share itself included', () => {
    expect(digitsSeen([0, 0, 1, 2], 0.25)).toBe(3);
    expect(digitsSeen([0, 0, 1, 2], 0.5)).toBe(1);
    expect(digitsSeen([0, 0, 1, 2], 0.26)).toBe(1);
    expect(digitsSeen([9, 9, 9, 9], 0)).toBe(10);
  });

  it('nearestDistances: per sample, the distance to its nearest image in the pool', () => {
    // Image 0: all 0; image 1: pixel 0 = 1.
    const two = image4d(Array.from({ length: 785 }, (_, i) => (i === 784 ? 1 : 0)), 2);
    const pool = new Float32Array(3 * 784);
    pool[0] = 1;
    pool[1] = 1; // image 0: pixels 0 and 1 at 1 (distance √2 from the blank, 1 from sample 1)
    pool[784 + 2] = 0.5; // image 1: pixel 2 at 0.5 (0.5 from the blank, √1.25 from sample 1)
    pool.fill(0.25, 2 * 784, 3 * 784); // image 2: all 0.25 (7 from the blank)
    const d = nearestDistances(two, tf.tensor4d(pool, [3, 28, 28, 1]));
    expect(d).toBeInstanceOf(Float32Array);
    expect(d.length).toBe(2);
    expect(d[0]).toBeCloseTo(0.5, 5);
    expect(d[1]).toBeCloseTo(1, 5);
    const far = nearestDistances(two, tf.tensor4d(pool.slice(2 * 784), [1, 28, 28, 1]));
    expect(far[0]).toBeCloseTo(7, 4);
    expect(far[1]).toBeCloseTo(Math.sqrt(0.75 ** 2 + 783 * 0.0625), 4);
  });
});

describe('oneRangeReconstruction', () => {
  const images = (): X => tf.zeros([2, 28, 28, 1]);

  it('rounds every code to the nearest of 2^bits levels over one range for all values', () => {
    const codes = [[-1, -0.5, 0.4], [1, 0.1, 0.2]];
    // 2 bits: levels −1, −1/3, 1/3, 1.
    const two = oneRangeReconstruction(passThrough(codes), images(), 2).arraySync() as unknown as number[][];
    const third = 1 / 3;
    [[-1, -third, third], [1, third, third]].forEach((row, i) => row.forEach((v, j) => expect(two[i][j]).toBeCloseTo(v, 6)));
    // 3 bits: levels −1 + 2i/7.
    const three = oneRangeReconstruction(passThrough(codes), images(), 3).arraySync() as unknown as number[][];
    const level = (i: number): number => -1 + (2 * i) / 7;
    [[level(0), level(2), level(5)], [level(7), level(4), level(4)]].forEach((row, i) => row.forEach((v, j) => expect(three[i][j]).toBeCloseTo(v, 6)));
  });

  it('keeps every code when all are equal', () => {
    const out = oneRangeReconstruction(passThrough([[0.7, 0.7], [0.7, 0.7]]), images(), 4).dataSync();
    expect(Array.from(out, (v) => Math.round(v * 1e6) / 1e6)).toEqual([0.7, 0.7, 0.7, 0.7]);
  });

  it('encodes and decodes with the model: real dense layers that copy the first k pixels', () => {
    const model = pixelAutoencoder(3);
    const x = image4d([0.2, 0.55, 1, ...Array<number>(781).fill(0), 0.45, 0.3, 0.2], 2);
    const out = oneRangeReconstruction(model, x, 2).dataSync();
    expect(out.length).toBe(2 * 784);
    // One range [0.2, 1] for all codes, 2 bits: levels 0.2, 0.4667, 0.7333, 1.
    const got = [0, 1, 2, 784, 785, 786].map((i) => out[i]);
    [0.2, 0.2 + 0.8 / 3, 1, 0.2 + 0.8 / 3, 0.2, 0.2].forEach((v, i) => expect(got[i]).toBeCloseTo(v, 6));
    expect(out[3]).toBe(0);
  });
});

// assignment.ts

describe('buildAutoencoder', () => {
  it('passes the reference on every case, and disposes of what it made', async () => {
    for (const k of [32, 8, 2]) expect(await check('buildAutoencoder', [{ args: [k], output: reference.buildAutoencoder(k) }])).toEqual({ score: 1, message: 'correct' });
    const model = reference.buildAutoencoder(8);
    const before = tf.memory().numTensors;
    await check('buildAutoencoder', [{ args: [8], output: model }]);
    // outputsInUnitRange leaves the |codes| it measures (one tensor); nothing else may stay.
    expect(tf.memory().numTensors - before).toBeLessThanOrEqual(1);
  });

  it('fails a wrong architecture with its message, before decoding anything', async () => {
    expect(await check('buildAutoencoder', [{ args: [8], output: noBottleneck.buildAutoencoder(8) }])).toEqual({
      score: 0,
      message: "the encoder's output is [N, 256]: a code of 256 numbers is wider than the bottleneck k = 8, so nothing forces the autoencoder to compress",
      details: { width: 256, k: 8 },
    });
  });

  it('fails a decoder without a sigmoid, and an encoder that gives NaN', async () => {
    const unsquashed = await check('buildAutoencoder', [{ args: [8], output: unsquashedOutput.buildAutoencoder(8) }]);
    expect(unsquashed.score).toBe(0);
    expect(unsquashed.message).toMatch(
      /^on 24 random codes \(up to \|z\| = \d+(\.\d+)?\) the decoder's outputs range over \[-[\d.e+]+, [\d.e+]+\]; pixels must stay in \[0, 1\] for any code: end the decoder with a sigmoid$/,
    );
    expect(Object.keys(unsquashed.details ?? {})).toEqual(['low', 'high']);
    // A linear decoder whose outputs leave [0, 1] only below.
    const below = { encoder: constantEncoder(4), decoder: constantDecoder(4, (p) => (p === 3 ? -0.5 : 0.5), 'linear') };
    const verdict = await check('buildAutoencoder', [{ args: [4], output: below }]);
    expect(verdict.message).toMatch(/^on 24 random codes \(up to \|z\| = \d+(\.\d+)?\) the decoder's outputs range over \[-0\.5, 0\.5\]; /);
    expect(verdict.details).toEqual({ low: -0.5, high: 0.5 });
    // NaN in one code dimension only.
    const nan = { encoder: constantEncoder(4, (j) => (j === 2 ? NaN : 0)), decoder: constantDecoder(4, () => 0, 'sigmoid') };
    expect(await check('buildAutoencoder', [{ args: [4], output: nan }])).toEqual({ score: 0, message: 'the encoder gives NaN or Infinity on real digits', details: {} });
  });

  it('no-bottleneck fires on a code wider than k, and only there', () => {
    const matches = detector('buildAutoencoder', 'no-bottleneck');
    expect(matches(contextOf([{ args: [32], output: noBottleneck.buildAutoencoder(32) }]))).toBe(true);
    expect(matches(contextOf([{ args: [32], output: stubAutoencoder(33) }]))).toBe(true);
    expect(matches(contextOf([{ args: [32], output: reference.buildAutoencoder(32) }]))).toBe(false);
    expect(matches(contextOf([{ args: [32], output: stubAutoencoder(31) }]))).toBe(false);
    expect(matches(contextOf([{ args: [8], output: unsquashedOutput.buildAutoencoder(8) }]))).toBe(false);
  });

  it('unsquashed-output fires on outputs outside [0, 1] for a large code, and only there', () => {
    const matches = detector('buildAutoencoder', 'unsquashed-output');
    const linear = (bias: (p: number) => number): Autoencoder => ({ encoder: constantEncoder(4), decoder: constantDecoder(4, bias, 'linear') });
    expect(matches(contextOf([{ args: [8], output: unsquashedOutput.buildAutoencoder(8) }]))).toBe(true);
    expect(matches(contextOf([{ args: [4], output: linear((p) => (p === 0 ? -0.01 : 0.5)) }]))).toBe(true);
    expect(matches(contextOf([{ args: [4], output: linear((p) => (p === 9 ? 1.01 : 0.5)) }]))).toBe(true);
    // 0 and 1 themselves are pixels.
    expect(matches(contextOf([{ args: [4], output: linear((p) => (p === 0 ? 0 : p === 1 ? 1 : 0.5)) }]))).toBe(false);
    expect(matches(contextOf([{ args: [8], output: reference.buildAutoencoder(8) }]))).toBe(false);
    // A wrong architecture is no-bottleneck's business (its decoder cannot take k numbers).
    expect(matches(contextOf([{ args: [8], output: noBottleneck.buildAutoencoder(8) }]))).toBe(false);
  });
});

type TrainOptions = { epochs: number; batchSize: number; seed: number; noiseStd?: number };
type TrainArgs = [Autoencoder, X, TrainOptions];

/** The k = 32 code of the zoo's autoencoder padded with zeros to `k` numbers: worse than PCA at that k, as good a denoiser. */
function widenedZoo(k: number): Autoencoder {
  const zoo = zooAutoencoder();
  const pad = tf.tensor2d(Float32Array.from({ length: 32 * k }, (_, i) => (i % (k + 1) === 0 ? 1 : 0)), [32, k]);
  const cut = tf.tensor2d(Float32Array.from({ length: k * 32 }, (_, i) => (i % 33 === 0 && i < 32 * 32 ? 1 : 0)), [k, 32]);
  const encoder = tf.sequential({ layers: [zoo.encoder, tf.layers.dense({ units: k, useBias: false })] });
  const decoder = tf.sequential({ layers: [tf.layers.dense({ inputShape: [k], units: 32, useBias: false }), zoo.decoder] });
  encoder.layers[1].setWeights([pad]);
  decoder.layers[0].setWeights([cut]);
  tf.dispose([pad, cut]);
  return { encoder, decoder };
}

/** A model that ignores its input: every pixel sigmoid(logit 0.3). */
function greyAutoencoder(k: number): Autoencoder {
  return { encoder: constantEncoder(k), decoder: constantDecoder(k, () => Math.log(0.3 / 0.7), 'sigmoid') };
}

/** The held-out images (and their noisy copies) exactly as checkTrain draws them from the context's generator. */
function heldOutOf(noiseStd?: number): { x: X; corrupted: X } {
  const rng = createRng(`${SEED}:check`);
  const x = digits(rng, 512, 'test');
  const noiseSeed = rng.int(0, 2 ** 31 - 1);
  return { x, corrupted: tf.tidy(() => tf.clipByValue(tf.add(x, tf.randomNormal(x.shape, 0, noiseStd ?? 0, 'float32', noiseSeed)), 0, 1) as X) };
}

const falling = (epochs: number): number[] => Array.from({ length: epochs }, (_, i) => 0.5 / (i + 1));

/** The denoising case's arguments (k = 32, 8 epochs, noise 0.5), or without its noise: a k = 32 case for the zoo's model. */
function trainArgs(noise: boolean): TrainArgs {
  const [given, images, { noiseStd, ...options }] = caseArgs<TrainArgs>('trainAutoencoder', 1);
  expect([noiseStd, options.epochs, codeWidthOf(given)]).toEqual([0.5, 8, 32]);
  return [given, images, noise ? { ...options, noiseStd } : options];
}

const codeWidthOf = (model: Autoencoder): number | null => model.encoder.outputs[0].shape[1];

/** The zoo's model returned from trainAutoencoder (with 8 falling losses), checked as a visible case without leaking tensors. */
async function checkZooTraining(denoising: boolean) {
  const args = trainArgs(denoising);
  const zoo = zooAutoencoder();
  const losses = falling(8);
  const before = tf.memory().numTensors;
  const verdict = await check('trainAutoencoder', [{ args, output: { ...zoo, losses } }], { visible: true });
  expect(tf.memory().numTensors).toBe(before);
  return { args, zoo, losses, verdict };
}

describe('trainAutoencoder', () => {
  it('passes the zoo’s trained model, with its held-out MSE beside PCA’s, the loss curve and pictures', async () => {
    const { args, zoo, losses, verdict } = await checkZooTraining(false);
    const { x } = heldOutOf();
    const out = reconstruction(zoo, x);
    const pca = pcaReconstruct(x, pcaBasis(args[1], 32));
    const [mse, pcaMse] = [meanSquaredError(out, x), meanSquaredError(pca, x)];
    expect(mse).toBeLessThan(pcaMse);
    expect(verdict).toEqual({
      score: 1,
      message: `${reconstructionSummary(mse, pcaMse, 32)}\nloss 0.5 after epoch 1 → 0.0625 after epoch 8`,
      figures: [
        rows('Held-out digits through your trained autoencoder (k = 32)', [['original', x], ['yours (k = 32)', out], ['PCA (k = 32)', pca]], EXAMPLES, 'Digits your code never saw, reconstructed by decoder(encoder(x)) and by PCA with the same k fitted on the same training digits.'),
        lossChart(losses),
      ],
    });
    expect(verdict.figures?.[0].caption).toMatch(/Columns: original \/ yours \(k = 32\) \/ PCA \(k = 32\)\.$/);
    // A hidden case gets no pictures.
    expect((await check('trainAutoencoder', [{ args, output: { ...zoo, losses } }])).figures).toBeUndefined();
  });

  it('fails an untrained model (worse than PCA), a loss that did not fall, and a wrong architecture', async () => {
    const args = caseArgs<TrainArgs>('trainAutoencoder', 0);
    expect(codeWidthOf(args[0])).toBe(16);
    const untrained = await check('trainAutoencoder', [{ args, output: { ...args[0], losses: falling(10) } }], { visible: true });
    expect(untrained.score).toBe(0);
    expect(untrained.message).toMatch(/^held-out MSE of decoder\(encoder\(x\)\) [\d.]+ at k = 16 \(PCA with k = 16 on the same training images: [\d.]+; yours is [\d.]+× PCA's\); it must be at most PCA's$/);
    expect(untrained.figures).toBeUndefined();
    const flat = await check('trainAutoencoder', [{ args: trainArgs(false), output: { ...zooAutoencoder(), losses: [0.5, ...falling(6), 0.5] } }]);
    expect(flat).toEqual({ score: 0, message: 'the loss did not fall: first epoch 0.5, last 0.5', details: { first: 0.5, last: 0.5 } });
    const narrow = reference.buildAutoencoder(8);
    const before = tf.memory().numTensors;
    expect(await check('trainAutoencoder', [{ args, output: { ...narrow, losses: falling(10) } }])).toEqual({ score: 0, message: "the encoder's output shape is [N, 8]; expected [N, 16]" });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('grades a denoiser on denoising: the zoo’s model passes at noise 0.5, pictured with its noisy and denoised digits', async () => {
    const { args, zoo, losses, verdict } = await checkZooTraining(true);
    expect(verdict.score).toBe(1);
    expect(verdict.message).toMatch(/^held-out MSE of decoder\(encoder\(x\)\) [\d.]+ at k = 32 \(PCA with k = 32 on the same training images: [\d.]+; yours is [\d.]+× lower than PCA's\)\nMSE\(denoised, clean\) \/ MSE\(noisy, clean\) = 0\.\d+, mean denoised background 0\.\d+\nloss 0\.5 after epoch 1 → 0\.0625 after epoch 8$/);
    const { x, corrupted } = heldOutOf(0.5);
    const pca = pcaReconstruct(x, pcaBasis(args[1], 32));
    const columns: Array<[string, tf.Tensor]> = [['original', x], ['yours (k = 32)', reconstruction(zoo, x)], ['PCA (k = 32)', pca], ['noisy (std 0.5)', corrupted], ['your denoised', reconstruction(zoo, corrupted)]];
    expect(verdict.figures).toEqual([
      rows('Held-out digits through your trained autoencoder (k = 32)', columns, EXAMPLES, 'Digits your code never saw, reconstructed by decoder(encoder(x)) and by PCA with the same k fitted on the same training digits.'),
      lossChart(losses),
    ]);
    expect(detector('trainAutoencoder', 'noisy-targets')(contextOf([{ args, output: { ...zoo, losses } }]))).toBe(false);
  });

  it('a denoiser need not beat PCA on clean images: the zoo’s code padded to k = 64', async () => {
    const [, images, options] = trainArgs(true);
    const wide = widenedZoo(64);
    const verdict = await check('trainAutoencoder', [{ args: [wide, images, options], output: { ...wide, losses: falling(8) } }]);
    expect(verdict.score).toBe(1);
    expect(verdict.message).toMatch(/^held-out MSE of decoder\(encoder\(x\)\) [\d.]+ at k = 64 \(PCA with k = 64 on the same training images: [\d.]+; yours is [\d.]+× PCA's\)\nMSE\(denoised, clean\) \/ MSE\(noisy, clean\) = 0\.\d+, mean denoised background 0\.\d+\nloss 0\.5 after epoch 1 → 0\.0625 after epoch 8$/);
    // Without noise, the same model fails against PCA.
    const clean = await check('trainAutoencoder', [{ args: [wide, images, { ...options, noiseStd: undefined }], output: { ...wide, losses: falling(8) } }]);
    expect(clean.message).toMatch(/yours is [\d.]+× PCA's\); it must be at most PCA's$/);
  });

  it('fails a grey model on both denoising limits, with the ratio and background measured on the context’s noise', async () => {
    const args = trainArgs(true);
    const grey = greyAutoencoder(32);
    const verdict = await check('trainAutoencoder', [{ args, output: { ...grey, losses: falling(8) } }], { visible: true });
    const { x, corrupted } = heldOutOf(0.5);
    const greyOut = reconstruction(grey, x);
    const ratio = meanSquaredError(greyOut, x) / meanSquaredError(corrupted, x);
    const background = backgroundMean(greyOut, x);
    expect(ratio).toBeGreaterThan(0.36);
    expect(background).toBeGreaterThan(0.29);
    expect(verdict).toEqual({ ...denoisingQuality(ratio, background, { ratio: 0.36, background: 0.1 }), details: { ratio, background } });
    expect(verdict.message.split('\n')).toHaveLength(2);
  });

  it('noisy-targets fires on a grey background in the denoising case only', () => {
    const matches = detector('trainAutoencoder', 'noisy-targets');
    const grey = { ...greyAutoencoder(32), losses: falling(8) };
    expect(matches(contextOf([{ args: trainArgs(true), output: grey }]))).toBe(true);
    expect(matches(contextOf([{ args: trainArgs(false), output: grey }]))).toBe(false);
    const noise = trainArgs(true);
    const zoo = { ...zooAutoencoder(), losses: falling(8) };
    const before = tf.memory().numTensors;
    expect(matches(contextOf([{ args: noise, output: zoo }]))).toBe(false);
    expect(matches(contextOf([{ args: noise, output: grey }]))).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });
});

type DenoiseArgs = [Autoencoder, X];

describe('denoise', () => {
  it('passes the reference on both cases', async () => {
    for (const index of [0, 1]) {
      const args = caseArgs<DenoiseArgs>('denoise', index);
      expect(await check('denoise', [{ args, output: reference.denoise(...args), expected: reference.denoise(...args) }])).toEqual({ score: 1, message: 'correct', details: anObject() });
    }
  });

  it('pins atol 1e-5 + rtol 1e-4, names the value, and checks the shape first', async () => {
    const args = caseArgs<DenoiseArgs>('denoise', 0);
    const expected = reference.denoise(...args);
    const e = expected.dataSync()[300];
    const bound = 1e-5 + 1e-4 * Math.abs(e);
    expect((await check('denoise', [{ args, output: withEntries(expected, { 300: e + 0.8 * bound }), expected }])).score).toBe(1);
    const off = await check('denoise', [{ args, output: withEntries(expected, { 300: e + 1.5 * bound }), expected }]);
    expect(off.score).toBe(0);
    expect(off.message).toMatch(/^denoised\[0\]\[10\]\[20\]\[0\]: expected [\d.]+, got [\d.]+ \(off by [\d.e-]+\)\n1 of 25088 entries are outside the tolerance \(rtol 1e-4, atol 1e-5\); /);
    expect(await check('denoise', [{ args, output: expected.reshape([32, 784]), expected }])).toEqual({ score: 0, message: 'the denoised images have shape [32, 784]; expected [32, 28, 28, 1]' });
  });

  it('fails the denoise-blend mistake, whose detector fires on it (to 1e-4) and not on the reference', async () => {
    const args = caseArgs<DenoiseArgs>('denoise', 0);
    const expected = reference.denoise(...args);
    const blend = denoiseBlend.denoise(...args);
    const verdict = await check('denoise', [{ args, output: blend, expected }]);
    expect(verdict.score).toBe(0);
    expect(verdict.message).toMatch(/^denoised\[0\]/);
    const matches = detector('denoise', 'denoise-blend');
    expect(matches(contextOf([{ args, output: blend, expected }]))).toBe(true);
    const b = blend.dataSync()[300];
    expect(matches(contextOf([{ args, output: withEntries(blend, { 300: b + 0.5 * (1e-4 + 1e-3 * Math.abs(b)) }), expected }]))).toBe(true);
    expect(matches(contextOf([{ args, output: withEntries(blend, { 300: b + 2 * (1e-4 + 1e-3 * Math.abs(b)) }), expected }]))).toBe(false);
    expect(matches(contextOf([{ args, output: expected, expected }]))).toBe(false);
  });
});

type InpaintArgs = [Autoencoder, X, X, number];

/** The error on the missing pixels as the summary gives it, and the summary itself. */
function inpaintSummary(got: X, [model, images, known, iterations]: InpaintArgs): { yours: number; mean: number; summary: string } {
  const [g, o, m] = [got.dataSync(), images.dataSync(), known.dataSync()];
  const fill = reference.inpaint(model, images, known, 0).dataSync();
  const missing = Array.from(m.keys()).filter((p) => m[p] === 0);
  const error = (values: ArrayLike<number>): number => missing.reduce((s, p) => s + (values[p] - o[p]) ** 2, 0) / missing.length;
  const [yours, mean] = [error(g), error(fill)];
  return { yours, mean, summary: `MSE on the missing pixels ${format(yours)} after ${iterations} iterations, against ${format(mean)} for the mean fill (${format(yours / mean, 3)}×)` };
}

describe('inpaint', () => {
  it('passes the reference on every case, measured against the mean fill', async () => {
    expect(INPAINT_CASES.map((c) => [c.iterations, c.improvement])).toEqual([[5, 0.5], [0, undefined], [10, 0.97], [3, undefined]]);
    for (const [index, c] of INPAINT_CASES.entries()) {
      const args = caseArgs<InpaintArgs>('inpaint', index);
      const output = reference.inpaint(...args);
      const verdict = await check('inpaint', [{ args, output, expected: reference.inpaint(...args) }], { caseName: c.name });
      const { yours, mean, summary } = inpaintSummary(output, args);
      if (c.iterations === 0) expect(verdict).toEqual({ score: 1, message: "the missing pixels start at the mean of each image's known pixels" });
      else if (c.improvement === undefined) expect(verdict).toEqual({ score: 1, message: summary });
      else expect(verdict).toEqual({ score: 1, message: 'correct', details: { yours, mean } });
      if (c.improvement !== undefined) expect(yours).toBeLessThan(c.improvement * mean);
    }
  });

  it('holds the missing pixels to the reference within 2e-3, naming the iterations', async () => {
    const args = caseArgs<InpaintArgs>('inpaint', 0);
    const expected = reference.inpaint(...args);
    const p = args[2].dataSync().indexOf(0);
    const v = expected.dataSync()[p];
    const near = withEntries(expected, { [p]: v + 1.5e-3 });
    expect((await check('inpaint', [{ args, output: near, expected }], { caseName: INPAINT_CASES[0].name })).score).toBe(1);
    const far = await check('inpaint', [{ args, output: withEntries(expected, { [p]: v + 2.5e-3 }), expected }], { caseName: INPAINT_CASES[0].name });
    expect(far.message).toMatch(/^missing pixels after 5 iterations\[0\]: expected [\d.e-]+, got [\d.]+ \(off by 0\.0025\d*\)\n1 of \d+ entries are outside the tolerance \(rtol 0, atol 2e-3\); /);
    const once: InpaintArgs = [args[0], args[1], args[2], 1];
    const one = reference.inpaint(...once);
    const oneFar = await check('inpaint', [{ args: once, output: withEntries(one, { [p]: one.dataSync()[p] + 0.01 }), expected: reference.inpaint(...once) }]);
    expect(oneFar.message).toMatch(/^missing pixels after 1 iteration\[0\]: expected/);
    // Any other case name has no improvement limit.
    const summary = inpaintSummary(one, once).summary;
    expect(await check('inpaint', [{ args: once, output: one, expected: one }], { caseName: 'another case' })).toEqual({ score: 1, message: summary });
    expect(summary).toMatch(/^MSE on the missing pixels [\d.]+ after 1 iterations, against [\d.]+ for the mean fill \([\d.]+×\)$/);
    expect(await check('inpaint', [{ args, output: expected.reshape([16, 784]), expected }])).toEqual({ score: 0, message: 'the inpainted images have shape [16, 784]; expected [16, 28, 28, 1]' });
  });

  it('fails a changed known pixel, naming image, row and column', async () => {
    const args = caseArgs<InpaintArgs>('inpaint', 2);
    const expected = reference.inpaint(...args);
    expect(args[1].dataSync()[784]).toBe(0);
    expect(await check('inpaint', [{ args, output: withEntries(expected, { 784: 0.5 }), expected }], { caseName: INPAINT_CASES[2].name })).toEqual({
      score: 0,
      message: 'image 1, pixel (row 0, column 0) is known (mask 1) but came back as 0.5 instead of 0: known pixels must be returned unchanged, bit for bit',
    });
  });

  it('requires `improvement` over the mean fill where a case names one, the limit itself included', async () => {
    const [, images, known] = caseArgs<InpaintArgs>('inpaint', 0);
    const identity = identityAutoencoder();
    // The identity never changes the mean fill: as bad as it.
    const args: InpaintArgs = [identity, images, known, 5];
    const output = reference.inpaint(...args);
    const { yours, mean, summary } = inpaintSummary(output, args);
    expect(yours).toBe(mean);
    expect(await check('inpaint', [{ args, output, expected: output }], { caseName: INPAINT_CASES[0].name })).toEqual({ score: 0, message: `${summary}: at most 0.5× is required here`, details: { yours, mean } });
    expect(summary).toMatch(/\(1×\)$/);
    // Constant images: the mean fill is exact, and so is the answer: 0 ≤ 0.5 × 0.
    const flat: InpaintArgs = [identity, tf.fill([16, 28, 28, 1], 0.25), known, 5];
    const exact = reference.inpaint(...flat);
    expect(await check('inpaint', [{ args: flat, output: exact, expected: exact }], { caseName: INPAINT_CASES[0].name })).toEqual({ score: 1, message: 'correct', details: { yours: 0, mean: 0 } });
  });

  it('knownPixelsKept compares known pixels bit for bit, and only them', () => {
    const original = new Float32Array(2 * 784);
    const known = new Float32Array(2 * 784).fill(1);
    expect(knownPixelsKept(original, original, known)).toEqual({ score: 1, message: 'correct' });
    const p = 784 + 3 * 28 + 5;
    const got = original.slice();
    got[p] = 0.25;
    expect(knownPixelsKept(got, original, known)).toEqual({
      score: 0,
      message: 'image 1, pixel (row 3, column 5) is known (mask 1) but came back as 0.25 instead of 0: known pixels must be returned unchanged, bit for bit',
    });
    const missing = known.slice();
    missing[p] = 0;
    expect(knownPixelsKept(got, original, missing).score).toBe(1);
    // −0 is not 0 bit for bit; NaN is NaN.
    expect(knownPixelsKept([-0], [0], [1]).message).toBe('image 0, pixel (row 0, column 0) is known (mask 1) but came back as 0 instead of 0: known pixels must be returned unchanged, bit for bit');
    expect(knownPixelsKept([NaN], [NaN], [1]).score).toBe(1);
    expect(knownPixelsKept([0.5, 0.25], [0.5, 0.75], [1, 1]).message).toContain('pixel (row 0, column 1)');
    // Only as far as the answer goes.
    expect(knownPixelsKept([0], [0, 0], [1, 1]).score).toBe(1);
  });

  it('inpaint-overwrites-known and inpaint-zero-start fail, and each detector fires on its mistake only', async () => {
    const overwrites = detector('inpaint', 'inpaint-overwrites-known');
    const zeroStart = detector('inpaint', 'inpaint-zero-start');
    const five = caseArgs<InpaintArgs>('inpaint', 0);
    const none = caseArgs<InpaintArgs>('inpaint', 1);
    const fiveRef = reference.inpaint(...five);
    const noneRef = reference.inpaint(...none);
    const over = inpaintOverwritesKnown.inpaint(...five);
    const zero = inpaintZeroStart.inpaint(...none);
    const overVerdict = await check('inpaint', [{ args: five, output: over, expected: fiveRef }], { caseName: INPAINT_CASES[0].name });
    expect(overVerdict.message).toMatch(/^image 0, pixel \(row \d+, column \d+\) is known \(mask 1\) but came back as [\d.e-]+ instead of [\d.e-]+: known pixels must be returned unchanged, bit for bit$/);
    const zeroVerdict = await check('inpaint', [{ args: none, output: zero, expected: noneRef }], { caseName: INPAINT_CASES[1].name });
    expect(zeroVerdict.message).toMatch(/^missing pixels after 0 iterations\[0\]: expected [\d.]+, got 0 /);
    const ctx = (args: InpaintArgs, output: X): Ctx => contextOf([{ args, output, expected: reference.inpaint(...args) }]);
    expect([overwrites(ctx(five, over)), zeroStart(ctx(five, over))]).toEqual([true, false]);
    expect([overwrites(ctx(none, zero)), zeroStart(ctx(none, zero))]).toEqual([false, true]);
    expect([overwrites(ctx(five, fiveRef)), zeroStart(ctx(five, fiveRef))]).toEqual([false, false]);
    expect([overwrites(ctx(none, noneRef)), zeroStart(ctx(none, noneRef))]).toEqual([false, false]);
    // A zero start is told only where no iteration filled the pixels in.
    const zeroFive = inpaintZeroStart.inpaint(...five);
    expect([overwrites(ctx(five, zeroFive)), zeroStart(ctx(five, zeroFive))]).toEqual([false, false]);
    const zeroThree: InpaintArgs = [none[0], none[1], none[2], 3];
    expect(zeroStart(ctx(zeroThree, zero))).toBe(false);
    // One missing pixel not 0 is not a zero start.
    const m = none[2].dataSync().indexOf(0);
    expect(zeroStart(ctx(none, withEntries(zero, { [m]: 0.5 })))).toBe(false);
  });
});

type SampleArgs = [Autoencoder, X, number, number];

function featuresOf(x: X): number[][] {
  const t = tf.tidy(() => featureExtractor().predict(x) as tf.Tensor2D);
  const rows = t.arraySync();
  t.dispose();
  return rows;
}

function labelsOf(x: X): number[] {
  const t = tf.tidy(() => (classifier().predict(x) as tf.Tensor).argMax(-1));
  const labels = Array.from(t.dataSync());
  t.dispose();
  return labels;
}

/**
 * The reference's three calls of a sampling case (the same seed twice, then another), on the
 * first 512 of its 2,048 training images: the reference's sampler is five times quicker.
 */
function sampleCase(): Array<{ args: SampleArgs; output: X; expected: X }> {
  const calls = problemOf('sampleImages').cases[0].calls!(createRng(`${SEED}/sampleImages`), {}) as SampleArgs[];
  const training = calls[0][1].slice(0, 512);
  const [same, other] = [reference.sampleImages(calls[0][0], training, calls[0][2], calls[0][3]), reference.sampleImages(calls[2][0], training, calls[2][2], calls[2][3])];
  return calls.map(([model, , n, seed], i) => ({ args: [model, training, n, seed], output: i < 2 ? same : other, expected: i < 2 ? same : other }));
}

/** checkSample's summary, measured here on the first call's samples. */
function sampleSummary(first: X, expected: X, training: X): string {
  const heldOut = digits(createRng(`${SEED}:check`), 512, 'test');
  const features = featuresOf(first);
  const againstReference = frechetDistance(features, featuresOf(expected));
  const fid = frechetDistance(features, featuresOf(heldOut));
  const seen = digitsSeen(labelsOf(first), 0.02);
  const nearest = nearestDistances(first, training);
  const meanNearest = nearest.reduce((s, v) => s + v, 0) / nearest.length;
  return `in digits-cnn's features: Fréchet distance ${format(againstReference, 3)} to the grader's own draws from the fitted Gaussian, FID ${format(fid, 3)} to held-out digits; digits-cnn sees ${seen} different digits (each at least 2 % of the samples); mean distance to the nearest training image ${format(meanNearest, 3)}`;
}

/** Replaces every sample digits-cnn labels as one of `digits` with a copy of a sample of the most frequent digit. */
function withoutDigits(x: X, drop: number[]): X {
  const labels = labelsOf(x);
  const counts = Array.from({ length: 10 }, (_, d) => labels.filter((l) => l === d).length);
  const common = counts.indexOf(Math.max(...counts));
  const donors = labels.flatMap((l, i) => (l === common ? [i] : []));
  const data = Float32Array.from(x.dataSync());
  labels.forEach((l, i) => {
    if (!drop.includes(l)) return;
    const from = donors[i % donors.length];
    data.copyWithin(i * 784, from * 784, (from + 1) * 784);
  });
  return tf.tensor4d(data, x.shape);
}

/** The digits digits-cnn sees at least 6 times in 256 samples (2 %), fewest first. */
function seenDigits(x: X): number[] {
  const labels = labelsOf(x);
  const counts = Array.from({ length: 10 }, (_, d) => labels.filter((l) => l === d).length);
  return counts.flatMap((c, d) => (c >= 0.02 * labels.length ? [d] : [])).sort((a, b) => counts[a] - counts[b]);
}

describe('sampleImages', () => {
  it('passes the reference, with its measures in the message', async () => {
    const calls = sampleCase();
    // digits-cnn's weights, loaded on first use, stay.
    featureExtractor();
    const before = tf.memory().numTensors;
    const verdict = await check('sampleImages', calls);
    // featuresOf and labelsOf leave the tensors they read (four); the held-out digits must go.
    expect(tf.memory().numTensors - before).toBeLessThanOrEqual(4);
    expect(verdict).toEqual({ score: 1, message: sampleSummary(calls[0].output, calls[0].expected, calls[0].args[1]) });
    expect(verdict.message).toMatch(/^in digits-cnn's features: Fréchet distance [\d.e-]+ to the grader's own draws .* digits-cnn sees 9 different digits \(each at least 2 % of the samples\); /);
  });

  it('checks shapes and pixel ranges of every call, 0 and 1 included', async () => {
    const calls = sampleCase();
    const [first, , third] = calls.map((c) => c.output);
    const short = first.slice(0, 255);
    expect(await check('sampleImages', [calls[0], { ...calls[1], output: short }, calls[2]])).toEqual({ score: 0, message: 'call 2: the samples have shape [255, 28, 28, 1]; expected [256, 28, 28, 1]' });
    expect((await check('sampleImages', [{ ...calls[0], output: first.reshape([256, 784]) }, calls[1], calls[2]])).message).toBe('call 1: the samples have shape [256, 784]; expected [256, 28, 28, 1]');
    expect(await check('sampleImages', [calls[0], calls[1], { ...calls[2], output: withEntries(third, { 5: -0.5, 900: 1.5 }) }])).toEqual({
      score: 0,
      message: 'call 3: sample pixels range over [-0.5, 1.5]; decoded images must lie in [0, 1]',
    });
    const [low, high] = range(first);
    expect(low).toBeGreaterThan(0);
    expect(high).toBeLessThan(1);
    expect((await check('sampleImages', [calls[0], { ...calls[1], output: withEntries(first, { 5: -0.5 }) }, calls[2]])).message).toBe(
      `call 2: sample pixels range over [-0.5, ${format(high)}]; decoded images must lie in [0, 1]`,
    );
    expect((await check('sampleImages', [calls[0], { ...calls[1], output: withEntries(first, { 5: 1.5 }) }, calls[2]])).message).toBe(
      `call 2: sample pixels range over [${format(low)}, 1.5]; decoded images must lie in [0, 1]`,
    );
    // Exactly 0 and 1 are pixels, and a sampler that sees 8 digits is enough.
    expect(seenDigits(first)).toHaveLength(9);
    const eight = withEntries(withoutDigits(first, seenDigits(first).slice(0, 1)), { 5: 0, 900: 1 });
    const verdict = await check('sampleImages', [{ ...calls[0], output: eight }, { ...calls[1], output: eight }, calls[2]]);
    expect(verdict).toEqual({ score: 1, message: sampleSummary(eight, calls[0].expected, calls[0].args[1]) });
    expect(verdict.message).toContain('digits-cnn sees 8 different digits');
    const seven = withoutDigits(first, seenDigits(first).slice(0, 2));
    const fewer = await check('sampleImages', [{ ...calls[0], output: seven }, { ...calls[1], output: seven }, calls[2]]);
    expect(fewer.message).toContain('digits-cnn sees 7 different digits');
    expect(fewer.message).toMatch(/: samples should cover at least 8 digits$/);
  });

  it('checks the seed: the same seed the same samples, another seed others', async () => {
    const calls = sampleCase();
    const [first, , third] = calls.map((c) => c.output);
    const changed = withEntries(first, { 1000: first.dataSync()[1000] + 0.01 });
    const sameSeed = 'calls 1 and 2 used the same seed but gave different samples: draw the codes from a generator seeded with `seed`';
    const otherSeed = 'calls 1 and 3 used different seeds but gave the same samples: the codes must depend on `seed`';
    expect(await check('sampleImages', [calls[0], { ...calls[1], output: changed }, calls[2]])).toEqual({ score: 0, message: sameSeed, details: {} });
    expect(await check('sampleImages', [calls[0], calls[1], { ...calls[2], output: first.clone() }])).toEqual({ score: 0, message: otherSeed, details: {} });
    expect((await check('sampleImages', [calls[0], { ...calls[1], output: third }, { ...calls[2], output: first.clone() }])).message).toBe(`${sameSeed}\n${otherSeed}`);
  });

  it('fails samples that are not like the fitted Gaussian’s: uniform codes, and blank images', async () => {
    const calls = sampleCase();
    const uniform = calls.map((c) => ({ ...c, output: uniformCodes.sampleImages(...c.args) }));
    const verdict = await check('sampleImages', uniform);
    const summary = sampleSummary(uniform[0].output, calls[0].expected, calls[0].args[1]);
    expect(verdict).toEqual({
      score: 0,
      message: `${summary}: your samples are not distributed like decoded draws from the Gaussian fitted to the training codes (a Fréchet distance of at most 7 is required)`,
      details: { againstReference: aNumber() },
    });
    expect(verdict.details?.againstReference).toBeGreaterThan(7);
    const blank = tf.zeros<tf.Rank.R4>([256, 28, 28, 1]);
    const blanks = [{ ...calls[0], output: blank }, { ...calls[1], output: blank }, { ...calls[2], output: withEntries(blank, { 0: 0.5 }) }];
    const blankSummary = sampleSummary(blank, calls[0].expected, calls[0].args[1]);
    expect(await check('sampleImages', blanks)).toEqual({
      score: 0,
      message: [
        `${blankSummary}: your samples are not distributed like decoded draws from the Gaussian fitted to the training codes (a Fréchet distance of at most 7 is required)`,
        `${blankSummary}: the FID must be at most 85`,
        `${blankSummary}: samples should cover at least 8 digits`,
        `${blankSummary}: samples this close to training images are copies, not new digits (at least 4.5 is required)`,
      ].join('\n'),
      details: { againstReference: aNumber(), fid: aNumber(), seen: 1, meanNearest: aNumber() },
    });
  });

  it('uniform-codes fires on samples far from the fitted Gaussian’s, not on the reference', () => {
    const matches = detector('sampleImages', 'uniform-codes');
    const calls = sampleCase();
    expect(matches(contextOf(calls.map((c) => ({ ...c, output: uniformCodes.sampleImages(...c.args) }))))).toBe(true);
    expect(matches(contextOf(calls))).toBe(false);
  });
});

type CompressArgs = [Autoencoder, X, number];

/** A compress case's call: the student's bytes and decompress output (the reference pair's by default), and the reference pair's. */
function compressCall(args: CompressArgs, answer: { bytes?: Uint8Array; decompressed?: (bytes: Uint8Array) => X } = {}): Call {
  const [model, images, bits] = args;
  const expected = reference.compress(...args);
  const bytes = answer.bytes ?? expected;
  const decompressed = answer.decompressed ? answer.decompressed(bytes) : reference.decompress(model, bytes, images.shape[0], bits);
  return { args, output: bytes, expected, followUp: { args: [model, bytes, images.shape[0], bits], output: decompressed, expected: reference.decompress(model, expected, images.shape[0], bits) } };
}

/** checkCompress's summary, measured here. */
function compressSummary(call: Call): string {
  const [model, images, bits] = call.args as CompressArgs;
  const bytes = call.output as Uint8Array;
  const count = images.shape[0];
  const measure = (x: X): number => psnr(meanSquaredError(x, images));
  const [yours, exact, floor, ref] = [measure(call.followUp!.output as X), measure(reconstruction(model, images)), measure(oneRangeReconstruction(model, images, bits)), measure(call.followUp!.expected as X)];
  return `${bytes.length} bytes for ${count} images (${format((8 * bytes.length) / (count * 784), 3)} bits per pixel); PSNR ${format(yours, 3)} dB after decompress(compress(x)) at ${bits} bits (unquantised reconstruction ${format(exact, 3)} dB; the reference at ${bits} bits ${format(ref, 3)} dB; one range for all code values ${format(floor, 3)} dB)`;
}

/** checkCompress's metrics (for the leaderboard), measured here. */
function compressMetrics(call: Call): { psnr: number; bitsPerPixel: number } {
  const images = (call.args as CompressArgs)[1];
  return { psnr: psnr(meanSquaredError(call.followUp!.output as X, images)), bitsPerPixel: (8 * (call.output as Uint8Array).length) / (images.shape[0] * 784) };
}

describe('compress', () => {
  it('passes the reference pair on every case, with sizes and PSNRs in the message', async () => {
    for (const index of [0, 1, 2, 3]) {
      const call = compressCall(caseArgs<CompressArgs>('compress', index));
      const verdict = await check('compress', [call]);
      expect(verdict).toEqual({ score: 1, message: compressSummary(call), metrics: compressMetrics(call) });
    }
    const call = compressCall(caseArgs<CompressArgs>('compress', 0));
    const before = tf.memory().numTensors;
    expect((await check('compress', [call])).score).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    expect(compressSummary(call)).toMatch(/^2304 bytes for 64 images \(0\.367 bits per pixel\); PSNR [\d.]+ dB after decompress\(compress\(x\)\) at 8 bits \(unquantised/);
  });

  it("ranks the leaderboard by the PSNR the check measures on the 4-bit case, larger first", async () => {
    expect(assignment.leaderboard).toHaveLength(1);
    const [entry] = assignment.leaderboard!;
    expect(entry.name).toBe('PSNR at 4 bits (dB)');
    expect(entry.order ?? 'desc').toBe('desc');
    const index = problemOf(entry.problem).cases.findIndex((c) => c.name === entry.case);
    const args = caseArgs<CompressArgs>(entry.problem, index);
    expect(args[2]).toBe(4);
    const call = compressCall(args);
    const verdict = await check(entry.problem, [call]);
    expect(verdict.metrics?.[entry.metric]).toBe(compressMetrics(call).psnr);
    expect(compressMetrics(call).psnr).toBeGreaterThan(10);
  });

  it('allows the packed values and a header of two float64 per dimension, the allowance itself included', async () => {
    expect(storageAllowance(64, 32, 8)).toBe(2624);
    expect(storageAllowance(3, 5, 3)).toBe(150);
    expect(storageAllowance(1, 1, 1)).toBe(81);
    const args = caseArgs<CompressArgs>('compress', 0);
    const fit = new Uint8Array(2624);
    fit.set(reference.compress(...args));
    const atLimit = compressCall(args, { bytes: fit });
    expect(await check('compress', [atLimit])).toEqual({ score: 1, message: compressSummary(atLimit), metrics: compressMetrics(atLimit) });
    const over = new Uint8Array(2625);
    over.set(reference.compress(...args));
    expect(await check('compress', [compressCall(args, { bytes: over })])).toEqual({
      score: 0,
      message: '2625 bytes for 64 images (0.419 bits per pixel): 64 codes of 32 values at 8 bits need 2048 bytes, plus a header (at most 2624 in all)',
      details: { bytes: 2625, allowance: 2624 },
    });
    // Counted from the model's code width, the number of images and `bits`: 3 codes of 5 values at 3 bits.
    const small = stubAutoencoder(5);
    const stubArgs: CompressArgs = [small, tf.zeros([3, 28, 28, 1]), 3];
    const ctx = contextOf([{ args: stubArgs, output: new Uint8Array(151) }]);
    expect(await problemOf('compress').check(ctx)).toEqual({
      score: 0,
      message: '151 bytes for 3 images (0.514 bits per pixel): 3 codes of 5 values at 3 bits need 6 bytes, plus a header (at most 150 in all)',
      details: { bytes: 151, allowance: 150 },
    });
  });

  it('fails float32 codes on their size, and float32-codes fires on them only', async () => {
    const args = caseArgs<CompressArgs>('compress', 0);
    const call = compressCall(args, { bytes: float32Codes.compress(...args), decompressed: (bytes) => float32Codes.decompress(args[0], bytes, 64, 8) });
    expect(await check('compress', [call])).toEqual({
      score: 0,
      message: '8192 bytes for 64 images (1.31 bits per pixel): 64 codes of 32 values at 8 bits need 2048 bytes, plus a header (at most 2624 in all)',
      details: { bytes: 8192, allowance: 2624 },
    });
    const matches = detector('compress', 'float32-codes');
    expect(matches(contextOf([call]))).toBe(true);
    expect(matches(contextOf([{ ...call, output: new Uint8Array(8191) }]))).toBe(false);
    expect(matches(contextOf([compressCall(args)]))).toBe(false);
    expect(matches(contextOf([compressCall(args, { bytes: new Uint8Array(2625) })]))).toBe(false);
  });

  it('checks the shape and range of what decompress returns, 0 and 1 included', async () => {
    const args = caseArgs<CompressArgs>('compress', 1);
    const [model, images, bits] = args;
    const ref = (bytes: Uint8Array): X => reference.decompress(model, bytes, 64, bits);
    expect(await check('compress', [compressCall(args, { decompressed: (b) => ref(b).reshape([64, 784]) })])).toEqual({ score: 0, message: 'decompress returned shape [64, 784]; expected [64, 28, 28, 1]' });
    expect(await check('compress', [compressCall(args, { decompressed: (b) => withEntries(ref(b), { 3: -0.5, 7: 1.25 }) })])).toEqual({
      score: 0,
      message: 'decompressed pixels range over [-0.5, 1.25]; they must lie in [0, 1]',
    });
    const [low, high] = range(ref(reference.compress(...args)));
    expect(low).toBeGreaterThan(0);
    expect(high).toBeLessThan(1);
    expect((await check('compress', [compressCall(args, { decompressed: (b) => withEntries(ref(b), { 3: -0.5 }) })])).message).toBe(`decompressed pixels range over [-0.5, ${format(high)}]; they must lie in [0, 1]`);
    expect((await check('compress', [compressCall(args, { decompressed: (b) => withEntries(ref(b), { 7: 1.25 }) })])).message).toBe(`decompressed pixels range over [${format(low)}, 1.25]; they must lie in [0, 1]`);
    const edges = compressCall(args, { decompressed: (b) => withEntries(ref(b), { 3: 0, 7: 1 }) });
    expect(await check('compress', [edges])).toEqual({ score: 1, message: compressSummary(edges), metrics: compressMetrics(edges) });
    void images;
  });

  it('holds 8 bits to 1 dB of the unquantised reconstruction, and any bits to 0.5 dB of one range', async () => {
    const eight = caseArgs<CompressArgs>('compress', 0);
    const four = caseArgs<CompressArgs>('compress', 1);
    const zeros = (): X => tf.zeros([64, 28, 28, 1]);
    const eightZeros = compressCall(eight, { decompressed: zeros });
    const summary8 = compressSummary(eightZeros);
    expect(await check('compress', [eightZeros])).toEqual({
      score: 0,
      message: `${summary8}: at 8 bits quantising should cost less than 1 dB; does the range stored in the bytes cover the codes?\n${summary8}: more than 0.5 dB below quantising over one range`,
      details: {},
      metrics: compressMetrics(eightZeros),
    });
    const fourZeros = compressCall(four, { decompressed: zeros });
    expect(await check('compress', [fourZeros])).toEqual({ score: 0, message: `${compressSummary(fourZeros)}: more than 0.5 dB below quantising over one range`, details: {}, metrics: compressMetrics(fourZeros) });
    // Quantising over one range is exactly the floor, and passes.
    for (const args of [four, caseArgs<CompressArgs>('compress', 2)]) {
      const oneRange = compressCall(args, { decompressed: () => oneRangeReconstruction(args[0], args[1], args[2]) });
      expect(await check('compress', [oneRange])).toEqual({ score: 1, message: compressSummary(oneRange), metrics: compressMetrics(oneRange) });
    }
    // At 8 bits, a reconstruction 1.5 dB worse than the unquantised one fails both.
    const [model, images] = eight;
    const blurred = (): X => tf.tidy(() => tf.add<X>(tf.mul(0.75, reconstruction(model, images)), tf.mul(0.25, tf.mean(images, 0, true))));
    const worse = compressCall(eight, { decompressed: blurred });
    const verdict = await check('compress', [worse]);
    expect(verdict.message).toContain(': at 8 bits quantising should cost less than 1 dB');
  });
});

describe('visible cases: pictures and the compression table', () => {
  it('denoise draws the clean digits behind the noisy ones, the noisy ones and the answer', async () => {
    const seed = `${SEED}/denoise/0`;
    const args = caseArgs<DenoiseArgs>('denoise', 0, seed);
    const output = reference.denoise(...args);
    const verdict = await check('denoise', [{ args, output, expected: output }], { seed, visible: true });
    const clean = digits(createRng(seed), 32, 'test');
    expect(verdict.figures).toEqual([
      rows("Denoising with the zoo's autoencoder", [['clean', clean], ['noisy', args[1]], ['your denoised', output]], EXAMPLES, 'The noisy digits you were given, the clean ones behind them, and what your denoise returned.'),
    ]);
    expect(verdict.figures?.[0].caption).toMatch(/Columns: clean \/ noisy \/ your denoised\.$/);
    const before = tf.memory().numTensors;
    await check('denoise', [{ args, output, expected: output }], { seed, visible: true });
    // The picture's noisyDigits call leaves its (noise-free) noisy copy; the clean digits must go.
    expect(tf.memory().numTensors - before).toBeLessThanOrEqual(1);
  });

  it('inpaint draws the digits, what was given (missing pixels grey) and the answer', async () => {
    const picture = (args: InpaintArgs, output: X): unknown => {
      const [, images, known, iterations] = args;
      const masked = tf.where(tf.equal(known, 1), images, tf.fill(images.shape, 0.5));
      return [rows(`Inpainting after ${iterations} iteration${iterations === 1 ? '' : 's'}`, [['original', images], ['given (missing: grey)', masked], ['your inpainted', output]], EXAMPLES, 'The digits, what your inpaint was given, and what it returned.')];
    };
    for (const index of [0, 1]) {
      const args = caseArgs<InpaintArgs>('inpaint', index);
      const output = reference.inpaint(...args);
      const verdict = await check('inpaint', [{ args, output, expected: output }], { caseName: INPAINT_CASES[index].name, visible: true });
      expect(verdict.score).toBe(1);
      expect(verdict.figures).toEqual(picture(args, output));
      expect(verdict.figures?.[0].title).toBe(`Inpainting after ${[5, 0][index]} iterations`);
    }
    const [model, images, known] = caseArgs<InpaintArgs>('inpaint', 0);
    const once: InpaintArgs = [model, images, known, 1];
    const output = reference.inpaint(...once);
    const before = tf.memory().numTensors;
    const verdict = await check('inpaint', [{ args: once, output, expected: output }], { caseName: 'another case', visible: true });
    expect(tf.memory().numTensors).toBe(before);
    expect(verdict.figures).toEqual(picture(once, output));
    expect(verdict.figures?.[0].title).toBe('Inpainting after 1 iteration');
    // A failing case gets none.
    const identity: InpaintArgs = [identityAutoencoder(), images, known, 5];
    const same = reference.inpaint(...identity);
    expect((await check('inpaint', [{ args: identity, output: same, expected: same }], { caseName: INPAINT_CASES[0].name, visible: true })).figures).toBeUndefined();
  });

  it('sampleImages draws the first 32 samples', async () => {
    const calls = sampleCase();
    const verdict = await check('sampleImages', calls, { visible: true });
    expect(verdict.figures).toEqual([sampleGrid(calls[0].output, 32)]);
  });

  it('compress shows its table beside PCA and JPEG for a visible case, and only for a passing one', async () => {
    const args = caseArgs<CompressArgs>('compress', 1);
    const [, images, bits] = args;
    const call = compressCall(args);
    const verdict = await check('compress', [call], { visible: true });
    const bytes = call.output as Uint8Array;
    const yours = psnr(meanSquaredError(call.followUp!.output as X, images));
    expect(verdict).toEqual({ score: 1, message: `${compressSummary(call)}\n${baselineTable({ name: 'yours: 32 code values at 4 bits', bytes: bytes.length, psnr: yours }, images, 32, bits)}`, metrics: compressMetrics(call) });
    expect(verdict.message.split('\n')[4]).toMatch(/^\| yours: 32 code values at 4 bits \| 1280 \| 0\.204 \| [\d.]+ \|$/);
    const zeros = compressCall(args, { decompressed: () => tf.zeros([64, 28, 28, 1]) });
    expect((await check('compress', [zeros], { visible: true })).message).toBe(`${compressSummary(zeros)}: more than 0.5 dB below quantising over one range`);
  });
});
