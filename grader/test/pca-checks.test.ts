import { describe, expect, it } from 'vitest';
import { checkAutoencoder, checkLowRank, checkPca, checkSvd, randomProjectionError } from '../../assignments/pca/checks.ts';
import { offsetData, orthonormalRows, withSpectrum } from '../../assignments/pca/data.ts';
import { createRng } from '../src/cases/rng.ts';
import { type Matrix, matMul, transpose } from '../src/linalg/dense.ts';
import { svd } from '../src/linalg/svd.ts';
import * as reference from '../../solutions/pca/pca.ts';

/**
 * The pca checks accept every correct answer — other signs, other bases of a repeated
 * singular value, other factorizations of the same autoencoder — and reject answers that are
 * wrong in ways the declared mistakes do not cover.
 */

const rng = createRng('pca-checks');
const flipColumns = (M: Matrix, signs: number[]): Matrix => M.map((row) => row.map((v, j) => v * signs[j]));

describe('checkSvd', () => {
  const X = rng.matrix(9, 6);
  const expected = reference.svd(X);

  it('accepts the reference and the same SVD with columns of U and V flipped together', () => {
    expect(checkSvd(X, expected, expected).score).toBe(1);
    const signs = [1, -1, -1, 1, -1, 1];
    expect(checkSvd(X, { U: flipColumns(expected.U, signs), S: expected.S, V: flipColumns(expected.V, signs) }, expected).score).toBe(1);
  });

  it('accepts any orthonormal basis of a repeated singular value', () => {
    const R = withSpectrum(rng, 10, 6, [4, 4, 4, 2, 2, 1]);
    const ref = reference.svd(R);
    // Rotate the first three columns of U and V by the same 3×3 rotation.
    const Q = orthonormalRows(rng, 3, 3);
    const rotate = (M: Matrix): Matrix => M.map((row) => [...matMul([row.slice(0, 3)], transpose(Q))[0], ...row.slice(3)]);
    expect(checkSvd(R, { U: rotate(ref.U), S: ref.S, V: rotate(ref.V) }, ref)).toMatchObject({ score: 1 });
  });

  it('rejects a column of U off by 1 %, a singular value off by 1e-6·σ₁, and the wrong shapes', () => {
    const U = expected.U.map((row) => row.map((v, j) => (j === 1 ? 1.01 * v : v)));
    const badU = checkSvd(X, { ...expected, U }, expected);
    expect(badU.score).toBe(0);
    expect(badU.message).toMatch(/^the columns of U are not orthonormal: entry \(1, 1\) of UᵀU is off from the identity by 0\.0201/m);
    const S = expected.S.map((s, i) => (i === 2 ? s + 1e-6 * expected.S[0] : s));
    expect(checkSvd(X, { ...expected, S }, expected).message).toMatch(/^singular values: S\[2\] is .*, expected .*; 1 of 6 differ/m);
    expect(checkSvd(X, { ...expected, V: expected.V.slice(1) }, expected).message).toBe("V is 5×6; expected 6×6 (d×r with r = min(n, d) = 6: V's columns are the right singular vectors)");
    expect(checkSvd(X, { ...expected, U: expected.U.slice(1) }, expected).message).toMatch(/^U is 8×6; expected 9×6/);
  });

  it('rejects a decomposition that does not rebuild X', () => {
    const V = expected.V.map((row, i) => row.map((v, j) => (i === 0 && j === 0 ? -v : v)));
    const verdict = checkSvd(X, { ...expected, V }, expected);
    expect(verdict.score).toBe(0);
    expect(verdict.message).toMatch(/U·diag\(S\)·Vᵀ does not rebuild X/);
  });
});

describe('checkLowRank', () => {
  const X = rng.matrix(12, 8);
  const k = 3;
  const expected = reference.lowRankApprox(X, k);

  it('accepts the optimum and rejects a rank-k answer that is not optimal, with both errors in the message', () => {
    expect(checkLowRank(X, k, expected, expected).verdict.score).toBe(1);
    const Q = orthonormalRows(rng, k, 8);
    const projected = matMul(matMul(X, transpose(Q)), Q);
    const { verdict, error, optimum } = checkLowRank(X, k, projected, expected);
    expect(verdict.score).toBe(0);
    expect(error).toBeGreaterThan(optimum);
    expect(verdict.message).toContain(`your rank-3 error ‖X − X_k‖²_F is`);
    expect(verdict.message).toContain('the Eckart–Young optimum is');
    expect(randomProjectionError(X, k, createRng('r'))).toBeGreaterThan(optimum);
  });

  it('rejects an answer of rank above k', () => {
    const { verdict } = checkLowRank(X, k, reference.lowRankApprox(X, k + 1), expected);
    expect(verdict.message).toMatch(/the answer has rank above k = 3: its singular value number 4 is/);
  });
});

