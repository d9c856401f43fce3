import { assertRectangular, type Matrix } from './dense.ts';

/**
 * Thin singular value decomposition in float64: Golub–Kahan–Reinsch (Householder
 * bidiagonalisation, then implicit-shift QR on the bidiagonal), as in JAMA (public domain)
 * and its port in ml-matrix (MIT, © 2014 mljs). The algorithm, the shifts and the
 * convergence tests are JAMA's; what changed is where numbers live and in which order the
 * same operations run.
 *
 * Why our own: ml-matrix's SVD is accurate but too slow to grade a PCA assignment: 18.7 s
 * for 1000×784 on the project's 2-core machine, where numpy (LAPACK) takes 0.28 s. The
 * time goes into `number[][]` access and into vector operations that each do two flops per
 * load. Here:
 *  - storage is flat Float64Array with each column / singular vector contiguous;
 *  - bidiagonalisation visits each trailing column twice per step instead of four times,
 *    four columns at a time (see `bidiagonalize`);
 *  - U and V are accumulated in blocks of reflectors as matrix products (compact WY);
 *  - the rotations of a QR sweep are applied four at a time in one pass (bit-identical);
 *  - `vectors: false` skips U and V entirely.
 * A Householder QR first for tall matrices (as LAPACK does) was tried on the values-only
 * path and measured no faster (3000×300: the same; 2000×784: slower), so it is not used.
 *
 * Measured in one run on that machine (Node 20, Gaussian matrices, median of 3; ml-matrix
 * once at 1000×784), with a second process busy on the other core:
 *   1000×784: this 4.1 s (values only 1.1 s), the flat-array port of JAMA 10.6 s,
 *             ml-matrix 23.4 s (18.7 s on an idle machine);
 *   500×300:  this 0.49 s (values only 0.13 s), flat port 0.68 s, ml-matrix 1.8 s.
 * Accuracy against numpy's singular values, max |ΔS|/σ1: 7e-14 (random 1000×784),
 * 3e-14 (1000×784 with condition number 1e12), ≤ 1e-15 (512×512 and 409×512 images);
 * ‖X − UΣVᵀ‖/‖X‖ ≤ 5e-14 and UᵀU, VᵀV within 1.3e-13 of I, the same as ml-matrix.
 */

export interface SvdResult {
  /** n×r left singular vectors (columns), r = min(n, d). Empty when vectors are off. */
  U: Matrix;
  /** The r singular values, descending, non-negative. */
  S: number[];
  /** d×r right singular vectors (columns). Empty when vectors are off. */
  V: Matrix;
}

/** Thin SVD X = U·diag(S)·Vᵀ of an n×d matrix. */
export function svd(X: Matrix, options: { vectors?: boolean } = {}): SvdResult {
  const wantVectors = options.vectors ?? true;
  assertRectangular(X, 'svd');
  const rows = X.length;
  const cols = X[0].length;
  // The core needs a tall matrix (m ≥ n) with each column contiguous. For a tall X that is
  // Xᵀ's row-major layout; for a wide X we decompose Xᵀ instead, whose columns are X's rows,
  // and swap U and V at the end (X = (U'ΣV'ᵀ)ᵀ = V'ΣU'ᵀ).
  const tall = rows >= cols;
  const m = tall ? rows : cols;
  const n = tall ? cols : rows;
  const a = new Float64Array(m * n);
  for (let i = 0; i < rows; i++) {
    const row = X[i];
    for (let j = 0; j < cols; j++) {
      const x = row[j];
      if (!Number.isFinite(x)) {
        throw new Error(`svd: entry [${i}][${j}] is ${String(x)}; the SVD needs finite numbers (check the data for NaN or Infinity before decomposing)`);
      }
      if (tall) a[j * m + i] = x;
      else a[i * m + j] = x;
    }
  }
  const { s, u, v } = golubKahanReinsch(a, m, n, wantVectors);
  const S = Array.from(s);
  if (!wantVectors || u === null || v === null) return { U: [], S, V: [] };
  const left = toRows(u, m, n);
  const right = toRows(v, n, n);
  return tall ? { U: left, S, V: right } : { U: right, S, V: left };
}

/** The min(n, d) singular values of X, descending; cheaper than `svd` (no vectors). */
export function singularValues(X: Matrix): number[] {
  return svd(X, { vectors: false }).S;
}

