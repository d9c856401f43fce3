import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import type jpegJs from 'jpeg-js';
import { createRng } from '../../grader/src/cases/rng.ts';
import { meanSquaredError, PIXELS, psnr, SIDE } from './checks.ts';
import { digits, pcaBasis } from './data.ts';

/**
 * The compression report's baselines, for the table under a visible compress case: PCA with
 * as many coefficients as the code has values, quantised to the same bits (its basis, like
 * the decoder's weights, is shared and not counted), and JPEG (jpeg-js) at the highest
 * quality whose entropy-coded data fits the same byte budget, or quality 1 when none does
 * (its tables, shared by every image, are not counted either). Not graded: the table is
 * information.
 */

const require = createRequire(import.meta.url);
let jpeg: typeof jpegJs | undefined;

export interface Baseline {
  name: string;
  bytes: number;
  psnr: number;
}

const bases = new Map<number, ReturnType<typeof pcaBasis>>();

/** A PCA basis fitted once per process on 2,048 fixed training digits. */
function basis(k: number): ReturnType<typeof pcaBasis> {
  let found = bases.get(k);
  if (!found) {
    const x = digits(createRng('autoencoders/pca-baseline'), 2048, 'train');
    bases.set(k, (found = pcaBasis(x, k)));
    x.dispose();
  }
  return found;
}

/** Quantises each coefficient column over its own range to `bits` bits and back. */
function quantiseColumns(values: Float64Array[], bits: number): Float64Array[] {
  const levels = 2 ** bits - 1;
  const k = values[0].length;
  const out = values.map((v) => Float64Array.from(v));
  for (let j = 0; j < k; j++) {
    const column = values.map((v) => v[j]);
    const [low, high] = [Math.min(...column), Math.max(...column)];
    const step = high > low ? (high - low) / levels : 1;
    for (const v of out) v[j] = low + Math.round((v[j] - low) / step) * step;
  }
  return out;
}

export function pcaAtStorage(images: tf.Tensor4D, k: number, bits: number): Baseline {
  const { mean, basis: directions } = basis(k);
  const data = images.dataSync();
  const n = images.shape[0];
  const scores = Array.from({ length: n }, (_, i) => Float64Array.from(directions, (v) => v.reduce((s, vp, p) => s + vp * (data[i * PIXELS + p] - mean[p]), 0)));
  const quantised = quantiseColumns(scores, bits);
  const rebuilt = new Float32Array(n * PIXELS);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < PIXELS; p++) {
      let value = mean[p];
      for (let j = 0; j < k; j++) value += quantised[i][j] * directions[j][p];
      rebuilt[i * PIXELS + p] = Math.min(1, Math.max(0, value));
    }
  }
  const reconstruction = tf.tensor4d(rebuilt, images.shape);
  const quality = psnr(meanSquaredError(reconstruction, images));
  reconstruction.dispose();
  return { name: `PCA, ${k} coefficients at ${bits} bits (per-coefficient ranges)`, bytes: Math.ceil((n * k * bits) / 8) + 8 * k, psnr: quality };
}

/** The length of a JPEG file's entropy-coded data: from the end of the SOS segment to the EOI marker. */
export function scanBytes(file: Uint8Array): number {
  for (let i = 0; i + 3 < file.length; i++) {
    if (file[i] === 0xff && file[i + 1] === 0xda) return file.length - 2 - (i + 2 + ((file[i + 2] << 8) | file[i + 3]));
  }
  return file.length;
}

/** JPEG works on 8×8 blocks: each digit is padded with black to 32×32, so no block mixes two digits. */
const TILE = 32;
const TILES_PER_ROW = 8;

/**
 * Every digit in one JPEG, tiled 8 to a row (one encoder per quality: jpeg-js builds its
 * tables for every `encode` call, ~0.4 s for 64 separate digits), and decoded back.
 */
function encodeAll(images: tf.Tensor4D, quality: number): { bytes: number; decoded: Float32Array } {
  jpeg ??= require('jpeg-js') as typeof jpegJs;
  const data = images.dataSync();
  const n = images.shape[0];
  const rowsOfTiles = Math.ceil(n / TILES_PER_ROW);
  const [width, height] = [TILE * TILES_PER_ROW, TILE * rowsOfTiles];
  const rgba = new Uint8Array(width * height * 4);
  for (let q = 3; q < rgba.length; q += 4) rgba[q] = 255;
  const at = (i: number, r: number, c: number): number => ((Math.floor(i / TILES_PER_ROW) * TILE + r) * width + (i % TILES_PER_ROW) * TILE + c) * 4;
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < SIDE; r++) {
      for (let c = 0; c < SIDE; c++) {
        const v = Math.round(255 * data[i * PIXELS + r * SIDE + c]);
        rgba.set([v, v, v], at(i, r, c));
      }
    }
  }
  const file = jpeg.encode({ data: rgba, width, height }, quality).data;
  const back = jpeg.decode(file, { useTArray: true });
  const decoded = new Float32Array(n * PIXELS);
  for (let i = 0; i < n; i++) for (let r = 0; r < SIDE; r++) for (let c = 0; c < SIDE; c++) decoded[i * PIXELS + r * SIDE + c] = back.data[at(i, r, c)] / 255;
  return { bytes: scanBytes(file), decoded };
}

/** JPEG at the highest quality (1–100) whose scan data for all the images fits `budget` bytes (1 when none does). */
export function jpegAtBudget(images: tf.Tensor4D, budget: number): Baseline & { quality: number } {
  let [low, high] = [1, 100];
  while (low < high) {
    const mid = Math.floor((low + high + 1) / 2);
    if (encodeAll(images, mid).bytes <= budget) low = mid;
    else high = mid - 1;
  }
  const { bytes, decoded } = encodeAll(images, low);
  const reconstruction = tf.tensor4d(decoded, images.shape);
  const quality = psnr(meanSquaredError(reconstruction, images));
  reconstruction.dispose();
  return { name: `JPEG (jpeg-js), quality ${low}, digits tiled in one image`, bytes, psnr: quality, quality: low };
}

export function baselineTable(yours: Baseline, images: tf.Tensor4D, k: number, bits: number): string {
  const count = images.shape[0];
  const entries = [yours, pcaAtStorage(images, k, bits), jpegAtBudget(images, yours.bytes)];
  const lines = entries.map((e) => `| ${e.name} | ${e.bytes} | ${((8 * e.bytes) / (count * PIXELS)).toFixed(3)} | ${e.psnr.toFixed(1)} |`);
  return [
    `Compared on the same ${count} digits (shared parts — your decoder, PCA's basis, JPEG's tables — not counted):`,
    '| method | bytes | bits per pixel | PSNR (dB) |',
    '| --- | --- | --- | --- |',
    ...lines,
  ].join('\n');
}
