import { deriveSeed } from '../cases/rng.ts';
import type { Visibility } from '../assignment/define.ts';

/** Used when MLGRADE_SECRET is unset, so local runs work; real grading must set a secret. */
export const DEVELOPMENT_SECRET = 'mlgrade-development-secret';

export interface SeedInputs {
  assignment: string;
  problem: string;
  caseName: string;
  student: string;
  seed: string;
  secret: string;
  /** The case's seed group (CaseSpec.seedGroup): when set, it stands in for the problem and case name. */
  group?: string;
}

/**
 * Visible cases depend on the student id and seed only, so a student can reproduce them.
 * Every other case also depends on the secret, so it cannot be computed in advance.
 */
export function caseSeed(visibility: Visibility, s: SeedInputs): string {
  // A problem is named by a JavaScript identifier, so '*' names no problem: a group's seed
  // cannot equal a case's own.
  const [problem, caseName] = s.group === undefined ? [s.problem, s.caseName] : ['*', s.group];
  return visibility === 'visible'
    ? deriveSeed('visible', s.seed, s.student, s.assignment, problem, caseName)
    : deriveSeed('secret', s.secret, s.seed, s.student, s.assignment, problem, caseName);
}
