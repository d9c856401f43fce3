// Reference implementation for the cnn-layers assignment.
//
// Everything works on plain nested arrays of float64 numbers so that the code reads like the
// formulas in the handout. No function mutates its inputs: every result is a fresh array.

export type Matrix = number[][]; // rows × columns

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

function zeros(rows: number, cols: number): Matrix {
  return Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
}

function matmul(a: Matrix, b: Matrix): Matrix {
  const n = a.length;
  const inner = b.length;
  const m = inner === 0 ? 0 : b[0].length;
  const out = zeros(n, m);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < inner; k++) {
      const aik = a[i][k];
      for (let j = 0; j < m; j++) out[i][j] += aik * b[k][j];
    }
  }
  return out;
}

function relu(a: Matrix): Matrix {
  return a.map((row) => row.map((v) => Math.max(0, v)));
}

/** Number of windows of length `size` that fit completely when moving by `stride`. */
function windowCount(length: number, size: number, stride: number): number {
  return Math.floor((length - size) / stride) + 1;
}

/** Per-column mean and biased variance (divide by n, as in the lecture's definition of σ²). */
function columnStatistics(z: Matrix): { mean: number[]; variance: number[] } {
  const n = z.length;
  const d = z[0].length;
  const mean = new Array<number>(d).fill(0);
  const variance = new Array<number>(d).fill(0);
  for (const row of z) for (let c = 0; c < d; c++) mean[c] += row[c] / n;
  // Two passes (mean first, then squared deviations) rather than E[z²] − E[z]², which loses
  // precision when the mean is large compared with the spread.
  for (const row of z) {
    for (let c = 0; c < d; c++) variance[c] += (row[c] - mean[c]) ** 2 / n;
  }
  return { mean, variance };
}

function normalize(z: Matrix, mean: number[], variance: number[], eps: number): Matrix {
  return z.map((row) => row.map((v, c) => (v - mean[c]) / Math.sqrt(variance[c] + eps)));
}

// ---------------------------------------------------------------------------------------------
// Convolution and pooling
// ---------------------------------------------------------------------------------------------

/**
 * 2-D cross-correlation, the operation deep-learning libraries call "convolution": the kernel
 * slides over the zero-padded input without being flipped.
 */
export function conv2d(x: Matrix, kernel: Matrix, stride = 1, padding = 0): Matrix {
  const h = x.length;
  const w = x[0].length;
  const kh = kernel.length;
  const kw = kernel[0].length;
  const outH = windowCount(h + 2 * padding, kh, stride);
  const outW = windowCount(w + 2 * padding, kw, stride);
  const out = zeros(outH, outW);
  for (let i = 0; i < outH; i++) {
    for (let j = 0; j < outW; j++) {
      let sum = 0;
      for (let a = 0; a < kh; a++) {
        // Coordinates in the original (unpadded) input; anything outside it is padding, i.e. 0,
        // so it contributes nothing and we never need to build the padded matrix.
        const r = i * stride + a - padding;
        if (r < 0 || r >= h) continue;
        for (let b = 0; b < kw; b++) {
          const c = j * stride + b - padding;
          if (c < 0 || c >= w) continue;
          sum += x[r][c] * kernel[a][b];
        }
      }
      out[i][j] = sum;
    }
  }
  return out;
}

/** Applies `reduce` to every size×size window that fits completely inside x. */
function pool2d(x: Matrix, size: number, stride: number, reduce: (window: number[]) => number): Matrix {
  const outH = windowCount(x.length, size, stride);
  const outW = windowCount(x[0].length, size, stride);
  const out = zeros(outH, outW);
  for (let i = 0; i < outH; i++) {
    for (let j = 0; j < outW; j++) {
      const window: number[] = [];
      for (let a = 0; a < size; a++) {
        for (let b = 0; b < size; b++) window.push(x[i * stride + a][j * stride + b]);
      }
      out[i][j] = reduce(window);
    }
  }
  return out;
}

export function maxPool2d(x: Matrix, size: number, stride = size): Matrix {
  return pool2d(x, size, stride, (window) => Math.max(...window));
}

export function avgPool2d(x: Matrix, size: number, stride = size): Matrix {
  return pool2d(x, size, stride, (window) => window.reduce((s, v) => s + v, 0) / window.length);
}

/**
 * Gradient of max pooling. Only the entry that won a window influenced that window's output,
 * so the whole upstream gradient goes there. When windows overlap, one input entry can win
 * several windows and must collect all of their gradients (+=, not =).
 */
