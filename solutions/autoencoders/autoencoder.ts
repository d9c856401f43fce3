// autoencoders — reference solution: a dense autoencoder 784 → 256 → k → 256 → 784.
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';

export interface Autoencoder {
  encoder: tf.LayersModel;
  decoder: tf.LayersModel;
}

const SIDE = 28;
const PIXELS = SIDE * SIDE;
const HIDDEN = 256;
const LEARNING_RATE = 0.002;

export function buildAutoencoder(bottleneck: number): Autoencoder {
  const encoder = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [SIDE, SIDE, 1] }),
      tf.layers.dense({ units: HIDDEN, activation: 'relu' }),
      // A linear code: nothing squashes it, so every code value is usable.
      tf.layers.dense({ units: bottleneck }),
    ],
  });
  const decoder = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [bottleneck], units: HIDDEN, activation: 'relu' }),
      // The sigmoid keeps every output pixel in [0, 1], whatever the code.
      tf.layers.dense({ units: PIXELS, activation: 'sigmoid' }),
      tf.layers.reshape({ targetShape: [SIDE, SIDE, 1] }),
    ],
  });
  return { encoder, decoder };
}

function reconstruct(model: Autoencoder, x: tf.Tensor, training = false): tf.Tensor4D {
  return model.decoder.apply(model.encoder.apply(x, { training }), { training }) as tf.Tensor4D;
}

/** A shuffled 0…n−1 from a seeded generator (Fisher–Yates). */
function shuffled(n: number, random: () => number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

export async function trainAutoencoder(
  model: Autoencoder,
  images: tf.Tensor4D,
  options: { epochs: number; batchSize: number; seed: number; noiseStd?: number },
): Promise<Autoencoder & { losses: number[] }> {
  const { epochs, batchSize, seed, noiseStd } = options;
  const random = seedrandom(`autoencoder/${seed}`);
  const optimizer = tf.train.adam(LEARNING_RATE);
  const variables = [...model.encoder.trainableWeights, ...model.decoder.trainableWeights].map((w) => w.read() as tf.Variable);
  const n = images.shape[0];
  const losses: number[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = shuffled(n, random);
    let total = tf.scalar(0);
    let batches = 0;
    for (let start = 0; start < n; start += batchSize) {
      const indices = tf.tensor1d(order.slice(start, start + batchSize), 'int32');
      const noiseSeed = Math.floor(random() * 2 ** 31);
      const cost = optimizer.minimize(
        () => {
          const clean = tf.gather(images, indices);
          // The input is noisy, the target stays clean: that is what makes it a denoiser.
          const input = noiseStd ? tf.clipByValue(tf.add(clean, tf.randomNormal(clean.shape, 0, noiseStd, 'float32', noiseSeed)), 0, 1) : clean;
          return tf.losses.meanSquaredError<tf.Tensor, tf.Scalar>(clean, reconstruct(model, input, true));
        },
        true,
        variables,
      )!;
      const next = tf.add(total, cost);
      total.dispose();
      cost.dispose();
      indices.dispose();
      total = next as tf.Scalar;
      batches++;
    }
    losses.push((await total.data())[0] / batches);
    total.dispose();
  }
  optimizer.dispose();
  return { encoder: model.encoder, decoder: model.decoder, losses };
}

export function denoise(model: Autoencoder, noisy: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => reconstruct(model, noisy));
}

export function inpaint(model: Autoencoder, images: tf.Tensor4D, mask: tf.Tensor4D, iterations: number): tf.Tensor4D {
  return tf.tidy(() => {
    const known = tf.equal(mask, 1);
    // Each image's mean over its known pixels, spread over the whole image.
    const mean = tf.div(tf.sum(tf.mul(images, mask), [1, 2, 3], true), tf.sum(mask, [1, 2, 3], true));
    let current = tf.where(known, images, tf.mul(mean, tf.onesLike(images))) as tf.Tensor4D;
    for (let i = 0; i < iterations; i++) current = tf.where(known, images, reconstruct(model, current));
    return current;
  });
}

