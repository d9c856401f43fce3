import type { CaseResult, Result } from '../result/schema.ts';
import { formatScore } from './format.ts';

/** Text for an XML attribute or element: the five special characters escaped, and characters XML 1.0 cannot hold dropped. */
function xml(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- these are exactly the characters XML 1.0 forbids
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

/** Seconds with at most three decimals, as Surefire's schema requires of suite times. */
const seconds = (ms: number): string => (ms / 1000).toFixed(3);

function caseElement(assignment: string, problem: string, kase: CaseResult): string {
  const open = `    <testcase name="${xml(kase.name)}" classname="${xml(`${assignment}.${problem}`)}" time="${seconds(kase.durationMs)}"`;
  const points = `${formatScore(kase.score)}/${formatScore(kase.maxScore)} points`;
  const body: string[] = [];
  if (kase.status === 'skipped') body.push(`      <skipped message="${xml(kase.message.split('\n')[0])}"/>`);
  else if (kase.status !== 'pass') {
    // JUnit's failure: a wrong answer; error: no answer (the call threw or timed out).
    const element = kase.status === 'fail' ? 'failure' : 'error';
    body.push(`      <${element} type="${kase.status}" message="${xml(`${kase.message.split('\n')[0]} (${points})`)}">${xml(kase.message)}</${element}>`);
  }
  if (kase.output) body.push(`      <system-out>${xml(kase.output)}</system-out>`);
  return body.length === 0 ? `${open}/>` : `${open}>\n${body.join('\n')}\n    </testcase>`;
}

/**
 * JUnit XML as Jenkins, GitLab and most CI dashboards read it (valid against Jenkins' xunit
 * junit-10.xsd; see report.test.ts): one testsuite per problem, one testcase per case; scores
 * are testsuite properties, since JUnit has no notion of points.
 */
export function toJUnit(result: Result): string {
  const count = (cases: CaseResult[], statuses: readonly string[]) => cases.filter((c) => statuses.includes(c.status)).length;
  const all = result.problems.flatMap((p) => p.cases);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(`${result.assignment.id}: ${result.assignment.title}`)}" tests="${all.length}" failures="${count(all, ['fail'])}" errors="${count(all, ['error', 'timeout'])}" time="${seconds(result.executionTimeMs)}">`,
  ];
  if (result.loadError) {
    // Nothing ran: one suite with one errored test, so dashboards show the reason.
    lines.push(`  <testsuite name="${xml(result.assignment.id)}" tests="1" failures="0" errors="1" skipped="0" time="0.000">`);
    lines.push(`    <testcase name="load the submission" classname="${xml(result.assignment.id)}" time="0.000">`);
    lines.push(`      <error type="load" message="${xml(result.loadError.split('\n')[0])}">${xml(result.loadError)}</error>`);
    lines.push('    </testcase>', '  </testsuite>');
  }
  for (const problem of result.loadError ? [] : result.problems) {
    const time = problem.cases.reduce((s, c) => s + c.durationMs, 0);
    lines.push(
      `  <testsuite name="${xml(`${problem.name}: ${problem.title}`)}" tests="${problem.cases.length}" failures="${count(problem.cases, ['fail'])}" errors="${count(problem.cases, ['error', 'timeout'])}" skipped="${count(problem.cases, ['skipped'])}" time="${seconds(time)}">`,
      '    <properties>',
      `      <property name="score" value="${formatScore(problem.score)}"/>`,
      `      <property name="maxScore" value="${formatScore(problem.maxScore)}"/>`,
      '    </properties>',
      ...problem.cases.map((kase) => caseElement(result.assignment.id, problem.name, kase)),
      '  </testsuite>',
    );
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
