import { describe, expect, it } from 'vitest';
import assignment from '../../assignments/pca/assignment.ts';
import {
  AUTOENCODER_LOSS_SLACK,
  AUTOENCODER_MIN_COSINE,
  autoencoderLoss,
  checkAutoencoder,
  checkLowRank,
  checkPca,
  checkSvd,
  psnr,
  randomProjectionError,
  rankKStorage,
  sameSingularValue,
  sameSubspace,
  topDirections,
} from '../../assignments/pca/checks.ts';
import { offsetData, orthonormalRows, withSpectrum } from '../../assignments/pca/data.ts';
import * as autoencoderNotCentred from '../../assignments/pca/mistakes/autoencoder-not-centred.ts';
import * as componentsAsColumns from '../../assignments/pca/mistakes/components-as-columns.ts';
import * as eckartYoungFromK from '../../assignments/pca/mistakes/eckart-young-from-k.ts';
import * as eckartYoungSigma from '../../assignments/pca/mistakes/eckart-young-sigma.ts';
import * as genesNotCentred from '../../assignments/pca/mistakes/genes-not-centred.ts';
import * as loadingsWithoutSigma from '../../assignments/pca/mistakes/loadings-without-sigma.ts';
import * as lowRankKeepsExtra from '../../assignments/pca/mistakes/low-rank-keeps-extra.ts';
import * as pcaNotCentred from '../../assignments/pca/mistakes/pca-not-centred.ts';
import * as pcaRoundingResidue from '../../assignments/pca/mistakes/pca-rounding-residue.ts';
import * as pcaSampleStd from '../../assignments/pca/mistakes/pca-sample-std.ts';
import * as reconstructForgetsMean from '../../assignments/pca/mistakes/reconstruct-forgets-mean.ts';
import * as svdAscending from '../../assignments/pca/mistakes/svd-ascending.ts';
import * as varianceStrictInequality from '../../assignments/pca/mistakes/variance-strict-inequality.ts';
import { digitReconstructions, genesMap, lossCurve } from '../../assignments/pca/pictures.ts';
import * as reference from '../../solutions/pca/pca.ts';
import type { CallRecord, CheckContext, ProblemSpec } from '../src/assignment/define.ts';
import { caseContext } from '../src/cases/calls.ts';
import { createRng } from '../src/cases/rng.ts';
import { allClose, formatNumber } from '../src/checks/allclose.ts';
import type { Verdict } from '../src/checks/verdict.ts';
import { generateDigits } from '../src/data/digits.ts';
import { sampleMnist } from '../src/data/mnist.ts';
import { generateGenotypes } from '../src/data/genotypes.ts';
import { loadIris } from '../src/data/iris.ts';
import { PHOTO_CREDIT } from '../src/data/photo.ts';
import { centerColumns, type Matrix, matMul, transpose } from '../src/linalg/dense.ts';
import { principalCosines, procrustes } from '../src/linalg/subspace.ts';
import { singularValues, svd } from '../src/linalg/svd.ts';

/**
 * The pca assignment's own checks and mistake detectors (assignment.ts), called directly
 * with hand-made contexts: each check passes the reference with full score and fails an
 * answer that only it rejects, with a message naming the right thing; each detector fires
 * on its mistake's output (computed by the mistake module) and stays silent on the
 * reference, on other wrong answers and where the mistake cannot show. Small inputs only,
 * so that mutation testing can run these in milliseconds.
 */

const SEED = 'pca-assignment-checks';
const rng = createRng(SEED);
const fmt = formatNumber;

type Call = CallRecord<unknown[], unknown>;
interface Where {
  caseName?: string;
  visible?: boolean;
  seed?: string;
}

function problemNamed(name: string): ProblemSpec {
  const found = assignment.problems.find((p) => p.export === name);
  if (!found) throw new Error(`no problem ${name}`);
  return found;
}

function context(calls: Call[], { caseName = 'a case', visible = false, seed = SEED }: Where = {}): CheckContext<unknown[], unknown> {
  return caseContext(calls, caseName, visible, seed);
}

async function check(problem: string, calls: Call[], where: Where = {}): Promise<Verdict> {
  return problemNamed(problem).check(context(calls, where));
}

function matches(problem: string, mistake: string, calls: Call[], where: Where = {}): boolean {
  const found = problemNamed(problem).mistakes?.find((m) => m.id === mistake);
  if (!found) throw new Error(`no mistake ${mistake}`);
  return found.matches(context(calls, where));
}

const one = (args: unknown[], output: unknown, expected: unknown): Call[] => [{ args, output, expected }];
const scaleMatrix = (M: Matrix, f: number): Matrix => M.map((row) => row.map((v) => v * f));

/** Mean over rows of ‖x − x·W1·W2‖² on centred data, by hand. */
function autoencoderLossByHand(Xc: Matrix, W1: Matrix, W2: Matrix): number {
  const out = matMul(matMul(Xc, W1), W2);
  return Xc.reduce((sum, row, i) => sum + row.reduce((s, v, j) => s + (v - out[i][j]) ** 2, 0), 0) / Xc.length;
}

describe('svd: check', () => {
  const X = rng.matrix(6, 4);
  const ref = reference.svd(X);
  const BOSTON = 'Boston housing, standardized (506×12)';

  it('gives the reference full score; only a visible Boston case draws the student\'s spectrum', async () => {
    expect(await check('svd', one([X], ref, ref), { caseName: 'tall 6×4', visible: true })).toEqual({ score: 1, message: 'correct' });
    expect(await check('svd', one([X], ref, ref), { caseName: BOSTON, visible: false })).toEqual({ score: 1, message: 'correct' });
    const boston = await check('svd', one([X], ref, ref), { caseName: BOSTON, visible: true });
    expect(boston).toMatchObject({ score: 1, message: 'correct' });
    expect(boston.figures?.map((f) => f.title)).toEqual(['Singular values of the standardized Boston data', 'Cumulative explained variance of the standardized Boston data']);
  });

  it('returns checkSvd\'s verdict for a wrong answer, still with the picture of its S', async () => {
    const ascending = svdAscending.svd(X);
    const verdict = await check('svd', one([X], ascending, ref), { caseName: BOSTON, visible: true });
    expect(verdict).toMatchObject({ score: 0, message: checkSvd(X, ascending, ref).message });
    expect(verdict.message).toMatch(/^S is not sorted from the largest down/m);
    expect(verdict.figures).toHaveLength(2);
  });

  it('draws nothing from an empty S', async () => {
    const verdict = await check('svd', one([X], { U: [], S: [], V: [] }, ref), { caseName: BOSTON, visible: true });
    expect(verdict.score).toBe(0);
    expect(verdict.message).toBe('U is 0×0; expected 6×4 (n×r with r = min(n, d) = 4: the thin SVD)');
    expect(verdict.figures).toBeUndefined();
  });
});

describe('svd: the svd-ascending detector', () => {
  const X = rng.matrix(6, 4);
  const ref = reference.svd(X);
  const fires = (output: unknown, expected = ref): boolean => matches('svd', 'svd-ascending', one([X], output, expected));

  it('fires on singular values (and vectors) sorted from the smallest up, and not on the reference', () => {
    expect(fires(svdAscending.svd(X))).toBe(true);
    expect(fires(ref)).toBe(false);
  });

  it('stays silent on S of the wrong length, even if its entries are the smallest ones', () => {
    expect(fires({ ...ref, S: [] })).toBe(false);
    expect(fires({ ...ref, S: [ref.S[3]] })).toBe(false);
  });

  it('stays silent on values below the reversed spectrum, and on reversed values that are off', () => {
    const reversed = [...ref.S].reverse();
    expect(fires({ ...ref, S: reversed.map((s) => s - 1) })).toBe(false);
    expect(fires({ ...ref, S: reversed.map((s, i) => (i === 1 ? s * 1.01 : s)) })).toBe(false);
  });

  it('allows 1e-8·σ₁, inclusive (σ₁ = 4), and no more', () => {
    const D = [[4, 0], [0, 0]];
    const diag = reference.svd(D);
    expect(diag.S).toEqual([4, 0]);
    const tolerance = 1e-8 * 4;
    const at = (offset: number): boolean => matches('svd', 'svd-ascending', one([D], { ...diag, S: [offset, 4] }, diag));
    expect(at(tolerance)).toBe(true);
    expect(at(1.5 * tolerance)).toBe(false);
    expect(at(0)).toBe(true);
  });

  it('stays silent where all singular values are equal: ascending is descending', () => {
    const E = [[2, 0, 0], [0, 2, 0], [0, 0, 2], [0, 0, 0]];
    const equal = reference.svd(E);
    expect(equal.S).toEqual([2, 2, 2]);
    expect(matches('svd', 'svd-ascending', one([E], svdAscending.svd(E), equal))).toBe(false);
  });
});

