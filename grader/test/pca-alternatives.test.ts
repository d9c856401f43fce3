import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { loadAssignment } from '../src/assignment/load.ts';
import { render } from '../src/report/render.ts';
import type { Result } from '../src/result/schema.ts';
import { gradeSubmission } from '../src/run/grade.ts';
import { fullMarks, GRADING_BACKEND, PROJECT_ROOT, scorecard, tempDir } from './helpers.ts';

// The pca checks test mathematical invariants, so every correct method must get full marks,
// not only the reference's ml-matrix SVD. Two independently written submissions prove it:
//   eigen  eigen-decomposition of XᵀX / XXᵀ (σ = √λ), autoencoder trained with tfjs;
//   power  power iteration with deflation, no linear-algebra library, hand-written gradients.

const assignment = await loadAssignment('pca');
const FIXTURES = path.join(PROJECT_ROOT, 'grader/test/fixtures/pca-alternatives');
// Visible inputs depend on the student id; each fixture is graded for a different one. (The
// same checks were also replayed outside the sandbox on 300–2000 seeds per case, with the
// case generators, when the tolerances were set: see assignments/pca/checks.ts.)
const STUDENTS = { eigen: 'ada', power: 'grace', sqrtEigen: 'emmy' };
// Grading a whole pca submission takes 8–14 s here (the photo and the autoencoders).
const TIMEOUT_MS = 240_000;

const gradeDir = (submissionDir: string, student: string): Promise<Result> => gradeSubmission({ assignment, submissionDir, student, seed: '0', secret: 'test-secret' });
const grade = (fixture: string, student: string): Promise<Result> => gradeDir(path.join(FIXTURES, fixture), student);


/**
 * The power fixture with its `svd` replaced by sqrt-eigen-svd.ts (σ = √λ, unsorted): zero
 * singular values come back as rounding noise in arbitrary order.
 */
function sqrtEigenSubmission(): string {
  return tempDir({
    '__power__.ts': readFileSync(path.join(FIXTURES, 'power/pca.ts'), 'utf8'),
    '__svd__.ts': readFileSync(path.join(FIXTURES, 'sqrt-eigen-svd.ts'), 'utf8'),
    'pca.ts': "export * from './__power__.ts';\nexport { svd } from './__svd__.ts';\n",
  });
}

// The three gradings run at once, so each has two others beside it on this 2-core machine:
// calls are limited by the CPU time they use, so a busy machine costs no points.
let gradings: Promise<[Result, Result, Result]>;
beforeAll(() => {
  gradings = Promise.all([grade('eigen', STUDENTS.eigen), grade('power', STUDENTS.power), gradeDir(sqrtEigenSubmission(), STUDENTS.sqrtEigen)]);
  // Rejections are reported by the tests that await them.
  gradings.catch(() => undefined);
});

describe('pca: correct alternatives to the reference SVD get full marks, three gradings at a time', () => {
  it(`eigen-decomposition of the Gram matrix, autoencoder in tfjs (student ${STUDENTS.eigen})`, async () => {
    const [result] = await gradings;
    expect(result.loadError).toBeUndefined();
    expect(scorecard(result)).toEqual(fullMarks(result));
    expect(result.score).toBe(result.maxScore);
    // The submission imports tfjs, so the child started a real backend for it (wasm here,
    // where tfjs-node is not installed).
    expect(result.backend).toBe(GRADING_BACKEND);
    // It disposes every tensor it makes: no leak notes.
    expect(result.problems.flatMap((p) => p.cases.flatMap((c) => c.notes ?? []))).toEqual([]);
  }, TIMEOUT_MS);

  it(`power iteration with deflation, no libraries (student ${STUDENTS.power}); the report's pictures`, async () => {
    const [, result] = await gradings;
    expect(result.loadError).toBeUndefined();
    expect(scorecard(result)).toEqual(fullMarks(result));
    expect(result.score).toBe(result.maxScore);

    // The pictures the issue asks for, drawn from this submission's answers, on visible cases only.
    const figures = result.problems.flatMap((p) => p.cases.flatMap((c) => (c.figures ?? []).map((f) => [p.name, c.visibility, f.mediaType, f.title])));
    expect(figures).toEqual([
      ['svd', 'visible', 'image/svg+xml', 'Singular values of the standardized Boston data'],
      ['svd', 'visible', 'image/svg+xml', 'Cumulative explained variance of the standardized Boston data'],
      ['lowRankApprox', 'visible', 'image/png', 'The photo and your rank-k approximations'],
      ['pca', 'visible', 'image/svg+xml', 'Explained variance of the standardized Boston data'],
      ['pca', 'visible', 'image/svg+xml', 'Iris flowers on their first two loading variables'],
      ['pca', 'visible', 'image/png', 'Your top principal components of the digit images ("eigen-digits")'],
      ['reconstruct', 'visible', 'image/png', 'Digits and your reconstructions from k = 12 loadings'],
      ['trainLinearAutoencoder', 'visible', 'image/svg+xml', "Your autoencoder's training loss"],
      ['trainLinearAutoencoder', 'visible', 'image/svg+xml', "Your autoencoder's training loss"],
      ['genesMirrorGeography', 'visible', 'image/svg+xml', 'Your 2-D loadings, rotated and scaled onto the map'],
    ]);
    // The photo: original and three approximations of 204×256, tiled two by two, as a real PNG.
    const photo = result.problems.find((p) => p.name === 'lowRankApprox')!.cases.find((c) => c.figures)!.figures![0];
    const png = PNG.sync.read(Buffer.from(photo.data, 'base64'));
    expect(png.width).toBeGreaterThanOrEqual(2 * 256);
    expect(png.height).toBeGreaterThanOrEqual(2 * 204);
    expect(photo.caption).toMatch(/k = 5: PSNR \d+\.\d dB, 2305 numbers \(4\.4 % of 52224\)/);
    // The HTML report is one file with every picture inlined.
    const html = render('html', result);
    expect(html.match(/<img src="data:image\/(png|svg\+xml);base64,/g)).toHaveLength(figures.length);
    expect(html).not.toMatch(/src="(?!data:)/);
  }, TIMEOUT_MS);

  it(`power iteration with σ = √λ, unsorted: zero singular values as noise in any order (student ${STUDENTS.sqrtEigen})`, async () => {
    const [, , result] = await gradings;
    expect(result.loadError).toBeUndefined();
    expect(scorecard(result)).toEqual(fullMarks(result));
  }, TIMEOUT_MS);
});
