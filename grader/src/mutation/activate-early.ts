/**
 * A vitest setup file of vitest.mutation.config.ts: under Stryker, it switches the mutant on
 * before the test files are imported instead of after.
 *
 * Stryker's vitest runner switches on a mutant that tests reach at run time in a `beforeAll`
 * hook, after the test files and the modules they import have loaded. Whatever runs while
 * they load — a test's data computed in a `describe` block, an assignment loaded at the top of
 * a test file — then runs unmutated, and the tests that check it cannot kill the mutant.
 * vitest starts each of Stryker's runs in a fresh worker that imports everything anew, so
 * switching the mutant on first costs nothing and makes it active for the whole run. Outside
 * Stryker (no `mode` provided) this does nothing.
 */
import { inject } from 'vitest';

declare module 'vitest' {
  // Provided by @stryker-mutator/vitest-runner to its own setup file (stryker-setup.js).
  interface ProvidedContext {
    globalNamespace: string;
    mode: 'mutant' | 'dry-run';
    activeMutant: string | undefined;
  }
}

const namespace = inject('globalNamespace');
if (inject('mode') === 'mutant' && typeof namespace === 'string') {
  const global = globalThis as unknown as Record<string, { activeMutant?: string } | undefined>;
  const state = (global[namespace] ??= {});
  state.activeMutant = inject('activeMutant');
}
