import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';

export type Image = number[][][];

export type AugmentOp =
  | { op: 'flipHorizontal' }
  | { op: 'shift'; dx: number; dy: number }
  | { op: 'rotate'; degrees: number }
  | { op: 'brightness'; delta: number };

export interface AugmentPolicy {
  maxShift: number;
  maxRotation: number;
  flip: boolean;
  maxBrightness: number;
}

/** The policy for digits: small shifts, rotations and brightness changes, and no flips (a mirrored 2 is not a 2). */
const DIGIT_POLICY: AugmentPolicy = { maxShift: 2, maxRotation: 15, flip: false, maxBrightness: 0.1 };

const clamp = (v: number): number => Math.min(1, Math.max(0, v));
const mapValues = (img: Image, f: (v: number, channel: number) => number): Image => img.map((row) => row.map((pixel) => pixel.map(f)));
const blank = (channels: number, fill: number): number[] => new Array<number>(channels).fill(fill);

export function flipHorizontal(img: Image): Image {
  return img.map((row) => row.map((_, c) => [...row[row.length - 1 - c]]));
}

export function flipVertical(img: Image): Image {
  return img.map((_, r) => img[img.length - 1 - r].map((pixel) => [...pixel]));
}

/** One quarter turn counter-clockwise: an H×W image becomes W×H. */
function quarterTurn(img: Image): Image {
  const width = img[0].length;
  return Array.from({ length: width }, (_, r) => img.map((row) => [...row[width - 1 - r]]));
}

export function rotate90(img: Image, times: number): Image {
  let out = img.map((row) => row.map((pixel) => [...pixel]));
  for (let turn = 0; turn < (((times % 4) + 4) % 4); turn++) out = quarterTurn(out);
  return out;
}

export function shift(img: Image, dx: number, dy: number, fill = 0): Image {
  const height = img.length;
  const width = img[0].length;
  const channels = img[0][0].length;
  return img.map((row, r) =>
    row.map((_, c) => {
      const [sr, sc] = [r - dy, c - dx];
      return sr >= 0 && sr < height && sc >= 0 && sc < width ? [...img[sr][sc]] : blank(channels, fill);
    }),
  );
}

export function rotate(img: Image, degrees: number, fill = 0): Image {
  const height = img.length;
  const width = img[0].length;
  const channels = img[0][0].length;
  const [cy, cx] = [(height - 1) / 2, (width - 1) / 2];
  const theta = (degrees * Math.PI) / 180;
  const [cos, sin] = [Math.cos(theta), Math.sin(theta)];
  return img.map((row, r) =>
    row.map((_, c) => {
      // (u, v): the output pixel relative to the centre, v pointing up; rotated back by −θ.
      const [u, v] = [c - cx, cy - r];
      const sc = Math.round(cx + u * cos + v * sin);
      const sr = Math.round(cy - (-u * sin + v * cos));
      return sr >= 0 && sr < height && sc >= 0 && sc < width ? [...img[sr][sc]] : blank(channels, fill);
    }),
  );
}

export function adjustBrightness(img: Image, delta: number): Image {
  return mapValues(img, (v) => clamp(v + delta));
}

export function adjustContrast(img: Image, factor: number): Image {
  const channels = img[0][0].length;
  const means = new Array<number>(channels).fill(0);
  for (const row of img) for (const pixel of row) pixel.forEach((v, ch) => (means[ch] += v));
  const count = img.length * img[0].length;
  for (let ch = 0; ch < channels; ch++) means[ch] /= count;
  return mapValues(img, (v, ch) => clamp(means[ch] + factor * (v - means[ch])));
}

export function colorShift(img: Image, shifts: number[]): Image {
  return mapValues(img, (v, ch) => clamp(v + shifts[ch]));
}

/** Applies one operation (the op's meaning, as randomAugment reports it). */
function applyOp(img: Image, op: AugmentOp): Image {
  switch (op.op) {
    case 'flipHorizontal':
      return flipHorizontal(img);
    case 'shift':
      return shift(img, op.dx, op.dy);
    case 'rotate':
      return rotate(img, op.degrees);
    case 'brightness':
      return adjustBrightness(img, op.delta);
  }
}

export function randomAugment(img: Image, seed: number, policy: AugmentPolicy): { image: Image; applied: AugmentOp[] } {
  const random = seedrandom(`augment/${seed}`);
  const between = (max: number): number => (2 * random() - 1) * max;
  const applied: AugmentOp[] = [];
  if (policy.flip && random() < 0.5) applied.push({ op: 'flipHorizontal' });
  const reach = Math.floor(policy.maxShift);
  if (reach > 0) {
    const [dx, dy] = [Math.floor(random() * (2 * reach + 1)) - reach, Math.floor(random() * (2 * reach + 1)) - reach];
    if (dx !== 0 || dy !== 0) applied.push({ op: 'shift', dx, dy });
  }
  if (policy.maxRotation > 0) applied.push({ op: 'rotate', degrees: between(policy.maxRotation) });
  if (policy.maxBrightness > 0) applied.push({ op: 'brightness', delta: between(policy.maxBrightness) });
  return { image: applied.reduce(applyOp, img), applied };
}

export function augmentDataset(images: Image[], labels: number[], copies: number, seed: number): { images: Image[]; labels: number[] } {
  const random = seedrandom(`dataset/${seed}`);
  const out = { images: [...images], labels: [...labels] };
  for (let copy = 1; copy <= copies; copy++) {
    images.forEach((img, i) => {
      out.images.push(randomAugment(img, Math.floor(random() * 2 ** 31), DIGIT_POLICY).image);
      out.labels.push(labels[i]);
    });
  }
  return out;
}

/** conv(8) → max-pool → conv(16) → max-pool → softmax(10), from seeded initializers: small, so that it trains in a second or two. */
function smallCnn(seed: number): tf.Sequential {
  let layer = 0;
  const init = () => tf.initializers.glorotUniform({ seed: seed * 16 + layer++ });
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, activation: 'relu', kernelInitializer: init() }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', kernelInitializer: init() }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: init() }),
    ],
  });
}

export async function trainWithAugmentation(images: Image[], labels: number[], options: { augment: boolean; epochs: number; seed: number }): Promise<tf.LayersModel> {
  const { augment, epochs, seed } = options;
  const random = seedrandom(`train/${seed}`);
  const model = smallCnn(seed % 2 ** 20);
  model.compile({ optimizer: tf.train.adam(0.005), loss: 'categoricalCrossentropy' });
  const n = images.length;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const seen = augment ? images.map((img) => randomAugment(img, Math.floor(random() * 2 ** 31), DIGIT_POLICY).image) : images;
    const order = images.map((_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    const x = tf.tensor4d(Float32Array.from(order.flatMap((i) => seen[i].flat(2))), [n, 28, 28, 1]);
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d(order.map((i) => labels[i]), 'int32'), 10));
    await model.fit(x, y, { epochs: 1, batchSize: 32, shuffle: false, verbose: 0 });
    x.dispose();
    y.dispose();
  }
  return model;
}
