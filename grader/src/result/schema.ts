import { z } from 'zod';
import { VISIBILITIES } from '../assignment/define.ts';

/**
 * The Result of one grading run: the one truth every report is made from. Apart from the
 * timing fields (`durationMs`, `executionTimeMs`), the same submission and seed give the
 * same bytes. Bump SCHEMA_VERSION on any incompatible change.
 */
export const SCHEMA_VERSION = 1;

export const caseStatus = z.enum(['pass', 'fail', 'error', 'timeout', 'skipped']);
export const problemStatus = z.enum(['pass', 'partial', 'fail', 'error', 'skipped']);

/**
 * A picture for the Markdown and HTML reports (spectra, reconstructed images, scatter
 * plots). PNG data is base64; SVG is the markup itself. Reports inline both, so an HTML
 * report stays one self-contained file. Only visible cases carry figures.
 */
export const figureSchema = z
  .object({
    title: z.string(),
    caption: z.string().optional(),
    mediaType: z.enum(['image/png', 'image/svg+xml']),
    data: z.string(),
  })
  // Reports put PNG data straight into a data: URI, so it must be plain base64.
  .refine((f) => f.mediaType !== 'image/png' || /^[A-Za-z0-9+/]*={0,2}$/.test(f.data), { error: 'PNG figure data must be base64', path: ['data'] });

export const caseResultSchema = z.object({
  name: z.string(),
  visibility: z.enum(VISIBILITIES),
  status: caseStatus,
  score: z.number().min(0),
  maxScore: z.number().min(0),
  /** For non-visible cases only a generic line; never inputs or values. */
  message: z.string(),
  /** The mistake recognised in a wrong answer, if any (its hint is in the message). */
  mistake: z.string().optional(),
  /** What the student's code printed during this case (visible cases only, truncated). */
  output: z.string().optional(),
  /** Advice that costs no points (e.g. tensors left allocated); visible cases only. */
  notes: z.array(z.string()).optional(),
  /** Pictures of what the student's answer did (visible cases only). */
  figures: z.array(figureSchema).optional(),
  durationMs: z.number().min(0),
});

export const problemResultSchema = z.object({
  name: z.string(),
  title: z.string(),
  score: z.number().min(0),
  maxScore: z.number().min(0),
  status: problemStatus,
  cases: z.array(caseResultSchema),
});

export const resultSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  tool: z.object({ name: z.literal('mlgrade'), version: z.string() }),
  assignment: z.object({ id: z.string(), title: z.string() }),
  student: z.string(),
  seed: z.string(),
  /** Tensor backend used by this run, or `none` for assignments without tensors. */
  backend: z.string(),
  score: z.number().min(0),
  maxScore: z.number().min(0),
  /** Set when the submission could not be loaded at all (missing, does not compile, throws on import). */
  loadError: z.string().optional(),
  /** Things the student should know that cost no points (files not copied, …). */
  warnings: z.array(z.string()),
  /**
   * Set when only the visible cases were graded (a student copy's feedback, see `mlgrade
   * export`): the other cases are listed as skipped and the score is not a grade.
   */
  visibleOnly: z.literal(true).optional(),
  /** The assignment's leaderboard entries this submission measured (AssignmentSpec.leaderboard). */
  leaderboard: z.array(z.object({ name: z.string(), value: z.number().finite(), order: z.enum(['asc', 'desc']) })).optional(),
  /** When the work was submitted, as the grading was told (`--submitted-at`, Gradescope's `created_at`, the roster). */
  submittedAt: z.string().optional(),
  /**
   * The assignment's late policy, applied (result/late.ts): `score` is the points after the
   * penalty, `scoreBefore` the points the work earned, which the problems' scores add up to.
   */
  late: z
    .object({
      due: z.string(),
      graceMinutes: z.number().min(0),
      penaltyPerDay: z.number().min(0).max(1),
      maxPenalty: z.number().min(0).max(1),
      daysLate: z.number().int().min(0),
      /** The share of scoreBefore deducted. */
      penalty: z.number().min(0).max(1),
      scoreBefore: z.number().min(0),
    })
    .optional(),
  problems: z.array(problemResultSchema),
  executionTimeMs: z.number().min(0),
});

export type Figure = z.infer<typeof figureSchema>;
export type CaseStatus = z.infer<typeof caseStatus>;
export type ProblemStatus = z.infer<typeof problemStatus>;
export type CaseResult = z.infer<typeof caseResultSchema>;
export type ProblemResult = z.infer<typeof problemResultSchema>;
export type Result = z.infer<typeof resultSchema>;

/** The fields that may differ between two runs of the same submission and seed. */
export function withoutTiming(result: Result): Result {
  return {
    ...result,
    executionTimeMs: 0,
    problems: result.problems.map((p) => ({ ...p, cases: p.cases.map((c) => ({ ...c, durationMs: 0 })) })),
  };
}

/** Serializes a Result with stable key order (the schema's), so equal Results are equal bytes. */
export function serializeResult(result: Result): string {
  return `${JSON.stringify(resultSchema.parse(result), null, 2)}\n`;
}