/** Vectors stored one after another (vector j at [j*length, (j+1)*length)) → rows×count matrix. */
function toRows(vectors: Float64Array, length: number, count: number): Matrix {
  const out: Matrix = new Array<number[]>(length);
  for (let i = 0; i < length; i++) {
    const row = new Array<number>(count);
    for (let j = 0; j < count; j++) row[j] = vectors[j * length + i];
    out[i] = row;
  }
  return out;
}

const EPS = Number.EPSILON;
/** JAMA's `tiny`: keeps the negligibility tests meaningful when a value is exactly zero. */
const TINY = 2 ** -966;
/**
 * Budget of bulge-chasing steps for the whole QR phase, per n²: LAPACK's dbdsqr allows 6;
 * JAMA's iteration used 0.6–0.95 on the test matrices. Only a guard against looping forever.
 */
const MAX_STEPS_PER_N2 = 30;

/**
 * The SVD of an m×n matrix, m ≥ n, stored column-contiguous in `a` (entry (i, j) at
 * a[j*m + i]; overwritten). Returns the n singular values and, if wanted, U (n vectors of
 * length m) and V (n vectors of length n) in the same vector-contiguous layout.
 */
function golubKahanReinsch(a: Float64Array, m: number, n: number, wantVectors: boolean): { s: Float64Array; u: Float64Array | null; v: Float64Array | null } {
  const s = new Float64Array(n);
  const e = new Float64Array(n);
  const u = wantVectors ? new Float64Array(n * m) : null;
  const v = wantVectors ? new Float64Array(n * n) : null;
  const nct = bidiagonalize(a, m, n, s, e, u, v);
  if (u !== null) {
    // Left reflector k exists for k < nct, unless its column was already zero.
    const beta = new Float64Array(n);
    for (let k = 0; k < nct; k++) if (s[k] !== 0) beta[k] = 1 / u[k * m + k];
    accumulateReflectors(u, m, n, 0, beta);
  }
  if (v !== null) {
    // Right reflector k exists for k < n − 2, acting from row k + 1, unless its row was zero.
    const beta = new Float64Array(n);
    for (let k = 0; k < n - 2; k++) if (e[k] !== 0) beta[k] = 1 / v[k * n + k + 1];
    accumulateReflectors(v, n, n, 1, beta);
  }
  diagonalize(s, e, u, v, m, n);
  return { s, u, v };
}

/**
 * Householder bidiagonalisation: reflectors from the left zero column k below the
 * diagonal, reflectors from the right zero row k right of the superdiagonal. Leaves the
 * diagonal in `s`, the superdiagonal in `e` (e[k] couples k and k+1), and the reflector
 * vectors in `u` and `v` for the accumulation. Returns the number of left reflectors.
 *
 * JAMA makes four passes over the trailing block per step (left reflector: dot, update;
 * right reflector: w = A·e, A −= w·eᵀ/e[k+1]). Here each trailing column is visited twice
 * per step while it sits in L1: the first loop finishes the previous step's right update
 * and takes the dot product for this step's left reflector; the second applies the left
 * reflector and already accumulates A·e for this step's right reflector, using the raw
 * row entries (e is rescaled afterwards, which is linear). Four columns go through each
 * loop together, so the reflector and work vectors are loaded once for four. Same
 * operations up to rounding order; 2.4× faster than JAMA's order on 1000×784.
 */
