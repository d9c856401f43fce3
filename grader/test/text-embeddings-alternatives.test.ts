import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAssignment } from '../src/assignment/load.ts';
import type { Result } from '../src/result/schema.ts';
import { gradeSubmission } from '../src/run/grade.ts';
import { fullMarks, PROJECT_ROOT, scorecard } from './helpers.ts';

// The text-embeddings checks compare counts and tokens exactly, rankings with ties decided by
// the grader, and factorizations sign-free (singular values, Gram matrices, Z = X·V_k). So every
// correct submission must get full marks, whatever its SVD or the order of its arithmetic. Two
// independently written submissions prove it:
//   loops      no imports: a character scanner for tokens, cyclic Jacobi eigendecompositions
//              (with one-sided Jacobi to finish LSA), co-occurrence counted looking backwards;
//   ml-matrix  ml-matrix's SVD on the tall one of X and Xᵀ for LSA, its symmetric
//              EigenvalueDecomposition ordered by |λ| for the embeddings, a split-based tokenizer.

const assignment = await loadAssignment('text-embeddings');
const FIXTURES = path.join(PROJECT_ROOT, 'grader/test/fixtures/text-embeddings-alternatives');
// Visible inputs depend on the student id: two each.
const STUDENTS = { loops: ['ada', 'grace'], mlMatrix: ['alan', 'edsger'] } as const;
// Grading one text-embeddings submission takes about 15 s here (the SVDs of the State of the Union); four at once on 2 cores, a few times that.
const TIMEOUT_MS = 240_000;

const grade = (fixture: string, student: string): Promise<Result> => gradeSubmission({ assignment, submissionDir: path.join(FIXTURES, fixture), student, seed: '0', secret: 'test-secret' });

// All four gradings run at once: calls are limited by the CPU time they use, so a busy machine costs no points.
let gradings: Promise<{ loops: Result[]; mlMatrix: Result[] }>;
beforeAll(() => {
  gradings = (async () => {
    const [loops, mlMatrix] = await Promise.all([Promise.all(STUDENTS.loops.map((s) => grade('loops', s))), Promise.all(STUDENTS.mlMatrix.map((s) => grade('ml-matrix', s)))]);
    return { loops, mlMatrix };
  })();
  // Rejections are reported by the tests that await them.
  gradings.catch(() => undefined);
});

describe('text-embeddings: correct alternatives to the reference get full marks', () => {
  it.each(STUDENTS.loops.map((student, i) => ({ student, i })))('plain loops, a character scanner, Jacobi eigendecompositions (student $student)', async ({ i }) => {
    const result = (await gradings).loops[i];
    expect(result.loadError).toBeUndefined();
    expect(scorecard(result)).toEqual(fullMarks(result));
    expect(result.score).toBe(result.maxScore);
  }, TIMEOUT_MS);

  it.each(STUDENTS.mlMatrix.map((student, i) => ({ student, i })))('ml-matrix SVD and EigenvalueDecomposition, a split-based tokenizer (student $student)', async ({ i }) => {
    const result = (await gradings).mlMatrix[i];
    expect(result.loadError).toBeUndefined();
    expect(scorecard(result)).toEqual(fullMarks(result));
    expect(result.score).toBe(result.maxScore);
  }, TIMEOUT_MS);
});
