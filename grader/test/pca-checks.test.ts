import { describe, expect, it } from 'vitest';
import { checkAutoencoder, checkLowRank, checkPca, checkSvd, hasGap, psnr, randomProjectionError, rankKStorage, sameSingularValue, sameSubspace, shapeOf } from '../../assignments/pca/checks.ts';
import { formatNumber } from '../src/checks/allclose.ts';
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

/**
 * The data of the autoencoder tests, made inside each test that uses it rather than in its
 * describe block: code that runs while vitest collects the tests reaches the checks' linear
 * algebra outside any test, and mutation testing would then run each of its mutants with
 * every test (docs/architecture.md, "Mutation testing").
 */
function autoencoderData(): { X: Matrix; centred: Matrix; Vk: Matrix } {
  const X = offsetData(createRng('pca-checks autoencoder'), 100, 6, [2, 1.5, 0.5, 0.3, 0.2, 0.1], 1);
  const centred = X.map((row) => row.map((v, j) => v - X.reduce((s, r) => s + r[j], 0) / X.length));
  const Vk = svd(centred).V.map((row) => row.slice(0, 2));
  return { X, centred, Vk };
}

describe('checkAutoencoder', () => {
  it('accepts every optimal autoencoder, not just W1 = V_k, W2 = V_kᵀ', () => {
    const { X, centred, Vk } = autoencoderData();
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
    const { X, centred, Vk } = autoencoderData();
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

/**
 * Each allowance made for a correct alternative gets an answer that needs it, and each check
 * gets a wrong answer that only it rejects, so that no check or allowance can be switched off
 * unnoticed (mutation testing: npm run mutation -- pca).
 */
describe('checkSvd: allowances for correct methods, and answers only one check rejects', () => {
  const X = withSpectrum(rng, 12, 8, [5, 3, 1]);
  const expected = reference.svd(X);
  const sigma1 = expected.S[0];
  const withS = (S: number[]): typeof expected => ({ ...expected, S });

  it('accepts zero singular values as √λ rounding noise (~1e-8·σ₁) in any order: their squares agree', () => {
    // Such a method's u = X·v/σ is (nearly) zero for them, so U·diag(S)·Vᵀ still rebuilds X.
    const noisy = { ...withS([...expected.S.slice(0, 3), 2.2e-8 * sigma1, 2.3e-8 * sigma1, 1.1e-8 * sigma1, 2.9e-8 * sigma1, 0]), U: expected.U.map((row) => row.map((v, j) => (j < 3 ? v : 0))) };
    expect(checkSvd(X, noisy, expected)).toMatchObject({ score: 1 });
  });

  it('rejects a zero singular value that is too large to be rounding (its square differs by more than 1e-12·σ₁²)', () => {
    const verdict = checkSvd(X, withS([...expected.S.slice(0, 3), 2e-6 * sigma1, 0, 0, 0, 0]), expected);
    expect(verdict.message).toMatch(/^singular values: S\[3\] is .*; 1 of 8 differ by more than 1e-8·σ₁$/m);
    expect(verdict.message).toMatch(/^S is not sorted from the largest down: S\[2\] = 1 < S\[3\]|^singular values/m);
  });

  it('pins the tolerance of a non-zero singular value on both sides of 1e-8·σ₁', () => {
    const at = (offset: number): number => checkSvd(X, withS(expected.S.map((s, i) => (i === 1 ? s + offset : s))), expected).score;
    expect(at(0.9e-8 * sigma1)).toBe(1);
    expect(at(1.5e-8 * sigma1)).toBe(0);
  });

  it('reports singular values that rise by more than rounding, with the place', () => {
    const swapped = { U: expected.U.map((row) => [row[1], row[0], ...row.slice(2)]), S: [expected.S[1], expected.S[0], ...expected.S.slice(2)], V: expected.V.map((row) => [row[1], row[0], ...row.slice(2)]) };
    const verdict = checkSvd(X, swapped, expected);
    expect(verdict.score).toBe(0);
    expect(verdict.message).toMatch(/^S is not sorted from the largest down: S\[0\] = 3 < S\[1\] = 5$/m);
  });

  it('reports a negative singular value (the sign belongs in U), but not a zero one that is −rounding', () => {
    const U = expected.U.map((row) => row.map((v, j) => (j === 2 ? -v : v)));
    const verdict = checkSvd(X, { ...expected, U, S: expected.S.map((s, i) => (i === 2 ? -s : s)) }, expected);
    expect(verdict.message).toMatch(/^S\[2\] = -1 is negative; singular values are ≥ 0/m);
    expect(checkSvd(X, withS(expected.S.map((s, i) => (i === 5 ? -1e-9 * sigma1 : s))), expected)).toMatchObject({ score: 1 });
  });

  it('allows vectors of small singular values the rounding of XᵀX (ε·σ₁²/(σᵢσⱼ)), and no more', () => {
    // σ₁²/(σ₃σ₄) = 2e8: a method through XᵀX may lose orthogonality of u₃ and u₄ by up to ~1e-14·2e8 = 2e-6.
    const Y = withSpectrum(rng, 10, 4, [1, 0.5, 1e-4, 5e-5]);
    const ref = reference.svd(Y);
    const tilt = (size: number): typeof ref => ({ ...ref, U: ref.U.map((row) => [row[0], row[1], row[2] + size * row[3], row[3]]) });
    expect(checkSvd(Y, tilt(5e-7), ref)).toMatchObject({ score: 1 });
    const verdict = checkSvd(Y, tilt(5e-6), ref);
    expect(verdict.message).toMatch(/^the columns of U are not orthonormal: entry \(2, 3\) of UᵀU is off from the identity by 5\.0000e-6 \(tolerance 2\.0000e-6\)$/m);
    // The allowance grows only for small σ: the same tilt between the two largest is refused.
    const big = { ...ref, V: ref.V.map((row) => [row[0], row[1] + 5e-7 * row[0], row[2], row[3]]) };
    expect(checkSvd(Y, big, ref).message).toMatch(/^the columns of V are not orthonormal: entry \(0, 1\) of VᵀV/m);
  });

  it('does not grade the vectors of zero singular values, which X does not determine', () => {
    const U = expected.U.map((row) => row.map((v, j) => (j >= 3 ? 7 * v : v)));
    expect(checkSvd(X, { ...expected, U }, expected)).toMatchObject({ score: 1 });
  });

  it('reports the residual of a decomposition that does not rebuild X, and accepts one within 1e-8', () => {
    const scaledV = (f: number): typeof expected => ({ ...expected, V: expected.V.map((row) => row.map((v, j) => (j === 0 ? v * f : v))) });
    expect(checkSvd(X, scaledV(1 + 1e-9), expected).score).toBe(1);
    expect(checkSvd(X, scaledV(1 + 1e-3), expected).message).toMatch(/U·diag\(S\)·Vᵀ does not rebuild X: ‖X − U·diag\(S\)·Vᵀ‖_F \/ ‖X‖_F = 0\.000\d+ \(tolerance 1e-8\)/);
  });

  it('names each wrong shape: S too short, U and V the wrong way round', () => {
    expect(checkSvd(X, withS(expected.S.slice(1)), expected).message).toBe('S has 7 entries; expected r = min(n, d) = 8');
    expect(checkSvd(X, { ...expected, U: transpose(expected.U) }, expected).message).toBe('U is 8×12; expected 12×8 (n×r with r = min(n, d) = 8: the thin SVD)');
  });
});

describe('hasGap and sameSubspace', () => {
  it('hasGap: a gap must exceed 1e-6·σ₁; k = 0 and k = r always have one', () => {
    expect(hasGap([4, 2, 1], 0)).toBe(true);
    expect(hasGap([4, 2, 1], 3)).toBe(true);
    expect(hasGap([4, 4, 1], 3)).toBe(true);
    expect(hasGap([4, 2, 2], 2)).toBe(false);
    expect(hasGap([4, 2, 2 - 3e-6], 2)).toBe(false);
    expect(hasGap([4, 2, 2 - 5e-6], 2)).toBe(true);
    expect(hasGap([4, 2, 1], 1)).toBe(true);
  });

  it('sameSubspace: same span at the cosine threshold; a smaller span or a rotation past it is not the same', () => {
    const Q = orthonormalRows(rng, 3, 5);
    const mixed = [Q[0].map((v, j) => 0.6 * v + 0.8 * Q[1][j]), Q[1].map((v, j) => 0.8 * v - 0.6 * Q[0][j])];
    expect(sameSubspace(mixed, Q.slice(0, 2), 0.999999)).toBe(true);
    expect(sameSubspace([Q[0], Q[0]], Q.slice(0, 2), 0.9)).toBe(false);
    expect(sameSubspace(Q.slice(0, 2), [Q[0], Q[0]], 0.9)).toBe(false);
    const tilted = [Q[0], Q[1].map((v, j) => Math.cos(0.1) * v + Math.sin(0.1) * Q[2][j])];
    expect(sameSubspace(tilted, Q.slice(0, 2), Math.cos(0.1) - 1e-9)).toBe(true);
    expect(sameSubspace(tilted, Q.slice(0, 2), Math.cos(0.1) + 1e-9)).toBe(false);
  });
});

/** The data of 'checkPca: answers only one check rejects', made in its tests (see autoencoderData). */
function pcaData(k: number) {
  const X = offsetData(createRng('pca-checks pca'), 40, 5, [3, 2, 1, 0.5, 0.2]);
  const expected = reference.pca(X, k);
  const Z = X.map((row) => row.map((v, j) => v - expected.mean[j]));
  const withComponents = (C: Matrix): typeof expected => ({ ...expected, components: C, loadings: matMul(Z, transpose(C)) });
  const [v1, v2] = expected.components;
  return { X, expected, withComponents, v1, v2, S: svd(Z).S };
}

describe('checkPca: answers only one check rejects', () => {
  const k = 2;

  it('non-orthonormal components that capture exactly σᵢ² each, in the right subspace: only orthonormality fails', () => {
    const { X, expected, withComponents, v1, v2, S } = pcaData(k);
    // c₂ = a·v₂ + b·v₁ with a²σ₂² + b²σ₁² = σ₂²: the right variance, but ‖c₂‖ < 1 and c₂·c₁ ≠ 0.
    const b = 0.1;
    const a = Math.sqrt(1 - (b * b * S[0] ** 2) / S[1] ** 2);
    const verdict = checkPca(X, k, false, withComponents([v1, v2.map((v, j) => a * v + b * v1[j])]), expected);
    expect(verdict.message).toMatch(/^the rows of components are not orthonormal: C·Cᵀ differs from the identity by up to 0\.1/);
    expect(verdict.message.split('\n')).toHaveLength(1);
  });

  it('accepts rows orthonormal to 1e-8, and refuses 1e-7', () => {
    const { X, expected, withComponents, v1, v2 } = pcaData(k);
    const scaled = (f: number): Matrix => [v1, v2.map((v) => v * f)];
    expect(checkPca(X, k, false, { ...withComponents(scaled(1 + 4e-9)), explainedVarianceRatio: expected.explainedVarianceRatio }, expected).message).not.toMatch(/not orthonormal/);
    expect(checkPca(X, k, false, withComponents(scaled(1 + 1e-7)), expected).message).toMatch(/not orthonormal/);
  });

  it('a slightly rotated subspace whose captured variances are within tolerance: only the principal angles fail', () => {
    // σ₂ and σ₃ close (but apart by more than hasGap's 1e-6·σ₁): turning v₂ towards v₃ by
    // 3e-4 rad changes ‖Z·c₂‖² by only t²(σ₂² − σ₃²), far below 1e-8·σ₁², but cos t < 1 − 1e-8.
    const A = withSpectrum(rng, 10, 4, [3, 2, 1.99, 0.5]);
    const T = [...A, ...A.map((row) => row.map((v) => -v))];
    const fit = reference.pca(T, 2);
    const basis = svd(T).V;
    const [w1, w2, w3] = [0, 1, 2].map((j) => basis.map((row) => row[j]));
    const t = 3e-4;
    const turned = [w1, w2.map((v, j) => Math.cos(t) * v + Math.sin(t) * w3[j])];
    const verdict = checkPca(T, 2, false, { ...fit, components: turned, loadings: matMul(T, transpose(turned)) }, fit);
    expect(verdict.message).toMatch(/^your components span a different subspace from the top-2 principal directions: the smallest principal-angle cosine is 1 − 4\.\d+e-8 \(it must be within 1e-8 of 1\)$/);
  });

  it('checks the mean to 1e-9 relative and the scale exactly as the population SD (1 for a constant column)', () => {
    const { X, expected } = pcaData(k);
    const mean = expected.mean.map((m, i) => (i === 0 ? m * (1 + 1e-7) : m));
    expect(checkPca(X, k, false, { ...expected, mean }, expected).message).toMatch(/^mean\[0\]: expected/m);
    expect(checkPca(X, k, false, { ...expected, mean: expected.mean.map((m) => m * (1 + 1e-11)) }, expected).score).toBe(1);
    const scale = expected.scale.map((s, i) => (i === 1 ? 1.001 : s));
    expect(checkPca(X, k, false, { ...expected, scale }, expected).message).toMatch(/^scale\[1\]: expected 1, got 1\.001/m);
  });

  it('names components as columns, and the wrong number of loadings or ratios', () => {
    const { X, expected, v1 } = pcaData(k);
    expect(checkPca(X, k, false, { ...expected, components: transpose(expected.components) }, expected).message).toMatch(/^components is 5×2; expected 2×5 \(k×d: one principal direction per row; yours has them as columns\)$/m);
    expect(checkPca(X, k, false, { ...expected, components: [v1] }, expected).message).toMatch(/^components is 1×5; expected 2×5 \(k×d: one principal direction per row\)$/m);
    expect(checkPca(X, k, false, { ...expected, loadings: expected.loadings.slice(1) }, expected).message).toMatch(/^loadings is 39×2; expected 40×2/m);
    expect(checkPca(X, k, false, { ...expected, explainedVarianceRatio: [0.5] }, expected).message).toMatch(/^explainedVarianceRatio has 1 entries; expected k = 2$/m);
  });

  it('skips the principal angles where the top-k subspace is not unique (a tie at σ_k = σ_{k+1})', () => {
    const A = withSpectrum(rng, 10, 4, [3, 2, 2, 0.5]);
    const T = [...A, ...A.map((row) => row.map((v) => -v))];
    const fit = reference.pca(T, 2);
    const Tc = T.map((row) => row.map((v, j) => v - fit.mean[j]));
    const basis = svd(Tc).V;
    const [w1, w2, w3] = [0, 1, 2].map((j) => basis.map((row) => row[j]));
    const other = [w1, w2.map((v, j) => 0.6 * v + 0.8 * w3[j])];
    expect(checkPca(T, 2, false, { ...fit, components: other, loadings: matMul(Tc, transpose(other)) }, fit)).toMatchObject({ score: 1 });
  });
});

describe('checkAutoencoder: answers only one check rejects', () => {
  it('a consistent autoencoder with the right decoder subspace but a suboptimal encoder: only the 2 % test fails', () => {
    const { X, centred, Vk } = autoencoderData();
    const W1 = Vk.map((row) => row.map((v) => 0.9 * v));
    const W2 = transpose(Vk);
    const loss = loss0(centred, W1, W2);
    const { verdict, optimum } = checkAutoencoder(X, 2, 1, { W1, W2, losses: [loss] });
    expect(loss / optimum).toBeGreaterThan(1.02);
    expect(verdict.message).toMatch(/^the trained autoencoder's loss is .*× the optimum .* that PCA reaches \(Eckart–Young: Σ_\{i>2\} σᵢ² \/ n\); it must be within 2 %$/);
  });

  it('pins the 2 % slack on both sides', () => {
    const { X, centred, Vk } = autoencoderData();
    // Scaling the encoder by f adds (1 − f)²·(σ₁² + σ₂²)/n to the optimum; pick f for 1.5 % and 2.5 %.
    const S = svd(centred).S;
    const optimum = S.slice(2).reduce((sum, s) => sum + s * s, 0) / X.length;
    const top = (S[0] ** 2 + S[1] ** 2) / X.length;
    const at = (excess: number): number => {
      const W1 = Vk.map((row) => row.map((v) => (1 - Math.sqrt((excess * optimum) / top)) * v));
      const W2 = transpose(Vk);
      return checkAutoencoder(X, 2, 1, { W1, W2, losses: [loss0(centred, W1, W2)] }).verdict.score;
    };
    expect(at(0.015)).toBe(1);
    expect(at(0.025)).toBe(0);
  });

  it('a decoder off the principal subspace with a cosine below 0.99 fails the subspace test, with the cosines', () => {
    const { X, centred } = autoencoderData();
    const V = svd(centred).V;
    const t = 0.2; // cos 0.2 ≈ 0.980
    const W2 = [V.map((row) => row[0]), V.map((row, i) => Math.cos(t) * row[1] + Math.sin(t) * V[i][3])];
    const W1 = transpose(W2);
    const { verdict } = checkAutoencoder(X, 2, 1, { W1, W2, losses: [loss0(centred, W1, W2)] });
    expect(verdict.message).toMatch(/the rows of W2 do not span the top-2 principal subspace: principal-angle cosines 1, 0\.98\d+ \(each must be ≥ 0\.99\)/);
  });

  it('names wrong shapes and a wrong number of losses', () => {
    const { X, Vk } = autoencoderData();
    const W1 = Vk;
    const W2 = transpose(Vk);
    expect(checkAutoencoder(X, 2, 1, { W1: W2, W2, losses: [1] }).verdict.message).toBe('W1 is 2×6; expected 6×2 (d×k: the encoder)');
    expect(checkAutoencoder(X, 2, 1, { W1, W2: W1, losses: [1] }).verdict.message).toBe('W2 is 6×2; expected 2×6 (k×d: the decoder)');
    expect(checkAutoencoder(X, 2, 3, { W1, W2, losses: [1] }).verdict.message).toBe('losses has 1 entries; expected one per step (3)');
  });

  it('allows losses[last] within 5 % of the returned weights\' loss', () => {
    const { X, centred, Vk } = autoencoderData();
    const W1 = Vk;
    const W2 = transpose(Vk);
    const loss = loss0(centred, W1, W2);
    expect(checkAutoencoder(X, 2, 1, { W1, W2, losses: [loss * 1.04] }).verdict.score).toBe(1);
    expect(checkAutoencoder(X, 2, 1, { W1, W2, losses: [loss * 1.06] }).verdict.score).toBe(0);
  });
});

describe('pca checks: edges and exact messages', () => {
  it('sameSingularValue: 1e-8·σ₁ apart, or squares 1e-12·σ₁² apart (σ₁ = 10)', () => {
    expect(sameSingularValue(5 + 0.9e-7, 5, 10)).toBe(true);
    expect(sameSingularValue(5 + 1.1e-7, 5, 10)).toBe(false);
    // Near zero: 7.2e-6 and 7e-6 are 2e-7 apart (> 1e-7) but their squares 2.8e-12 (< 1e-10).
    expect(sameSingularValue(7.2e-6, 7e-6, 10)).toBe(true);
    expect(sameSingularValue(7.2e-5, 7e-5, 10)).toBe(false);
  });

  it('svd: the rise is reported where S goes up by more than rounding, and the first value out of place', () => {
    const X = withSpectrum(rng, 6, 4, [5, 3.5, 3.5, 1]);
    const ref = reference.svd(X);
    const verdict = checkSvd(X, { ...ref, S: [5, 3, 3.5, 3.5] }, ref);
    expect(verdict.message).toMatch(/^S is not sorted from the largest down: S\[1\] = 3 < S\[2\] = 3\.5$/m);
    expect(verdict.message).toMatch(/^singular values: S\[1\] is 3, expected 3\.5 \(off by 0\.5\); 2 of 4 differ by more than 1e-8·σ₁$/m);
    expect(verdict).toMatchObject({ score: 0, details: { wrongSingularValues: 2 } });
  });

  it('svd: a negative first singular value is reported', () => {
    const X = withSpectrum(rng, 6, 4, [5, 3, 2, 1]);
    const ref = reference.svd(X);
    const U = ref.U.map((row) => row.map((v, j) => (j === 0 ? -v : v)));
    expect(checkSvd(X, { ...ref, U, S: ref.S.map((s, i) => (i === 0 ? -s : s)) }, ref).message).toMatch(/^S\[0\] = -5 is negative/m);
  });

  it('svd: the vectors of zero singular values (below 1e-8·σ₁: here 2e-8 with σ₁ = 5) are free, even parallel to u₁', () => {
    const X = withSpectrum(rng, 10, 5, [5, 3, 1]);
    const ref = reference.svd(X);
    const U = ref.U.map((row) => row.map((v, j) => (j >= 3 ? row[0] : v)));
    expect(checkSvd(X, { ...ref, U }, ref)).toMatchObject({ score: 1 });
    const Y = withSpectrum(rng, 10, 5, [5, 3, 2e-8]);
    const refY = reference.svd(Y);
    const UY = refY.U.map((row) => row.map((v, j) => (j === 2 ? row[0] : v)));
    expect(checkSvd(Y, { ...refY, U: UY }, refY)).toMatchObject({ score: 1 });
  });

  it('svd: with σ₁ = 10, the allowance for small σ is 1e-14·σ₁²/(σᵢσⱼ), and the worst entry is named first among ties', () => {
    const Y = withSpectrum(rng, 10, 4, [10, 5, 1e-3, 5e-4]);
    const ref = reference.svd(Y);
    const tilt = (size: number): typeof ref => ({ ...ref, U: ref.U.map((row) => [row[0], row[1], row[2] + size * row[3], row[3]]) });
    expect(checkSvd(Y, tilt(1.5e-6), ref)).toMatchObject({ score: 1 });
    expect(checkSvd(Y, tilt(3e-6), ref).message).toMatch(/entry \(2, 3\) of UᵀU is off from the identity by 3\.0000e-6 \(tolerance 2\.0000e-6\)$/m);
    // Columns of the identity, two of them scaled alike: equal errors at (0, 0) and (1, 1).
    const I = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 0]];
    const X = I.map((row) => row.map((v, j) => v * [3, 2, 1][j]));
    const exact = { U: I, S: [3, 2, 1], V: [[1, 0, 0], [0, 1, 0], [0, 0, 1]] };
    const scaled = { ...exact, U: I.map((row) => row.map((v, j) => (j < 2 ? 1.01 * v : v))) };
    const verdict = checkSvd(X, scaled, exact);
    expect(verdict.message).toMatch(/^the columns of U are not orthonormal: entry \(0, 0\) of UᵀU/m);
    expect(verdict.details).toMatchObject({ uError: expect.closeTo(0.0201, 12) as number });
    expect(verdict.details).toHaveProperty('residual');
  });

  it('lowRank: shapes, the allowance for an optimum of 0, and the rank test at 1e-8·σ₁ plus what the stated tolerance allows', () => {
    const X = withSpectrum(rng, 12, 8, [5, 3, 1]).map((row) => row.map((v) => 16 * v));
    const full = checkLowRank(X, 3, X.slice(1), X);
    expect(full.verdict.message).toBe('the approximation is 11×8; expected 12×8 (the same shape as X)');
    expect(checkLowRank(X, 3, [], X).verdict.message).toBe('the approximation is 0×0; expected 12×8 (the same shape as X)');
    expect(checkLowRank(X, 3, X.map((row) => row.slice(1)), X).verdict.message).toBe('the approximation is 12×7; expected 12×8 (the same shape as X)');
    // k = rank: the optimum is 0, and an answer off by 1e-7 of X has error 1e-14·‖X‖² ≤ 1e-12·‖X‖².
    expect(checkLowRank(X, 3, X.map((row) => row.map((v) => v * (1 + 1e-7))), X).verdict).toMatchObject({ score: 1 });
    // A hidden rank-4 part of size 1e-8 (below 1e-8·σ₁ = 8e-7) is rounding; 1e-3 is a fourth
    // component. With a gap after σ_k, the bound also allows what an answer within the
    // entry-wise tolerance (rtol 1e-6, atol 1e-7·rms) can have: the Frobenius norm of the
    // tolerances, about 1e-4 here.
    const u = orthonormalRows(rng, 1, 12)[0];
    const v = orthonormalRows(rng, 1, 8)[0];
    const plus = (size: number): Matrix => X.map((row, i) => row.map((x, j) => x + size * u[i] * v[j]));
    expect(checkLowRank(X, 3, plus(1e-8), X).verdict).toMatchObject({ score: 1 });
    const S0 = svd(X).S[0];
    const rank = checkLowRank(X, 3, plus(1e-3), X).verdict;
    const rms = Math.sqrt(X.flat().reduce((sum, x) => sum + x * x, 0) / 96);
    const slack = Math.sqrt(X.flat().reduce((sum, x) => sum + (1e-7 * rms + 1e-6 * Math.abs(x)) ** 2, 0));
    expect(rank.message).toMatch(new RegExp(`^the answer has rank above k = 3: its singular value number 4 is 0\\.000\\d{6} \\(should be ≈ 0, at most ${formatNumber(1e-8 * S0 + slack).replace('.', '\\.')}\\)$`, 'm'));
    expect((rank.details as { extraSingularValue: number }).extraSingularValue).toBeGreaterThan(1e-8 * S0 + slack);
  });

  it('lowRank: with a tie at σ_k = σ_{k+1} any optimal answer passes; with a gap, 1e-5 off the optimum fails however small its extra error', () => {
    const X = withSpectrum(rng, 12, 8, [10, 3, 3, 1]);
    const { U, S, V } = svd(X);
    const rankTwo = (uCols: number[][], vCols: number[][]): Matrix => X.map((_, i) => X[0].map((__, j) => S[0] * U[i][0] * V[j][0] + 3 * uCols[0][i] * vCols[0][j]));
    const u = (j: number): number[] => U.map((row) => row[j]);
    const w = (j: number): number[] => V.map((row) => row[j]);
    const one = rankTwo([u(1)], [w(1)]);
    const other = rankTwo([u(2)], [w(2)]);
    expect(checkLowRank(X, 2, other, one).verdict).toMatchObject({ score: 1 });
    // 5e-8 above the optimum 10 passes (tolerance 1e-8·10 = 1e-7); 5e-7 does not.
    const Xk = one;
    const normSq = Xk.flat().reduce((sum, x) => sum + x * x, 0);
    const above = (excess: number): Matrix => Xk.map((row) => row.map((x) => x * (1 + Math.sqrt(excess / normSq))));
    expect(checkLowRank(X, 2, above(5e-8), one).verdict).toMatchObject({ score: 1 });
    const far = checkLowRank(X, 2, above(5e-7), one).verdict;
    expect(far.message).toMatch(/^your rank-2 error ‖X − X_k‖²_F is 10; the Eckart–Young optimum is 10 \(the sum of σᵢ² for i > 2\)$/m);
    expect(far.details).toMatchObject({ optimum: expect.closeTo(10, 9) as number });
    const Y = withSpectrum(rng, 12, 8, [10, 3, 1]);
    const Yk = reference.lowRankApprox(Y, 2);
    expect(checkLowRank(Y, 2, Yk.map((row) => row.map((x) => x * (1 + 1e-5))), Yk).verdict.message).toMatch(/^X_k\[0\]\[0\]: expected/m);
  });

  it('psnr, storage and random projections', () => {
    expect(psnr(255 * 255 * 6, 2, 3)).toBe(0);
    expect(psnr((255 * 255 * 6) / 100, 2, 3)).toBeCloseTo(20, 12);
    expect(rankKStorage(5, 204, 256)).toBe(2305);
    const X = rng.matrix(6, 4);
    const total = X.flat().reduce((sum, x) => sum + x * x, 0);
    expect(randomProjectionError(X, 0, createRng('p'))).toBe(total);
    expect(randomProjectionError(X, 4, createRng('p'))).toBeLessThan(1e-20 + 1e-12 * total);
    const byHand = (seed: string, draws: number): number => {
      const r = createRng(seed);
      let sum = 0;
      for (let t = 0; t < draws; t++) {
        const Q = orthonormalRows(r, 2, 4);
        const P = matMul(matMul(X, transpose(Q)), Q);
        sum += X.reduce((acc, row, i) => acc + row.reduce((a, x, j) => a + (x - P[i][j]) ** 2, 0), 0);
      }
      return sum / draws;
    };
    expect(randomProjectionError(X, 2, createRng('p'), 1)).toBeCloseTo(byHand('p', 1), 12);
    expect(randomProjectionError(X, 2, createRng('p'), 2)).toBeCloseTo(byHand('p', 2), 12);
    expect(shapeOf([])).toBe('0×0');
  });

  it('sameSubspace needs both row sets independent', () => {
    const Q = orthonormalRows(rng, 2, 5);
    expect(sameSubspace([Q[0], Q[0]], [Q[0]], 0.9)).toBe(false);
    expect(sameSubspace([Q[0]], [Q[0], Q[0]], 0.9)).toBe(false);
    expect(sameSubspace([Q[0]], [Q[0]], 0.9)).toBe(true);
    expect(hasGap([1, 1e-6, 0], 2)).toBe(false);
  });

  it('pca: exact messages for ratios, loadings and captured variance; the mean tolerance scales with the data', () => {
    const A = withSpectrum(rng, 10, 4, [3, 2, 1, 0.5]).map((row) => row.map((v) => 1000 * v));
    const X = [...A, ...A.map((row) => row.map((v) => -v))];
    const fit = reference.pca(X, 2);
    expect(checkPca(X, 2, false, { ...fit, explainedVarianceRatio: [fit.explainedVarianceRatio[0] * 1.01, fit.explainedVarianceRatio[1]] }, fit).message).toMatch(/^explainedVarianceRatio: explainedVarianceRatio\[0\]: expected/m);
    expect(checkPca(X, 2, false, { ...fit, loadings: fit.loadings.map((row) => [row[0] + 1, row[1]]) }, fit).message).toMatch(/^loadings must equal Z·componentsᵀ \(with your components\): loadings\[0\]\[0\]: expected/m);
    const swapped = { ...fit, components: [fit.components[1], fit.components[0]], loadings: fit.loadings.map(([a, b]) => [b, a]) };
    const verdict = checkPca(X, 2, false, swapped, fit);
    expect(verdict.message).toMatch(/^variance captured by each component \(‖Z·cᵢ‖², which must equal σᵢ² of Z in order\): captured\[0\]: expected/m);
    expect(verdict.score).toBe(0);
    // The true means are 0 (rows come in ± pairs); max |x| is ~1e3, so an error of 5e-10 is within 1e-12·max|x|.
    expect(checkPca(X, 2, false, { ...fit, mean: fit.mean.map((m) => m + 5e-13 * Math.max(...X.flat().map(Math.abs))) }, fit).message).not.toMatch(/mean/);
    expect(checkPca(X, 2, false, { ...fit, components: [] }, fit).message).toMatch(/^components is 0×0; expected 2×4 \(k×d: one principal direction per row\)$/m);
    const square = { ...fit, components: [fit.components[0], fit.components[1], fit.components[0], fit.components[1]] };
    expect(checkPca(X, 2, false, square, fit).message).toMatch(/^components is 4×4; expected 2×4 \(k×d: one principal direction per row\)$/m);
    expect(checkPca(X, 2, false, { ...fit, loadings: fit.loadings.slice(1) }, fit).message).toMatch(/^loadings is 19×2; expected 20×2 \(n×k: one loading vector per example\)$/m);
    const turned = checkPca(X, 2, false, { ...fit, components: [fit.components[0], fit.components[0]] }, fit);
    expect(turned.details).toHaveProperty('rowsError');
  });

  it('autoencoder: a decoder of rank 2 for k = 3 says "2 dimensions"; the ratio to the optimum is printed', () => {
    const X = offsetData(rng, 80, 5, [2, 1.5, 1, 0.3, 0.1], 1);
    const centred = X.map((row) => row.map((v, j) => v - X.reduce((s, r) => s + r[j], 0) / X.length));
    const V = svd(centred).V;
    const v = (j: number): number[] => V.map((row) => row[j]);
    const W2 = [v(0), v(1), v(0)];
    const W1 = transpose(W2);
    const loss = loss0(centred, W1, W2);
    const { verdict, optimum } = checkAutoencoder(X, 3, 1, { W1, W2, losses: [loss] });
    expect(verdict.message).toMatch(/^the rows of W2 span only 2 dimensions; the decoder must span the top-3 principal subspace$/m);
    expect(verdict.message).toContain(`the trained autoencoder's loss is ${formatNumber(loss)}, ${formatNumber(loss / optimum)}× the optimum`);
    expect(verdict.details).toMatchObject({ loss: expect.closeTo(loss, 9) as number, optimum, cosines: [expect.closeTo(1, 9), expect.closeTo(1, 9)] });
  });
});

describe('checkPca on large inputs', () => {
  it('checks a 1000×200 matrix (200,000 entries, more than one call can take as arguments) without crashing', () => {
    const X = offsetData(createRng('pca-checks large'), 1000, 200, Array.from({ length: 200 }, (_, j) => 1 / (j + 1)));
    const fit = reference.pca(X, 2);
    expect(checkPca(X, 2, false, fit, fit)).toMatchObject({ score: 1 });
    expect(checkPca(X, 2, false, { ...fit, mean: fit.mean.map((m, j) => (j === 0 ? m + 1e-3 : m)) }, fit).message).toMatch(/^mean\[0\]: expected/m);
  });
});