describe('checkPca', () => {
  const X = offsetData(rng, 30, 5, [3, 2, 1, 0.5, 0.2]);
  const expected = reference.pca(X, 2);

  it('accepts flipped components with their loadings flipped', () => {
    const signs = [-1, 1];
    const flipped = {
      ...expected,
      components: expected.components.map((c, i) => c.map((v) => v * signs[i])),
      loadings: flipColumns(expected.loadings, signs),
    };
    expect(checkPca(X, 2, false, flipped, expected).score).toBe(1);
  });

  it('accepts any basis of a tied pair of components, and rejects components in the wrong order', () => {
    // Two equal variances: any rotation of the top-2 directions is a correct answer. Rows
    // come in pairs ±a + 10, so centring leaves [A; −A], whose spectrum is √2 times A's.
    const A = withSpectrum(rng, 10, 4, [3, 3, 1, 0.5]);
    const T = [...A, ...A.map((row) => row.map((v) => -v))].map((row) => row.map((v) => v + 10));
    const fit = reference.pca(T, 2);
    const [c1, c2] = fit.components;
    const mixed = [c1.map((v, j) => 0.6 * v + 0.8 * c2[j]), c1.map((v, j) => -0.8 * v + 0.6 * c2[j])];
    const answer = { ...fit, components: mixed, loadings: matMul(T.map((row) => row.map((v, j) => v - fit.mean[j])), transpose(mixed)) };
    expect(checkPca(T, 2, false, answer, fit)).toMatchObject({ score: 1 });
    const swapped = { ...expected, components: [expected.components[1], expected.components[0]], loadings: expected.loadings.map(([a, b]) => [b, a]) };
    expect(checkPca(X, 2, false, swapped, expected).message).toMatch(/variance captured by each component/);
  });

  it('rejects loadings that do not match the components, and wrong ratios', () => {
    const loadings = expected.loadings.map((row) => row.map((v) => 2 * v));
    expect(checkPca(X, 2, false, { ...expected, loadings }, expected).message).toMatch(/loadings must equal Z·componentsᵀ/);
    const ratios = expected.explainedVarianceRatio.map((r) => r * 1.01);
    expect(checkPca(X, 2, false, { ...expected, explainedVarianceRatio: ratios }, expected).message).toMatch(/^explainedVarianceRatio: /m);
  });
});

describe('checkAutoencoder', () => {
  const X = offsetData(rng, 100, 6, [2, 1.5, 0.5, 0.3, 0.2, 0.1], 1);
  const centred = X.map((row) => row.map((v, j) => v - X.reduce((s, r) => s + r[j], 0) / X.length));
  const Vk = svd(centred).V.map((row) => row.slice(0, 2));

  it('accepts every optimal autoencoder, not just W1 = V_k, W2 = V_kᵀ', () => {
    // W1 = V_k·A and W2 = A⁻¹·V_kᵀ give the same f(x) = x·V_k·V_kᵀ for any invertible A.
    const A = [[2, 1], [0.5, 3]];
    const det = A[0][0] * A[1][1] - A[0][1] * A[1][0];
    const inverse = [[A[1][1] / det, -A[0][1] / det], [-A[1][0] / det, A[0][0] / det]];
    const W1 = matMul(Vk, A);
    const W2 = matMul(inverse, transpose(Vk));
    const { verdict, loss, optimum } = checkAutoencoder(X, 2, 3, { W1, W2, losses: [5, 2, loss0(centred, W1, W2)] });
    expect(verdict).toMatchObject({ score: 1 });
    expect(loss / optimum).toBeCloseTo(1, 10);
  });

  it('rejects a decoder of rank 1, and losses that are not the returned weights\' loss', () => {
    const W1 = Vk;
    const W2 = [transpose(Vk)[0], transpose(Vk)[0]];
    expect(checkAutoencoder(X, 2, 1, { W1, W2, losses: [1] }).verdict.message).toMatch(/the rows of W2 span only 1 dimension/);
    const good = { W1: Vk, W2: transpose(Vk) };
    const lossNow = loss0(centred, good.W1, good.W2);
    expect(checkAutoencoder(X, 2, 2, { ...good, losses: [9, lossNow * X.length] }).verdict.message).toMatch(/^losses\[1\] is .*, but the weights you returned have loss/m);
  });
});

function loss0(centred: Matrix, W1: Matrix, W2: Matrix): number {
  const out = matMul(matMul(centred, W1), W2);
  return centred.reduce((sum, row, i) => sum + row.reduce((s, v, j) => s + (v - out[i][j]) ** 2, 0), 0) / centred.length;
}
