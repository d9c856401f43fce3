import { defineAssignment, problem } from '../../grader/src/assignment/define.ts';
import { allClose, formatNumber } from '../../grader/src/checks/allclose.ts';
import { sameAs } from '../../grader/src/checks/mistakes.ts';
import { finiteNumber, matrix, record, vector } from '../../grader/src/checks/values.ts';
import { allOf, fail, invariant, labelled, pass, type Verdict } from '../../grader/src/checks/verdict.ts';
import { generateGenotypes } from '../../grader/src/data/genotypes.ts';
import { loadIris } from '../../grader/src/data/iris.ts';
import { MNIST_SIDE, sampleMnist } from '../../grader/src/data/mnist.ts';
import { PHOTO_CREDIT } from '../../grader/src/data/photo.ts';
import { centerColumns, type Matrix } from '../../grader/src/linalg/dense.ts';
import { procrustes } from '../../grader/src/linalg/subspace.ts';
import { svd as graderSvd } from '../../grader/src/linalg/svd.ts';
import * as reference from '../../solutions/pca/pca.ts';
import {
  checkAutoencoder,
  checkLowRank,
  checkPca,
  checkSvd,
  PROCRUSTES_MIN_CORRELATION,
  psnr,
  randomProjectionError,
  rankKStorage,
  sameSubspace,
  topDirections,
} from './checks.ts';
import { bostonFeatures, columnMeans, constantColumns, normalized, offsetData, orthonormalRows, photo, populationScales, standardized, withSpectrum } from './data.ts';
import * as eckartYoungFromK from './mistakes/eckart-young-from-k.ts';
import * as eckartYoungSigma from './mistakes/eckart-young-sigma.ts';
import * as lowRankKeepsExtra from './mistakes/low-rank-keeps-extra.ts';
import * as reconstructForgetsMean from './mistakes/reconstruct-forgets-mean.ts';
import * as varianceStrictInequality from './mistakes/variance-strict-inequality.ts';
import { digitReconstructions, drawn, eigenDigits, explainedVarianceFigure, genesMap, irisScatter, lossCurve, photoFigure, spectrumFigures } from './pictures.ts';

const fmt = formatNumber;

/**
 * The autoencoder's data: top standard deviations ≤ 2 and a mean of size ~1 per column, so
 * gradient descent at learning rate 0.05 is stable on centred and on uncentred data (the
 * uncentred mistake then converges to the wrong subspace instead of diverging). Measured
 * over 150 seeds each: the reference's loss is at most 1.0009× the optimum on the visible
 * and hidden generators, and the uncentred mistake is recognised in 141 of 150.
 */
const AUTOENCODER_OFFSET = 1;

/**
 * The genotype panel. Over 20 seeds the centred PCA map matches the birth places with a
 * Procrustes correlation of at least 0.978 and the uncentred one at most 0.857 (threshold
 * 0.9); ml-matrix's SVD of it takes ~0.2 s, against ~0.9 s at 200×500.
 */
const GENES = { individuals: 120, loci: 300 };

const svdOutput = record({ U: matrix, S: vector, V: matrix });
const pcaOutput = record({ mean: vector, scale: vector, components: matrix, explainedVarianceRatio: vector, loadings: matrix });

/** The top-k loadings of an uncentred (but scaled) matrix: what forgetting to centre gives. */
function uncentredDirections(X: Matrix, scale: number[], k: number): Matrix {
  return topDirections(X.map((row) => row.map((v, j) => v / scale[j])), k);
}

function sortedSpectrum(values: number[]): number[] {
  return [...values].sort((a, b) => b - a);
}

function randomRatios(count: number, draw: () => number): number[] {
  const raw = sortedSpectrum(Array.from({ length: count }, () => draw() ** 2));
  const total = raw.reduce((sum, v) => sum + v, 0);
  return raw.map((v) => v / total);
}

/**
 * The two MNIST cases cost 0.5–1.5 s for each student when `mlgrade check` replays the
 * reference (SVDs of 200×784; measured here, 2 cores), the rest of pca about 0.75 s in all:
 * they are checked for 10 student ids rather than 50, so that `npm test` keeps its time.
 * `mlgrade check --full` checks them for all.
 */
