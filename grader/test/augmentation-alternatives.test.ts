import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAssignment } from '../src/assignment/load.ts';
import { render } from '../src/report/render.ts';
import { fullMarks, gradedInTurn, GRADING_BACKEND, PROJECT_ROOT, scorecard } from './helpers.ts';

// The augmentation checks compare the pixel operations exactly (a rotation either way where a
// position is within rounding of halfway between pixels), the value operations within 1e-9,
// randomAugment by re-applying what it reports and by the spread of its draws, and the
// experiment by the grader's own measurement of the two returned networks. So every correct
// submission must get full marks. Two written independently of the reference (by someone who
// never read it), graded through the real grader (sandbox, model transfer, hidden cases):
//   arrays  nested arrays, seedrandom, every operation every time in a fixed order, a CNN of
//           8 and 16 3×3 filters trained with model.fit;
//   typed   flat Float64Arrays and one inverse map for every geometric operation, mulberry32,
//           each operation only sometimes and in a shuffled order, 5×5 filters and a training
//           loop of its own (optimizer.minimize).

const assignment = await loadAssignment('augmentation');
const FIXTURES = path.join(PROJECT_ROOT, 'grader/test/fixtures/augmentation-alternatives');
const STUDENTS = { arrays: 'ada', typed: 'grace' };
// Grading one augmentation submission takes ~30–40 s here on wasm (four trainings).
const TIMEOUT_MS = 400_000;

// One after the other (see gradedInTurn).
const gradings = gradedInTurn(assignment, FIXTURES, [['arrays', STUDENTS.arrays], ['typed', STUDENTS.typed]]);

describe('augmentation: correct alternatives to the reference get full marks', () => {
  it(`nested arrays, seedrandom, model.fit (student ${STUDENTS.arrays})`, async () => {
    const [result] = await gradings();
    expect(result.loadError).toBeUndefined();
    expect(scorecard(result)).toEqual(fullMarks(result));
    expect(result.score).toBe(result.maxScore);
    expect(result.backend).toBe(GRADING_BACKEND);
  }, TIMEOUT_MS);

  it(`flat typed arrays, mulberry32, a training loop of its own (student ${STUDENTS.typed}); the pictures`, async () => {
    const [, result] = await gradings();
    expect(result.loadError).toBeUndefined();
    expect(scorecard(result)).toEqual(fullMarks(result));
    const cases = result.problems.flatMap((p) => p.cases.map((c) => ({ problem: p.name, ...c })));
    const figures = cases.flatMap((c) => (c.figures ?? []).map((f) => [c.problem, f.mediaType]));
    expect(figures).toEqual([
      ['rotate90', 'image/png'],
      ['shift', 'image/png'],
      ['rotate', 'image/png'],
      ['rotate', 'image/png'],
      ['randomAugment', 'image/png'],
      ['augmentDataset', 'image/png'],
      ['trainWithAugmentation', 'image/svg+xml'],
    ]);
    const html = render('html', result);
    expect(html.match(/<img src="data:image\/(png|svg\+xml);base64,/g)).toHaveLength(figures.length);
  }, TIMEOUT_MS);
});
