// StrykerJS settings for `npm run mutation` (grader/src/mutation/run.ts), which runs Stryker
// once per pass with that pass's `mutate` list and report names. Never run it in a tree
// others are working in: `inPlace` rewrites the mutated source files while it runs (and
// restores them at the end).
import { tsImport } from 'tsx/esm/api';

// tsImport loads the TypeScript module without `node --import tsx`, so `npx stryker run` works
// too. It returns `any`: the type below is scope.ts's own, which is type-checked there.
/** @type {{ mutationScope: (root: string, assignmentIds?: readonly string[]) => string[] }} */
// eslint-disable-next-line @typescript-eslint/no-unsafe-assignment
const { mutationScope } = await tsImport('./grader/src/mutation/scope.ts', import.meta.url);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  // The check code of the engine and of every assignment; see grader/src/mutation/scope.ts.
  // `npm run mutation` replaces it with the scope of each of its passes.
  mutate: mutationScope(import.meta.dirname),
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  // npm test's own tests without the end-to-end ones; which tests count in which pass, and
  // why, is in that file. `related: false`: tests reach the assignments through a dynamic
  // import (loadAssignment), which vitest's import graph cannot follow.
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  // vitest and esbuild strip types without checking them, so a mutant that does not
  // type-check still runs; the TypeScript checker would only add minutes.
  checkers: [],
  // Each mutant runs only the tests that reached it in the first run.
  coverageAnalysis: 'perTest',
  // A static mutant changes what a module computes when it loads: a module constant such as
  // diagnose.ts's list of finders, and in assignment.ts the check functions themselves
  // (`check: () => undefined` is chosen when the module loads). Stryker cannot tell which
  // tests reach one, so it runs each with every test (quick ones first, until one fails; the
  // mutant is switched on before modules load, see grader/src/mutation/activate-early.ts).
  // There are a few dozen; ignoring them would leave code that decides grades untested.
  ignoreStatic: false,
  // The grading sandbox resolves packages from the project's own node_modules, so the
  // mutants must live in the project rather than in a copy under .stryker-tmp/.
  inPlace: true,
  concurrency: 2,
  // A mutant that loops forever (`i++` → `i--`) is stopped after 1.5× the time its tests
  // took without mutants plus 5 s, and counts as detected (Timeout).
  timeoutFactor: 1.5,
  timeoutMS: 5000,
  // The first run, every test without mutants, took 3 min 18 s for the augmentation pass on an
  // idle machine; Stryker's default limit of 5 minutes stopped it beside another job.
  dryRunTimeoutMinutes: 20,
  // The bar is 90 % (high). `npm run mutation` runs Stryker twice and fails (exit code 1)
  // when the total of both is under it (MUTATION_BAR in grader/src/mutation/run.ts), so
  // Stryker itself does not break on one pass's score.
  thresholds: { high: 90, low: 80, break: null },
  reporters: ['clear-text', 'progress', 'json', 'html'],
  clearTextReporter: { reportTests: false, allowEmojis: false },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
