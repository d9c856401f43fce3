import type { AssignmentSpec, Variant } from '../assignment/define.ts';
import { AssignmentError } from '../assignment/load.ts';
import { createRng, deriveSeed } from './rng.ts';

/**
 * A student's variant of an assignment (AssignmentSpec.variant): its generator run on a
 * generator seeded by the seed, the student id and the assignment — never the secret, since
 * the student reads the variant in the handout and reproduces the visible cases from it. An
 * assignment without a variant has the empty one. A generator that fails or returns anything
 * but a flat object of finite numbers, strings and booleans is the assignment's bug,
 * reported as an AssignmentError.
 */
export function variantFor(spec: AssignmentSpec, student: string, seed: string): Variant {
  if (!spec.variant) return Object.freeze({});
  let value: unknown;
  try {
    value = spec.variant(createRng(deriveSeed('variant', seed, student, spec.id)));
  } catch (error) {
    throw new AssignmentError(`${spec.id}: the variant generator failed: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new AssignmentError(`${spec.id}: the variant generator must return an object of named parameters`);
  for (const [name, v] of Object.entries(value)) {
    const ok = typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
    if (!ok) throw new AssignmentError(`${spec.id}: variant parameter "${name}" must be a finite number, a string or a boolean, not ${Array.isArray(v) ? 'an array' : String(v)}`);
  }
  return Object.freeze({ ...(value as Record<string, Variant[string]>) });
}
