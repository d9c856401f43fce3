import { readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { PROJECT_ROOT } from '../assignment/load.ts';
import { type ProblemResult, type Result, serializeResult } from '../result/schema.ts';
import { renderConsole } from './console.ts';
import { figureUri, formatScore, showMessage, STATUS_SYMBOL } from './format.ts';
import { toClassroom } from './classroom.ts';
import { toExercism } from './exercism.ts';
import { type GradescopeOptions, toGradescope } from './gradescope.ts';
import { toJUnit } from './junit.ts';
import { toAnnotations } from './annotations.ts';
import { daysLateText, lateSentence, percent } from '../result/late.ts';

export const FORMATS = ['console', 'md', 'html', 'json', 'gradescope', 'classroom', 'exercism', 'junit', 'github', 'summary'] as const;
export type Format = (typeof FORMATS)[number];

/** File names used when a report is written to a folder (`--out`). */
export const FILE_NAMES: Record<Format, string> = {
  console: 'report.txt',
  md: 'report.md',
  html: 'report.html',
  json: 'result.json',
  gradescope: 'results.json',
  classroom: 'classroom.json',
  exercism: 'exercism.json',
  junit: 'junit.xml',
  github: 'annotations.txt',
  summary: 'summary.md',
};

const handlebars = Handlebars.create();
handlebars.registerHelper('score', (value: number) => formatScore(value));
handlebars.registerHelper('symbol', (status: keyof typeof STATUS_SYMBOL) => STATUS_SYMBOL[status]);
handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);
handlebars.registerHelper('lines', (text: string) => String(text).split('\n'));
// A problem is shown expanded when something in it needs reading or looking at.
handlebars.registerHelper('expanded', (problem: ProblemResult) => problem.status !== 'pass' || problem.cases.some((c) => (c.figures?.length ?? 0) > 0 || showMessage(c)));
handlebars.registerHelper('showMessage', (kase: Parameters<typeof showMessage>[0]) => showMessage(kase));
// A data URI is base64 of a schema-checked media type: nothing in it needs escaping.
handlebars.registerHelper('figureUri', (figure: Parameters<typeof figureUri>[0]) => new handlebars.SafeString(figureUri(figure)));
// Markdown image alt text and captions must not break out of their brackets or lines.
handlebars.registerHelper('inline', (text: unknown) => (typeof text === 'string' ? text : '').replace(/[\r\n]+/g, ' ').replace(/[[\]]/g, ''));

// The submission time and the late penalty, said the same way in every report.
handlebars.registerHelper('lateSentence', (result: Result) => lateSentence(result) ?? '');
handlebars.registerHelper('percent', (share: number) => percent(share));
handlebars.registerHelper('daysLate', (days: number) => daysLateText(days));

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
export function render(format: Format, result: Result, options: { color?: boolean; gradescope?: GradescopeOptions } = {}): string {
  switch (format) {
    case 'console':
      return renderConsole(result, options);
    case 'md':
      return template('markdown.hbs')({ result, pictures: true });
    case 'summary':
      // For $GITHUB_STEP_SUMMARY: 1 MiB at most per step, and GitHub does not show data: URIs.
      return template('markdown.hbs')({ result, pictures: false });
    case 'html':
      return template('html.hbs')({ result });
    case 'json':
      return serializeResult(result);
    case 'gradescope':
      return `${JSON.stringify(toGradescope(result, options.gradescope), null, 2)}\n`;
    case 'classroom':
      return `${JSON.stringify(toClassroom(result))}\n`;
    case 'exercism':
      return `${JSON.stringify(toExercism(result), null, 2)}\n`;
    case 'junit':
      return toJUnit(result);
    case 'github':
      return toAnnotations(result);
  }
}

export { handlebars };
