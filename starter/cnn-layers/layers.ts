// cnn-layers — your implementation goes here.
//
// Rules of the game:
//   • Matrices are plain nested arrays: x[r][c] is row r, column c.
//   • Return NEW arrays; never modify an argument (the caller may reuse it).
//   • No imports are needed (you may use the `seedrandom` and `ml-matrix` packages); small
//     helper functions of your own are welcome.
//   • Keep the signatures and default parameter values exactly as they are.
// Run `npm run grade -- cnn-layers` to check your work.

export type Matrix = number[][]; // rows × columns

/**
 * 2-D convolution as deep-learning libraries define it, i.e. cross-correlation:
 * the kernel is NOT flipped.
 *
 *   out[i][j] = Σ_a Σ_b xpad[i·stride + a][j·stride + b] · kernel[a][b]
 *
 * where xpad is x surrounded by `padding` rows/columns of zeros on every side
 * (top, bottom, left and right).
 *
 * Shapes: x is H×W, kernel is kh×kw. The output is outH×outW with
 *   outH = floor((H + 2·padding − kh) / stride) + 1
 *   outW = floor((W + 2·padding − kw) / stride) + 1
 * Positions where the kernel would stick out past the padded input are skipped.
 */
export function conv2d(x: Matrix, kernel: Matrix, stride = 1, padding = 0): Matrix {
  throw new Error('not implemented: conv2d');
}

/**
 * Max pooling: the maximum of every size×size window, windows moved by `stride` in both
 * directions (by default the windows do not overlap). Windows that would run past the
 * bottom or right edge are dropped, so for an H×W input the output is
 *   floor((H − size) / stride) + 1  ×  floor((W − size) / stride) + 1.
 */
export function maxPool2d(x: Matrix, size: number, stride = size): Matrix {
  throw new Error('not implemented: maxPool2d');
}

/**
 * Average pooling: like maxPool2d, but each output entry is the mean of the size·size entries
 * of its window. Same window placement and same output size as maxPool2d (incomplete windows
 * at the edges are dropped).
 */
export function avgPool2d(x: Matrix, size: number, stride = size): Matrix {
  throw new Error('not implemented: avgPool2d');
}

/**
 * Backward pass of maxPool2d(x, size, stride).
 *
 * `dout` has the shape of the pooled output (dL/d out). Return dx with the SAME shape as x
 * (dL/dx): start from zeros and, for every window, add dout[i][j] to the position in x that
 * holds that window's maximum.
 *   • Ties: if several entries share the maximum, use the FIRST one in row-major order
 *     within the window (scan the window's rows top to bottom, each row left to right).
 *   • Overlap: when stride < size one entry of x can be the maximum of several windows;
 *     it then receives the SUM of their gradients (+=, not =).
 *   • Entries of x that are in no window, or never a maximum, get gradient 0.
 */
export function maxPool2dBackward(dout: Matrix, x: Matrix, size: number, stride = size): Matrix {
  throw new Error('not implemented: maxPool2dBackward');
}

/**
 * Batch normalization, training-time forward pass.
 *
 * z is n×d: n examples (rows) by d features (columns). For each column c:
 *   mean[c]     = (1/n) Σ_i z[i][c]
 *   variance[c] = (1/n) Σ_i (z[i][c] − mean[c])²        ← biased: divide by n, not n − 1
 *   out[i][c]   = gamma[c] · (z[i][c] − mean[c]) / sqrt(variance[c] + eps) + beta[c]
 *
 * gamma and beta have length d. Return out (n×d) together with mean and variance (length d).
 */
export function batchNormForward(
  z: Matrix,
  gamma: number[],
  beta: number[],
  eps = 1e-5,
): { out: Matrix; mean: number[]; variance: number[] } {
  throw new Error('not implemented: batchNormForward');
}

/**
 * Batch normalization, backward pass.
 *
 * `dout` (n×d) is dL/d out for the `out` that batchNormForward(z, gamma, beta, eps) computes.
 * Return the exact gradients of L with respect to z (n×d), gamma (length d) and beta (length d).
 * Recompute mean, variance and zhat = (z − mean) / sqrt(variance + eps) from z yourself.
 *
 * Remember that the mean and variance depend on every entry of the column, so they are NOT
 * constants. Per column c the result simplifies to
 *   dbeta[c]  = Σ_i dout[i][c]
 *   dgamma[c] = Σ_i dout[i][c] · zhat[i][c]
 *   dz[i][c]  = gamma[c] / (n · sqrt(variance[c] + eps))
 *               · (n · dout[i][c] − dbeta[c] − zhat[i][c] · dgamma[c])
 * (beta does not influence dz). The grader also compares dz with a numerical gradient.
 */
export function batchNormBackward(
  dout: Matrix,
  z: Matrix,
  gamma: number[],
  eps = 1e-5,
): { dz: Matrix; dgamma: number[]; dbeta: number[] } {
  throw new Error('not implemented: batchNormBackward');
}

/**
 * Batch normalization at inference (test) time: normalize with the running statistics
 * collected during training, NOT with the statistics of z itself:
 *   out[i][c] = gamma[c] · (z[i][c] − runningMean[c]) / sqrt(runningVariance[c] + eps) + beta[c]
 * This must work for any number of rows, including a single example.
 */
export function batchNormInference(
  z: Matrix,
  gamma: number[],
  beta: number[],
  runningMean: number[],
  runningVariance: number[],
  eps = 1e-5,
): Matrix {
  throw new Error('not implemented: batchNormInference');
}

/**
 * One step of the exponential moving average used for the running statistics, elementwise:
 *   new[c] = momentum · running[c] + (1 − momentum) · batch[c]
 * `momentum` is the weight of the OLD value (e.g. 0.9 keeps 90% of the old estimate).
 */
export function updateRunningAverage(running: number[], batch: number[], momentum: number): number[] {
  throw new Error('not implemented: updateRunningAverage');
}

/**
 * Inverted dropout.
 *
 * p is the probability of DROPPING an entry (0 ≤ p < 1). When train is true, draw an
 * independent random decision for every entry of x and build a mask (same shape as x) whose
 * entries are exactly
 *   0            for a dropped entry (probability p)
 *   1 / (1 − p)  for a kept entry   (probability 1 − p)
 * and return out = x ⊙ mask (elementwise product) together with the mask. With p = 0 nothing
 * is dropped and the mask is all ones.
 *
 * The randomness must be determined by `seed`: the same seed must give the same mask. Do not
 * use Math.random(); write a small seeded generator yourself (mulberry32 is a good choice).
 *
 * When train is false, dropout does nothing: out is a copy of x and the mask is all ones.
 */
export function dropoutForward(
  x: Matrix,
  p: number,
  train: boolean,
  seed: number,
): { out: Matrix; mask: Matrix } {
  throw new Error('not implemented: dropoutForward');
}

/**
 * A residual block with two weight layers:
 *   out = relu( x + relu(x · w1) · w2 )
 * where · is the matrix product and relu(t) = max(0, t) elementwise.
 * Shapes: x is n×d, w1 is d×h, w2 is h×d; out is n×d (the same shape as x, which is what
 * makes the addition of the skip connection possible).
 */
export function residualForward(x: Matrix, w1: Matrix, w2: Matrix): Matrix {
  throw new Error('not implemented: residualForward');
}
