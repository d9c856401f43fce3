import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['grader/test/**/*.test.ts'],
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