describe('eckartYoungError: check and detectors', () => {
  const S = [5, 3, 2, 1];
  const call = (s: number[], k: number, output: number): Call => ({ args: [s, k], output, expected: reference.eckartYoungError(s, k) });

  it('gives the reference full score on every call', async () => {
    expect(await check('eckartYoungError', [call(S, 2, 5), call(S, 0, 39), call(S, 4, 0)])).toEqual({ score: 1, message: 'correct' });
  });

  it('names the spectrum, k, the expected and the returned error of each wrong call', async () => {
    const verdict = await check('eckartYoungError', [call(S, 2, 5), call(S, 1, 13)]);
    expect(verdict.score).toBe(0);
    expect(verdict.message).toBe('for S = [5, 3, 2, 1] and k = 1: expected 14 (the sum of σᵢ² over the singular values after the first 1), got 13');
    expect((await check('eckartYoungError', [call(S, 1, 15)])).score).toBe(0);
  });

  it('allows 1e-12 of the error, or 1e-12 absolute for errors below 1, inclusive', async () => {
    const score = async (s: number[], k: number, output: number): Promise<number> => (await check('eckartYoungError', [call(s, k, output)])).score;
    // S = [10, 10, 10], k = 1: the error is 200, so 1e-12·200 = 2e-10 is allowed.
    expect(await score([10, 10, 10], 1, 200 + 1.5e-10)).toBe(1);
    expect(await score([10, 10, 10], 1, 200 - 1.5e-10)).toBe(1);
    expect(await score([10, 10, 10], 1, 200 + 3e-10)).toBe(0);
    // An error of 0 (k = r): 1e-12 is allowed, exactly.
    expect(await score([1], 1, 1e-12)).toBe(1);
    expect(await score([1], 1, 2e-12)).toBe(0);
    expect(await score([0.5, 0.5], 1, 0.25 + 0.5e-12)).toBe(1);
    expect(await score([0.5, 0.5], 1, 0.25 + 2e-12)).toBe(0);
  });

  it('eckart-young-from-k and eckart-young-sigma fire on their own mistake only', () => {
    const calls = (f: (s: number[], k: number) => number): Call[] => [call(S, 2, f(S, 2)), call(S, 3, f(S, 3))];
    expect(matches('eckartYoungError', 'eckart-young-from-k', calls(eckartYoungFromK.eckartYoungError))).toBe(true);
    expect(matches('eckartYoungError', 'eckart-young-sigma', calls(eckartYoungFromK.eckartYoungError))).toBe(false);
    expect(matches('eckartYoungError', 'eckart-young-sigma', calls(eckartYoungSigma.eckartYoungError))).toBe(true);
    expect(matches('eckartYoungError', 'eckart-young-from-k', calls(eckartYoungSigma.eckartYoungError))).toBe(false);
    expect(matches('eckartYoungError', 'eckart-young-from-k', calls(reference.eckartYoungError))).toBe(false);
    expect(matches('eckartYoungError', 'eckart-young-sigma', calls(reference.eckartYoungError))).toBe(false);
  });
});

describe('lowRankApprox: check', () => {
  const X = rng.matrix(6, 4);
  const call = (k: number, output?: Matrix): Call => ({ args: [X, k], output: output ?? reference.lowRankApprox(X, k), expected: reference.lowRankApprox(X, k) });
  /** The line the check adds for rank k, with the random projections drawn in call order from the check's generator. */
  const lineFor = (k: number, answer: Matrix, random: number, photoFacts = ''): string => {
    const { error, optimum } = checkLowRank(X, k, answer, reference.lowRankApprox(X, k));
    return `k = ${k}: your error ${fmt(error)} (optimum ${fmt(optimum)})${photoFacts}; a random rank-${k} projection of the rows gives ${fmt(random)}, ${(random / error).toFixed(1)}× more`;
  };
  const checkRng = (seed = SEED): ReturnType<typeof createRng> => createRng(`${seed}:check`);

  it('passes the reference with its error, the optimum and a random projection\'s error as the message', async () => {
    const r = checkRng();
    const random = randomProjectionError(X, 2, r);
    const verdict = await check('lowRankApprox', [call(2)], { caseName: 'random 30×20, k = 5' });
    expect(verdict).toEqual({ score: 1, message: lineFor(2, reference.lowRankApprox(X, 2), random) });
    expect(random).toBeGreaterThan(checkLowRank(X, 2, reference.lowRankApprox(X, 2), reference.lowRankApprox(X, 2)).optimum);
  });

  it('gives one line per call, in order', async () => {
    const r = checkRng();
    const first = randomProjectionError(X, 2, r);
    const second = randomProjectionError(X, 3, r);
    const verdict = await check('lowRankApprox', [call(2), call(3)]);
    expect(verdict).toEqual({ score: 1, message: `${lineFor(2, reference.lowRankApprox(X, 2), first)}\n${lineFor(3, reference.lowRankApprox(X, 3), second)}` });
  });

  it('says just "correct" for k = 0 and k = min(n, d), where no projection is compared', async () => {
    expect(await check('lowRankApprox', [call(0), call(4)])).toEqual({ score: 1, message: 'correct' });
  });

  it('fails a rank-k answer that is not optimal: the verdict, then the comparison line', async () => {
    const Q = orthonormalRows(rng, 2, 4);
    const projected = matMul(matMul(X, transpose(Q)), Q);
    const r = checkRng();
    const random = randomProjectionError(X, 2, r);
    const verdict = await check('lowRankApprox', [call(2, projected)]);
    const own = checkLowRank(X, 2, projected, reference.lowRankApprox(X, 2)).verdict;
    expect(own.score).toBe(0);
    expect(verdict.score).toBe(0);
    expect(verdict.message).toBe(`${own.message}\n${lineFor(2, projected, random)}`);
    expect(verdict.message).toMatch(/^your rank-2 error/);
  });

  it('labels each failing call with its k when there are several; an answer of the wrong shape has no line', async () => {
    const r = checkRng();
    const random = randomProjectionError(X, 3, r);
    const verdict = await check('lowRankApprox', [call(2, X.slice(1)), call(3)]);
    expect(verdict.score).toBe(0);
    expect(verdict.message).toBe(`k = 2: the approximation is 5×4; expected 6×4 (the same shape as X)\n${lineFor(3, reference.lowRankApprox(X, 3), random)}`);
  });

  describe('the photo', () => {
    const P = rng.matrix(5, 7, () => rng.uniform(0, 255));
    const photoCall = (k: number, output?: Matrix): Call => ({ args: [P, k], output: output ?? reference.lowRankApprox(P, k), expected: reference.lowRankApprox(P, k) });
    const PHOTO = 'the photo (204×256) at k = 5, 20 and 50';

    it('adds PSNR and storage to each line, and draws the photo with the finite approximations', async () => {
      const r = checkRng();
      const lines = [1, 2].map((k) => {
        const answer = reference.lowRankApprox(P, k);
        const { error, optimum } = checkLowRank(P, k, answer, answer);
        const random = randomProjectionError(P, k, r);
        return { k, error, text: `k = ${k}: your error ${fmt(error)} (optimum ${fmt(optimum)}), PSNR ${psnr(error, 5, 7).toFixed(1)} dB, storage ${rankKStorage(k, 5, 7)} numbers instead of 35; a random rank-${k} projection of the rows gives ${fmt(random)}, ${(random / error).toFixed(1)}× more` };
      });
      const verdict = await check('lowRankApprox', [photoCall(1), photoCall(2), photoCall(3, P.slice(1))], { caseName: PHOTO, visible: true });
      expect(verdict.score).toBe(0);
      expect(verdict.message).toBe(['k = 3: the approximation is 4×7; expected 5×7 (the same shape as X)', ...lines.map((l) => l.text)].join('\n'));
      expect(verdict.figures).toHaveLength(1);
      const [figure] = verdict.figures ?? [];
      expect(figure.title).toBe('The photo and your rank-k approximations');
      const labels = lines.map((l) => `k = ${l.k}: PSNR ${psnr(l.error, 5, 7).toFixed(1)} dB, ${rankKStorage(l.k, 5, 7)} numbers (${((100 * rankKStorage(l.k, 5, 7)) / 35).toFixed(1)} % of 35)`);
      expect(figure.caption).toBe(`Left to right, top to bottom: the original (5×7); ${labels.join('; ')}. ${PHOTO_CREDIT}`);
    });

    it('draws nothing for a hidden photo case or a visible case that is not the photo, and keeps the message', async () => {
      const hidden = await check('lowRankApprox', [photoCall(1)], { caseName: PHOTO, visible: false });
      expect(hidden.figures).toBeUndefined();
      expect(hidden.message).toMatch(/^k = 1: .*, PSNR .* dB, storage 13 numbers instead of 35; a random rank-1 projection/);
      const other = await check('lowRankApprox', [photoCall(1)], { caseName: 'random 30×20, k = 5', visible: true });
      expect(other.figures).toBeUndefined();
      expect(other.message).not.toMatch(/PSNR/);
      expect(other.score).toBe(1);
    });
  });

  it('low-rank-keeps-extra fires on rank k + 1, even 5e-7 off everywhere (a less accurate SVD; 1e-6 absolute is allowed), and not on the reference', () => {
    const calls = (f: (M: Matrix, k: number) => Matrix): Call[] => [call(2, f(X, 2))];
    expect(matches('lowRankApprox', 'low-rank-keeps-extra', calls(lowRankKeepsExtra.lowRankApprox))).toBe(true);
    expect(matches('lowRankApprox', 'low-rank-keeps-extra', calls((M, k) => lowRankKeepsExtra.lowRankApprox(M, k).map((row) => row.map((v) => v + 5e-7))))).toBe(true);
    expect(matches('lowRankApprox', 'low-rank-keeps-extra', calls((M, k) => lowRankKeepsExtra.lowRankApprox(M, k).map((row) => row.map((v) => v + 1e-4))))).toBe(false);
    expect(matches('lowRankApprox', 'low-rank-keeps-extra', calls(reference.lowRankApprox))).toBe(false);
  });
});