function bidiagonalize(a: Float64Array, m: number, n: number, s: Float64Array, e: Float64Array, u: Float64Array | null, v: Float64Array | null): number {
  const nct = Math.min(m - 1, n);
  const nrt = Math.max(0, n - 2);
  // The right update left pending by the previous step: column j += (−e[j]/e[k]) · work.
  // With nothing pending the update is skipped by a zero factor rather than a second code
  // path; that happens at one or two steps only.
  const work = new Float64Array(m);
  const rawWork = new Float64Array(m);
  let pending = false;
  for (let k = 0; k < nct; k++) {
    const ck = k * m;
    if (pending) for (let i = k; i < m; i++) a[ck + i] -= work[i];
    let sk = norm2(a, ck + k, ck + m);
    if (sk !== 0) {
      if (a[ck + k] < 0) sk = -sk;
      for (let i = k; i < m; i++) a[ck + i] /= sk;
      a[ck + k] += 1;
    }
    s[k] = -sk;
    rawWork.fill(0, k + 1, m);
    const updateScale = pending ? -1 / e[k] : 0;
    const reflectScale = sk !== 0 ? -1 / a[ck + k] : 0;
    // Four columns at a time share the loads of the reflector and the work vectors.
    let j = k + 1;
    for (; j + 3 < n; j += 4) {
      const c0 = j * m;
      const c1 = c0 + m;
      const c2 = c1 + m;
      const c3 = c2 + m;
      const t0 = updateScale * e[j];
      const t1 = updateScale * e[j + 1];
      const t2 = updateScale * e[j + 2];
      const t3 = updateScale * e[j + 3];
      let d0 = 0;
      let d1 = 0;
      let d2 = 0;
      let d3 = 0;
      for (let i = k; i < m; i++) {
        const w = work[i];
        const r = a[ck + i];
        const x0 = a[c0 + i] + t0 * w;
        const x1 = a[c1 + i] + t1 * w;
        const x2 = a[c2 + i] + t2 * w;
        const x3 = a[c3 + i] + t3 * w;
        a[c0 + i] = x0;
        a[c1 + i] = x1;
        a[c2 + i] = x2;
        a[c3 + i] = x3;
        d0 += r * x0;
        d1 += r * x1;
        d2 += r * x2;
        d3 += r * x3;
      }
      const tau0 = reflectScale * d0;
      const tau1 = reflectScale * d1;
      const tau2 = reflectScale * d2;
      const tau3 = reflectScale * d3;
      const rk = a[ck + k];
      const e0 = a[c0 + k] + tau0 * rk;
      const e1 = a[c1 + k] + tau1 * rk;
      const e2 = a[c2 + k] + tau2 * rk;
      const e3 = a[c3 + k] + tau3 * rk;
      a[c0 + k] = e0;
      a[c1 + k] = e1;
      a[c2 + k] = e2;
      a[c3 + k] = e3;
      e[j] = e0;
      e[j + 1] = e1;
      e[j + 2] = e2;
      e[j + 3] = e3;
      for (let i = k + 1; i < m; i++) {
        const r = a[ck + i];
        const y0 = a[c0 + i] + tau0 * r;
        const y1 = a[c1 + i] + tau1 * r;
        const y2 = a[c2 + i] + tau2 * r;
        const y3 = a[c3 + i] + tau3 * r;
        a[c0 + i] = y0;
        a[c1 + i] = y1;
        a[c2 + i] = y2;
        a[c3 + i] = y3;
        rawWork[i] += e0 * y0 + e1 * y1 + (e2 * y2 + e3 * y3);
      }
    }
    for (; j < n; j++) {
      const c0 = j * m;
      const t0 = updateScale * e[j];
      let d0 = 0;
      for (let i = k; i < m; i++) {
        const x0 = a[c0 + i] + t0 * work[i];
        a[c0 + i] = x0;
        d0 += a[ck + i] * x0;
      }
      const tau0 = reflectScale * d0;
      const e0 = a[c0 + k] + tau0 * a[ck + k];
      a[c0 + k] = e0;
      e[j] = e0;
      for (let i = k + 1; i < m; i++) {
        const y0 = a[c0 + i] + tau0 * a[ck + i];
        a[c0 + i] = y0;
        rawWork[i] += e0 * y0;
      }
    }
    if (u !== null) for (let i = k; i < m; i++) u[ck + i] = a[ck + i];
    pending = false;
    if (k < nrt) {
      let ek = norm2(e, k + 1, n);
      if (ek !== 0) {
        if (e[k + 1] < 0) ek = -ek;
        for (let i = k + 1; i < n; i++) e[i] /= ek;
        e[k + 1] += 1;
        // w = A·e with e = raw/ek + unit(k+1), for the rows the update touches.
        const c1 = (k + 1) * m;
        for (let i = k + 1; i < m; i++) work[i] = rawWork[i] / ek + a[c1 + i];
        pending = true;
      }
      e[k] = -ek;
      if (v !== null) for (let i = k + 1; i < n; i++) v[k * n + i] = e[i];
    }
  }
  // The last diagonal entry has no reflector when the matrix is square (nct = n − 1), and
  // the last superdiagonal entry none when n ≥ 2 (nrt = n − 2): read them off directly.
  if (nct < n) s[nct] = a[nct * m + nct];
  if (nrt + 1 < n) e[nrt] = a[(n - 1) * m + nrt];
  e[n - 1] = 0;
  return nct;
}

