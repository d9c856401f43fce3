import type { Result } from '../result/schema.ts';

/**
 * GitHub Actions workflow commands, one `::error` annotation per visible case that did not
 * pass, for a workflow step to print. The data is escaped as the runner requires (`%`, CR and
 * LF, and in properties `:` and `,` too), so nothing in a message can start a command of its
 * own. Hidden cases are left out: their details are withheld anyway.
 */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function toAnnotations(result: Result): string {
  // A submission that did not load fails every case for that one reason: one annotation.
  if (result.loadError) return `::error title=${escapeProperty(`${result.assignment.id}: the submission did not load`)}::${escapeData(result.loadError)}\n`;
  const lines: string[] = [];
  for (const problem of result.problems) {
    for (const c of problem.cases) {
      if (c.visibility !== 'visible' || c.status === 'pass') continue;
      const level = c.status === 'skipped' ? 'notice' : 'error';
      lines.push(`::${level} title=${escapeProperty(`${result.assignment.id} / ${problem.name} / ${c.name}`)}::${escapeData(c.message)}`);
    }
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
