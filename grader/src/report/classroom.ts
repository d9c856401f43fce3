import type { ProblemResult, Result } from '../result/schema.ts';
import { roundScore } from './format.ts';

/**
 * The results JSON of GitHub Classroom's runners, as `classroom-resources/autograding-grading-reporter@v1`
 * reads it: for each runner id in its `runners` input, the environment variable
 * `<ID>_RESULTS` holds this JSON in base64. The reporter awards the sum of `tests[].score`
 * out of `max_score` (its "Points" notice, which Classroom records), prints one line per
 * test, and fails the job when `status` is `fail` or `error`. Checked against the
 * reporter's source (src/main.js, src/notify-classroom.js, commit 43c2d9f) and the shape
 * `classroom-resources/autograding-command-grader` writes.
 */
export interface ClassroomResults {
  version: 1;
  status: 'pass' | 'fail' | 'error';
  max_score: number;
  tests: Array<{
    name: string;
    status: 'pass' | 'fail' | 'error';
    score: number;
    message: string;
    test_code: string;
    filename: string;
    line_no: number;
    duration: number;
  }>;
}

/**
 * A visible-only Result (a student copy's feedback) counts its visible cases only: points out
 * of the visible cases' points, `pass` when every visible case passes.
 */
function visiblePart(problem: ProblemResult): ProblemResult {
  const cases = problem.cases.filter((c) => c.visibility === 'visible');
  const score = cases.reduce((sum, c) => sum + c.score, 0);
  const status = cases.every((c) => c.status === 'pass') ? 'pass' : problem.status === 'error' ? 'error' : 'fail';
  return { ...problem, cases, score, maxScore: cases.reduce((sum, c) => sum + c.maxScore, 0), status };
}

function problemStatus(problem: ProblemResult): 'pass' | 'fail' | 'error' {
  if (problem.status === 'pass') return 'pass';
  return problem.status === 'error' ? 'error' : 'fail';
}

/** One line per case that lost points: its name and the first line of its message. */
function problemMessage(problem: ProblemResult): string {
  const lost = problem.cases.filter((c) => c.score < c.maxScore);
  if (lost.length === 0) return `${problem.cases.length} case${problem.cases.length === 1 ? '' : 's'} passed`;
  return lost.map((c) => `${c.name} [${c.visibility}]: ${c.message.split('\n')[0]}`).join('\n');
}

/**
 * One test per problem, its score rounded to hundredths: a problem with full marks scores
 * exactly its points however its cases' fractions added up, and `max_score` is the sum of
 * the problems' rounded points, so full marks everywhere is exactly `max_score`.
 */
export function toClassroom(result: Result): ClassroomResults {
  const problems = result.visibleOnly ? result.problems.map(visiblePart).filter((problem) => problem.cases.length > 0) : result.problems;
  const tests = problems.map((problem) => ({
    name: `${problem.name}: ${problem.title}`,
    status: result.loadError ? ('error' as const) : problemStatus(problem),
    score: roundScore(problem.score),
    message: result.loadError ? result.loadError.split('\n')[0] : problemMessage(problem),
    test_code: '',
    filename: '',
    line_no: 0,
    duration: Math.round(problem.cases.reduce((sum, c) => sum + c.durationMs, 0)),
  }));
  const maxScore = roundScore(problems.reduce((sum, p) => sum + roundScore(p.maxScore), 0));
  const score = tests.reduce((sum, t) => sum + t.score, 0);
  return {
    version: 1,
    status: result.loadError ? 'error' : roundScore(score) >= maxScore ? 'pass' : 'fail',
    max_score: maxScore,
    tests,
  };
}
