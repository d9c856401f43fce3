import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sectionMarkers } from './scaffold.ts';

/**
 * docs/authoring.md is a walkthrough and a script at once: its fenced blocks say what to run
 * and what to write, and `npm test` (authoring.test.ts) carries them out on a copy of the
 * repository, so the walkthrough cannot go stale. A block takes part by its info string:
 *
 * - ```` ```sh ```` — commands, run with bash (`set -e`) in the copy's root;
 * - ```` ```ts file=PATH ```` — write the whole file PATH;
 * - ```` ```ts function=PATH ```` — in PATH, replace the exported function of the block's name
 *   (with the doc comment just above it) by the block;
 * - ```` ```hbs section=PATH ```` — in the handout PATH, replace the section that `mlgrade
 *   new-problem` scaffolded for the problem the block's heading names, markers included.
 *
 * Blocks with any other info string (```` ```text ````, ```` ```console ````) are illustrations.
 */

export type WalkthroughStep =
  | { kind: 'sh'; body: string; line: number }
  | { kind: 'file' | 'function' | 'section'; target: string; body: string; line: number };

export class WalkthroughError extends Error {
  override name = 'WalkthroughError';
}

/** The steps of a walkthrough, in order (see the module comment). */
export function walkthroughSteps(markdown: string): WalkthroughStep[] {
  const steps: WalkthroughStep[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*(.*)$/.exec(lines[i]);
    if (!open || open[1] === '') continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    if (i >= lines.length) throw new WalkthroughError(`line ${start + 1}: a code block is not closed`);
    const text = `${body.join('\n')}\n`;
    const [language, info] = [open[1], open[2].trim()];
    const target = /^(file|function|section)=(\S+)$/.exec(info);
    if (language === 'sh' && info === '') steps.push({ kind: 'sh', body: text, line: start + 1 });
    else if (target) steps.push({ kind: target[1] as 'file' | 'function' | 'section', target: target[2], body: text, line: start + 1 });
  }
  return steps;
}

/** Replaces `export function <name>` in `source`, with the doc comment right above it, by `replacement`. */
export function replaceFunction(source: string, replacement: string, where: string): string {
  const name = /export\s+(?:async\s+)?function\s+([A-Za-z_$][\w$]*)/.exec(replacement)?.[1];
  if (!name) throw new WalkthroughError(`${where}: the block exports no function`);
  const start = new RegExp(`^export\\s+(?:async\\s+)?function\\s+${name.replace(/\$/g, '\\$')}\\b`, 'm').exec(source);
  if (!start) throw new WalkthroughError(`${where}: no exported function ${name} to replace`);
  // The function ends at the first line that is a lone `}` (how the scaffold and the course write them).
  const end = /^\}[ \t]*$/m.exec(source.slice(start.index));
  if (!end) throw new WalkthroughError(`${where}: function ${name} has no closing brace at the start of a line`);
  const before = source.slice(0, start.index);
  const comment = /\/\*\*(?:(?!\*\/)[\s\S])*\*\/\s*$/.exec(before);
  const from = comment ? comment.index : start.index;
  const to = start.index + end.index + end[0].length;
  return `${source.slice(0, from)}${replacement.trimEnd()}${source.slice(to)}`;
}

/** Replaces the handout section scaffolded for the problem the block's first `{{problems.<name>` names. */
export function replaceSection(source: string, replacement: string, where: string): string {
  const name = /\{\{problems\.([A-Za-z_$][\w$]*)\./.exec(replacement)?.[1];
  if (!name) throw new WalkthroughError(`${where}: the block names no problem ({{problems.<name>.points}})`);
  const markers = sectionMarkers(name);
  const open = source.indexOf(markers.open);
  const close = source.indexOf(markers.close, open);
  if (open < 0 || close < 0) throw new WalkthroughError(`${where}: no scaffolded section for ${name} (made by mlgrade new-problem)`);
  return `${source.slice(0, open)}${replacement.trimEnd()}${source.slice(close + markers.close.length)}`;
}

/**
 * Carries out the steps in `root` (a copy of the repository), reporting each one. A command that
 * fails or an edit that cannot be made stops the walkthrough with the block's line.
 */
export function runWalkthrough(markdown: string, root: string, log: (line: string) => void = () => undefined): void {
  for (const step of walkthroughSteps(markdown)) {
    const where = `docs/authoring.md:${step.line}`;
    if (step.kind === 'sh') {
      log(`${where}: $ ${step.body.trim().split('\n').join(' ; ')}`);
      try {
        const output = execFileSync('bash', ['-e', '-c', step.body], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
        log(output.trimEnd());
      } catch (error) {
        const { stdout, stderr } = error as { stdout?: string; stderr?: string };
        throw new WalkthroughError(`${where}: the commands failed:\n${step.body}${stdout ?? ''}${stderr ?? ''}`);
      }
      continue;
    }
    const file = path.join(root, step.target);
    log(`${where}: ${step.kind === 'file' ? 'write' : `edit (${step.kind})`} ${step.target}`);
    if (step.kind === 'file') {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, step.body);
      continue;
    }
    if (!existsSync(file)) throw new WalkthroughError(`${where}: ${step.target} does not exist`);
    const source = readFileSync(file, 'utf8');
    writeFileSync(file, step.kind === 'function' ? replaceFunction(source, step.body, where) : replaceSection(source, step.body, where));
  }
}
