import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAssignment } from '../src/assignment/load.ts';
import { gradeSubmission } from '../src/run/grade.ts';
import { checkAssignment } from '../src/selftest/check.ts';
import type { Result } from '../src/result/schema.ts';
import { GRADING_BACKEND, PROJECT_ROOT, tempDir } from './helpers.ts';

const ROOT = path.join(PROJECT_ROOT, 'grader/test/fixtures/tensor-project');
const assignment = await loadAssignment('toy-tensors', ROOT);
const grade = (submissionDir: string): Promise<Result> => gradeSubmission({ assignment, submissionDir, student: 's1', secret: 'tensor-test' });
const problem = (result: Result, name: string) => result.problems.find((p) => p.name === name)!;

const SOLUTION = `import * as tf from '@tensorflow/tfjs';
export async function fitLine(x: tf.Tensor2D, y: tf.Tensor2D, model: tf.LayersModel, epochs: number) {
  model.compile({ optimizer: tf.train.sgd(0.5), loss: 'meanSquaredError' });
  await model.fit(x, y, { epochs, batchSize: x.shape[0], verbose: 0, shuffle: false });
  return { predictions: model.predict(x) as tf.Tensor2D, model };
}
`;

describe('a tensor assignment end to end', () => {
  it('passes tensors and a model in, gets a tensor and a trained model back, and evaluates the model on held-out data', async () => {
    const result = await grade(path.join(ROOT, 'solutions/toy-tensors'));
    expect(result.backend).toBe(GRADING_BACKEND);
    expect(result.score).toBe(3);
    expect(problem(result, 'fitLine').cases[0]).toMatchObject({ status: 'pass' });
  });

  it('judges the returned model, not the predictions the student reports', async () => {
    // Right predictions (copied from y), untrained model: the held-out evaluation catches it.
    const dir = tempDir({ 'fit.ts': "import * as tf from '@tensorflow/tfjs';\nexport const scale = (t: tf.Tensor, f: number) => tf.mul(t, f);\nexport const fitLine = async (x: tf.Tensor2D, y: tf.Tensor2D, model: tf.LayersModel) => ({ predictions: y.clone(), model });\n" });
    const c = problem(await grade(dir), 'fitLine').cases[0];
    expect(c.status).toBe('fail');
    expect(c.message).toMatch(/the returned model's mean squared error on held-out points is [\d.e+-]+, expected below 1e-3/);
    expect(c.message).toContain('Hint: Train the model you were given');
  });

  it('gives tfjs to every import style: namespace, named and default, one instance shared with the runner', async () => {
    // The sandbox loads tfjs with require (see sandbox/compile.ts); each style must still work.
    const dir = tempDir({
      'fit.ts': `${SOLUTION.replace("import * as tf from '@tensorflow/tfjs';", "import * as tf from '@tensorflow/tfjs';\nimport tfDefault, { mul, Tensor } from '@tensorflow/tfjs';")}
export const scale = (t: tf.Tensor, f: number) => {
  if (!(t instanceof Tensor) || tfDefault.mul !== mul || tfDefault.getBackend() !== tf.getBackend()) throw new Error('two tfjs instances');
  return mul(t, f);
};
`,
    });
    const result = await grade(dir);
    expect(result.problems.map((p) => [p.name, p.status, p.cases[0].message])).toEqual(result.problems.map((p): unknown[] => [p.name, 'pass', expect.any(String)]));
  });

  it('reports leaked tensors as advice without costing points', async () => {
    const dir = tempDir({ 'fit.ts': `${SOLUTION}export const scale = (t: tf.Tensor, f: number) => { tf.ones([10]); tf.zeros([3]); return tf.mul(t, f); };\n` });
    const result = await grade(dir);
    expect(problem(result, 'scale')).toMatchObject({ score: 1, status: 'pass' });
    expect(problem(result, 'scale').cases[0].notes).toEqual(['scale left 2 tensors allocated; wrap temporary work in tf.tidy() or dispose() what you no longer need (this costs no points)']);
    expect(problem(result, 'fitLine').cases[0].notes).toBeUndefined();
  });

  it('refuses a model with a custom layer with a clear message', async () => {
    const dir = tempDir({
      'fit.ts': `${SOLUTION.replace('export async function fitLine', 'export async function honestFit')}
class Doubler extends tf.layers.Layer {
  static className = 'Doubler';
  override call(inputs: tf.Tensor | tf.Tensor[]) { return tf.mul(Array.isArray(inputs) ? inputs[0] : inputs, 2); }
}
tf.serialization.registerClass(Doubler);
export async function fitLine(x: tf.Tensor2D, y: tf.Tensor2D, model: tf.LayersModel, epochs: number) {
  await honestFit(x, y, model, epochs);
  const custom = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] }), new Doubler({})] });
  return { predictions: custom.predict(x) as tf.Tensor2D, model: custom };
}
export const scale = (t: tf.Tensor, f: number) => tf.mul(t, f);
`,
    });
    const c = problem(await grade(dir), 'fitLine').cases[0];
    expect(c.status).toBe('fail');
    expect(c.message).toBe('fitLine returned a value the grader could not rebuild: the model uses a layer the grader cannot rebuild (Doubler); use only built-in tf.layers, without custom layers or code');
  });

  it('validates returned tensors', async () => {
    const dir = tempDir({ 'fit.ts': `${SOLUTION}export const scale = (t: tf.Tensor) => tf.div(t, tf.zerosLike(t));\n` });
    expect(problem(await grade(dir), 'scale').cases[0].message).toBe('scale returned an invalid value: result: contains NaN or Infinity');
    const plain = tempDir({ 'fit.ts': `${SOLUTION}export const scale = () => [[1, 2]];\n` });
    expect(problem(await grade(plain), 'scale').cases[0].message).toBe('scale returned an invalid value: result: expected a tf.Tensor, got an array of length 1');
  });

  it('passes mlgrade check (reference, starter, mistakes, determinism)', async () => {
    const rows = await checkAssignment(assignment);
    expect(rows.filter((r) => !r.ok)).toEqual([]);
  }, 240_000);
});