describe('pca: check', () => {
  const X = offsetData(rng, 20, 5, [3, 2, 1, 0.5, 0.2]);
  const ref = reference.pca(X, 2);

  it('returns checkPca\'s verdict, with no figure for a hidden case or one without a picture', async () => {
    expect(await check('pca', one([X, 2], ref, ref), { caseName: 'offset data 40×6, k = 2', visible: true })).toEqual(checkPca(X, 2, false, ref, ref));
    expect(await check('pca', one([X, 2], ref, ref), { caseName: 'iris, k = 2', visible: false })).toEqual({ score: 1, message: 'correct' });
    const wrong = { ...ref, scale: ref.scale.map((s) => 2 * s) };
    const verdict = await check('pca', one([X, 2], wrong, ref), { caseName: 'random data, standardized or not' });
    expect(verdict).toEqual(checkPca(X, 2, false, wrong, ref));
    expect(verdict.message).toMatch(/^scale\[0\]: expected 1, got 2/);
  });

  it('passes standardize on to the checks (default false)', async () => {
    const standardizedFit = reference.pca(X, 2, true);
    expect((await check('pca', one([X, 2, true], standardizedFit, standardizedFit))).score).toBe(1);
    expect((await check('pca', one([X, 2], standardizedFit, ref))).message).toMatch(/^scale\[0\]: expected 1/);
  });

  it('draws the iris scatter, the eigen-digits and the Boston explained variance for their visible cases', async () => {
    const iris = loadIris().X;
    const irisFit = reference.pca(iris, 2);
    const irisVerdict = await check('pca', one([iris, 2], irisFit, irisFit), { caseName: 'iris, k = 2', visible: true });
    expect(irisVerdict).toMatchObject({ score: 1, message: 'correct' });
    expect(irisVerdict.figures?.map((f) => f.title)).toEqual(['Iris flowers on their first two loading variables']);

    // Any 784-pixel images will do for the figure; generated ones spare this test (and every
    // mutant run that reaches it) parsing MNIST's 21 MB of JSON.
    const digits = generateDigits(createRng('digits'), 20, { size: 28 }).images;
    const digitsFit = reference.pca(digits, 3);
    const digitsVerdict = await check('pca', one([digits, 3], digitsFit, digitsFit), { caseName: 'MNIST digits 200×784, k = 8', visible: true });
    expect(digitsVerdict.score).toBe(1);
    expect(digitsVerdict.figures?.map((f) => f.title)).toEqual(['Your top principal components of the digit images ("eigen-digits")']);

    const bostonFit = reference.pca(X, 5, true);
    const boston = await check('pca', one([X, 5, true], bostonFit, bostonFit), { caseName: 'Boston housing, standardized, all 12 components', visible: true });
    expect(boston.score).toBe(1);
    expect(boston.figures?.map((f) => f.title)).toEqual(['Explained variance of the standardized Boston data']);
  });
});

