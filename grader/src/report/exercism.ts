import type { CaseResult, Result } from '../result/schema.ts';
import { formatScore } from './format.ts';

/**
 * Exercism's test-runner `results.json`, version 3 (exercism/docs,
 * building/tooling/test-runners/interface.md, commit 19e037f).
 */
export interface ExercismResults {
  version: 3;
  status: 'pass' | 'fail' | 'error';
  message?: string;
  tests: Array<{
    name: string;
    status: 'pass' | 'fail' | 'error';
    test_code: string;
    message?: string;
    output?: string;
    task_id: number;
  }>;
}

/** Exercism's limit on a test's `output`, and the sentence its spec asks for when cut. */
export const EXERCISM_OUTPUT_LIMIT = 500;
const TRUNCATED = 'Output was truncated. Please limit to 500 chars';
/** Exercism's limit on the top-level message. */
const MESSAGE_LIMIT = 65_535;

function truncatedOutput(output: string): string {
  if (output.length <= EXERCISM_OUTPUT_LIMIT) return output;
  const room = EXERCISM_OUTPUT_LIMIT - TRUNCATED.length - 1;
  return `${output.slice(0, room)}\n${TRUNCATED}`;
}

/** `pass`; `error` when the case produced no answer (it threw, timed out or was not reached); else `fail`. */
function caseStatus(kase: CaseResult): 'pass' | 'fail' | 'error' {
  if (kase.status === 'pass') return 'pass';
  return kase.status === 'fail' ? 'fail' : 'error';
}

/**
 * One test per case, in grading order (the order of the assignment, which Exercism shows
 * first failure first). `task_id` is the problem's number in the handout (1 for the first
 * problem); `test_code` names the call and the case, since cases are generated, not written
 * out. A submission that did not load is an `error` with its reason and no tests.
 */
export function toExercism(result: Result): ExercismResults {
  if (result.loadError) return { version: 3, status: 'error', message: result.loadError.slice(0, MESSAGE_LIMIT), tests: [] };
  const tests = result.problems.flatMap((problem, index) =>
    problem.cases.map((kase) => {
      const status = caseStatus(kase);
      return {
        name: `${problem.name}: ${kase.name}`,
        status,
        test_code: `${problem.name}(…) on the case "${kase.name}" [${kase.visibility}], worth ${formatScore(kase.maxScore)} points`,
        ...(status === 'pass' ? {} : { message: `${kase.message}\n(${formatScore(kase.score)}/${formatScore(kase.maxScore)} points)` }),
        ...(kase.output ? { output: truncatedOutput(kase.output) } : {}),
        task_id: index + 1,
      };
    }),
  );
  const status = tests.every((t) => t.status === 'pass') ? 'pass' : tests.every((t) => t.status === 'error') && tests.length > 0 ? 'error' : 'fail';
  return { version: 3, status, ...(status === 'error' ? { message: 'no case produced an answer: see each test' } : {}), tests };
}
