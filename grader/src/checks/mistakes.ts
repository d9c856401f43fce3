import type { CheckContext, MistakeSpec, ProblemSpec } from '../assignment/define.ts';
import type { Tolerance } from './allclose.ts';

/** True when two values (numbers, arrays, plain objects of them) agree within rtol/atol. */
export function deepClose(a: unknown, b: unknown, tolerance: Tolerance = {}): boolean {
  const rtol = tolerance.rtol ?? 1e-6;
  const atol = tolerance.atol ?? 1e-9;
  if (typeof b === 'number') {
    // An infinity is close only to itself (|x − ∞| ≤ rtol·∞ would hold for every x); NaN fails
    // both comparisons, so it is close to nothing.
    return a === b || (typeof a === 'number' && Number.isFinite(b) && Math.abs(a - b) <= atol + rtol * Math.abs(b));
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((value, i) => deepClose(value, b[i], tolerance));
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = Object.keys(b);
    return keys.length === Object.keys(a).length && keys.every((key) => deepClose((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], tolerance));
  }
  return a === b;
}

/**
 * A mistake detector from a known-wrong implementation: the answer matches the mistake when,
 * on every call of the case, it agrees with what the wrong implementation returns, and on at
 * least one call the wrong implementation differs from the correct answer (so an input on
 * which the mistake happens to be harmless never triggers the hint).
 */
export function sameAs<A extends unknown[], O>(variant: (...args: A) => O, tolerance: Tolerance = {}): (ctx: CheckContext<A, O>) => boolean {
  return (ctx) => {
    let distinguishable = false;
    for (const call of ctx.calls) {
      const wrong = variant(...structuredClone(call.args));
      if (!deepClose(call.output, wrong, tolerance)) return false;
      if (!deepClose(wrong, call.expected, tolerance)) distinguishable = true;
    }
    return distinguishable;
  };
}

/**
 * The declared mistakes of a problem whose detectors match a failing answer, in declaration
 * order (grading shows the first one's hint). A detector that throws does not match: it
 * could not establish its fact.
 */
export function matchingMistakes(problem: ProblemSpec, context: CheckContext<unknown[], unknown>): MistakeSpec<unknown[], unknown>[] {
  return (
    problem.mistakes?.filter((m) => {
      try {
        return m.matches(context);
      } catch {
        // It could not establish its fact: no match.
      }
      return false;
    }) ?? []
  );
}
