import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatPath } from '../checks/path.ts';
import { assignmentSchema, type AssignmentSpec, placeholderProblems } from './define.ts';

/** The project root: the folder with `assignments/`, `solutions/`, `starter/` and `grader/`. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The file `mlgrade export` writes at the root of a student copy of the course. */
export const EXPORT_MARKER = 'mlgrade-export.json';

/**
 * True in a student copy built by `mlgrade export`: no reference solutions, no secret,
 * recorded answers instead (see replay/replay.ts), and visible cases only.
 */
export const STUDENT_COPY = existsSync(path.join(PROJECT_ROOT, EXPORT_MARKER));

/** A problem with an assignment definition, reported as one line naming the file and field. */
export class AssignmentError extends Error {
  override name = 'AssignmentError';
}

export interface LoadedAssignment {
  spec: AssignmentSpec;
  /** `assignments/<id>/` */
  dir: string;
  starterDir: string;
  solutionDir: string;
  mistakesDir: string;
  root: string;
}

export function listAssignmentIds(root = PROJECT_ROOT): string[] {
  const dir = path.join(root, 'assignments');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, 'assignment.ts')))
    .map((entry) => entry.name)
    .sort();
}

export async function loadAssignment(id: string, root = PROJECT_ROOT): Promise<LoadedAssignment> {
  const dir = path.join(root, 'assignments', id);
  const file = path.join(dir, 'assignment.ts');
  const shown = path.relative(root, file);
  if (!existsSync(file)) {
    const known = listAssignmentIds(root);
    throw new AssignmentError(`no assignment "${id}" (looked for ${shown}); known assignments: ${known.join(', ') || 'none'}`);
  }
  let exported: unknown;
  try {
    const module = (await import(pathToFileURL(file).href)) as { default?: unknown };
    exported = module.default;
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new AssignmentError(`${shown}: failed to load: ${message}`);
  }
  if (exported === undefined) throw new AssignmentError(`${shown}: has no default export; export default defineAssignment({...})`);
  const parsed = assignmentSchema.safeParse(exported);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AssignmentError(`${shown}: ${formatPath('', issue.path) || '(root)'}: ${issue.message}`);
  }
  const spec = exported as AssignmentSpec;
  if (spec.id !== id) throw new AssignmentError(`${shown}: id: expected "${id}" (the folder name), got "${spec.id}"`);
  return {
    spec,
    dir,
    root,
    starterDir: path.join(root, 'starter', id),
    solutionDir: path.join(root, 'solutions', id),
    mistakesDir: path.join(dir, 'mistakes'),
  };
}

/**
 * Refuses to release (`action`: the student copy, the Gradescope bundle) an assignment that
 * still has a problem scaffolded by `mlgrade new-problem` (ProblemSpec.placeholder).
 */
export function assertReleasable(assignment: LoadedAssignment, action: string): void {
  const names = placeholderProblems(assignment.spec);
  if (names.length === 0) return;
  const one = names.length === 1;
  throw new AssignmentError(
    `${assignment.spec.id}: no ${action}: ${names.join(', ')} ${one ? 'is' : 'are'} still ${one ? 'a placeholder' : 'placeholders'} scaffolded by mlgrade new-problem; write ${one ? 'it' : 'them'} and delete \`placeholder: true\` (docs/authoring.md)`,
  );
}
