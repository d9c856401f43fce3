import type { CaseResult, CaseStatus, Figure, ProblemStatus } from '../result/schema.ts';

/** A score rounded to hundredths: 3.333333 → 3.33, 83.99999999999999 → 84. */
export function roundScore(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Scores are shown with at most two decimals: 3.333333 → 3.33, 10 → 10. */
export function formatScore(value: number): string {
  return String(roundScore(value));
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

/**
 * Whether a case's message is worth showing: always when it did not pass, and for a
 * visible pass when the check said more than `correct` (a PSNR, a comparison with random
 * projections, …).
 */
export function showMessage(kase: Pick<CaseResult, 'status' | 'visibility' | 'message'>): boolean {
  return kase.status !== 'pass' || (kase.visibility === 'visible' && kase.message !== 'correct');
}

/** `data:` URI of a figure, for inlining in Markdown and HTML (an SVG is base64-encoded here). */
export function figureUri(figure: Figure): string {
  const base64 = figure.mediaType === 'image/svg+xml' ? Buffer.from(figure.data, 'utf8').toString('base64') : figure.data;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) throw new Error(`figure "${figure.title}": PNG data must be base64`);
  return `data:${figure.mediaType};base64,${base64}`;
}
