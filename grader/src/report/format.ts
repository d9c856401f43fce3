import type { CaseStatus, ProblemStatus } from '../result/schema.ts';

/** Scores are shown with at most two decimals: 3.333333 → 3.33, 10 → 10. */
export function formatScore(value: number): string {
  return String(Math.round(value * 100) / 100);
}

export const STATUS_SYMBOL: Record<CaseStatus | ProblemStatus, string> = {
  pass: '✔',
  partial: '◐',
  fail: '✘',
  error: '✘',
  timeout: '⏱',
  skipped: '–',
};

export function formatDuration(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
