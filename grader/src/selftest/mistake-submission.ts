import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LoadedAssignment } from '../assignment/load.ts';
import { mistakeFunctions } from './replay.ts';

/**
 * Builds a submission that is the reference solution except for the functions a mistake
 * file exports: the module re-exports the reference (`export *`) and overrides those names
 * explicitly, which ES modules let take precedence over star exports.
 */
export async function buildMistakeSubmission(assignment: LoadedAssignment, mistakeId: string): Promise<{ dir: string; overrides: string[]; remove: () => void }> {
  const mistakeFile = path.join(assignment.mistakesDir, `${mistakeId}.ts`);
  const overrides = Object.keys(await mistakeFunctions(assignment, mistakeId));
  if (overrides.length === 0) throw new Error(`${path.relative(assignment.root, mistakeFile)} exports no function`);
  const dir = mkdtempSync(path.join(os.tmpdir(), `mlgrade-mistake-${mistakeId}-`));
  cpSync(assignment.solutionDir, dir, { recursive: true });
  const moduleName = assignment.spec.module;
  cpSync(path.join(dir, moduleName), path.join(dir, '__reference__.ts'));
  cpSync(mistakeFile, path.join(dir, '__mistake__.ts'));
  writeFileSync(path.join(dir, moduleName), `export * from './__reference__.ts';\nexport { ${overrides.join(', ')} } from './__mistake__.ts';\n`);
  return { dir, overrides, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
