import { readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { PROJECT_ROOT } from '../assignment/load.ts';
import { type Result, serializeResult } from '../result/schema.ts';
import { renderConsole } from './console.ts';
import { formatScore, STATUS_SYMBOL } from './format.ts';
import { toGradescope } from './gradescope.ts';

export const FORMATS = ['console', 'md', 'html', 'json', 'gradescope'] as const;
export type Format = (typeof FORMATS)[number];

/** File names used when a report is written to a folder (`--out`). */
export const FILE_NAMES: Record<Format, string> = {
  console: 'report.txt',
  md: 'report.md',
  html: 'report.html',
  json: 'result.json',
  gradescope: 'results.json',
};

const handlebars = Handlebars.create();
handlebars.registerHelper('score', (value: number) => formatScore(value));
handlebars.registerHelper('symbol', (status: keyof typeof STATUS_SYMBOL) => STATUS_SYMBOL[status]);
handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);
handlebars.registerHelper('lines', (text: string) => String(text).split('\n'));

const templates = new Map<string, HandlebarsTemplateDelegate>();

/** Compiles a template from `reports/templates/` (cached). Markdown templates do not HTML-escape. */
export function template(name: string): HandlebarsTemplateDelegate {
  let compiled = templates.get(name);
  if (!compiled) {
    const source = readFileSync(path.join(PROJECT_ROOT, 'reports', 'templates', name), 'utf8');
    compiled = handlebars.compile(source, { noEscape: name.endsWith('.md.hbs') || name === 'markdown.hbs' });
    templates.set(name, compiled);
  }
  return compiled;
}

/** Every report is a pure function of the Result. */
export function render(format: Format, result: Result, options: { color?: boolean } = {}): string {
  switch (format) {
    case 'console':
      return renderConsole(result, options);
    case 'md':
      return template('markdown.hbs')({ result });
    case 'html':
      return template('html.hbs')({ result });
    case 'json':
      return serializeResult(result);
    case 'gradescope':
      return `${JSON.stringify(toGradescope(result), null, 2)}\n`;
  }
}

export { handlebars };