/**
 * Reflectors per block in the accumulation. 32 keeps the block (32 × m floats) in L2 for
 * m up to ~2000 while amortising the T build; 16 and 48 measured the same within noise.
 */
const BLOCK = 32;

/**
 * Overwrites the `count` vectors of q (each `length` long, vector k at k·length) with the
 * first `count` columns of H_0·H_1·…·H_{count−1}, where vector k holds the Householder
 * vector y_k of H_k = I − β_k·y_k·y_kᵀ, non-zero from row k + offset on (U: offset 0,
 * V: offset 1), and β_k = 0 marks a reflector that was skipped (H_k = I).
 *
 * JAMA applies the reflectors one at a time, each as a dot product and an update per
 * column: two vector operations per multiply-add pair, bound by memory and by the latency
 * of the running sum. Here BLOCK reflectors are combined into one block reflector
 * I − Y·T·Yᵀ (LAPACK's compact WY form, dlarft) and applied as two matrix products, whose
 * 4×2 register tiles do eight multiply-adds per six loads: measured 2.5× faster.
 */
function accumulateReflectors(q: Float64Array, length: number, count: number, offset: number, beta: Float64Array): void {
  const y = new Float64Array(BLOCK * length);
  const t = new Float64Array(BLOCK * BLOCK);
  const w = new Float64Array(BLOCK * count);
  // Blocks from the last reflector backwards: each block multiplies, from the left, the
  // columns already formed by the blocks after it, and forms its own columns from e_k.
  for (let k1 = count; k1 > 0; k1 -= BLOCK) {
    const k0 = Math.max(0, k1 - BLOCK);
    const base = k0 + offset; // first row any reflector of this block touches
    const rows = length - base;
    // Y: row r is reflector k0 + r over rows [base, length), zero above its own start
    // (relative row r) and entirely zero for skipped or padding reflectors, which T
    // then ignores too. The block is padded to a multiple of 4 for the register tiles.
    const width = Math.ceil((k1 - k0) / 4) * 4;
    if (rows > 0) {
      y.fill(0, 0, width * rows);
      for (let r = 0; r < k1 - k0; r++) {
        const k = k0 + r;
        if (beta[k] !== 0) y.set(q.subarray(k * length + base + r, (k + 1) * length), r * rows + r);
      }
      buildT(y, rows, width, beta, k0, k1, t);
    }
    for (let k = k0; k < k1; k++) {
      q.fill(0, k * length, (k + 1) * length);
      q[k * length + k] = 1;
    }
    if (rows > 0) applyBlockReflector(y, t, rows, width, q, length, base, k0, count, w);
  }
}

/**
 * The upper triangular T with H_{k0}·…·H_{k1−1} = I − Y·T·Yᵀ, built column by column:
 * T[r][r] = β_r and T[0:r, r] = −β_r · T[0:r, 0:r] · (Y[0:r]·y_r).
 */
function buildT(y: Float64Array, rows: number, width: number, beta: Float64Array, k0: number, k1: number, t: Float64Array): void {
  t.fill(0);
  const g = new Float64Array(width);
  for (let r = 0; r < width; r++) {
    const b = k0 + r < k1 ? beta[k0 + r] : 0;
    t[r * BLOCK + r] = b;
    if (b === 0) continue;
    for (let i = 0; i < r; i++) g[i] = dotRange(y, i * rows, r * rows, r, rows);
    for (let i = 0; i < r; i++) {
      let sum = 0;
      for (let c = i; c < r; c++) sum += t[i * BLOCK + c] * g[c];
      t[i * BLOCK + r] = -b * sum;
    }
  }
}

/**
 * C ← (I − Y·T·Yᵀ)·C for the vectors k0 … count−1 of q, restricted to rows [base, length):
 * W = Yᵀ·C, W ← T·W, C ← C − Y·W, with `width` (a multiple of 4) rows of Y.
 */
