import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAssignment } from '../src/assignment/load.ts';
import { render } from '../src/report/render.ts';
import { fullMarks, gradedInTurn, GRADING_BACKEND, PROJECT_ROOT, scorecard } from './helpers.ts';

// The understanding-layers checks compare activations with the layer's own output (float32
// tolerance), top-k lists by a rule that lets rounding-level near-ties go either way, and an
// ascent by the objective the grader computes at its result. So every correct submission must
// get full marks. Two independently written ones, graded through the real grader (sandbox,
// model transfer, hidden cases), prove it:
//   loops    layers applied one by one to concrete tensors, channel means and the top-k in
//            float64 JS loops, a hand-written mulberry32 start, the update and clip in JS;
//   tensors  tf.model from the model's own symbolic tensors, tf.mean and tf.topk (ties then
//            put in index order), a tf.randomUniform start, tf.variable with variableGrads.

const assignment = await loadAssignment('understanding-layers');
const FIXTURES = path.join(PROJECT_ROOT, 'grader/test/fixtures/understanding-layers-alternatives');
const STUDENTS = { loops: 'ada', tensors: 'grace' };
// Grading one understanding-layers submission takes ~10 s here on wasm.
const TIMEOUT_MS = 300_000;

// One after the other (see gradedInTurn).
const gradings = gradedInTurn(assignment, FIXTURES, [['loops', STUDENTS.loops], ['tensors', STUDENTS.tensors]]);

describe('understanding-layers: correct alternatives to the reference get full marks', () => {
  it(`layers one by one, float64 loops, a mulberry32 start (student ${STUDENTS.loops})`, async () => {
    const [result] = await gradings();
    expect(result.loadError).toBeUndefined();
    expect(scorecard(result)).toEqual(fullMarks(result));
    expect(result.score).toBe(result.maxScore);
    expect(result.backend).toBe(GRADING_BACKEND);
  }, TIMEOUT_MS);

  it(`tf.model, tf.topk, tf.variable (student ${STUDENTS.tensors}); the pictures`, async () => {
    const [, result] = await gradings();
    expect(result.loadError).toBeUndefined();
    expect(scorecard(result)).toEqual(fullMarks(result));
    const cases = result.problems.flatMap((p) => p.cases.map((c) => ({ problem: p.name, ...c })));
    const figures = cases.flatMap((c) => (c.figures ?? []).map((f) => [c.problem, c.visibility, f.mediaType]));
    expect(figures).toEqual([
      ['layerActivations', 'visible', 'image/png'],
      ['layerActivations', 'visible', 'image/png'],
      ...Array.from({ length: 3 }, () => ['topActivatingInputs', 'visible', 'image/png']),
      ...Array.from({ length: 2 }, () => ['activationMaximization', 'visible', 'image/png']),
    ]);
    const html = render('html', result);
    expect(html.match(/<img src="data:image\/(png|svg\+xml);base64,/g)).toHaveLength(figures.length);
  }, TIMEOUT_MS);
});
