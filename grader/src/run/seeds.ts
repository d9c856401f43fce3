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
}

/**
 * Visible cases depend on the student id and seed only, so a student can reproduce them.
 * Every other case also depends on the secret, so it cannot be computed in advance.
 */
export function caseSeed(visibility: Visibility, s: SeedInputs): string {
  return visibility === 'visible'
    ? deriveSeed('visible', s.seed, s.student, s.assignment, s.problem, s.caseName)
    : deriveSeed('secret', s.secret, s.seed, s.student, s.assignment, s.problem, s.caseName);
}