function applyBlockReflector(y: Float64Array, t: Float64Array, rows: number, width: number, q: Float64Array, length: number, base: number, k0: number, count: number, w: Float64Array): void {
  const cols = count - k0;
  // W = Yᵀ·C in 4×2 tiles; row r of Y is zero before relative row r, so each tile starts there.
  for (let j = 0; j < cols; j += 2) {
    const pair = j + 1 < cols;
    const c0 = (k0 + j) * length + base;
    const c1 = pair ? c0 + length : c0;
    for (let r = 0; r < width; r += 4) {
      const y0 = r * rows, y1 = y0 + rows, y2 = y1 + rows, y3 = y2 + rows;
      let a00 = 0, a01 = 0, a10 = 0, a11 = 0, a20 = 0, a21 = 0, a30 = 0, a31 = 0;
      for (let i = r; i < rows; i++) {
        const x0 = q[c0 + i];
        const x1 = q[c1 + i];
        let v = y[y0 + i];
        a00 += v * x0;
        a01 += v * x1;
        v = y[y1 + i];
        a10 += v * x0;
        a11 += v * x1;
        v = y[y2 + i];
        a20 += v * x0;
        a21 += v * x1;
        v = y[y3 + i];
        a30 += v * x0;
        a31 += v * x1;
      }
      const o = r * cols + j;
      w[o] = a00;
      w[o + cols] = a10;
      w[o + 2 * cols] = a20;
      w[o + 3 * cols] = a30;
      if (pair) {
        w[o + 1] = a01;
        w[o + cols + 1] = a11;
        w[o + 2 * cols + 1] = a21;
        w[o + 3 * cols + 1] = a31;
      }
    }
  }
  // W ← T·W; T is upper triangular, so row r only reads rows ≥ r, not yet overwritten.
  for (let r = 0; r < width; r++) {
    for (let j = 0; j < cols; j++) {
      let sum = 0;
      for (let c = r; c < width; c++) sum += t[r * BLOCK + c] * w[c * cols + j];
      w[r * cols + j] = sum;
    }
  }
  // C ← C − Y·W in 4×2 tiles.
  for (let j = 0; j < cols; j += 2) {
    const pair = j + 1 < cols;
    const c0 = (k0 + j) * length + base;
    const c1 = c0 + length;
    for (let r = 0; r < width; r += 4) {
      const y0 = r * rows, y1 = y0 + rows, y2 = y1 + rows, y3 = y2 + rows;
      const o = r * cols + j;
      const z00 = w[o], z10 = w[o + cols], z20 = w[o + 2 * cols], z30 = w[o + 3 * cols];
      if (pair) {
        const z01 = w[o + 1], z11 = w[o + cols + 1], z21 = w[o + 2 * cols + 1], z31 = w[o + 3 * cols + 1];
        for (let i = r; i < rows; i++) {
          const v0 = y[y0 + i], v1 = y[y1 + i], v2 = y[y2 + i], v3 = y[y3 + i];
          q[c0 + i] -= v0 * z00 + v1 * z10 + v2 * z20 + v3 * z30;
          q[c1 + i] -= v0 * z01 + v1 * z11 + v2 * z21 + v3 * z31;
        }
      } else {
        for (let i = r; i < rows; i++) q[c0 + i] -= y[y0 + i] * z00 + y[y1 + i] * z10 + y[y2 + i] * z20 + y[y3 + i] * z30;
      }
    }
  }
}

/**
 * Implicit-shift QR on the bidiagonal (diagonal s, superdiagonal e) until e vanishes,
 * rotating the columns of u (length m) and v (length n) along. Ends with s non-negative
 * and descending. JAMA's four cases, by what the negligibility tests find:
 *  1. s[p−1] negligible: rotate e[p−2] away (into V);
 *  2. s[k−1] negligible for an interior k: split there (rotations into U);
 *  3. no negligible entry: one QR sweep with the Wilkinson-like shift from the trailing 2×2;
 *  4. e[p−2] negligible: s[p−1] has converged; make it positive and move it into order.
 */
