import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { digits, pcaBasis, pcaReconstruct } from '../../assignments/autoencoders/data.ts';
import { loadAssignment } from '../src/assignment/load.ts';
import { createRng } from '../src/cases/rng.ts';
import { svd } from '../src/linalg/svd.ts';
import { initTensorBackend } from '../src/tensor/backend.ts';
import { fullMarks, gradedInTurn, GRADING_BACKEND, PROJECT_ROOT, scorecard } from './helpers.ts';

// The autoencoder checks judge models by what they do on digits the student's code never saw
// (errors against PCA, denoising ratios, Fréchet distances, PSNR), so every correct
// submission must get full marks, whatever its architecture, loss or byte format. Two
// independently written submissions, graded through the real grader (sandbox, model
// transfer, the follow-up process for decompress, hidden cases), prove it:
//   conv       strided convolutions and transposed convolutions, MSE in a tf.variableGrads
//              loop (Adam 0.005), Box–Muller noise per batch, covariance with divisor m and
//              ml-matrix's Cholesky, ONE float64 range for all code values, bits packed
//              least significant first;
//   dense-bce  784 → 128 → k, binary cross-entropy through tf.model and fit, a per-dimension
//              float32 range, floor quantisation decoded to bin centres, eigendecomposition
//              sampling with divisor m − 1.

const assignment = await loadAssignment('autoencoders');
const FIXTURES = path.join(PROJECT_ROOT, 'grader/test/fixtures/autoencoders-alternatives');
const STUDENTS = { conv: 'ada', denseBce: 'grace' };
// Grading one autoencoder submission takes ~40–55 s here on wasm (three trainings).
const TIMEOUT_MS = 600_000;

// One after the other (see gradedInTurn).
const gradings = gradedInTurn(assignment, FIXTURES, [['conv', STUDENTS.conv], ['dense-bce', STUDENTS.denseBce]]);

describe('autoencoders: correct alternatives to the reference get full marks', () => {
  it(`a convolutional autoencoder, one range for all codes (student ${STUDENTS.conv})`, async () => {
    const [result] = await gradings();
    expect(result.loadError).toBeUndefined();
    expect(scorecard(result)).toEqual(fullMarks(result));
    expect(result.backend).toBe(GRADING_BACKEND);
  }, TIMEOUT_MS);

  it(`a dense autoencoder trained with binary cross-entropy through fit (student ${STUDENTS.denseBce}); what the visible cases report`, async () => {
    const [, result] = await gradings();
    expect(result.loadError).toBeUndefined();
    expect(scorecard(result)).toEqual(fullMarks(result));
    const visible = (problem: string) => result.problems.find((p) => p.name === problem)!.cases.filter((c) => c.visibility === 'visible');
    const [training] = visible('trainAutoencoder');
    expect(training.message).toMatch(/^held-out MSE of decoder\(encoder\(x\)\) [\d.]+ at k = 16 \(PCA with k = 16 on the same training images: [\d.]+; yours is [\d.]+× lower than PCA's\)\nloss [\d.]+ after epoch 1 → [\d.]+ after epoch 10$/);
    const [eight] = visible('compress');
    expect(eight.message).toMatch(/^\d+ bytes for 64 images \([\d.]+ bits per pixel\); PSNR [\d.]+ dB after decompress\(compress\(x\)\) at 8 bits/);
    expect(visible('sampleImages')[0].message).toMatch(/^in digits-cnn's features: Fréchet distance [\d.]+ to the grader's own draws from the fitted Gaussian, FID [\d.]+ to held-out digits; digits-cnn sees \d+ different digits/);
  }, TIMEOUT_MS);
});

describe("the grader's PCA baseline", () => {
  beforeAll(async () => {
    await initTensorBackend();
  });

  it('reproduces the held-out error of a full SVD of the scatter matrix to 5 significant digits', () => {
    for (const k of [16, 32]) {
      const x = digits(createRng(`pca-${k}`), 2048, 'train');
      const heldOut = digits(createRng(`pca-${k}-held-out`), 512, 'test');
      const { V } = tf.tidy(() => {
        const flat = x.reshape([2048, 784]);
        const centred = tf.sub(flat, tf.mean(flat, 0));
        return { V: svd(tf.matMul(centred, centred, true, false).arraySync() as number[][], { vectors: true }).V };
      });
      const fast = pcaBasis(x, k);
      const exact = { mean: fast.mean, basis: Array.from({ length: k }, (_, j) => Float64Array.from(V, (row) => row[j])) };
      const error = (basis: typeof fast): number => tf.tidy(() => tf.mean(tf.squaredDifference(pcaReconstruct(heldOut, basis), heldOut)).dataSync()[0]);
      expect(Math.abs(error(fast) - error(exact))).toBeLessThanOrEqual(1e-5 * error(exact));
      tf.dispose([x, heldOut]);
    }
  });
});
