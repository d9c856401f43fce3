import type { Result } from '../result/schema.ts';

/** Gradescope's autograder `results.json` (https://gradescope-autograders.readthedocs.io). */
export interface GradescopeResults {
  score: number;
  execution_time: number;
  output: string;
  visibility: 'visible';
  stdout_visibility: 'hidden';
  tests: Array<{
    name: string;
    number: string;
    score: number;
    max_score: number;
    status: 'passed' | 'failed';
    output: string;
    visibility: string;
  }>;
}

export function toGradescope(result: Result): GradescopeResults {
  const header = [`${result.assignment.title}: ${result.score}/${result.maxScore} (mlgrade ${result.tool.version}, backend ${result.backend})`];
  if (result.loadError) header.push(result.loadError);
  header.push(...result.warnings.map((w) => `warning: ${w}`));
  return {
    score: result.score,
    execution_time: Math.round(result.executionTimeMs / 1000),
    output: header.join('\n'),
    visibility: 'visible',
    // What the student's code printed is in each test's output (visible cases only).
    stdout_visibility: 'hidden',
    tests: result.problems.flatMap((problem, i) =>
      problem.cases.map((kase, j) => ({
        name: `${problem.name}: ${kase.name}`,
        number: `${i + 1}.${j + 1}`,
        score: kase.score,
        max_score: kase.maxScore,
        status: kase.status === 'pass' ? ('passed' as const) : ('failed' as const),
        output: [kase.message, ...(kase.notes ?? []).map((n) => `note: ${n}`), ...(kase.output ? [`\nYour code printed:\n${kase.output}`] : [])].join('\n'),
        visibility: kase.visibility,
      })),
    ),
  };
}
