import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAssignment } from '../src/assignment/load.ts';
import { render } from '../src/report/render.ts';
import { fullMarks, gradedInTurn, GRADING_BACKEND, PROJECT_ROOT, scorecard } from './helpers.ts';

// The adversarial checks measure what an attack does to the model (loss reached, the ε-ball,
// accuracy), not agreement with the reference pixel by pixel, so every correct attack must get
// full marks. Two independently written submissions, graded through the real grader (sandbox,
// tensor transfer, hidden cases), prove it:
//   value-and-grad  tf.valueAndGrad over tf.metrics.categoricalCrossentropy, clipping to
//                   [0, 1] before the ε-ball, seedrandom noise, accuracy from arraySync;
//   gather-log      −mean log p[label] without clipping (tiny nonzero gradients where the
//                   reference's are 0), tf.grads, min/max bounds, xorshift noise.
// The tolerances were set by replaying every case for 10 student ids with both (see
// assignments/adversarial/checks.ts).

const assignment = await loadAssignment('adversarial');
const FIXTURES = path.join(PROJECT_ROOT, 'grader/test/fixtures/adversarial-alternatives');
const STUDENTS = { valueAndGrad: 'ada', gatherLog: 'grace' };
// Grading one adversarial submission takes ~40 s here on wasm (PGD sweeps).
const TIMEOUT_MS = 400_000;

// One after the other (see gradedInTurn).
const gradings = gradedInTurn(assignment, FIXTURES, [['value-and-grad', STUDENTS.valueAndGrad], ['gather-log', STUDENTS.gatherLog]]);

describe('adversarial: correct alternatives to the reference get full marks', () => {
  it(`tf.valueAndGrad, clip before projecting, seedrandom (student ${STUDENTS.valueAndGrad})`, async () => {
    const [result] = await gradings();
    expect(result.loadError).toBeUndefined();
    expect(scorecard(result)).toEqual(fullMarks(result));
    expect(result.score).toBe(result.maxScore);
    expect(result.backend).toBe(GRADING_BACKEND);
  }, TIMEOUT_MS);

  it(`gather and log without clipping, xorshift noise (student ${STUDENTS.gatherLog}); numbers and pictures of visible cases`, async () => {
    const [, result] = await gradings();
    expect(result.loadError).toBeUndefined();
    expect(scorecard(result)).toEqual(fullMarks(result));

    const cases = result.problems.flatMap((p) => p.cases.map((c) => ({ problem: p.name, ...c })));
    // Passing visible attack cases say what happened, in numbers.
    const pgd = cases.find((c) => c.problem === 'pgd' && c.visibility === 'visible')!;
    expect(pgd.message).toMatch(/loss clean \d\.\d{3} → FGSM \d\.\d{3} → your PGD \d\.\d{3} \(reference \d\.\d{3}\); accuracy clean 1\.000, random ±ε \d\.\d{3}, FGSM \d\.\d{3}, your PGD \d\.\d{3}/);
    // Pictures: example rows (PNG) for single attacks, accuracy-against-ε charts (SVG) for the sweeps; none for hidden cases.
    const figures = cases.flatMap((c) => (c.figures ?? []).map((f) => [c.problem, c.visibility, f.mediaType]));
    expect(figures).toEqual([
      ['fgsm', 'visible', 'image/png'],
      ['fgsm', 'visible', 'image/png'],
      ['fgsm', 'visible', 'image/png'],
      ['fgsm', 'visible', 'image/png'],
      ['fgsm', 'visible', 'image/svg+xml'],
      ['pgd', 'visible', 'image/png'],
      ['pgd', 'visible', 'image/png'],
      ['pgd', 'visible', 'image/png'],
      ['pgd', 'visible', 'image/png'],
      ['pgd', 'visible', 'image/svg+xml'],
      ['randomSignNoise', 'visible', 'image/svg+xml'],
    ]);
    const html = render('html', result);
    expect(html.match(/<img src="data:image\/(png|svg\+xml);base64,/g)).toHaveLength(figures.length);
  }, TIMEOUT_MS);
});