export function maxPool2dBackward(dout: Matrix, x: Matrix, size: number, stride = size): Matrix {
  const dx = zeros(x.length, x[0].length);
  const outH = windowCount(x.length, size, stride);
  const outW = windowCount(x[0].length, size, stride);
  for (let i = 0; i < outH; i++) {
    for (let j = 0; j < outW; j++) {
      let bestRow = i * stride;
      let bestCol = j * stride;
      for (let a = 0; a < size; a++) {
        for (let b = 0; b < size; b++) {
          const r = i * stride + a;
          const c = j * stride + b;
          // Strict > keeps the first maximum in row-major order when values tie.
          if (x[r][c] > x[bestRow][bestCol]) {
            bestRow = r;
            bestCol = c;
          }
        }
      }
      dx[bestRow][bestCol] += dout[i][j];
    }
  }
  return dx;
}

// ---------------------------------------------------------------------------------------------
// Batch normalization (rows are examples of the batch, columns are features)
// ---------------------------------------------------------------------------------------------

export function batchNormForward(
  z: Matrix,
  gamma: number[],
  beta: number[],
  eps = 1e-5,
): { out: Matrix; mean: number[]; variance: number[] } {
  const { mean, variance } = columnStatistics(z);
  const zhat = normalize(z, mean, variance, eps);
  const out = zhat.map((row) => row.map((v, c) => gamma[c] * v + beta[c]));
  return { out, mean, variance };
}

/**
 * Gradient of L = Σ dout ⊙ out. The mean and variance are themselves functions of every z in
 * the column, so each dz[i][c] depends on the whole column of dout, not only on dout[i][c].
 * Working the chain rule through μ and σ² and simplifying gives, per column,
 *   dz = γ / (n·sqrt(σ² + ε)) · (n·dout − Σ dout − zhat · Σ(dout ⊙ zhat)).
 */
export function batchNormBackward(
  dout: Matrix,
  z: Matrix,
  gamma: number[],
  eps = 1e-5,
): { dz: Matrix; dgamma: number[]; dbeta: number[] } {
  const n = z.length;
  const d = z[0].length;
  const { mean, variance } = columnStatistics(z);
  const zhat = normalize(z, mean, variance, eps);

  const dgamma = new Array<number>(d).fill(0);
  const dbeta = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < d; c++) {
      dgamma[c] += dout[i][c] * zhat[i][c];
      dbeta[c] += dout[i][c];
    }
  }

  // Σ dout is dbeta and Σ dout ⊙ zhat is dgamma, so the column sums are reused.
  const dz = zhat.map((row, i) =>
    row.map((zh, c) => {
      const scale = gamma[c] / (n * Math.sqrt(variance[c] + eps));
      return scale * (n * dout[i][c] - dbeta[c] - zh * dgamma[c]);
    }),
  );
  return { dz, dgamma, dbeta };
}

/**
 * At test time there may be a single example, so batch statistics are meaningless; the
 * statistics accumulated during training are used instead, making the layer a fixed affine map.
 */
export function batchNormInference(
  z: Matrix,
  gamma: number[],
  beta: number[],
  runningMean: number[],
  runningVariance: number[],
  eps = 1e-5,
): Matrix {
  const zhat = normalize(z, runningMean, runningVariance, eps);
  return zhat.map((row) => row.map((v, c) => gamma[c] * v + beta[c]));
}

/** Exponential moving average; momentum is the weight kept by the OLD value (Keras convention). */
export function updateRunningAverage(running: number[], batch: number[], momentum: number): number[] {
  return running.map((r, c) => momentum * r + (1 - momentum) * batch[c]);
}

// ---------------------------------------------------------------------------------------------
// Dropout
// ---------------------------------------------------------------------------------------------

/** mulberry32: a tiny, fast 32-bit PRNG; returns a generator of floats in [0, 1). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Inverted dropout: each entry is dropped with probability p and the survivors are scaled by
 * 1/(1 − p), so the expected value of every output entry equals its input. Because the scaling
 * happens during training, inference needs no change at all: it is the identity.
 */
export function dropoutForward(
  x: Matrix,
  p: number,
  train: boolean,
  seed: number,
): { out: Matrix; mask: Matrix } {
  if (!train) {
    return { out: x.map((row) => [...row]), mask: x.map((row) => row.map(() => 1)) };
  }
  const random = mulberry32(seed);
  const keepScale = 1 / (1 - p);
  // random() < p happens with probability exactly p; with p = 0 nothing is ever dropped.
  const mask = x.map((row) => row.map(() => (random() < p ? 0 : keepScale)));
  const out = x.map((row, i) => row.map((v, j) => v * mask[i][j]));
  return { out, mask };
}

// ---------------------------------------------------------------------------------------------
// Residual block
// ---------------------------------------------------------------------------------------------

/**
 * relu(x + F(x)) with F(x) = relu(x·w1)·w2. The identity path lets the block start out close
 * to "do nothing" and gives gradients a direct route back through many stacked blocks.
 */
export function residualForward(x: Matrix, w1: Matrix, w2: Matrix): Matrix {
  const branch = matmul(relu(matmul(x, w1)), w2);
  return relu(x.map((row, i) => row.map((v, j) => v + branch[i][j])));
}
