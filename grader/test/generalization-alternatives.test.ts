import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAssignment } from '../src/assignment/load.ts';
import { render } from '../src/report/render.ts';
import { fullMarks, gradedInTurn, GRADING_BACKEND, PROJECT_ROOT, scorecard } from './helpers.ts';

// The generalization checks test random labels and random features by their distribution,
// the memorising network and the double-descent curve by what the grader measures of them,
// and minimum-norm least squares against the grader's own pseudo-inverse within 1e-6. So every
// correct submission must get full marks. Two written independently of the reference (by
// someone who never read it), graded through the real grader (sandbox, model transfer, hidden
// cases):
//   svd  seedrandom, W drawn column by column from Box–Muller normals, the MLP trained with
//        model.fit on a seeded order of its own, the pseudo-inverse from ml-matrix's SVD;
//   qr   mulberry32 and Marsaglia's polar normals, the MLP trained in a loop of its own
//        (optimizer.minimize), and no SVD: Householder QR with column pivoting on A or Aᵀ, a
//        complete orthogonal decomposition where A is rank-deficient.

const assignment = await loadAssignment('generalization');
const FIXTURES = path.join(PROJECT_ROOT, 'grader/test/fixtures/generalization-alternatives');
const STUDENTS = { svd: 'ada', qr: 'grace' };
// Grading one generalization submission takes ~20–40 s here on wasm (two trainings, two curves).
const TIMEOUT_MS = 400_000;

// One after the other (see gradedInTurn).
const gradings = gradedInTurn(assignment, FIXTURES, [['svd', STUDENTS.svd], ['qr', STUDENTS.qr]]);

describe('generalization: correct alternatives to the reference get full marks', () => {
  it(`the pseudo-inverse by SVD (student ${STUDENTS.svd})`, async () => {
    const [result] = await gradings();
    expect(result.loadError).toBeUndefined();
    expect(scorecard(result)).toEqual(fullMarks(result));
    expect(result.score).toBe(result.maxScore);
    expect(result.backend).toBe(GRADING_BACKEND);
  }, TIMEOUT_MS);

  it(`the pseudo-inverse by Householder QR, no SVD (student ${STUDENTS.qr}); the pictures`, async () => {
    const [, result] = await gradings();
    expect(result.loadError).toBeUndefined();
    expect(scorecard(result)).toEqual(fullMarks(result));
    const cases = result.problems.flatMap((p) => p.cases.map((c) => ({ problem: p.name, ...c })));
    const figures = cases.flatMap((c) => (c.figures ?? []).map((f) => [c.problem, f.mediaType]));
    expect(figures).toEqual([
      ['memorize', 'image/svg+xml'],
      ['doubleDescentCurve', 'image/svg+xml'],
    ]);
    const html = render('html', result);
    expect(html).toContain('Your double-descent curve');
  }, TIMEOUT_MS);
});
