import { configDefaults, defineConfig, mergeConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import base from './vitest.config.ts';

/**
 * The tests `npm run mutation` lets Stryker run: `npm test`'s own vitest tests (this config
 * extends vitest.config.ts and only leaves files out, so no test here is one `npm test`
 * skips), minus the lists below. Every other test file — new unit tests of checks included —
 * counts automatically.
 *
 * Stryker reruns, for every mutant, each test that reaches it, in a fresh vitest worker; a
 * test that takes seconds and reaches hundreds of mutants puts the run past its 20-minute
 * budget by hours. A new test file that starts child processes belongs in END_TO_END_TESTS.
 */

/** Tests that start child processes — sandboxes, whole gradings, the CLI, tsc — or time them. */
export const END_TO_END_TESTS = [
  // Grades two adversarial submissions through the sandbox.
  'grader/test/adversarial-alternatives.test.ts',
  // Grades two augmentation submissions through the sandbox.
  'grader/test/augmentation-alternatives.test.ts',
  // Carries out docs/authoring.md on a copy of the repository (the CLI, mlgrade check, tsc).
  'grader/test/authoring.test.ts',
  // Grades two autoencoder submissions through the sandbox (training included).
  'grader/test/autoencoders-alternatives.test.ts',
  'grader/test/bench.test.ts',
  'grader/test/cli.test.ts',
  'grader/test/contracts.test.ts',
  'grader/test/diagnose-grading.test.ts',
  // Grades two text-embeddings submissions through the sandbox.
  'grader/test/text-embeddings-alternatives.test.ts',
  // Exports a student copy, grading every declared mistake of every assignment to record its answers.
  'grader/test/export.test.ts',
  // Grades two generalization submissions through the sandbox (two trainings each).
  'grader/test/generalization-alternatives.test.ts',
  'grader/test/grade.test.ts',
  'grader/test/grading-pool.test.ts',
  'grader/test/hostile/**',
  // A grading and a batch with a late policy.
  'grader/test/late-grading.test.ts',
  // Grades two node-embeddings submissions through the sandbox.
  'grader/test/node-embeddings-alternatives.test.ts',
  // Grades pca through the sandbox, or replays its checks in-process for 50 students.
  'grader/test/pca-alternatives*.test.ts',
  'grader/test/sandbox*.test.ts',
  // Scaffolds assignments and runs mlgrade check on them.
  'grader/test/scaffold.test.ts',
  'grader/test/selftest.test.ts',
  'grader/test/tensor-grade.test.ts',
  // Grades two transfer submissions through the sandbox.
  'grader/test/transfer-alternatives.test.ts',
  // Grades two understanding-layers submissions through the sandbox.
  'grader/test/understanding-layers-alternatives.test.ts',
];

/** Tests of the mutation tooling itself: they read the assignment sources, which Stryker rewrites in place. */
export const NOT_FOR_MUTATION = ['grader/test/mutation-scope.test.ts'];

/**
 * Whole gradings replayed in-process (`npm test` runs them; they prove the assignments' checks
 * and hints end to end). They do not count here: a mutant no direct test kills would replay
 * whole problems under Stryker's instrumentation (minutes each), which put the run past its
 * budget by hours, and the direct tests of check code (`<assignment>-checks.test.ts`) kill
 * what the replays kill — measured: cnn-layers 98.7 % and pca 97.9 % from those alone.
 */
export const REPLAY_TESTS = ['grader/test/assignment-checks.test.ts', 'grader/test/cnn-layers-students.test.ts'];

/**
 * Tests that reach no check code, directly or through the modules they import (data sets,
 * trained models, tensor kernels and the tensor runtime), and take seconds to start: they
 * could only ever run for a static mutant (with every test) and never kill one.
 */
export const NO_CHECK_CODE = [
  'grader/test/datasets.test.ts',
  'grader/test/mnist.test.ts',
  'grader/test/models.test.ts',
  'grader/test/tensor-kernels.test.ts',
  'grader/test/tensor-runtime.test.ts',
];

/** Test files slow to start (every assignment and its data sets): after the others. */
const RUN_LAST = ['grader/test/data.test.ts'];

/**
 * The direct tests of an assignment's check code (`<assignment>-checks.test.ts`): in the
 * assignments pass first, because they kill most mutants of that code in milliseconds; in the
 * engine pass after the engine's own unit tests, because they load whole assignments (a few
 * seconds of imports per run) and reach the engine only in passing.
 */
const ASSIGNMENT_CHECK_TESTS = /-checks\.test\.ts$/;
/**
 * Among those, the tests that load a whole assignment (`<assignment>-assignment-checks.test.ts`)
 * after the ones that import only its checks.ts (`<assignment>-checks.test.ts`), which start in
 * about two thirds of the time and reach the same checks.ts mutants.
 */
const WHOLE_ASSIGNMENT_TESTS = /-assignment-checks\.test\.ts$/;

/**
 * Stryker stops a mutant's run at its first failing test, so quick tests first: a mutant a
 * unit test kills is never run against a replay. That matters most for static mutants (the
 * check functions of an assignment.ts are made when it loads), which run with every test.
 */
class CheapestFirst extends BaseSequencer {
  override sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (spec: TestSpecification) =>
      ASSIGNMENT_CHECK_TESTS.test(spec.moduleId)
        ? (enginePass ? -0.5 : -2) + (WHOLE_ASSIGNMENT_TESTS.test(spec.moduleId) ? 0.25 : 0)
        : RUN_LAST.findIndex((file) => spec.moduleId.endsWith(file));
    return Promise.resolve([...files].sort((a, b) => rank(a) - rank(b) || a.moduleId.localeCompare(b.moduleId)));
  }
}

const enginePass = process.env.MLGRADE_MUTATION_PASS === 'engine';

export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: [...configDefaults.exclude, '.stryker-tmp/**', ...END_TO_END_TESTS, ...NOT_FOR_MUTATION, ...REPLAY_TESTS, ...NO_CHECK_CODE],
      sequence: { sequencer: CheapestFirst },
      // One worker for all the files of a run instead of a fresh one per file: a file after the
      // first then reuses the modules already loaded (zod, the assignments). Measured with three
      // engine test files: 0.9 s per run instead of 1.9 s. Stryker still starts each run in a
      // fresh worker, and these tests share no state (they all pass in one worker: --isolate=false).
      isolate: false,
      maxWorkers: 1,
      // Switches each mutant on before the modules load; see that file for why.
      setupFiles: ['grader/src/mutation/activate-early.ts'],
      // Mutated code is instrumented (every expression asks which mutant is active, and the
      // first run also records which test reached it), which makes numeric loops several
      // times slower than under npm test.
      testTimeout: 600_000,
    },
  }),
);