const costly = { checkStudents: 10 } as const;

export default defineAssignment({
  id: 'pca',
  title: 'PCA and the SVD: Eckart–Young, PCA as the optimal linear autoencoder, real data',
  module: 'pca.ts',
  // No tensors cross the sandbox. A submission that trains the autoencoder with tfjs gets
  // the fast backend anyway: the child starts it whenever a submission imports tfjs.
  problems: [
    problem({
      export: 'svd',
      title: 'Thin singular value decomposition',
      points: 15,
      timeoutMs: 10_000,
      reference: reference.svd,
      output: svdOutput,
      cases: [
        { name: 'tall 6×4', args: (rng) => [rng.matrix(6, 4)] },
        { name: 'wide 4×7', args: (rng) => [rng.matrix(4, 7)] },
        { name: 'rank 3, 12×8 (five zero singular values)', args: (rng) => [withSpectrum(rng, 12, 8, [5, 3, 1])] },
        { name: 'repeated singular values 10×6', args: (rng) => [withSpectrum(rng, 10, 6, [4, 4, 4, 2, 2, 1])] },
        { name: 'Boston housing, standardized (506×12)', args: () => [standardized(bostonFeatures())] },
        {
          name: 'random shapes',
          visibility: 'hidden',
          weight: 2,
          args: (rng) => [withSpectrum(rng, rng.int(3, 30), rng.int(3, 30), sortedSpectrum(rng.vector(3, () => rng.uniform(0.1, 10)))).map((row) => row.map((v) => v + rng.normal(0, 0.01)))],
        },
      ],
      check: ({ args: [X], output, expected, caseName, visible }) => {
        const verdict = checkSvd(X, output, expected);
        if (!visible || !caseName.startsWith('Boston') || output.S.length === 0) return verdict;
        return { ...verdict, figures: drawn(() => spectrumFigures(output.S, 'the standardized Boston data')) };
      },
      mistakes: [
        {
          id: 'svd-ascending',
          hint: 'Your singular values are in increasing order. Sort them from the largest down, and reorder the columns of U and V with them: the first k columns must belong to the k largest σ.',
          matches: ({ output, expected }) => output.S.length > 1 && output.S.every((s, i) => Math.abs(s - expected.S[expected.S.length - 1 - i]) <= 1e-8 * expected.S[0]) && expected.S[0] > expected.S[expected.S.length - 1],
        },
      ],
    }),
    problem({
      export: 'eckartYoungError',
      title: 'The Eckart–Young error from the spectrum',
      points: 5,
      reference: reference.eckartYoungError,
      output: finiteNumber,
      cases: [
        { name: 'S = [5, 3, 2, 1], k = 2', args: () => [[5, 3, 2, 1], 2] },
        { name: 'k = 0 keeps nothing, k = r keeps everything', calls: (rng) => { const S = sortedSpectrum(rng.vector(5, () => rng.uniform(0.5, 4))); return [[S, 0], [S, S.length]]; } },
        { name: 'random spectrum', args: (rng) => { const S = sortedSpectrum(rng.vector(8, () => rng.uniform(0, 5))); return [S, rng.int(1, 7)]; } },
        { name: 'random spectra', visibility: 'hidden', calls: (rng) => Array.from({ length: 4 }, () => { const S = sortedSpectrum(rng.vector(rng.int(2, 12), () => rng.uniform(0, 10))); return [S, rng.int(0, S.length)]; }) },
      ],
      check: ({ calls }) =>
        allOf(calls.map(({ args: [S, k], output, expected }) =>
          invariant(Math.abs(output - expected) <= 1e-12 * Math.max(1, Math.abs(expected)), `for S = [${S.map(fmt).join(', ')}] and k = ${k}: expected ${fmt(expected)} (the sum of σᵢ² over the singular values after the first ${k}), got ${fmt(output)}`),
        )),
      mistakes: [
        {
          id: 'eckart-young-from-k',
          hint: 'You included σ_k itself. The best rank-k approximation keeps σ₁ … σ_k, so its error is the sum of σᵢ² for i = k+1 … r (0-based: indices k … r−1). Some printed notes start the sum at i = k: that is off by one.',
          matches: sameAs(eckartYoungFromK.eckartYoungError),
        },
        {
          id: 'eckart-young-sigma',
          hint: 'You summed σᵢ. The squared Frobenius error is a sum of squares: Σ σᵢ² over the dropped singular values.',
          matches: sameAs(eckartYoungSigma.eckartYoungError),
        },
      ],
    }),
    problem({
      export: 'lowRankApprox',
      title: 'Best rank-k approximation, and image compression',
      points: 15,
      timeoutMs: 15_000,
      reference: reference.lowRankApprox,
      output: matrix,
      cases: [
        { name: 'random 30×20, k = 5', args: (rng) => [rng.matrix(30, 20), 5] },
        { name: 'wide 12×25, k = 3', args: (rng) => [rng.matrix(12, 25), 3] },
        { name: 'k = 0 and k = min(n, d)', calls: (rng) => { const X = rng.matrix(9, 7); return [[X, 0], [X, 7]]; } },
        { name: 'the photo (204×256) at k = 5, 20 and 50', calls: () => { const { pixels } = photo(); return [[pixels, 5], [pixels, 20], [pixels, 50]]; } },
        { name: 'random shapes and ranks', visibility: 'hidden', weight: 2, calls: (rng) => Array.from({ length: 2 }, () => { const X = rng.matrix(rng.int(4, 25), rng.int(4, 25)); return [X, rng.int(1, Math.min(X.length, X[0].length) - 1)]; }) },
      ],
      check: ({ calls, rng, caseName, visible }) => {
        const reports = calls.map(({ args: [X, k], output, expected }) => ({ X, k, output, ...checkLowRank(X, k, output, expected) }));
        const verdict = allOf(reports.map((r) => (calls.length > 1 ? labelled(`k = ${r.k}`, r.verdict) : r.verdict)));
        const isPhoto = caseName.startsWith('the photo');
        const lines: string[] = [];
        for (const r of reports) {
          const r0 = Math.min(r.X.length, r.X[0].length);
          if (!Number.isFinite(r.error) || r.k === 0 || r.k >= r0) continue;
          const random = randomProjectionError(r.X, r.k, rng);
          const n = r.X.length;
          const d = r.X[0].length;
          const photoFacts = isPhoto ? `, PSNR ${psnr(r.error, n, d).toFixed(1)} dB, storage ${rankKStorage(r.k, n, d)} numbers instead of ${n * d}` : '';
          lines.push(`k = ${r.k}: your error ${fmt(r.error)} (optimum ${fmt(r.optimum)})${photoFacts}; a random rank-${r.k} projection of the rows gives ${fmt(random)}, ${(random / r.error).toFixed(1)}× more`);
        }
        const message = verdict.score === 1 ? (lines.length ? lines.join('\n') : 'correct') : [verdict.message, ...lines].join('\n');
        const withMessage: Verdict = { ...verdict, message };
        if (!isPhoto || !visible) return withMessage;
        const original = calls[0].args[0];
        const pictures = drawn(() => [
          photoFigure(original, reports.filter((r) => Number.isFinite(r.error)).map((r) => ({ k: r.k, pixels: r.output, psnr: psnr(r.error, original.length, original[0].length) })), PHOTO_CREDIT),
        ]);
        return { ...withMessage, figures: pictures };
      },
      mistakes: [
        {
          id: 'low-rank-keeps-extra',
          hint: 'Your approximation has rank k + 1: it keeps one singular value too many. Keep exactly σ₁ … σ_k (0-based indices 0 … k−1).',
          matches: sameAs(lowRankKeepsExtra.lowRankApprox, { rtol: 1e-6, atol: 1e-6 }),
        },
      ],
    }),
    problem({
      export: 'pca',
      title: 'PCA: mean, scale, components, explained variance, loadings',
      points: 20,
      timeoutMs: 10_000,
      reference: reference.pca,
      output: pcaOutput,
      cases: [
        { name: 'offset data 40×6, k = 2', args: (rng) => [offsetData(rng, 40, 6, [3, 2, 1, 0.5, 0.3, 0.2]), 2] },
        {
          name: 'standardized, with a constant column, k = 3',
          args: (rng) => {
            // 0.1 thirty times: a mean accumulated as Σx/n leaves a residue of 5e-17, and a
            // standard deviation compared with 0 instead of a tolerance becomes 4e-17.
            const X = offsetData(rng, 30, 5, [2, 1.5, 1, 0.5, 0.2]).map((row) => row.map((v, j) => (j === 0 ? 0.1 : v * (j + 1))));
            return [X, 3, true];
          },
        },
        { name: 'Boston housing, standardized, all 12 components', args: () => [bostonFeatures(), 12, true] },
        { name: 'iris, k = 2', args: () => [loadIris().X, 2] },
        // 200 real MNIST digits (a different subset per student), 28 × 28 flattened: d = 784 > n.
        { ...costly, name: 'MNIST digits 200×784, k = 8', args: (rng) => [sampleMnist(rng, 200).images, 8] },
        {
          name: 'random data, standardized or not',
          visibility: 'hidden',
          weight: 2,
          args: (rng) => {
            const d = rng.int(3, 9);
            const deviations = sortedSpectrum(rng.vector(d, () => rng.uniform(0.2, 4)));
            return [offsetData(rng, rng.int(d + 2, 40), d, deviations), rng.int(1, d - 1), rng.next() < 0.5];
          },
        },
      ],
      check: ({ args: [X, k, standardize = false], output, expected, caseName, visible }) => {
        const verdict = checkPca(X, k, standardize, output, expected);
        if (!visible) return verdict;
        if (caseName.startsWith('iris')) return { ...verdict, figures: drawn(() => [irisScatter(output.loadings, loadIris().species)]) };
        if (caseName.startsWith('MNIST digits')) return { ...verdict, figures: drawn(() => [eigenDigits(output.components, MNIST_SIDE)]) };
        if (caseName.startsWith('Boston')) return { ...verdict, figures: drawn(() => [explainedVarianceFigure(output.explainedVarianceRatio, 'the standardized Boston data')]) };
        return verdict;
      },
      mistakes: [
        {
          id: 'components-as-columns',
          hint: 'Your components are d×k, one direction per column (that is V_k). The grader expects k×d, one principal direction per row: return V_kᵀ.',
          // Stryker disable next-line OptionalChaining: reached only when output.components.length === X[0].length ≥ 1, so components[0] exists
          matches: ({ args: [X, k], output }) => k !== X[0].length && output.components.length === X[0].length && output.components[0]?.length === k,
        },
        {
          id: 'pca-not-centred',
          hint: 'Your components are the top singular vectors of the data without centring. Subtract the column means first: otherwise the first component mostly points at the mean, not along the direction of largest variance.',
          matches: ({ args: [X, k, standardize = false], output }) => {
            if (output.components.length !== k || output.components[0]?.length !== X[0].length) return false;
            const mean = columnMeans(X);
            const scale = standardize ? populationScales(X, mean) : X[0].map(() => 1);
            const uncentred = uncentredDirections(X, scale, k);
            // Where centring leaves the top-k subspace where it was (k = d spans everything),
            // no answer can show this mistake.
            if (sameSubspace(uncentred, topDirections(normalized(X, mean, scale), k), 0.999)) return false;
            return sameSubspace(output.components, uncentred, 0.999);
          },
        },
        {
          id: 'pca-sample-std',
          hint: 'Your scale is the sample standard deviation (dividing by n − 1). Standardize with the population standard deviation, dividing by n, as scikit-learn\'s StandardScaler does.',
          matches: ({ args: [X, , standardize = false], output }) => {
            if (!standardize) return false;
            const mean = columnMeans(X);
            const constant = constantColumns(X);
            const sums = mean.map((m, j) => (constant[j] ? 0 : X.reduce((sum, row) => sum + (row[j] - m) ** 2, 0)));
            return sums.some((s) => s > 0) && output.scale.length === mean.length && output.scale.every((s, j) => (sums[j] > 0 ? Math.abs(s - Math.sqrt(sums[j] / (X.length - 1))) <= 1e-9 * s : true));
          },
        },
        {
          id: 'pca-rounding-residue',
          hint: 'A column of X is constant, yet your scale for it is tiny (around 1e-17) instead of 1: rounding in the mean left a residue, your standard deviation is that rounding error rather than 0, and dividing by it turned the column of Z into ±1s. Compare the standard deviation with a tolerance, not with 0 (e.g. treat s ≤ 1e-12 × the largest |value| of the column as 0), and give such a column scale 1.',
          matches: ({ args: [X, , standardize = false], output }) =>
            standardize && output.scale.length === X[0].length && constantColumns(X).some((constant, j) => constant && output.scale[j] !== 0 && Math.abs(output.scale[j]) <= 1e-10 * Math.max(1, Math.abs(X[0][j]))),
        },
        {
          id: 'loadings-without-sigma',
          hint: 'Your loadings are U_k: each column has length 1. The loading vectors are U_k·Σ_k = Z·V_k, the coordinates of each example along the components.',
          matches: ({ args: [X, k], output, expected }) => {
            // Stryker disable next-line OptionalChaining: reached only when output.loadings.length === X.length ≥ 1, so loadings[0] exists
            if (output.loadings.length !== X.length || k === 0 || output.loadings[0]?.length !== k) return false;
            const unitColumns = (L: Matrix): boolean => Array.from({ length: k }, (_, j) => Math.hypot(...L.map((row) => row[j]))).every((norm) => Math.abs(norm - 1) <= 1e-6);
            // Only where the right loadings are not unit columns themselves (σᵢ = 1 for all i ≤ k).
            return unitColumns(output.loadings) && !unitColumns(expected.loadings);
          },
        },
      ],
    }),
    problem({
      export: 'reconstruct',
      title: 'The decoder: from loadings back to data',
      points: 5,
      // \`mlgrade check\` measured the reference's slowest call at 0.9–1.0 s on a slow day in CI
      // (2026-12-02), which the default 2 s did not leave 5× room for. (Where that second goes was
      // not measured.)
      timeoutMs: 10_000,
      reference: reference.reconstruct,
      output: matrix,
      cases: [
        { name: 'random, no scaling', args: (rng) => [rng.matrix(10, 3), orthonormalRows(rng, 3, 6), rng.vector(6, () => rng.uniform(-5, 5)), [1, 1, 1, 1, 1, 1]] },
        { name: 'standardized (scale ≠ 1)', args: (rng) => [rng.matrix(8, 2), orthonormalRows(rng, 2, 5), rng.vector(5, () => rng.uniform(-5, 5)), rng.vector(5, () => rng.uniform(0.5, 3))] },
        {
          ...costly,
          name: 'MNIST digits from k = 12 loadings',
          args: (rng) => {
            const { images } = sampleMnist(rng, 200);
            const fit = reference.pca(images, 12);
            return [fit.loadings.slice(0, 8), fit.components, fit.mean, fit.scale];
          },
        },
        { name: 'random', visibility: 'hidden', args: (rng) => { const d = rng.int(3, 9); const k = rng.int(1, d); return [rng.matrix(rng.int(2, 12), k), orthonormalRows(rng, k, d), rng.vector(d, () => rng.uniform(-5, 5)), rng.vector(d, () => rng.uniform(0.5, 3))]; } },
      ],
      check: ({ args: [, components, mean], output, expected, caseName, visible, inputRng }) => {
        const verdict = allClose(output, expected, { name: 'X', rtol: 1e-9, atol: 1e-9 * Math.max(1, ...mean.map(Math.abs)) });
        if (!visible || !caseName.startsWith('MNIST digits')) return verdict;
        // The digits the loadings came from: the case's draw replayed.
        const originals = sampleMnist(inputRng(), 200).images.slice(0, output.length);
        return { ...verdict, figures: drawn(() => [digitReconstructions(originals, output, MNIST_SIDE, components.length)]) };
      },
      mistakes: [
        {
          id: 'reconstruct-forgets-mean',
          hint: 'You did not add the mean back. The decoder undoes the encoder in reverse: x ≈ (z·components) ∘ scale + mean.',
          matches: sameAs(reconstructForgetsMean.reconstruct),
        },
      ],
    }),
    problem({
      export: 'componentsForVariance',
      title: 'How many components keep a given share of the variance',
      points: 5,
      reference: reference.componentsForVariance,
      output: finiteNumber,
      cases: [
        // The second call (0.7, passed between two cumulative shares) keeps the strict-inequality
        // hint for the answer that mistake gives: an answer one too large everywhere fails it too.
        { name: 'a target reached exactly: [0.5, 0.25, 0.125, 0.0625, 0.0625] and 0.75 (and 0.7)', calls: () => [[[0.5, 0.25, 0.125, 0.0625, 0.0625], 0.75], [[0.5, 0.25, 0.125, 0.0625, 0.0625], 0.7]] },
        { name: 'Boston housing, standardized: 90 % of the variance', args: () => [reference.pca(bostonFeatures(), 12, true).explainedVarianceRatio, 0.9] },
        { name: 'targets 0.5, 0.8 and 0.99 on a random spectrum', calls: (rng) => { const ratios = randomRatios(10, () => rng.uniform(0, 3)); return [[ratios, 0.5], [ratios, 0.8], [ratios, 0.99]]; } },
        { name: 'random', visibility: 'hidden', calls: (rng) => Array.from({ length: 3 }, () => [randomRatios(rng.int(3, 15), () => rng.normal()), rng.uniform(0.3, 0.97)]) },
      ],
      check: ({ calls }) =>
        allOf(calls.map(({ args: [ratios, target], output, expected }) => {
          const sum = ratios.slice(0, expected).reduce((s, r) => s + r, 0);
          return invariant(output === expected, `for target ${fmt(target)}: expected k = ${expected} (the first ${expected} ratios add up to ${fmt(sum)} ≥ ${fmt(target)}, the first ${expected - 1} do not), got ${fmt(output)}`);
        })),
      mistakes: [
        {
          id: 'variance-strict-inequality',
          hint: 'You stop only when the cumulative share exceeds the target. "Reaches" includes equality: stop at the first k whose cumulative ratio is ≥ the target.',
          matches: sameAs(varianceStrictInequality.componentsForVariance),
        },
      ],
    }),
    problem({
      export: 'trainLinearAutoencoder',
      title: 'The linear autoencoder trained by gradient descent finds the PCA subspace',
      points: 15,
      timeoutMs: 30_000,
      reference: reference.trainLinearAutoencoder,
      output: record({ W1: matrix, W2: matrix, losses: vector }),
      cases: [
        {
          name: 'clear spectrum, d = 8, k = 2',
          args: (rng) => [offsetData(rng, 200, 8, [2, 1.5, 0.8, 0.5, 0.3, 0.2, 0.1, 0.05], AUTOENCODER_OFFSET), 2, { epochs: 500, learningRate: 0.05, seed: rng.int(1, 1_000_000) }],
        },
        { name: 'iris, standardized, k = 2', args: (rng) => [standardized(loadIris().X), 2, { epochs: 600, learningRate: 0.05, seed: rng.int(1, 1_000_000) }] },
        {
          name: 'random spectrum',
          visibility: 'hidden',
          args: (rng) => {
            const d = rng.int(5, 9);
            const k = rng.int(1, 3);
            const top = Array.from({ length: k }, () => rng.uniform(1.2, 2));
            const rest = Array.from({ length: d - k }, () => rng.uniform(0.05, 0.6));
            return [offsetData(rng, 150, d, [...sortedSpectrum(top), ...sortedSpectrum(rest)], AUTOENCODER_OFFSET), k, { epochs: 500, learningRate: 0.05, seed: rng.int(1, 1_000_000) }];
          },
        },
      ],
      check: ({ args: [X, k, options], output, visible }) => {
        const { verdict, loss, optimum } = checkAutoencoder(X, k, options.epochs, output);
        const summary = Number.isFinite(loss) ? `final loss ${fmt(loss)}, ${fmt(loss / optimum)}× the PCA optimum ${fmt(optimum)}` : '';
        // Stryker disable next-line StringLiteral: unreachable: a score of 1 needs a finite loss (NaN fails loss ≤ 1.02·optimum), and then summary is not empty
        const message = verdict.score === 1 ? summary || 'correct' : verdict.message;
        const figures = visible && Number.isFinite(loss) ? drawn(() => [lossCurve(output.losses, optimum)]) : [];
        return { ...verdict, message, ...(figures.length ? { figures } : {}) };
      },
      mistakes: [
        {
          id: 'autoencoder-not-centred',
          hint: 'Your autoencoder was trained on X without centring: its decoder spans the directions of the uncentred data, which are pulled towards the mean. Subtract the column means before training (PCA is the optimal autoencoder for centred data).',
          matches: ({ args: [X, k], output }) => {
            // (A W2 of other than k rows spans no subspace sameSubspace takes for the uncentred one.)
            if (output.W2[0]?.length !== X[0].length) return false;
            const uncentred = topDirections(X, k);
            // Only where the uncentred directions are not also the right ones.
            return !sameSubspace(uncentred, topDirections(centerColumns(X).centered, k), 0.99) && sameSubspace(output.W2, uncentred, 0.99);
          },
        },
      ],
    }),
    problem({
      export: 'genesMirrorGeography',
      title: 'Genes mirror geography: a map from genotypes',
      points: 10,
      timeoutMs: 10_000,
      reference: reference.genesMirrorGeography,
      output: matrix,
      cases: [
        { name: `${GENES.individuals} individuals, ${GENES.loci} loci`, args: (rng) => [generateGenotypes(rng, GENES).genotypes] },
        { name: 'another population', visibility: 'hidden', args: (rng) => [generateGenotypes(rng, GENES).genotypes] },
      ],
      check: ({ args: [genotypes], output, inputRng, visible }) => {
        if (output.length !== genotypes.length || output[0].length !== 2) return fail(`the map is ${output.length}×${output[0]?.length ?? 0}; expected ${genotypes.length}×2 (one 2-D loading vector per individual)`);
        const { places } = generateGenotypes(inputRng(), GENES);
        const { correlation } = procrustes(places, output);
        const verdict = invariant(
          correlation >= PROCRUSTES_MIN_CORRELATION,
          `after the best rotation, reflection, scaling and shift, your map matches the true birth places with a Procrustes correlation of ${correlation.toFixed(3)}; at least ${PROCRUSTES_MIN_CORRELATION} is expected`,
          { correlation },
        );
        const result: Verdict = verdict.score === 1 ? pass(`Procrustes correlation with the true birth places: ${correlation.toFixed(3)}`, { correlation }) : verdict;
        return visible ? { ...result, figures: drawn(() => [genesMap(places, output, correlation)]) } : result;
      },
      mistakes: [
        {
          id: 'genes-not-centred',
          hint: 'Your map looks like the loadings of the uncentred genotype matrix: its first component is spent on the average genotype. Centre the columns first (your pca does this).',
          matches: ({ args: [genotypes], output }) => {
            // Stryker disable next-line OptionalChaining: reached only when output.length === genotypes.length ≥ 1, so output[0] exists
            if (output.length !== genotypes.length || output[0]?.length !== 2) return false;
            const { U, S } = graderSvd(genotypes);
            const uncentred = U.map((row) => [row[0] * S[0], row[1] * S[1]]);
            const centred = graderSvd(centerColumns(genotypes).centered);
            // Only where the uncentred map is not (nearly) the centred one as well.
            if (procrustes(uncentred, centred.U.map((row) => [row[0] * centred.S[0], row[1] * centred.S[1]])).correlation >= 0.999) return false;
            return procrustes(uncentred, output).correlation >= 0.999;
          },
        },
      ],
    }),
    // mlgrade new-problem adds problems above this line.
  ],
});
