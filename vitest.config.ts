import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['grader/test/**/*.test.ts'],
    // Sandbox tests start real child processes with real timeouts.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
