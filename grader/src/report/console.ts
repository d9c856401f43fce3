import pc from 'picocolors';
import type { Result } from '../result/schema.ts';
import { lateSentence, percent } from '../result/late.ts';
import { formatDuration, formatScore, showMessage, STATUS_SYMBOL } from './format.ts';

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}

/** The terminal report. Colour only when asked for (the CLI honours NO_COLOR and pipes). */
export function renderConsole(result: Result, options: { color?: boolean } = {}): string {
  const c = pc.createColors(options.color ?? false);
  const lines: string[] = [];
  const paint = (status: string, text: string): string =>
    status === 'pass' ? c.green(text) : status === 'partial' || status === 'skipped' || status === 'timeout' ? c.yellow(text) : c.red(text);
  lines.push(c.bold(`${result.assignment.title} (${result.assignment.id})`) + c.dim(` — student ${result.student}, seed ${result.seed}, backend ${result.backend}`));
  if (result.loadError) lines.push(c.red(indent(result.loadError, '  ')));
  for (const warning of result.warnings) lines.push(c.yellow(`  warning: ${warning}`));
  const late = lateSentence(result);
  if (late) lines.push(result.late?.daysLate ? c.yellow(`  ${late}`) : `  ${late}`);
  for (const problem of result.problems) {
    lines.push('');
    lines.push(paint(problem.status, `${STATUS_SYMBOL[problem.status]} ${problem.name}`) + ` — ${problem.title}  ${c.bold(`${formatScore(problem.score)}/${formatScore(problem.maxScore)}`)}`);
    // When the submission did not load, the reason is said once above, not per case.
    const shown = result.loadError ? [] : problem.cases;
    let previous = '';
    for (const kase of shown) {
      const head = `    ${paint(kase.status, STATUS_SYMBOL[kase.status])} ${kase.name}` + c.dim(` [${kase.visibility}] ${formatScore(kase.score)}/${formatScore(kase.maxScore)} · ${formatDuration(kase.durationMs)}`);
      lines.push(head);
      if (showMessage(kase)) {
        // A message identical to the case above (e.g. "not implemented") is said once.
        lines.push(c.dim(indent(kase.message === previous ? '(same as above)' : kase.message, '        ')));
        previous = kase.message;
      }
      if (kase.output && kase.status !== 'pass') lines.push(c.dim(indent(`printed:\n${kase.output}`, '        ')));
      for (const note of kase.notes ?? []) lines.push(c.yellow(indent(`note: ${note}`, '        ')));
      const figures = kase.figures?.length ?? 0;
      if (figures > 0) lines.push(c.dim(`        ${figures} figure${figures === 1 ? '' : 's'} in the Markdown and HTML reports (--format md or html)`));
    }
  }
  lines.push('');
  const before = result.late && result.late.penalty > 0 ? ` (${formatScore(result.late.scoreBefore)} before the late penalty of ${percent(result.late.penalty)})` : '';
  const total = `Total: ${formatScore(result.score)}/${formatScore(result.maxScore)}${before}`;
  lines.push(c.bold(result.score >= result.maxScore ? c.green(total) : total) + c.dim(`  (${formatDuration(result.executionTimeMs)})`));
  return `${lines.join('\n')}\n`;
}