describe('pca: detectors', () => {
  const X = offsetData(rng, 20, 5, [3, 2, 1, 0.5, 0.2]);
  const k = 2;
  const ref = reference.pca(X, k);
  /** Columns on very different scales, one of them constant: standardizing matters. */
  const W = offsetData(rng, 20, 5, [3, 2, 1, 0.5, 0.2]).map((row) => row.map((v, j) => (j === 0 ? 7 : v * [1, 5, 0.05, 3, 10][j])));
  const standardizedRef = reference.pca(W, k, true);

  describe('components-as-columns', () => {
    const fires = (args: unknown[], output: unknown, expected: unknown = ref): boolean => matches('pca', 'components-as-columns', one(args, output, expected));

    it('fires on d×k components and not on the reference', () => {
      expect(fires([X, k], componentsAsColumns.pca(X, k))).toBe(true);
      expect(fires([X, k], ref)).toBe(false);
    });

    it('stays silent where k = d (a d×d answer looks the same either way), and on other shapes', () => {
      const full = reference.pca(X, 5);
      expect(fires([X, 5], componentsAsColumns.pca(X, 5), full)).toBe(false);
      expect(fires([X, k], { ...ref, components: componentsAsColumns.pca(X, 3).components })).toBe(false);
      expect(fires([X, k], { ...ref, components: [[1, 0], [0, 1]] })).toBe(false);
    });
  });

  describe('pca-not-centred', () => {
    const fires = (args: unknown[], output: unknown, expected: unknown = ref): boolean => matches('pca', 'pca-not-centred', one(args, output, expected));

    it('fires on the top directions of the uncentred data, standardized or not, and not on the reference', () => {
      expect(fires([X, k], pcaNotCentred.pca(X, k))).toBe(true);
      expect(fires([X, k, false], pcaNotCentred.pca(X, k, false))).toBe(true);
      expect(fires([X, k], ref)).toBe(false);
      expect(fires([W, k, true], pcaNotCentred.pca(W, k, true), standardizedRef)).toBe(true);
      expect(fires([W, k, true], standardizedRef, standardizedRef)).toBe(false);
      // Uncentred but unscaled directions are not what this mistake gives when standardizing.
      expect(fires([W, k, true], pcaNotCentred.pca(W, k, false), standardizedRef)).toBe(false);
    });

    it('stays silent where k = d: every answer spans the whole space', () => {
      expect(fires([X, 5], pcaNotCentred.pca(X, 5), reference.pca(X, 5))).toBe(false);
    });

    it('stays silent on components of the wrong shape, and on none (k = 0)', () => {
      const mistaken = pcaNotCentred.pca(X, k);
      expect(fires([X, k], { ...mistaken, components: transpose(mistaken.components) })).toBe(false);
      expect(fires([X, k], { ...mistaken, components: mistaken.components.map((row) => row.slice(1)) })).toBe(false);
      expect(fires([X, k], { ...mistaken, components: mistaken.components.slice(1) })).toBe(false);
      const none = reference.pca(X, 0);
      expect(none.components).toEqual([]);
      expect(fires([X, 0], none, none)).toBe(false);
    });
  });

  describe('pca-sample-std', () => {
    const fires = (args: unknown[], output: unknown, expected: unknown = standardizedRef): boolean => matches('pca', 'pca-sample-std', one(args, output, expected));
    const mistaken = pcaSampleStd.pca(W, k, true);

    it('fires on the sample standard deviations (a constant column keeping scale 1), and not on the reference', () => {
      expect(mistaken.scale[0]).toBe(1);
      expect(fires([W, k, true], mistaken)).toBe(true);
      expect(fires([W, k, true], standardizedRef)).toBe(false);
    });

    it('stays silent when standardizing was not asked for', () => {
      expect(fires([W, k, false], mistaken)).toBe(false);
      expect(fires([W, k], mistaken)).toBe(false);
    });

    it('stays silent on a matrix of constant columns, where no spread is left to scale', () => {
      const C = Array.from({ length: 6 }, () => [3, -1, 4]);
      expect(fires([C, 1, true], { ...standardizedRef, scale: [1, 1, 1] })).toBe(false);
    });

    it('stays silent on a scale of the wrong length', () => {
      expect(fires([W, k, true], { ...mistaken, scale: mistaken.scale.slice(0, 4) })).toBe(false);
    });

    it('allows 1e-9 of each scale and no more', () => {
      const scaled = (f: number): unknown => ({ ...mistaken, scale: mistaken.scale.map((s, j) => (j === 0 ? s : s * f)) });
      // Scales far from 1 on both sides, so that a tolerance of 1e-9/s would differ from 1e-9·s.
      expect(mistaken.scale.slice(1).map((s) => Math.abs(Math.log(s)) > 0.5)).toEqual([true, true, true, true]);
      expect(fires([W, k, true], scaled(1 + 5e-10))).toBe(true);
      expect(fires([W, k, true], scaled(1 - 5e-10))).toBe(true);
      expect(fires([W, k, true], scaled(1 + 3e-9))).toBe(false);
      expect(fires([W, k, true], scaled(1 - 3e-9))).toBe(false);
    });
  });

  describe('pca-rounding-residue', () => {
    // W with its constant column at 0.1: twenty 0.1s sum to 2.0000000000000004, so a mean of
    // Σx/n is off by 2e-17 and a deviation compared with 0 comes out as that residue.
    const R = W.map((row) => row.map((v, j) => (j === 0 ? 0.1 : v)));
    const fires = (args: unknown[], output: unknown): boolean => matches('pca', 'pca-rounding-residue', one(args, output, reference.pca(R, k, true)));
    const mistaken = pcaRoundingResidue.pca(R, k, true);
    const withScale0 = (scale0: number) => ({ ...mistaken, scale: [scale0, ...mistaken.scale.slice(1)] });

    it('fires on a rounding residue as the scale of a constant column, not on the reference or without standardizing', () => {
      expect(mistaken.scale[0]).toBeGreaterThan(0);
      expect(mistaken.scale[0]).toBeLessThan(1e-15);
      expect(reference.pca(R, k, true).scale[0]).toBe(1);
      expect(fires([R, k, true], mistaken)).toBe(true);
      expect(fires([R, k, true], reference.pca(R, k, true))).toBe(false);
      expect(fires([R, k, false], pcaRoundingResidue.pca(R, k, false))).toBe(false);
      expect(fires([R, k], mistaken)).toBe(false);
      // The mistake costs points: the check rejects it.
      expect(checkPca(R, k, true, mistaken, reference.pca(R, k, true)).score).toBeLessThan(1);
    });

    it('takes a scale up to 1e-10 × max(1, |value|) as a residue, and neither 0 nor a tiny scale of a column that varies', () => {
      expect(fires([R, k, true], withScale0(1e-10))).toBe(true);
      expect(fires([R, k, true], withScale0(-1e-10))).toBe(true);
      expect(fires([R, k, true], withScale0(1.0000001e-10))).toBe(false);
      expect(fires([R, k, true], withScale0(0))).toBe(false);
      const big = R.map((row) => row.map((v, j) => (j === 0 ? -1000 : v)));
      expect(fires([big, k, true], withScale0(1e-7))).toBe(true);
      expect(fires([big, k, true], withScale0(1.0000001e-7))).toBe(false);
      expect(fires([R, k, true], { ...mistaken, scale: [1, 1e-17, ...mistaken.scale.slice(2)] })).toBe(false);
      expect(fires([R, k, true], { ...mistaken, scale: mistaken.scale.slice(0, 4) })).toBe(false);
    });

    it('leaves pca-sample-std to its own mistake on such a matrix, and the other way round', () => {
      const sampleStd = pcaSampleStd.pca(R, k, true);
      expect(sampleStd.scale[0]).toBe(1);
      expect(matches('pca', 'pca-sample-std', one([R, k, true], sampleStd, reference.pca(R, k, true)))).toBe(true);
      expect(matches('pca', 'pca-sample-std', one([R, k, true], mistaken, reference.pca(R, k, true)))).toBe(false);
      expect(fires([R, k, true], sampleStd)).toBe(false);
    });
  });

  describe('loadings-without-sigma', () => {
    const fires = (args: unknown[], output: unknown, expected: unknown = ref): boolean => matches('pca', 'loadings-without-sigma', one(args, output, expected));
    const mistaken = loadingsWithoutSigma.pca(X, k);

    it('fires on unit loading columns (U_k) and not on the reference', () => {
      expect(fires([X, k], mistaken)).toBe(true);
      expect(fires([X, k], ref)).toBe(false);
    });

    it('stays silent where σ₁ = σ₂ = 1, so that the right loadings are unit columns too', () => {
      const A = withSpectrum(rng, 6, 4, [Math.SQRT1_2, Math.SQRT1_2, 0.3]);
      const T = [...A, ...A.map((row) => row.map((v) => -v))];
      const fit = reference.pca(T, 2);
      expect(svd(T).S.slice(0, 2).map((s) => s.toFixed(12))).toEqual(['1.000000000000', '1.000000000000']);
      expect(fires([T, 2], loadingsWithoutSigma.pca(T, 2), fit)).toBe(false);
    });

    it('stays silent on loadings of the wrong shape, even with unit columns', () => {
      expect(fires([X, k], { ...mistaken, loadings: [...mistaken.loadings, [0, 0]] })).toBe(false);
      expect(fires([X, k], loadingsWithoutSigma.pca(X, k + 1))).toBe(false);
      expect(fires([X, k], { ...mistaken, loadings: mistaken.loadings.map((row) => row.slice(0, 1)) })).toBe(false);
    });

    it('stays silent when only some loading columns are unit', () => {
      expect(fires([X, k], { ...mistaken, loadings: mistaken.loadings.map(([a, b]) => [a, 2 * b]) })).toBe(false);
      expect(fires([X, k], { ...mistaken, loadings: mistaken.loadings.map(([a, b]) => [2 * a, b]) })).toBe(false);
    });

    it('allows column norms within 1e-6 of 1', () => {
      const scaled = (f: number): unknown => ({ ...mistaken, loadings: scaleMatrix(mistaken.loadings, f) });
      expect(fires([X, k], scaled(1 + 5e-7))).toBe(true);
      expect(fires([X, k], scaled(1 - 5e-7))).toBe(true);
      expect(fires([X, k], scaled(1 + 2e-6))).toBe(false);
      expect(fires([X, k], scaled(1 - 2e-6))).toBe(false);
    });
  });
});

