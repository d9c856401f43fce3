import type { Visibility } from '../assignment/define.ts';
import type { Result } from '../result/schema.ts';
import { roundScore } from './format.ts';
import { lateSentence } from '../result/late.ts';

/**
 * Gradescope's autograder `results.json`, written from Gradescope's documentation
 * (gradescope/autograder_samples, docs/specs.md, commit af5dee4): the fields mlgrade sets.
 */
export interface GradescopeResults {
  score: number;
  execution_time: number;
  output: string;
  output_format: 'text';
  test_output_format: 'text';
  test_name_format: 'text';
  visibility: 'visible';
  stdout_visibility: 'hidden';
  tests: Array<{
    name: string;
    number: string;
    score: number;
    max_score: number;
    status: 'passed' | 'failed';
    output: string;
    visibility: Visibility;
  }>;
  leaderboard?: Array<{ name: string; value: number; order: 'asc' | 'desc' }>;
}

export interface GradescopeOptions {
  /**
   * The Gradescope visibility of mlgrade's `hidden` cases. Gradescope never shows a `hidden`
   * test to a student, and while any test is hidden from them it hides their total score too
   * (docs/specs.md). mlgrade already withholds a hidden case's details (its message is one
   * generic line), so by default hidden cases are `visible` there: the student sees each one's
   * name and whether it passed, and their total, as mlgrade's docs promise.
   */
  hiddenAs?: Visibility;
}

/**
 * One test per case. Every text field is plain text (`output_format: text`): a student's
 * `<b>` or a `Tensor<Rank.R4>` in a message is shown as written, not rendered or dropped as
 * HTML. Scores are rounded to hundredths (a sum of fractions such as 84.00000000000001 would
 * show as such); a case with full marks keeps score = max_score, since both round alike.
 */
export function toGradescope(result: Result, options: GradescopeOptions = {}): GradescopeResults {
  const hiddenAs = options.hiddenAs ?? 'visible';
  const leaderboard = result.leaderboard?.length ? { leaderboard: result.leaderboard.map((e) => ({ name: e.name, value: e.value, order: e.order })) } : {};
  const header = [`${result.assignment.title}: ${roundScore(result.score)}/${roundScore(result.maxScore)} (student ${result.student}, mlgrade ${result.tool.version}, backend ${result.backend})`];
  const late = lateSentence(result);
  if (late) header.push(late);
  if (result.loadError) header.push(result.loadError);
  header.push(...result.warnings.map((w) => `warning: ${w}`));
  return {
    score: roundScore(result.score),
    execution_time: Math.round(result.executionTimeMs / 1000),
    output: header.join('\n'),
    output_format: 'text',
    test_output_format: 'text',
    test_name_format: 'text',
    visibility: 'visible',
    // What the student's code printed is in each test's output (visible cases only).
    stdout_visibility: 'hidden',
    tests: result.problems.flatMap((problem, i) =>
      problem.cases.map((kase, j) => ({
        name: `${problem.name}: ${kase.name}`,
        number: `${i + 1}.${j + 1}`,
        score: roundScore(kase.score),
        max_score: roundScore(kase.maxScore),
        status: kase.status === 'pass' ? ('passed' as const) : ('failed' as const),
        output: [kase.message, ...(kase.notes ?? []).map((n) => `note: ${n}`), ...(kase.output ? [`\nYour code printed:\n${kase.output}`] : [])].join('\n'),
        visibility: kase.visibility === 'hidden' ? hiddenAs : kase.visibility,
      })),
    ),
    ...leaderboard,
  };
}