function diagonalize(s: Float64Array, e: Float64Array, u: Float64Array | null, v: Float64Array | null, m: number, n: number): void {
  const leftCos = new Float64Array(n);
  const leftSin = new Float64Array(n);
  const rightCos = new Float64Array(n);
  const rightSin = new Float64Array(n);
  const last = n - 1;
  let p = n;
  let steps = 0;
  const maxSteps = MAX_STEPS_PER_N2 * n * n;
  while (p > 0) {
    // k: the largest index below p−1 whose superdiagonal entry is negligible (−1 if none).
    let k = p - 2;
    for (; k >= 0; k--) {
      if (Math.abs(e[k]) <= TINY + EPS * (Math.abs(s[k]) + Math.abs(s[k + 1]))) {
        e[k] = 0;
        break;
      }
    }
    let kase: 1 | 2 | 3 | 4;
    if (k === p - 2) {
      kase = 4;
    } else {
      let ks = p - 1;
      for (; ks > k; ks--) {
        const t = (ks !== p ? Math.abs(e[ks]) : 0) + (ks !== k + 1 ? Math.abs(e[ks - 1]) : 0);
        if (Math.abs(s[ks]) <= TINY + EPS * t) {
          s[ks] = 0;
          break;
        }
      }
      if (ks === k) {
        kase = 3;
      } else if (ks === p - 1) {
        kase = 1;
      } else {
        kase = 2;
        k = ks;
      }
    }
    k++;

    switch (kase) {
      case 1: {
        let f = e[p - 2];
        e[p - 2] = 0;
        for (let j = p - 2; j >= k; j--) {
          const t = Math.hypot(s[j], f);
          const cs = s[j] / t;
          const sn = f / t;
          s[j] = t;
          if (j !== k) {
            f = -sn * e[j - 1];
            e[j - 1] = cs * e[j - 1];
          }
          if (v !== null) rotatePair(v, n, j, p - 1, cs, sn);
        }
        break;
      }
      case 2: {
        let f = e[k - 1];
        e[k - 1] = 0;
        for (let j = k; j < p; j++) {
          const t = Math.hypot(s[j], f);
          const cs = s[j] / t;
          const sn = f / t;
          s[j] = t;
          f = -sn * e[j];
          e[j] = cs * e[j];
          if (u !== null) rotatePair(u, m, j, k - 1, cs, sn);
        }
        break;
      }
      case 3: {
        steps += p - 1 - k;
        if (steps > maxSteps) {
          throw new Error(`svd: the bidiagonal QR iteration did not converge within ${maxSteps} steps (${n} singular values, ${n - p} found); this should not happen for finite input, please report the matrix`);
        }
        // Scale to avoid overflow in the shift computation.
        const scale = Math.max(Math.abs(s[p - 1]), Math.abs(s[p - 2]), Math.abs(e[p - 2]), Math.abs(s[k]), Math.abs(e[k]));
        const sp = s[p - 1] / scale;
        const spm1 = s[p - 2] / scale;
        const epm1 = e[p - 2] / scale;
        const sk = s[k] / scale;
        const ek = e[k] / scale;
        const b = ((spm1 + sp) * (spm1 - sp) + epm1 * epm1) / 2;
        const c = sp * epm1 * (sp * epm1);
        let shift = 0;
        if (b !== 0 || c !== 0) {
          shift = Math.sqrt(b * b + c);
          if (b < 0) shift = -shift;
          shift = c / (b + shift);
        }
        let f = (sk + sp) * (sk - sp) + shift;
        let g = sk * ek;
        // Chase the bulge down. The scalar recurrence does not depend on U and V, so their
        // rotations are only recorded here and applied in one pass after the sweep.
        for (let j = k; j < p - 1; j++) {
          let t = Math.hypot(f, g);
          if (t === 0) t = Number.MIN_VALUE;
          let cs = f / t;
          let sn = g / t;
          rightCos[j] = cs;
          rightSin[j] = sn;
          if (j !== k) e[j - 1] = t;
          f = cs * s[j] + sn * e[j];
          e[j] = cs * e[j] - sn * s[j];
          g = sn * s[j + 1];
          s[j + 1] = cs * s[j + 1];
          t = Math.hypot(f, g);
          if (t === 0) t = Number.MIN_VALUE;
          cs = f / t;
          sn = g / t;
          leftCos[j] = cs;
          leftSin[j] = sn;
          s[j] = t;
          f = cs * e[j] + sn * s[j + 1];
          s[j + 1] = -sn * e[j] + cs * s[j + 1];
          g = sn * e[j + 1];
          e[j + 1] = cs * e[j + 1];
        }
        e[p - 2] = f;
        if (v !== null) rotateAdjacent(v, n, k, p - 1, rightCos, rightSin);
        if (u !== null) rotateAdjacent(u, m, k, p - 1, leftCos, leftSin);
        break;
      }
      case 4: {
        if (s[k] <= 0) {
          s[k] = s[k] < 0 ? -s[k] : 0;
          if (v !== null) for (let i = k * n; i < (k + 1) * n; i++) v[i] = -v[i];
        }
        // Bubble the converged value into descending order.
        while (k < last && s[k] < s[k + 1]) {
          const t = s[k];
          s[k] = s[k + 1];
          s[k + 1] = t;
          if (v !== null) swapVectors(v, n, k, k + 1);
          if (u !== null) swapVectors(u, m, k, k + 1);
          k++;
        }
        p--;
        break;
      }
    }
  }
}

