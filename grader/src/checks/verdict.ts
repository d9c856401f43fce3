import type { Figure } from '../result/schema.ts';
import { diagnosisOf } from './diagnose.ts';

/**
 * What a check returns: a score in [0, 1], a message a student can act on, and details for
 * reports and tests (errors, indices, tolerances). Checks return verdicts, never booleans.
 * A passing verdict may carry a message other than `correct` (e.g. "PSNR 31.2 dB"); reports
 * show it for visible cases. `figures` are pictures of the answer for the Markdown and
 * HTML reports; they are dropped for cases that are not visible.
 */
export interface Verdict {
  score: number;
  message: string;
  details?: Record<string, unknown>;
  figures?: Figure[];
  /**
   * Numbers the grader measured on the answer (e.g. `{ psnr: 24.1 }`), for the assignment's
   * leaderboard (AssignmentSpec.leaderboard). Not shown to the student by themselves.
   */
  metrics?: Record<string, number>;
}

export function pass(message = 'correct', details?: Record<string, unknown>): Verdict {
  return details ? { score: 1, message, details } : { score: 1, message };
}

export function fail(message: string, details?: Record<string, unknown>): Verdict {
  return details ? { score: 0, message, details } : { score: 0, message };
}

/** Passes when `condition` holds; the failure message says what was expected. */
export function invariant(condition: boolean, failureMessage: string, details?: Record<string, unknown>): Verdict {
  return condition ? pass('correct', details) : fail(failureMessage, details);
}

/**
 * Every verdict must pass. The score is the lowest score, and the message lists every
 * failure, so a student sees all that is wrong at once rather than one thing per run. Of the
 * failures' generic diagnoses (`details.diagnosis`), the first is kept: each names its value.
 */
export function allOf(verdicts: Verdict[]): Verdict {
  const failing = verdicts.filter((v) => v.score < 1);
  const figures = verdicts.flatMap((v) => v.figures ?? []);
  const withFigures = (verdict: Verdict): Verdict => (figures.length > 0 ? { ...verdict, figures } : verdict);
  if (failing.length === 0) return withFigures(pass('correct'));
  const details: Record<string, unknown> = {};
  for (const v of failing) Object.assign(details, v.details);
  const diagnosis = failing.map((v) => diagnosisOf(v.details)).find((d) => d !== undefined);
  if (diagnosis) details.diagnosis = diagnosis;
  return withFigures({
    score: Math.min(...verdicts.map((v) => v.score)),
    message: failing.map((v) => v.message).join('\n'),
    details,
  });
}

/**
 * `verdict` with the figures `draw` makes. Pictures are an aid: drawing them never costs
 * points, so a drawing that throws leaves the verdict as it was.
 */
export function drawFigures(verdict: Verdict, draw: () => Verdict['figures']): Verdict {
  try {
    return { ...verdict, figures: draw() };
  } catch {
    return verdict;
  }
}

/** Prefixes a verdict's message with what was checked, e.g. `mean: …`. */
export function labelled(label: string, verdict: Verdict): Verdict {
  return verdict.score < 1 ? { ...verdict, message: `${label}: ${verdict.message}` } : verdict;
}

/** The score a verdict earns: its score clamped to [0, 1], and 0 when it is not a finite number. */
export function earnedScore(verdict: Verdict): number {
  return Number.isFinite(verdict.score) ? Math.min(1, Math.max(0, verdict.score)) : 0;
}
