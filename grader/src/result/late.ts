import type { LatePolicy } from '../assignment/define.ts';
import { formatScore, roundScore } from '../report/format.ts';
import type { Result } from './schema.ts';

/**
 * Why a timestamp is not one (undefined when it is): for the CLI's, the roster's and
 * define.ts's messages. A timestamp is an instant as ISO 8601 with its time zone:
 * `2026-12-11T23:59:00-05:00`, `…Z`, with optional seconds and fraction (Gradescope writes
 * microseconds). A time without a zone is refused: it would mean a different instant on the
 * grading machine than where it was written.
 */
export function timestampProblem(text: string): string | undefined {
  // Inside the function (as is every constant of this file) so that mutation testing can tell which tests reach it.
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-](\d{2}):(\d{2}))$/.exec(text);
  if (!m) return `"${text}" is not a date and time with a time zone, such as 2026-12-11T23:59:00-05:00 or 2026-12-12T04:59:00Z`;
  const [year, month, day, hour, minute, second = '0', , zoneHour = '0', zoneMinute = '0'] = m.slice(1);
  // Date.parse accepts 2026-02-30 as 2 March: check the calendar date and the clock itself.
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  const calendar = date.getUTCFullYear() === Number(year) && date.getUTCMonth() === Number(month) - 1 && date.getUTCDate() === Number(day);
  if (!calendar || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59 || Number(zoneHour) > 23 || Number(zoneMinute) > 59) return `"${text}" is not a valid date and time`;
  return undefined;
}

/** Milliseconds since the epoch of a timestamp that timestampProblem accepted. */
export function parseTimestamp(text: string): number {
  const problem = timestampProblem(text);
  if (problem) throw new Error(problem);
  return Date.parse(text);
}

/**
 * Days late and the share of the points deducted for a submission at `submittedAt`:
 * nothing up to the due date plus the grace period; after it, `penaltyPerDay` for every
 * started day after the due date (the grace period moves the deadline for being on time,
 * not the count of days), at most `maxPenalty`.
 */
export function latePenalty(policy: LatePolicy, submittedAt: string): { daysLate: number; penalty: number } {
  const lateMs = parseTimestamp(submittedAt) - parseTimestamp(policy.due);
  if (lateMs <= (policy.graceMinutes ?? 0) * 60_000) return { daysLate: 0, penalty: 0 };
  const daysLate = Math.ceil(lateMs / (24 * 60 * 60 * 1000));
  // Shares are kept to a millionth so that 3 × 0.1 is 0.3, not 0.30000000000000004.
  return { daysLate, penalty: Math.min(policy.maxPenalty, Math.round(daysLate * policy.penaltyPerDay * 1e6) / 1e6) };
}

/**
 * The Result with the submission time it was given and, when the assignment declares a late
 * policy, the policy applied: `score` becomes the points after the penalty, `late.scoreBefore`
 * keeps the points the work earned (the problems' scores add up to it). Without a submission
 * time nothing is deducted: the caller did not say when the work came in.
 */
export function applyLatePolicy(result: Result, policy: LatePolicy | undefined, submittedAt: string | undefined): Result {
  if (submittedAt === undefined) return result;
  parseTimestamp(submittedAt);
  if (!policy) return { ...result, submittedAt };
  const { daysLate, penalty } = latePenalty(policy, submittedAt);
  return {
    ...result,
    submittedAt,
    score: roundScore(result.score * (1 - penalty)),
    late: { due: policy.due, graceMinutes: policy.graceMinutes ?? 0, penaltyPerDay: policy.penaltyPerDay, maxPenalty: policy.maxPenalty, daysLate, penalty, scoreBefore: result.score },
  };
}

/** A share as a percentage: 0.1 → `10 %`. */
export function percent(share: number): string {
  return `${roundScore(share * 100)} %`;
}

/** `on time`, `1 day late`, `3 days late`. */
export function daysLateText(days: number): string {
  return days === 0 ? 'on time' : `${days} day${days === 1 ? '' : 's'} late`;
}

/**
 * What the reports say about the submission time (undefined when the Result has none): one
 * plain sentence, the same in every format.
 */
export function lateSentence(result: Pick<Result, 'submittedAt' | 'late' | 'score' | 'maxScore'>): string | undefined {
  if (result.submittedAt === undefined) return undefined;
  const { late } = result;
  if (!late) return `Submitted ${result.submittedAt}; this assignment has no late policy.`;
  const grace = late.graceMinutes > 0 ? ` (with ${late.graceMinutes} minutes' grace)` : '';
  if (late.daysLate === 0) return `Submitted ${result.submittedAt}, on time for the due date ${late.due}${grace}: no late penalty.`;
  const capped = late.daysLate * late.penaltyPerDay > late.maxPenalty ? ', the most this assignment deducts' : '';
  return (
    `Submitted ${result.submittedAt}, ${daysLateText(late.daysLate)} for the due date ${late.due}${grace}: ` +
    `a late penalty of ${percent(late.penalty)} (${percent(late.penaltyPerDay)} per started day${capped}) ` +
    `takes ${formatScore(late.scoreBefore)}/${formatScore(result.maxScore)} to ${formatScore(result.score)}/${formatScore(result.maxScore)}.`
  );
}
