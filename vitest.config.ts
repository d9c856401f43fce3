import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The slowest test files, slowest first, as measured in CI on a fresh clone (2 cores, two
 * workers; seconds in that run). A list that goes stale costs time, never a result.
 */
export const SLOWEST_FIRST = [
  // Measured in CI on a fresh clone (2026-12-02, a420782; a machine about 1.9× slower than usual), beside the other files.
  'grader/test/export.test.ts', // 424 s
  'grader/test/pca-alternatives-students.test.ts', // 111 s
  'grader/test/autoencoders-alternatives.test.ts', // 82 s
  'grader/test/cli.test.ts', // 72 s
  'grader/test/authoring.test.ts', // 50 s
  'grader/test/text-embeddings-alternatives.test.ts', // 42 s
  'grader/test/tensor-grade.test.ts', // 37 s
  'grader/test/assignment-checks.test.ts', // 35 s
  'grader/test/hostile/control-flow.test.ts', // 35 s
  'grader/test/grade.test.ts', // 31 s
  'grader/test/augmentation-alternatives.test.ts', // 29 s
  'grader/test/generalization-checks.test.ts', // 28 s
  'grader/test/adversarial-alternatives.test.ts', // 27 s
  'grader/test/understanding-layers-checks.test.ts', // 27 s
  'grader/test/generalization-alternatives.test.ts', // 26 s
  'grader/test/selftest.test.ts', // 23 s
  'grader/test/text-embeddings-checks.test.ts', // 22 s
  'grader/test/pca-alternatives.test.ts', // 20 s
  'grader/test/autoencoders-checks.test.ts', // 19 s
  'grader/test/transfer-checks.test.ts', // 18 s
  'grader/test/adversarial-checks.test.ts', // 18 s
  'grader/test/transfer-alternatives.test.ts', // 18 s
  'grader/test/augmentation-checks.test.ts', // 14 s
  'grader/test/understanding-layers-alternatives.test.ts', // 10 s
];

/**
 * Longest first, so that no long file starts last while the other worker idles. Vitest orders
 * by the durations it cached from the last run, which a fresh clone (CI) does not have: it then
 * runs larger files first, and pca-alternatives-students.test.ts — 2 KB, the slowest file —
 * started last (measured: 707 s for 1,135 s of test time on two workers). Files not in the
 * list follow, in vitest's own order.
 */
class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (spec: TestSpecification): number => {
      const index = SLOWEST_FIRST.findIndex((file) => spec.moduleId.endsWith(file));
      return index === -1 ? SLOWEST_FIRST.length : index;
    };
    const rest = await super.sort(files.filter((spec) => rank(spec) === SLOWEST_FIRST.length));
    return [...files.filter((spec) => rank(spec) < SLOWEST_FIRST.length).sort((a, b) => rank(a) - rank(b)), ...rest];
  }
}

export default defineConfig({
  test: {
    include: ['grader/test/**/*.test.ts'],
    sequence: { sequencer: SlowestFirst },
    // One test file per core. Vitest's default outside watch mode is one fewer than the cores:
    // on the 2-core CI machine that ran the files one at a time (598 s of test time in a 628 s
    // run), while the sandboxed children they wait on left a core partly idle (1.37 cores busy
    // on average over a whole CI run).
    maxWorkers: availableParallelism(),
    // Sandbox tests start real child processes with real timeouts.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
