import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { loadAssignment } from '../../src/assignment/load.ts';
import type { Result } from '../../src/result/schema.ts';
import { gradeSubmission } from '../../src/run/grade.ts';
import { cnnSubmission, PROJECT_ROOT } from '../helpers.ts';

export const assignment = await loadAssignment('cnn-layers');

/** Full marks of every cnn-layers problem, from the assignment itself. */
export const FULL: Record<string, number> = Object.fromEntries(assignment.spec.problems.map((p) => [p.export, p.points]));

/**
 * Grades the reference solution with some functions replaced by hostile or broken code, and
 * checks that the repository was not changed by it.
 */
export async function gradeHostile(overrides: Record<string, string>, options: { memoryMb?: number; secret?: string; timeLimitMs?: number } = {}): Promise<Result> {
  const before = snapshotRepository();
  const result = await gradeSubmission({ assignment, submissionDir: cnnSubmission(overrides), student: 'hostile', secret: options.secret ?? 'hostile-secret', memoryMb: options.memoryMb, timeLimitMs: options.timeLimitMs });
  expect(snapshotRepository(), 'no file of the repository may change').toBe(before);
  return result;
}

export function scores(result: Result): Record<string, number> {
  return Object.fromEntries(result.problems.map((p) => [p.name, p.score]));
}

/** The first visible case's message of a problem. */
export function firstMessage(result: Result, problem: string): string {
  return result.problems.find((p) => p.name === problem)!.cases.find((c) => c.visibility === 'visible')!.message;
}

/** Every problem not named keeps full marks. */
export function expectOthersFull(result: Result, hostile: string[]): void {
  for (const p of result.problems) if (!hostile.includes(p.name)) expect(p.score, p.name).toBe(FULL[p.name]);
}

/** A digest of the repository's files (paths, sizes, modification times), without node_modules and .git. */
export function snapshotRepository(): string {
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name === 'node_modules' || entry.name === '.git') continue;
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else {
        const stat = statSync(file);
        hash.update(`${path.relative(PROJECT_ROOT, file)}:${stat.size}:${stat.mtimeMs}\n`);
      }
    }
  };
  walk(PROJECT_ROOT);
  return hash.digest('hex');
}

/** A function body that runs `attempt` and throws what happened, so the message carries it. */
export function reportAttempt(name: string, params: string, attempt: string): string {
  return `export function ${name}(${params}): never {
  let outcome: string;
  try { const value: unknown = (${attempt}); outcome = 'allowed: ' + String(value).slice(0, 40); }
  catch (e) { outcome = (e as { code?: string; message?: string }).code ?? String((e as Error).message); }
  throw new Error('outcome=' + outcome);
}`;
}