describe('reconstruct: check and detector', () => {
  const loadings = rng.matrix(5, 2);
  const components = orthonormalRows(rng, 2, 4);
  const mean = [-300, 2, 5, -1];
  const scale = [1.5, 0.7, 2, 1];
  const args = [loadings, components, mean, scale];
  const ref = reference.reconstruct(loadings, components, mean, scale);

  it('compares X to 1e-9 relative and 1e-9·max(1, |mean|) absolute', async () => {
    expect(await check('reconstruct', one(args, ref, ref))).toEqual(allClose(ref, ref, { name: 'X', rtol: 1e-9, atol: 1e-9 * 300 }));
    const tolerance = 1e-9 * 300 + 1e-9 * Math.abs(ref[0][1]);
    const off = (delta: number): Matrix => ref.map((row, i) => row.map((v, j) => (i === 0 && j === 1 ? v + delta : v)));
    expect((await check('reconstruct', one(args, off(0.8 * tolerance), ref))).score).toBe(1);
    const far = await check('reconstruct', one(args, off(1.2 * tolerance), ref));
    expect(far.score).toBe(0);
    expect(far.message).toMatch(/^X\[0\]\[1\]: expected /);
    // With the mean inside [−1, 1] the absolute tolerance is 1e-9.
    const small = [0.5, -0.2, 0.1, 0];
    const near = reference.reconstruct(loadings, components, small, scale);
    expect((await check('reconstruct', one([loadings, components, small, scale], near.map((row) => row.map((v) => v + 0.9e-9)), near))).score).toBe(1);
    expect((await check('reconstruct', one([loadings, components, small, scale], near.map((row) => row.map((v) => v + 5e-9)), near))).score).toBe(0);
  });

  it('shows a visible digits case\'s originals (replayed from the case\'s generator) above the reconstructions', async () => {
    const digitComponents = orthonormalRows(rng, 3, 784);
    const digitArgs = [rng.matrix(5, 3), digitComponents, rng.vector(784, () => rng.uniform(0, 0.2)), Array.from({ length: 784 }, () => 1)];
    const output = reference.reconstruct(...(digitArgs as [Matrix, Matrix, number[], number[]]));
    const verdict = await check('reconstruct', one(digitArgs, output, output), { caseName: 'MNIST digits from k = 12 loadings', visible: true, seed: 'digits-seed' });
    const originals = sampleMnist(createRng('digits-seed'), 200).images.slice(0, 5);
    expect(verdict).toMatchObject({ score: 1, message: 'correct' });
    expect(verdict.figures).toEqual([digitReconstructions(originals, output, 28, 3)]);
    expect(verdict.figures?.[0].title).toBe('Digits and your reconstructions from k = 3 loadings');
    const hidden = await check('reconstruct', one(digitArgs, output, output), { caseName: 'MNIST digits from k = 12 loadings', visible: false });
    expect(hidden.figures).toBeUndefined();
    const other = await check('reconstruct', one(args, ref, ref), { caseName: 'random, no scaling', visible: true });
    expect(other.figures).toBeUndefined();
  });

  it('reconstruct-forgets-mean fires on the mistake, not on the reference, and not where the mean is 0', () => {
    const mistaken = reconstructForgetsMean.reconstruct(loadings, components, mean, scale);
    expect(matches('reconstruct', 'reconstruct-forgets-mean', one(args, mistaken, ref))).toBe(true);
    expect(matches('reconstruct', 'reconstruct-forgets-mean', one(args, ref, ref))).toBe(false);
    const zero = [0, 0, 0, 0];
    const atZero = reference.reconstruct(loadings, components, zero, scale);
    expect(matches('reconstruct', 'reconstruct-forgets-mean', one([loadings, components, zero, scale], reconstructForgetsMean.reconstruct(loadings, components, zero, scale), atZero))).toBe(false);
  });
});

describe('componentsForVariance: check and detector', () => {
  const ratios = [0.5, 0.25, 0.125, 0.0625, 0.0625];
  const call = (target: number, output: number): Call => ({ args: [ratios, target], output, expected: reference.componentsForVariance(ratios, target) });

  it('gives the reference full score and explains a wrong count with the cumulative share', async () => {
    expect(await check('componentsForVariance', [call(0.75, 2), call(0.7, 2), call(0.9, 4)])).toEqual({ score: 1, message: 'correct' });
    const verdict = await check('componentsForVariance', [call(0.75, 3), call(0.7, 2)]);
    expect(verdict.score).toBe(0);
    // 0.5 + 0.25 = 0.75 reaches 0.75: k = 2, and one component (0.5) does not.
    expect(verdict.message).toBe('for target 0.75: expected k = 2 (the first 2 ratios add up to 0.75 ≥ 0.75, the first 1 do not), got 3');
    expect((await check('componentsForVariance', [call(0.9, 5)])).message).toBe('for target 0.9: expected k = 4 (the first 4 ratios add up to 0.9375 ≥ 0.9, the first 3 do not), got 5');
  });

  it('variance-strict-inequality fires only where ">" and "≥" differ', () => {
    const calls = (f: (r: number[], t: number) => number, targets: number[]): Call[] => targets.map((t) => call(t, f(ratios, t)));
    expect(matches('componentsForVariance', 'variance-strict-inequality', calls(varianceStrictInequality.componentsForVariance, [0.75, 0.7]))).toBe(true);
    expect(matches('componentsForVariance', 'variance-strict-inequality', calls(varianceStrictInequality.componentsForVariance, [0.7]))).toBe(false);
    expect(matches('componentsForVariance', 'variance-strict-inequality', calls(reference.componentsForVariance, [0.75, 0.7]))).toBe(false);
  });
});

/**
 * The data of the trainLinearAutoencoder tests. Each test makes it, not the describe block: code
 * that runs while vitest collects the tests reaches the checks' linear algebra outside any test,
 * and mutation testing would run each of its mutants with every test (docs/architecture.md).
 */
function autoencoderCase() {
  const X = offsetData(createRng('pca-assignment-checks autoencoder'), 40, 5, [2, 1.5, 0.5, 0.3, 0.2], 1);
  const Xc = centerColumns(X).centered;
  const { S, V } = svd(Xc);
  const Vk = V.map((row) => row.slice(0, 2));
  const optimum = S.slice(2).reduce((sum, s) => sum + s * s, 0) / X.length;
  const answer = (W1: Matrix, W2: Matrix): { W1: Matrix; W2: Matrix; losses: number[] } => ({ W1, W2, losses: [9, 5, autoencoderLossByHand(Xc, W1, W2)] });
  return { X, Xc, Vk, optimum, answer, best: answer(Vk, transpose(Vk)) };
}

