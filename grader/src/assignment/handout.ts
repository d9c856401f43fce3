import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { handlebars } from '../report/render.ts';
import { AssignmentError, type LoadedAssignment } from './load.ts';

/** The data a handout template sees: `{{title}}`, `{{totalPoints}}`, `{{problems.conv2d.points}}`. */
export function handoutContext(assignment: LoadedAssignment) {
  const { spec } = assignment;
  return {
    id: spec.id,
    title: spec.title,
    totalPoints: spec.problems.reduce((sum, p) => sum + p.points, 0),
    problems: Object.fromEntries(spec.problems.map((p) => [p.export, { title: p.title, points: p.points }])),
  };
}

/**
 * Renders `assignments/<id>/handout.md.hbs`. Strict mode: a template that names a problem
 * the assignment does not have is an error, so points in a handout never go stale.
 */
export function renderHandout(assignment: LoadedAssignment): string {
  const file = path.join(assignment.dir, 'handout.md.hbs');
  const shown = path.relative(assignment.root, file);
  if (!existsSync(file)) throw new AssignmentError(`${shown} does not exist`);
  const source = readFileSync(file, 'utf8');
  const context = handoutContext(assignment);
  for (const [, name] of source.matchAll(/\bproblems\.([A-Za-z_$][\w$]*)/g)) {
    if (!(name in context.problems)) throw new AssignmentError(`${shown}: names problem "${name}", which assignment.ts does not define`);
  }
  try {
    return handlebars.compile(source, { noEscape: true, strict: true })(context);
  } catch (error) {
    throw new AssignmentError(`${shown}: ${(error as Error).message.split('\n')[0]}`);
  }
}
