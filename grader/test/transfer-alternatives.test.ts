import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAssignment } from '../src/assignment/load.ts';
import { render } from '../src/report/render.ts';
import { fullMarks, gradedInTurn, GRADING_BACKEND, PROJECT_ROOT, scorecard } from './helpers.ts';

// The transfer checks compare features with the network's own layer (float32 tolerance),
// nearest neighbours with ties decided by the grader, softmax regression by the objective's
// value at the returned weights, and the few-shot classifier by accuracy. So every correct
// submission must get full marks. Two independently written ones, graded through the real
// grader (sandbox, model transfer, hidden cases), prove it:
//   loops    the extractor as a tf.sequential of the model's own layers (shared, so
//            `layer.output` on that model throws afterwards), features in batches, 1-NN through
//            ‖a‖² + ‖b‖² − 2⟨a, b⟩, softmax regression in float64 with ml-matrix, nearest class
//            means of unit-length `flatten` features;
//   tensors  the extractor from `model.input`, everything in float32 tfjs from a zero start,
//            cosine 1-NN on `flatten` features.

const assignment = await loadAssignment('transfer');
const FIXTURES = path.join(PROJECT_ROOT, 'grader/test/fixtures/transfer-alternatives');
const STUDENTS = { loops: 'ada', tensors: 'grace' };
// Grading one transfer submission takes ~10 s here on wasm.
const TIMEOUT_MS = 300_000;

// One after the other (see gradedInTurn).
const gradings = gradedInTurn(assignment, FIXTURES, [['loops', STUDENTS.loops], ['tensors', STUDENTS.tensors]]);

describe('transfer: correct alternatives to the reference get full marks', () => {
  it(`shared layers, float64 loops and ml-matrix, nearest class means (student ${STUDENTS.loops})`, async () => {
    const [result] = await gradings();
    expect(result.loadError).toBeUndefined();
    expect(scorecard(result)).toEqual(fullMarks(result));
    expect(result.score).toBe(result.maxScore);
    expect(result.backend).toBe(GRADING_BACKEND);
  }, TIMEOUT_MS);

  it(`float32 tensors from a zero start, cosine 1-NN (student ${STUDENTS.tensors}); the experiment's numbers and pictures`, async () => {
    const [, result] = await gradings();
    expect(result.loadError).toBeUndefined();
    expect(scorecard(result)).toEqual(fullMarks(result));
    const cases = result.problems.flatMap((p) => p.cases.map((c) => ({ problem: p.name, ...c })));
    const experiment = cases.find((c) => c.name.startsWith('the experiment'))!;
    expect(experiment.message).toMatch(/^1-NN accuracy on the digits 5–9 over 300 support sets each \(95 % intervals\):\nraw pixels \(784\): 1-shot 0\.4\d\d ± 0\.0\d\d, 5-shot 0\.[67]\d\d ± 0\.00\d\nyour features \(128\): 1-shot 0\.5\d\d/);
    const figures = cases.flatMap((c) => (c.figures ?? []).map((f) => [c.problem, c.visibility, f.mediaType]));
    expect(figures).toEqual([
      ['extractFeatures', 'visible', 'image/svg+xml'],
      ['extractFeatures', 'visible', 'image/png'],
    ]);
    const html = render('html', result);
    expect(html.match(/<img src="data:image\/(png|svg\+xml);base64,/g)).toHaveLength(figures.length);
  }, TIMEOUT_MS);
});
