import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAssignment } from '../src/assignment/load.ts';
import type { Result } from '../src/result/schema.ts';
import { gradeSubmission } from '../src/run/grade.ts';
import { fullMarks, PROJECT_ROOT, scorecard } from './helpers.ts';

// The node-embeddings checks judge walks and embeddings by invariants (steps along edges, a
// chi-square test of uniform steps, a seed that fixes the walks, the structure of U_k·sqrt(Σ_k),
// nearest neighbours of the same faction or block), never number for number against the
// reference's seedrandom walks. So every correct submission must get full marks, whatever its
// generator, walk order or factorization. Two independently written submissions prove it:
//   loops      no imports: mulberry32, walks node by node, co-occurrence pair by pair, PPMI from
//              probabilities, cyclic Jacobi eigendecomposition of the PPMI matrix (σ = |λ|);
//   ml-matrix  seedrandom's Alea generator, neighbour Sets, a sliding-window co-occurrence,
//              ml-matrix's symmetric EigenvalueDecomposition ordered by |λ|.

const assignment = await loadAssignment('node-embeddings');
const FIXTURES = path.join(PROJECT_ROOT, 'grader/test/fixtures/node-embeddings-alternatives');
// Visible inputs (and the seeds of the walks) depend on the student id: three each.
const STUDENTS = { loops: ['ada', 'grace', 'emmy'], mlMatrix: ['alan', 'edsger', 'barbara'] } as const;
// Grading one node-embeddings submission takes about 1 s here; six at once on 2 cores, a few times that.
const TIMEOUT_MS = 240_000;

const grade = (fixture: string, student: string): Promise<Result> => gradeSubmission({ assignment, submissionDir: path.join(FIXTURES, fixture), student, seed: '0', secret: 'test-secret' });

// All six gradings run at once: calls are limited by the CPU time they use, so a busy machine costs no points.
let gradings: Promise<{ loops: Result[]; mlMatrix: Result[] }>;
beforeAll(() => {
  gradings = (async () => {
    const [loops, mlMatrix] = await Promise.all([Promise.all(STUDENTS.loops.map((s) => grade('loops', s))), Promise.all(STUDENTS.mlMatrix.map((s) => grade('ml-matrix', s)))]);
    return { loops, mlMatrix };
  })();
  // Rejections are reported by the tests that await them.
  gradings.catch(() => undefined);
});

describe('node-embeddings: correct alternatives to the reference get full marks', () => {
  it.each(STUDENTS.loops.map((student, i) => ({ student, i })))('plain loops, mulberry32 walks node by node, Jacobi eigendecomposition (student $student)', async ({ i }) => {
    const result = (await gradings).loops[i];
    expect(result.loadError).toBeUndefined();
    expect(scorecard(result)).toEqual(fullMarks(result));
    expect(result.score).toBe(result.maxScore);
  }, TIMEOUT_MS);

  it.each(STUDENTS.mlMatrix.map((student, i) => ({ student, i })))('seedrandom Alea, a sliding window, ml-matrix EigenvalueDecomposition (student $student)', async ({ i }) => {
    const result = (await gradings).mlMatrix[i];
    expect(result.loadError).toBeUndefined();
    expect(scorecard(result)).toEqual(fullMarks(result));
    expect(result.score).toBe(result.maxScore);
  }, TIMEOUT_MS);
});
