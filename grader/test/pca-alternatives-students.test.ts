import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAssignment } from '../src/assignment/load.ts';
import { startBackend } from '../src/run/tensors.ts';
import { type Implementation, replayChecks, replayMemory } from '../src/selftest/replay.ts';
import { PROJECT_ROOT } from './helpers.ts';

// A correct answer must not lose points to one student's inputs: every correct alternative to
// the reference in the tests gets full marks on every case, visible and hidden, for 50 student
// ids (the reference itself: `mlgrade check pca`, which npm test runs, on 50 other ids), except that a case declaring checkStudents (the two MNIST cases: 10) is
// replayed for that many, as \`mlgrade check\` does (for all 50, these two cost 2.6 s per
// student, 130 s of this file's 290 s on 2 busy cores). The checks are replayed in this process (the same seeds, reference answers,
// output schemas, checks and detectors as grading; see selftest/replay.ts) — these are
// trusted fixtures, and a process per call would make 50 students cost an hour. Grading
// through the sandbox, with other gradings beside it, is in pca-alternatives.test.ts.

const assignment = await loadAssignment('pca');
const FIXTURES = path.join(PROJECT_ROOT, 'grader/test/fixtures/pca-alternatives');
const STUDENTS = Array.from({ length: 50 }, (_, i) => `student-${i + 1}`);
const SECRET = 'alternatives-secret';

/** An implementation, and the problems to replay for it (all when undefined). */
let implementations: Array<[string, Implementation, string[]?]>;
beforeAll(async () => {
  // The eigen fixture trains its autoencoder with tfjs: give it the backend grading would.
  await startBackend();
  const power = (await import(path.join(FIXTURES, 'power/pca.ts'))) as Implementation;
  const sqrtEigen = (await import(path.join(FIXTURES, 'sqrt-eigen-svd.ts'))) as Implementation;
  implementations = [
    ['eigen', (await import(path.join(FIXTURES, 'eigen/pca.ts'))) as Implementation],
    ['power', power],
    // σ = √λ in the order power iteration finds them: zero singular values come back as
    // rounding noise (~1e-8·σ₁) in arbitrary order. Its other functions are power's own
    // (none of them calls svd), graded above on the same inputs: only svd is replayed.
    ['power, svd by √λ unsorted', { ...power, ...sqrtEigen }, Object.keys(sqrtEigen)],
  ];
});

const memory = replayMemory();
// A case whose inputs every student shares (the photo, Boston, iris) is replayed for the
// first student only: the same inputs give a deterministic implementation the same answer
// and the same score.
const seen = new Map<string, Set<string>>();

describe('pca: every correct alternative gets full marks for 50 students', () => {
  it.each(STUDENTS.map((student, index) => [student, index] as const))('%s', async (student, index) => {
    const lost: string[] = [];
    for (const [name, implementation, problems] of implementations) {
      if (!seen.has(name)) seen.set(name, new Set());
      const cases = await replayChecks({ assignment, implementation, student, secret: SECRET, memory, skipSeenInputs: seen.get(name), problems, include: (_p, c) => index < (c.checkStudents ?? STUDENTS.length) });
      expect(cases.length).toBeGreaterThan(0);
      for (const c of cases) if (c.score < 1) lost.push(`${name}: ${c.problem} / ${c.caseName}: ${c.message}`);
    }
    expect(lost).toEqual([]);
  });
});