describe('trainLinearAutoencoder: check and detector', () => {
  const options = { epochs: 3, learningRate: 0.05, seed: 1 };

  it('passes the optimal autoencoder with its loss against the PCA optimum as the message, and draws the losses when visible', async () => {
    const { X, Xc, Vk, optimum, best } = autoencoderCase();
    const verdict = await check('trainLinearAutoencoder', one([X, 2, options], best, best), { visible: true });
    const loss = autoencoderLossByHand(Xc, Vk, transpose(Vk));
    expect(loss / optimum).toBeCloseTo(1, 10);
    expect(verdict).toMatchObject({ score: 1, message: `final loss ${fmt(loss)}, ${fmt(loss / optimum)}× the PCA optimum ${fmt(optimum)}` });
    expect(verdict.figures).toEqual([lossCurve(best.losses, checkAutoencoder(X, 2, 3, best).optimum)]);
    const hidden = await check('trainLinearAutoencoder', one([X, 2, options], best, best), { visible: false });
    expect(hidden).toEqual({ score: 1, message: verdict.message, details: verdict.details });
    expect('figures' in hidden).toBe(false);
  });

  it('fails a consistent but suboptimal autoencoder with checkAutoencoder\'s message, still drawing its losses', async () => {
    const { X, Vk, answer, best } = autoencoderCase();
    const weak = answer(scaleMatrix(Vk, 0.8), transpose(Vk));
    const verdict = await check('trainLinearAutoencoder', one([X, 2, options], weak, best), { visible: true });
    expect(verdict).toMatchObject({ score: 0, message: checkAutoencoder(X, 2, 3, weak).verdict.message });
    expect(verdict.message).toMatch(/^the trained autoencoder's loss is /);
    expect(verdict.figures).toHaveLength(1);
  });

  it('names the epochs from the options, and draws nothing for weights of the wrong shape', async () => {
    const { X, Vk, best } = autoencoderCase();
    const verdict = await check('trainLinearAutoencoder', one([X, 2, { ...options, epochs: 4 }], best, best), { visible: true });
    expect(verdict.message).toBe('losses has 3 entries; expected one per step (4)');
    const turned = await check('trainLinearAutoencoder', one([X, 2, options], { ...best, W1: transpose(Vk) }, best), { visible: true });
    expect(turned).toEqual({ score: 0, message: 'W1 is 2×5; expected 5×2 (d×k: the encoder)' });
  });

  describe('autoencoder-not-centred', () => {
    const trainOptions = { epochs: 250, learningRate: 0.05, seed: 7 };
    const fires = (data: Matrix, output: unknown, k = 2): boolean => matches('trainLinearAutoencoder', 'autoencoder-not-centred', one([data, k, trainOptions], output, output));

    it('fires on an autoencoder trained on uncentred data, and not on the optimal one', () => {
      const { X, best } = autoencoderCase();
      expect(fires(X, autoencoderNotCentred.trainLinearAutoencoder(X, 2, trainOptions))).toBe(true);
      expect(fires(X, best)).toBe(false);
    });

    it('stays silent on centred data, where not centring changes nothing', () => {
      const { Xc } = autoencoderCase();
      expect(fires(Xc, autoencoderNotCentred.trainLinearAutoencoder(Xc, 2, trainOptions))).toBe(false);
    });

    it('stays silent on a decoder of the wrong shape, and on none (k = 0)', () => {
      const { X } = autoencoderCase();
      const mistaken = autoencoderNotCentred.trainLinearAutoencoder(X, 2, trainOptions);
      expect(fires(X, { ...mistaken, W2: transpose(mistaken.W2) })).toBe(false);
      expect(fires(X, { ...mistaken, W2: mistaken.W2.slice(1) })).toBe(false);
      // One row too many: its first k rows are the uncentred directions, yet k rows are asked for.
      expect(fires(X, { ...mistaken, W2: [...mistaken.W2, mistaken.W2[0].map((_, j) => (j === 0 ? 1 : 0))] })).toBe(false);
      expect(fires(X, { ...mistaken, W2: mistaken.W2.map((row) => row.slice(1)) })).toBe(false);
      expect(fires(X, { ...mistaken, W2: [] }, 0)).toBe(false);
    });
  });
});

describe('genesMirrorGeography: check and detector', () => {
  const seed = 'genes-seed';
  // Made in each test, not in this block (see autoencoderCase); generating the panel takes
  // tens of milliseconds, which every mutant run of this file would pay while collecting.
  const panel = () => {
    const [genotypes] = problemNamed('genesMirrorGeography').cases[0].args!(createRng(seed), {}) as [Matrix];
    const { places } = generateGenotypes(createRng(seed), { individuals: genotypes.length, loci: genotypes[0].length });
    const noise = createRng('genes-noise').matrix(genotypes.length, 2);
    const noisy = (t: number): Matrix => places.map((row, i) => row.map((v, j) => v + t * noise[i][j]));
    return { genotypes, places, noisy, correlationAt: (t: number): number => procrustes(places, noisy(t)).correlation };
  };

  it('passes a map that is the birth places (rotated and scaled), with the correlation; draws it when visible', async () => {
    const { genotypes, places } = panel();
    const turned = places.map(([x, y]) => [3 * y + 1, -3 * x]);
    const verdict = await check('genesMirrorGeography', one([genotypes], turned, turned), { visible: true, seed });
    expect(verdict).toMatchObject({ score: 1, message: 'Procrustes correlation with the true birth places: 1.000', details: { correlation: expect.closeTo(1, 12) as number } });
    expect(verdict.figures).toEqual([genesMap(places, turned, procrustes(places, turned).correlation)]);
    const hidden = await check('genesMirrorGeography', one([genotypes], turned, turned), { visible: false, seed });
    expect(hidden.figures).toBeUndefined();
    expect(hidden.score).toBe(1);
  });

  it('pins the 0.9 correlation on both sides (0.9 itself passes), naming the correlation', async () => {
    const { genotypes, places, noisy, correlationAt } = panel();
    // The noise level at which the correlation is exactly 0.9, and levels just below and above it.
    const boundary = nearestWhere(lastInside(0, 2, (t) => correlationAt(t) >= 0.9), (t) => correlationAt(t) === 0.9);
    const [above, below] = [boundary * 0.99, boundary * 1.01];
    expect(correlationAt(above)).toBeGreaterThan(0.9);
    expect(correlationAt(below)).toBeLessThan(0.9);
    expect((await check('genesMirrorGeography', one([genotypes], noisy(boundary), places), { seed })).score).toBe(1);
    expect((await check('genesMirrorGeography', one([genotypes], noisy(above), places), { seed })).score).toBe(1);
    const verdict = await check('genesMirrorGeography', one([genotypes], noisy(below), places), { seed, visible: true });
    expect(verdict.score).toBe(0);
    expect(verdict.message).toBe(`after the best rotation, reflection, scaling and shift, your map matches the true birth places with a Procrustes correlation of ${correlationAt(below).toFixed(3)}; at least 0.9 is expected`);
    expect(verdict.details).toEqual({ correlation: correlationAt(below) });
    expect(verdict.figures).toHaveLength(1);
  });

  it('names a map of the wrong shape', async () => {
    const { genotypes, places } = panel();
    const n = genotypes.length;
    expect(await check('genesMirrorGeography', one([genotypes], places.map(([x, y]) => [x, y, 0]), places), { seed })).toEqual({ score: 0, message: `the map is ${n}×3; expected ${n}×2 (one 2-D loading vector per individual)` });
    expect((await check('genesMirrorGeography', one([genotypes], places.slice(1), places), { seed })).message).toBe(`the map is ${n - 1}×2; expected ${n}×2 (one 2-D loading vector per individual)`);
    expect((await check('genesMirrorGeography', one([genotypes], [], places), { seed, visible: true })).message).toBe(`the map is 0×0; expected ${n}×2 (one 2-D loading vector per individual)`);
  });

  describe('genes-not-centred', () => {
    const smallPanel = (): Matrix => generateGenotypes(createRng('small panel'), { individuals: 30, loci: 40 }).genotypes;
    const fires = (data: Matrix, output: Matrix): boolean => matches('genesMirrorGeography', 'genes-not-centred', one([data], output, output));

    it('fires on the uncentred map, and not on the centred one', () => {
      const G = smallPanel();
      expect(fires(G, genesNotCentred.genesMirrorGeography(G))).toBe(true);
      expect(fires(G, reference.genesMirrorGeography(G))).toBe(false);
    });

    it('stays silent on centred genotypes, where the two maps are the same', () => {
      const G = smallPanel();
      const centred = centerColumns(G).centered;
      expect(fires(centred, genesNotCentred.genesMirrorGeography(centred))).toBe(false);
    });

    it('fires on a map within a Procrustes correlation of 0.999 of the uncentred one, inclusive, and no further', () => {
      const G = smallPanel();
      const { U, S } = svd(G);
      const uncentred = U.map((row) => [row[0] * S[0], row[1] * S[1]]);
      const noise = createRng('map noise').matrix(G.length, 2);
      const noisy = (t: number): Matrix => uncentred.map((row, i) => row.map((v, j) => v + t * noise[i][j]));
      const correlation = (t: number): number => procrustes(uncentred, noisy(t)).correlation;
      const t = nearestWhere(lastInside(0, 5, (s) => correlation(s) >= 0.999), (s) => correlation(s) === 0.999);
      expect(fires(G, noisy(t))).toBe(true);
      expect(fires(G, noisy(1.01 * t))).toBe(false);
    });

    it('stays silent where the uncentred map matches the centred one to a correlation of 0.999, and fires just past it', () => {
      // Centred data plus λ times a mean row: the larger λ, the more the uncentred map turns towards the mean.
      const offsetRng = createRng('offset panel');
      const { centered } = centerColumns(offsetRng.matrix(8, 5));
      const mean = offsetRng.vector(5);
      const data = (lambda: number): Matrix => centered.map((row) => row.map((v, j) => v + lambda * mean[j]));
      const map = (M: Matrix): Matrix => {
        const { U, S } = svd(M);
        return U.map((row) => [row[0] * S[0], row[1] * S[1]]);
      };
      const agreement = (lambda: number): number => procrustes(map(data(lambda)), map(centerColumns(data(lambda)).centered)).correlation;
      const lambda = nearestWhere(lastInside(0, 3, (l) => agreement(l) >= 0.999), (l) => agreement(l) === 0.999);
      expect(fires(data(lambda), genesNotCentred.genesMirrorGeography(data(lambda)))).toBe(false);
      expect(fires(data(1.01 * lambda), genesNotCentred.genesMirrorGeography(data(1.01 * lambda)))).toBe(true);
    });

    it('stays silent on maps of the wrong shape', () => {
      const G = smallPanel();
      const map = genesNotCentred.genesMirrorGeography(G);
      expect(fires(G, map.slice(1))).toBe(false);
      expect(fires(G, map.map(([x, y]) => [x, y, 0]))).toBe(false);
      expect(fires(G, [])).toBe(false);
    });
  });
});

/** The double n steps away from x (n ulps; x > 0). */
function ulpsAway(x: number, n: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  view.setBigInt64(0, view.getBigInt64(0) + BigInt(n));
  return view.getFloat64(0);
}

/** The nearest double to x (within `span` ulps) at which `hit` holds. */
function nearestWhere(x: number, hit: (y: number) => boolean, span = 20_000): number {
  for (let i = 0; i <= span; i++) {
    for (const y of [ulpsAway(x, i), ulpsAway(x, -i)]) if (hit(y)) return y;
  }
  throw new Error(`no double within ${span} ulps of ${x} qualifies`);
}

/** Largest t in [low, high] with `inside(t)`, where inside holds at low and not at high. */
function lastInside(low: number, high: number, inside: (t: number) => boolean): number {
  let [a, b] = [low, high];
  for (let i = 0; i < 80; i++) {
    const mid = (a + b) / 2;
    if (inside(mid)) a = mid;
    else b = mid;
  }
  return a;
}

const plusMinus = (A: Matrix): Matrix => [...A, ...A.map((row) => row.map((v) => -v))];

/**
 * checks.ts: every tolerance is inclusive. Each test builds an answer that sits exactly on a
 * boundary (found among neighbouring doubles where rounding decides), so that a `<` in place
 * of a `≤` is noticed, and one just past it.
 */
describe('pca checks: tolerances are inclusive, pinned on both sides', () => {
  it('sameSubspace: cosines of exactly the threshold count as the same subspace', () => {
    const plane = [[1, 0, 0], [0, 1, 0]];
    expect(sameSubspace(plane, plane, 1)).toBe(true);
    expect(sameSubspace(plane, [[1, 0, 0], [0, Math.cos(1e-4), Math.sin(1e-4)]], 1)).toBe(false);
  });

  it('sameSingularValue: |a − b| of exactly 1e-8·σ₁, and |a² − b²| of exactly 1e-12·σ₁², are the same', () => {
    // σ₁ with 1e-8·σ₁ = 2⁻²⁰ exactly; 1 + 2⁻²⁰ and 1 differ by that, and their squares by far more than 1e-12·σ₁².
    const delta = 2 ** -20;
    const sigma = nearestWhere(delta / 1e-8, (s) => 1e-8 * s === delta);
    expect(Math.abs((1 + delta) ** 2 - 1)).toBeGreaterThan(1e-12 * sigma * sigma);
    expect(sameSingularValue(1 + delta, 1, sigma)).toBe(true);
    expect(sameSingularValue(1 + 2 * delta, 1, sigma)).toBe(false);
    // σ₁ with 1e-12·σ₁² = 2⁻⁴⁰ = (2⁻²⁰)² exactly; 2⁻²⁰ and 0 differ by more than 1e-8·σ₁.
    const small = nearestWhere(Math.sqrt(2 ** -40 / 1e-12), (s) => 1e-12 * s * s === 2 ** -40);
    expect(delta).toBeGreaterThan(1e-8 * small);
    expect(sameSingularValue(delta, 0, small)).toBe(true);
    expect(sameSingularValue(1.01 * delta, 0, small)).toBe(false);
  });

  it('svd: columns of U whose inner product is exactly the tolerance 1e-8 pass; 2e-8 does not', () => {
    const S = [3, 2, 1];
    const I3 = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
    const tilted = (size: number): Matrix => [[1, size, 0], [0, Math.sqrt(1 - size * size), 0], [0, 0, 1], [0, 0, 0]];
    const rebuild = (U: Matrix): Matrix => matMul(U.map((row) => row.map((u, j) => u * S[j])), transpose(I3));
    const answer = (size: number): { U: Matrix; S: number[]; V: Matrix } => ({ U: tilted(size), S, V: I3 });
    expect(checkSvd(rebuild(tilted(1e-8)), answer(1e-8), answer(0))).toEqual({ score: 1, message: 'correct' });
    expect(checkSvd(rebuild(tilted(2e-8)), answer(2e-8), answer(0)).message).toBe('the columns of U are not orthonormal: entry (0, 1) of UᵀU is off from the identity by 2.0000e-8 (tolerance 1.0000e-8)');
  });

  it('svd: a singular value of exactly 1e-8·σ₁ counts as zero, and its vectors are not graded', () => {
    const X = [[1, 0], [0, 1e-8]];
    const ref = reference.svd(X);
    expect(ref.S).toEqual([1, 1e-8]);
    // u₂ = (0.5, 1) is far from orthonormal, but σ₂·u₂·v₂ᵀ still rebuilds X to 5e-9.
    const U = [[1, 0.5], [0, 1]];
    expect(checkSvd(X, { U, S: ref.S, V: [[1, 0], [0, 1]] }, ref)).toEqual({ score: 1, message: 'correct' });
    const Y = [[1, 0], [0, 2e-8]];
    const refY = reference.svd(Y);
    expect(checkSvd(Y, { U, S: refY.S, V: [[1, 0], [0, 1]] }, refY).message).toMatch(/^the columns of U are not orthonormal: entry \(0, 1\)/m);
  });

  it('svd: a rebuild residual of exactly 1e-8 passes', () => {
    // U turned by θ: X − U·Vᵀ has Frobenius norm ≈ √2·θ against ‖X‖_F = √2.
    const X = [[1, 0], [0, 1], [0, 0]];
    const ref = reference.svd(X);
    const turned = (theta: number): { U: Matrix; S: number[]; V: Matrix } => ({ U: [[Math.cos(theta), -Math.sin(theta)], [Math.sin(theta), Math.cos(theta)], [0, 0]], S: ref.S, V: [[1, 0], [0, 1]] });
    const residual = (theta: number): number => {
      const { U } = turned(theta);
      const diff = X.map((row, i) => row.map((v, j) => v - U[i][j]));
      return Math.sqrt(diff.flat().reduce((sum, x) => sum + x * x, 0) / 2);
    };
    const theta = nearestWhere(1e-8, (t) => residual(t) === 1e-8);
    expect(checkSvd(X, turned(theta), ref)).toEqual({ score: 1, message: 'correct' });
    expect(checkSvd(X, turned(1.5e-8), ref).message).toMatch(/^U·diag\(S\)·Vᵀ does not rebuild X: .* = 1\.5000e-8 \(tolerance 1e-8\)$/);
  });

  it('lowRank: with a gap after σ_k, σ_{k+1} may reach 1e-8·σ₁ plus what the entry-wise tolerance allows, not more', () => {
    const X = [[1, 0], [0, 0]];
    const expected = reference.lowRankApprox(X, 1);
    // atol 1e-7·rms(X) = 5e-8, rtol 1e-6: the Frobenius norm of the entries' tolerances.
    const slack = Math.sqrt((5e-8 + 1e-6) ** 2 + 3 * (5e-8) ** 2);
    const bound = 1e-8 + slack;
    // 4e-8 is within the entry's tolerance (5e-8), so the rank test must allow it too.
    expect(checkLowRank(X, 1, [[1, 0], [0, 4e-8]], expected).verdict).toEqual({ score: 1, message: 'correct' });
    expect(checkLowRank(X, 1, [[1, 0], [0, 1.01 * bound]], expected).verdict.message).toMatch(
      new RegExp(`^the answer has rank above k = 1: its singular value number 2 is 1\\.07\\d\\de-6 \\(should be ≈ 0, at most ${formatNumber(bound).replace('.', '\\.')}\\)$`, 'm'),
    );
  });

  it('lowRank: an error exactly 1e-12·‖X‖² above an optimum of 0 passes', () => {
    // X = diag(x, 0) with 1e-12·x² = 2⁻⁴⁰ exactly; the answer is off by 2⁻²⁰ in one entry.
    const x = nearestWhere(Math.sqrt(2 ** -40 / 1e-12), (v) => 1e-12 * (v * v) === 2 ** -40);
    const X = [[x, 0], [0, 0]];
    const expected = reference.lowRankApprox(X, 1);
    const off = (delta: number): Matrix => [[x + delta, 0], [0, 0]];
    expect(checkLowRank(X, 1, off(2 ** -20), expected)).toMatchObject({ verdict: { score: 1 }, error: 2 ** -40, optimum: 0 });
    expect(checkLowRank(X, 1, off(2 ** -19), expected).verdict.message).toMatch(/^your rank-1 error ‖X − X_k‖²_F is 3\.6380e-12; the Eckart–Young optimum is 0/);
  });

  it('lowRank: X_k is compared with an absolute tolerance of 1e-7·rms(X)', () => {
    // diag(30, 20, 10) over 4×3: rms = √(1400/12); the best rank-1 answer has zeros off (0, 0).
    const X = [[30, 0, 0], [0, 20, 0], [0, 0, 10], [0, 0, 0]];
    const expected = reference.lowRankApprox(X, 1);
    const atol = 1e-7 * Math.sqrt(1400 / 12);
    const off = (delta: number): Matrix => expected.map((row, i) => row.map((v, j) => (i === 0 && j === 1 ? delta : v)));
    expect(checkLowRank(X, 1, off(0.5 * atol), expected).verdict).toEqual({ score: 1, message: 'correct' });
    expect(checkLowRank(X, 1, off(2 * atol), expected).verdict.message).toMatch(/^X_k\[0\]\[1\]: expected 0, got 2\.1602e-6/);
  });

  describe('pca', () => {
    it('rows of components with an inner product of exactly 1e-8 are orthonormal enough; 2e-8 are not', () => {
      const X = plusMinus([[3, 0, 0], [0, 2, 0], [0, 0, 1]]);
      const fit = reference.pca(X, 2);
      const tilted = (size: number): Matrix => [[1, 0, 0], [size, Math.sqrt(1 - size * size), 0]];
      const answer = (C: Matrix): typeof fit => ({ ...fit, components: C, loadings: matMul(X, transpose(C)) });
      expect(checkPca(X, 2, false, answer(tilted(1e-8)), fit)).toEqual({ score: 1, message: 'correct' });
      expect(checkPca(X, 2, false, answer(tilted(2e-8)), fit).message).toBe('the rows of components are not orthonormal: C·Cᵀ differs from the identity by up to 2.0000e-8');
    });

    it('a principal-angle cosine of exactly 1 − 1e-8 passes; below it fails, with the cosine in the details', () => {
      const A = withSpectrum(createRng('tilt'), 5, 4, [3, 2.9, 1, 0.5]);
      const X = plusMinus(A);
      const fit = reference.pca(X, 1);
      const v1 = fit.components[0];
      const v2 = svd(X).V.map((row) => row[1]);
      const turned = (t: number): Matrix => [v1.map((v, j) => Math.cos(t) * v + Math.sin(t) * v2[j])];
      const answer = (C: Matrix): typeof fit => ({ ...fit, components: C, loadings: matMul(X, transpose(C)) });
      const target = 1 - 1e-8;
      const cosine = (t: number): number => principalCosines(turned(t), fit.components)[0];
      const t = nearestWhere(Math.acos(target), (s) => cosine(s) === target);
      expect(checkPca(X, 1, false, answer(turned(t)), fit)).toEqual({ score: 1, message: 'correct' });
      const beyond = checkPca(X, 1, false, answer(turned(2 * t)), fit);
      expect(beyond.message).toMatch(/^your components span a different subspace from the top-1 principal directions: the smallest principal-angle cosine is 1 − 4\.\d+e-8/);
      expect(beyond.details).toEqual({ worstCosine: cosine(2 * t) });
    });

    it('loadings are compared with an absolute tolerance of 1e-10·rms(Z)', () => {
      // A zero row (the data have mean 0) has loadings ≈ 0 (rounding), where only the absolute tolerance counts.
      const A = withSpectrum(createRng('zero row'), 4, 3, [300, 200, 100]);
      const X = [...plusMinus(A), [0, 0, 0]];
      const fit = reference.pca(X, 2);
      expect(Math.max(...fit.loadings[8].map(Math.abs))).toBeLessThan(1e-12);
      const total = X.flat().reduce((sum, v) => sum + v * v, 0);
      const atol = 1e-10 * Math.sqrt(total / (9 * 3));
      const off = (delta: number): typeof fit => ({ ...fit, loadings: fit.loadings.map((row, i) => (i === 8 ? [row[0] + delta, row[1]] : row)) });
      expect(checkPca(X, 2, false, off(0.5 * atol), fit)).toEqual({ score: 1, message: 'correct' });
      expect(checkPca(X, 2, false, off(2 * atol), fit).message).toMatch(/^loadings must equal Z·componentsᵀ \(with your components\): loadings\[8\]\[0\]: expected .*, got 2\.\d+e-8/);
    });

    it('k×k components are not "as columns"', () => {
      const X = offsetData(createRng('square'), 12, 5, [3, 2, 1, 0.5, 0.2]);
      const fit = reference.pca(X, 2);
      expect(checkPca(X, 2, false, { ...fit, components: [[1, 0], [0, 1]] }, fit).message).toBe('components is 2×2; expected 2×5 (k×d: one principal direction per row)');
    });
  });

  describe('autoencoder', () => {
    const k = 2;
    /** Made in each test, not here (see autoencoderCase). */
    // Made in each test, not in this block (see autoencoderCase).
    const boundaryCase = () => {
      // 32 examples (a power of two, so that the mean loss can take every value near the boundary).
      const A = withSpectrum(createRng('autoencoder boundary'), 16, 5, [4, 2, 1.96, 0.6, 0.4]);
      const X = plusMinus(A).map((row) => row.map((v, j) => v + [1, -2, 0.5, 3, 1][j]));
      const Xc = centerColumns(X).centered;
      const optimum = singularValues(Xc).slice(k).reduce((sum, s) => sum + s * s, 0) / X.length;
      const Vk = topDirections(Xc, k);
      const encoder = (f: number): Matrix => transpose(Vk).map((row) => row.map((v) => v * f));
      const lossAt = (f: number): number => autoencoderLoss(Xc, encoder(f), Vk);
      return { X, Xc, optimum, Vk, encoder, lossAt };
    };

    it('a loss of exactly 1.02× the optimum passes; just above fails', () => {
      const { X, optimum, Vk, encoder, lossAt } = boundaryCase();
      const target = (1 + AUTOENCODER_LOSS_SLACK) * optimum;
      const f = nearestWhere(lastInside(1, 0.5, (g) => lossAt(g) <= target), (g) => lossAt(g) === target);
      expect(checkAutoencoder(X, k, 1, { W1: encoder(f), W2: Vk, losses: [lossAt(f)] }).verdict).toEqual({ score: 1, message: 'correct' });
      const below = ulpsAway(f, -64);
      expect(lossAt(below)).toBeGreaterThan(target);
      expect(checkAutoencoder(X, k, 1, { W1: encoder(below), W2: Vk, losses: [lossAt(below)] }).verdict.message).toMatch(/^the trained autoencoder's loss is .*, 1\.02× the optimum/);
    });

    it('a decoder with a principal-angle cosine of exactly 0.99 passes; just below fails', () => {
      const { X, Xc, Vk } = boundaryCase();
      const V = svd(Xc).V;
      const column = (j: number): number[] => V.map((row) => row[j]);
      const decoder = (t: number): Matrix => [column(0), column(1).map((v, i) => Math.cos(t) * v + Math.sin(t) * column(2)[i])];
      const worst = (t: number): number => Math.min(...principalCosines(decoder(t), Vk));
      const t = nearestWhere(lastInside(0, 0.5, (s) => worst(s) >= AUTOENCODER_MIN_COSINE), (s) => worst(s) === AUTOENCODER_MIN_COSINE);
      const consistent = (W2: Matrix): { W1: Matrix; W2: Matrix; losses: number[] } => ({ W1: transpose(W2), W2, losses: [autoencoderLoss(Xc, transpose(W2), W2)] });
      expect(checkAutoencoder(X, k, 1, consistent(decoder(t))).verdict).toEqual({ score: 1, message: 'correct' });
      expect(checkAutoencoder(X, k, 1, consistent(decoder(1.01 * t))).verdict.message).toMatch(/^the rows of W2 do not span the top-2 principal subspace: principal-angle cosines 1, 0\.98\d+ \(each must be ≥ 0\.99\)$/);
    });

    it('losses[last] may differ from the loss by exactly 5 % + 1e-9, and no more', () => {
      const { X, Xc, Vk, encoder } = boundaryCase();
      // Among slightly weaker encoders, one whose 5 % + 1e-9 is a whole number of ulps above its loss.
      let found: { W1: Matrix; last: number } | undefined;
      for (let i = 0; !found && i < 1000; i++) {
        const W1 = encoder(1 - i * 1e-7);
        const loss = autoencoderLoss(Xc, W1, Vk);
        const allowance = 0.05 * loss + 1e-9;
        const last = loss + allowance;
        if (last - loss === allowance) found = { W1, last };
      }
      if (!found) throw new Error('no encoder with an exact allowance');
      expect(checkAutoencoder(X, k, 1, { W1: found.W1, W2: Vk, losses: [found.last] }).verdict).toEqual({ score: 1, message: 'correct' });
      const loss = autoencoderLoss(Xc, transpose(Vk), Vk);
      // Half the 1e-9 inside, 2e-9 outside: the constant is added, not subtracted.
      expect(checkAutoencoder(X, k, 1, { W1: transpose(Vk), W2: Vk, losses: [1.05 * loss + 0.5e-9] }).verdict.score).toBe(1);
      expect(checkAutoencoder(X, k, 1, { W1: transpose(Vk), W2: Vk, losses: [1.05 * loss + 2e-9] }).verdict.message).toMatch(/^losses\[0\] is .*, but the weights you returned have loss/);
    });

    it('a decoder of rank 1 for k = 2 says so in one exact sentence', () => {
      const { X, Xc, Vk } = boundaryCase();
      const W2 = [Vk[0], Vk[0]];
      const { verdict } = checkAutoencoder(X, k, 1, { W1: transpose(W2), W2, losses: [autoencoderLoss(Xc, transpose(W2), W2)] });
      expect(verdict.message.split('\n')).toContain('the rows of W2 span only 1 dimension; the decoder must span the top-2 principal subspace');
    });
  });
});
