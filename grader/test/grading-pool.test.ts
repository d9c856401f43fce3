import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AssignmentError, loadAssignment } from '../src/assignment/load.ts';
import { serializeResult, withoutTiming, type Result } from '../src/result/schema.ts';
import { gradeSubmission } from '../src/run/grade.ts';
import { GradingPool } from '../src/run/grading-pool.ts';
import { PROJECT_ROOT, tempDir } from './helpers.ts';

const src = (file: string) => JSON.stringify(path.join(PROJECT_ROOT, 'grader/src', file));

/** A tensor assignment: double a tensor. The check says which input it saw, so Results differ by student. */
function tensorProject(): string {
  const root = tempDir({
    'assignments/twice/assignment.ts': `
      import { defineAssignment, problem } from ${src('assignment/define.ts')};
      import { allClose } from ${src('checks/allclose.ts')};
      import { tensor } from ${src('checks/tensors.ts')};
      import * as reference from '../../solutions/twice/main.ts';
      export default defineAssignment({
        id: 'twice', title: 'Twice', module: 'main.ts', tensors: true,
        problems: [problem({
          export: 'twice', title: 'Twice', points: 1, reference: reference.twice, output: tensor({ rank: 1 }),
          cases: [{ name: 'a', args: (rng) => [reference.fromArray(rng.vector(4))] }, { name: 'b', visibility: 'hidden', args: (rng) => [reference.fromArray(rng.vector(3))] }],
          check: ({ args: [x], output, expected }) => ({ ...allClose(output.arraySync(), expected.arraySync()), message: String(x.arraySync()) }),
        })],
      });
    `,
    'solutions/twice/main.ts': `import * as tf from '@tensorflow/tfjs';
export const fromArray = (values: number[]): tf.Tensor1D => tf.tensor1d(values);
export const twice = (x: tf.Tensor1D): tf.Tensor1D => x.mul(2);
`,
  });
  // The reference imports tfjs: the project resolves packages from this one's node_modules.
  symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(root, 'node_modules'));
  return root;
}

describe('GradingPool: tensor gradings side by side in grader processes of their own', () => {
  it('gives exactly the Results that grading in this process gives, whatever order the processes finish in', async () => {
    const root = tensorProject();
    const assignment = await loadAssignment('twice', root);
    const students = ['ada', 'grace', 'ada', 'alan'];
    const pool = new GradingPool(2);
    try {
      const pooled = await Promise.all(students.map((student) => pool.grade({ assignment: 'twice', root, submissionDir: assignment.solutionDir, student, seed: '0', secret: 's' })));
      const here: Result[] = [];
      for (const student of students) here.push(await gradeSubmission({ assignment, submissionDir: assignment.solutionDir, student, seed: '0', secret: 's' }));
      expect(pooled.map((r) => serializeResult(withoutTiming(r)))).toEqual(here.map((r) => serializeResult(withoutTiming(r))));
      expect(pooled.map((r) => r.score)).toEqual([1, 1, 1, 1]);
      expect(new Set(pooled.map((r) => r.problems[0].cases[0].message)).size).toBe(3);
    } finally {
      pool.close();
    }
  }, 120_000);

  it('passes an assignment error on as an AssignmentError with its message', async () => {
    const root = tensorProject();
    const pool = new GradingPool(1);
    try {
      const grading = pool.grade({ assignment: 'twice', root, submissionDir: path.join(root, 'solutions/twice'), student: 'a', seed: '0', secret: 's', problems: ['thrice'] });
      await expect(grading).rejects.toThrow(AssignmentError);
      await expect(grading).rejects.toThrow('twice has no problem thrice; its problems are twice');
    } finally {
      pool.close();
    }
  }, 60_000);
});