/** The codes of `images` as float64 rows. */
function codesOf(model: Autoencoder, images: tf.Tensor4D): number[][] {
  const codes = tf.tidy(() => model.encoder.apply(images) as tf.Tensor2D);
  try {
    return codes.arraySync();
  } finally {
    codes.dispose();
  }
}

/** Cholesky factor L (lower triangular) of a symmetric positive definite matrix: A = L·Lᵀ. */
function cholesky(a: number[][]): number[][] {
  const k = a.length;
  const l = a.map(() => new Array<number>(k).fill(0));
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i][j];
      for (let p = 0; p < j; p++) sum -= l[i][p] * l[j][p];
      l[i][j] = i === j ? Math.sqrt(Math.max(sum, 0)) : sum / l[j][j];
    }
  }
  return l;
}

/** A standard normal draw (Box–Muller) from a uniform generator. */
function gaussian(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

export function sampleImages(model: Autoencoder, trainingImages: tf.Tensor4D, n: number, seed: number): tf.Tensor4D {
  const codes = codesOf(model, trainingImages);
  const m = codes.length;
  const k = codes[0].length;
  const mean = Array.from({ length: k }, (_, j) => codes.reduce((s, c) => s + c[j], 0) / m);
  const covariance = Array.from({ length: k }, (_, i) =>
    Array.from({ length: k }, (_, j) => codes.reduce((s, c) => s + (c[i] - mean[i]) * (c[j] - mean[j]), 0) / (m - 1) + (i === j ? 1e-6 : 0)),
  );
  const l = cholesky(covariance);
  const random = seedrandom(`samples/${seed}`);
  const drawn = Array.from({ length: n }, () => {
    const e = Array.from({ length: k }, () => gaussian(random));
    return mean.map((mu, i) => mu + l[i].reduce((s, v, j) => s + v * e[j], 0));
  });
  return tf.tidy(() => model.decoder.apply(tf.tensor2d(drawn, [n, k])) as tf.Tensor4D);
}

/**
 * The format: a header of one float32 range [low, high] per code dimension (8k bytes), then
 * every code value quantised to `bits` bits, packed most significant bit first.
 */
export function compress(model: Autoencoder, images: tf.Tensor4D, bits: number): Uint8Array {
  const codes = codesOf(model, images);
  const k = codes[0]?.length ?? 0;
  const levels = 2 ** bits - 1;
  const header = new Float32Array(2 * k);
  for (let j = 0; j < k; j++) {
    header[2 * j] = Math.min(...codes.map((c) => c[j]));
    header[2 * j + 1] = Math.max(...codes.map((c) => c[j]));
  }
  const valueBits = codes.length * k * bits;
  const bytes = new Uint8Array(header.byteLength + Math.ceil(valueBits / 8));
  bytes.set(new Uint8Array(header.buffer), 0);
  let position = header.byteLength * 8;
  for (const code of codes) {
    code.forEach((v, j) => {
      const [low, high] = [header[2 * j], header[2 * j + 1]];
      const q = high > low ? Math.round(((Math.min(Math.max(v, low), high) - low) / (high - low)) * levels) : 0;
      for (let b = bits - 1; b >= 0; b--, position++) if ((q >> b) & 1) bytes[position >> 3] |= 0x80 >> (position & 7);
    });
  }
  return bytes;
}

export function decompress(model: Autoencoder, bytes: Uint8Array, count: number, bits: number): tf.Tensor4D {
  const k = model.decoder.inputs[0].shape[1] as number;
  const levels = 2 ** bits - 1;
  const header = new Float32Array(bytes.slice(0, 8 * k).buffer);
  const codes = new Float32Array(count * k);
  let position = 64 * k;
  for (let i = 0; i < count * k; i++) {
    let q = 0;
    for (let b = 0; b < bits; b++, position++) q = (q << 1) | ((bytes[position >> 3] >> (7 - (position & 7))) & 1);
    const j = i % k;
    const [low, high] = [header[2 * j], header[2 * j + 1]];
    codes[i] = low + (q / levels) * (high - low);
  }
  return tf.tidy(() => model.decoder.apply(tf.tensor2d(codes, [count, k])) as tf.Tensor4D);
}