/** Euclidean norm of x[from..to) with scaling, so squares neither overflow nor underflow. */
function norm2(x: Float64Array, from: number, to: number): number {
  let max = 0;
  for (let i = from; i < to; i++) max = Math.max(max, Math.abs(x[i]));
  if (max === 0) return 0;
  const inv = 1 / max;
  let sum = 0;
  for (let i = from; i < to; i++) {
    const y = x[i] * inv;
    sum += y * y;
  }
  return max * Math.sqrt(sum);
}

/**
 * Σ q[oa+i]·q[ob+i] over i in [from, to). Two partial sums: a single running sum makes
 * every addition wait for the previous one, and that latency, not arithmetic, bounds the
 * loop (measured ~1.5× faster).
 */
function dotRange(q: Float64Array, oa: number, ob: number, from: number, to: number): number {
  let t0 = 0;
  let t1 = 0;
  let i = from;
  for (; i + 1 < to; i += 2) {
    t0 += q[oa + i] * q[ob + i];
    t1 += q[oa + i + 1] * q[ob + i + 1];
  }
  if (i < to) t0 += q[oa + i] * q[ob + i];
  return t0 + t1;
}

/** (vector a, vector b) ← (cs·a + sn·b, cs·b − sn·a). */
function rotatePair(q: Float64Array, length: number, a: number, b: number, cs: number, sn: number): void {
  const oa = a * length;
  const ob = b * length;
  for (let i = 0; i < length; i++) {
    const xa = q[oa + i];
    const xb = q[ob + i];
    q[oa + i] = cs * xa + sn * xb;
    q[ob + i] = cs * xb - sn * xa;
  }
}

function swapVectors(q: Float64Array, length: number, a: number, b: number): void {
  const oa = a * length;
  const ob = b * length;
  for (let i = 0; i < length; i++) {
    const t = q[oa + i];
    q[oa + i] = q[ob + i];
    q[ob + i] = t;
  }
}

/**
 * Applies, in order, the rotations j = from, …, to−1 of vectors (j, j+1) by (cos[j], sin[j]).
 * Four consecutive rotations share one pass: each entry of five vectors is loaded once,
 * pushed through the four rotations in registers and stored once — the same operations in
 * the same order as four separate passes, with a third of the loads and stores. This is
 * where the full SVD spends most of its time (measured ~1.9× faster than one at a time).
 */
function rotateAdjacent(q: Float64Array, length: number, from: number, to: number, cos: Float64Array, sin: Float64Array): void {
  let j = from;
  for (; j + 3 < to; j += 4) {
    const c0 = cos[j], s0 = sin[j], c1 = cos[j + 1], s1 = sin[j + 1];
    const c2 = cos[j + 2], s2 = sin[j + 2], c3 = cos[j + 3], s3 = sin[j + 3];
    const o0 = j * length, o1 = o0 + length, o2 = o1 + length, o3 = o2 + length, o4 = o3 + length;
    for (let i = 0; i < length; i++) {
      const x0 = q[o0 + i];
      const x1 = q[o1 + i];
      const x2 = q[o2 + i];
      const x3 = q[o3 + i];
      const x4 = q[o4 + i];
      q[o0 + i] = c0 * x0 + s0 * x1;
      const y1 = c0 * x1 - s0 * x0;
      q[o1 + i] = c1 * y1 + s1 * x2;
      const y2 = c1 * x2 - s1 * y1;
      q[o2 + i] = c2 * y2 + s2 * x3;
      const y3 = c2 * x3 - s2 * y2;
      q[o3 + i] = c3 * y3 + s3 * x4;
      q[o4 + i] = c3 * x4 - s3 * y3;
    }
  }
  for (; j < to; j++) rotatePair(q, length, j, j + 1, cos[j], sin[j]);
}
