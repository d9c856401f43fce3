import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { variantFor } from '../cases/variant.ts';
import { handlebars } from '../report/render.ts';
import { AssignmentError, type LoadedAssignment } from './load.ts';

/** Whose handout: the student's variant is drawn from the student id and the seed (the CLI's defaults: anonymous, 0). */
export interface HandoutFor {
  student?: string;
  seed?: string;
}

/**
 * The data a handout template sees: `{{title}}`, `{{totalPoints}}`, `{{problems.conv2d.points}}`,
 * `{{student}}`, and the student's variant parameters as `{{variant.k}}` (AssignmentSpec.variant).
 */
export function handoutContext(assignment: LoadedAssignment, whose: HandoutFor = {}) {
  const { spec } = assignment;
  const student = whose.student ?? 'anonymous';
  return {
    id: spec.id,
    title: spec.title,
    totalPoints: spec.problems.reduce((sum, p) => sum + p.points, 0),
    problems: Object.fromEntries(spec.problems.map((p) => [p.export, { title: p.title, points: p.points }])),
    student,
    variant: variantFor(spec, student, whose.seed ?? '0'),
  };
}

/**
 * Renders `assignments/<id>/handout.md.hbs` for a student (default: anonymous, seed 0).
 * Strict mode: a template that names a problem the assignment does not have, or a variant
 * parameter its variant generator does not make, is an error, so a handout never goes stale.
 */
export function renderHandout(assignment: LoadedAssignment, whose: HandoutFor = {}): string {
  const file = path.join(assignment.dir, 'handout.md.hbs');
  const shown = path.relative(assignment.root, file);
  if (!existsSync(file)) throw new AssignmentError(`${shown} does not exist`);
  const source = readFileSync(file, 'utf8');
  const context = handoutContext(assignment, whose);
  for (const [, name] of source.matchAll(/\bproblems\.([A-Za-z_$][\w$]*)/g)) {
    if (!(name in context.problems)) throw new AssignmentError(`${shown}: names problem "${name}", which assignment.ts does not define`);
  }
  for (const [, name] of source.matchAll(/\bvariant\.([A-Za-z_$][\w$]*)/g)) {
    if (!(name in context.variant)) throw new AssignmentError(`${shown}: names variant parameter "${name}", which the assignment's variant generator does not make${assignment.spec.variant ? '' : ' (it has none)'}`);
  }
  try {
    return handlebars.compile(source, { noEscape: true, strict: true })(context);
  } catch (error) {
    throw new AssignmentError(`${shown}: ${(error as Error).message.split('\n')[0]}`);
  }
}
