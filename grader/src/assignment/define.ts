import { z } from 'zod';
import type { Rng } from '../cases/rng.ts';
import type { Verdict } from '../checks/verdict.ts';
import { timestampProblem } from '../result/late.ts';

/** Packages every submission may import unless an assignment says otherwise. */
export const COURSE_PACKAGES: readonly string[] = ['seedrandom', 'ml-matrix', '@tensorflow/tfjs'];

/** Gradescope's visibility levels; everything but `visible` is seeded from the secret. */
export const VISIBILITIES = ['visible', 'after_due_date', 'after_published', 'hidden'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- problem functions have arbitrary signatures
export type AnyFunction = (...args: any[]) => unknown;

/** One call of the student's function: its arguments, what came back, what the reference gave. */
export interface CallRecord<A, O> {
  args: A;
  output: O;
  expected: O;
  /** The problem's follow-up call on this call's output (ProblemSpec.followUp), when it has one. */
  followUp?: FollowUpRecord;
}

/** The follow-up's arguments (built from the student's output), its answer, and the reference pair's. */
export interface FollowUpRecord {
  args: unknown[];
  output: unknown;
  expected: unknown;
}

/**
 * A second exported function that consumes what the problem's function returned, such as
 * `decompress` after `compress`. After every call, the grader calls it with
 * `args(callArgs, output)` in a fresh process, so its answer can come only from those
 * arguments and never from anything the first call left behind; the reference's two
 * functions run the same way on the reference's own output. A mistake in either function
 * changes the problem's points (`mlgrade check` knows this).
 */
export interface FollowUpSpec<A, O> {
  export: string;
  args: (args: A, output: O) => unknown[];
  reference: AnyFunction;
  /** Validates what the follow-up returned, like ProblemSpec.output. */
  output: z.ZodType;
}

/** What a check sees. `args`, `output` and `expected` are those of the first call. */
export interface CheckContext<A, O> extends CallRecord<A, O> {
  calls: ReadonlyArray<CallRecord<A, O>>;
  caseName: string;
  /**
   * Whether the student sees this case's details. Figures of hidden cases are dropped, so a
   * check may skip drawing them.
   */
  visible: boolean;
  /**
   * A generator seeded like the case (but separate from it), for data the student's code
   * never saw, e.g. a held-out set to evaluate a returned model on.
   */
  rng: Rng;
  /**
   * A fresh generator seeded exactly like the case's input generator. Replaying the
   * generator with it rebuilds the inputs together with any hidden truth they were drawn
   * from (e.g. the birth places behind a genotype matrix), which never goes to the student.
   */
  inputRng: () => Rng;
  /**
   * Plain data that the checks of one grading leave for the checks graded after them
   * (problems are graded in order, each one's visible cases before its others), e.g. an accuracy
   * curve measured on the student's FGSM images, drawn later in one chart with their PGD's.
   * Visible cases only: a case that is not visible gets a board of its own, so nothing measured
   * on its inputs reaches a later visible case's feedback.
   * Put only what the grader measured, never a student's raw values. For pictures and
   * messages only: a score must not depend on it, since a problem may be graded alone
   * (`mlgrade check` does), and then nothing earlier has left anything.
   */
  findings: Map<string, unknown>;
}

/** A case whose messages and output the student sees (the others are hidden, after the due date, …). */
export function isVisibleCase(c: { visibility?: Visibility }): boolean {
  return (c.visibility ?? 'visible') === 'visible';
}

export interface CaseSpec<A> {
  name: string;
  /** Default `visible`. */
  visibility?: Visibility;
  /** Relative weight of this case within its problem's points. Default 1. */
  weight?: number;
  /**
   * Arguments of a single call. Give exactly one of `args` and `calls`. `variant` is the
   * student's variant (AssignmentSpec.variant; empty without one).
   */
  args?: (rng: Rng, variant: Variant) => A;
  /** Several calls in one case, for properties such as "same seed gives the same mask". */
  calls?: (rng: Rng, variant: Variant) => A[];
  /**
   * Cases with the same `seedGroup`, in any problems of the assignment, get identically
   * seeded generators (for one student, seed and visibility), so they can draw the same
   * inputs: e.g. one batch of images that three attacks are run on, compared in one chart.
   * Cases of one group must share a visibility. Default: a seed of the case's own.
   */
  seedGroup?: string;
  /**
   * The answer involves no arithmetic that rounds (an identity, a copy, a selection), so the
   * check compares it exactly. `mlgrade check` then leaves the case out of its rounding-level
   * test (a correct answer moved by rounding must keep full marks everywhere else).
   */
  exact?: true;
  /**
   * How many student ids `mlgrade check` checks the reference on this case for, when fewer
   * than it checks (default: all of `--students`, 50; the first 2 are graded in the sandbox
   * whatever this says, SANDBOXED_STUDENTS). For a case that costs seconds for each student, such as training a
   * network or an SVD of real data; say why beside it. `mlgrade check --full` ignores it.
   */
  checkStudents?: number;
}

export interface MistakeSpec<A, O> {
  /** The name of the known-wrong variant's file in `mistakes/`, without `.ts`. */
  id: string;
  /** Shown to the student when their wrong answer matches this mistake. */
  hint: string;
  /** True when a (wrong) answer looks like this mistake. Only consulted when the check fails. */
  matches: (ctx: CheckContext<A, O>) => boolean;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a problem list holds problems of every signature
export interface ProblemSpec<A extends unknown[] = any[], O = any> {
  /** The function students export; also the problem's id. */
  export: string;
  title: string;
  points: number;
  /**
   * CPU-time limit for each call, in ms (user + system time of the student's process during
   * the call, so a grade does not depend on how busy the machine is). Default 2000 ms. A
   * wall-clock backstop of 4× this stops code that sleeps or waits.
   */
  timeoutMs?: number;
  /** Problems (by export name) that must pass completely before this one is graded. */
  dependsOn?: string[];
  /** The reference implementation, run in the trusted grader process. */
  reference: (...args: A) => O | Promise<O>;
  /**
   * Set when the check never reads `expected` (it judges the answer by what it does, e.g. a
   * trained model by its error on held-out data): grading then does not run the reference on
   * each case, and `expected` is undefined. `mlgrade check` still grades the reference
   * solution as a submission, so the reference is proven against the check all the same.
   */
  referenceUnused?: true;
  /** A function graded together with this one on this one's output; see FollowUpSpec. */
  followUp?: FollowUpSpec<A, O>;
  // NoInfer: the types come from `reference` alone; everything else is checked against them.
  /** Validates what the student returned (type, shape, finiteness) and copies it. */
  output: z.ZodType<NoInfer<O>>;
  cases: Array<CaseSpec<A>>;
  check: (ctx: CheckContext<NoInfer<A>, NoInfer<O>>) => Verdict | Promise<Verdict>;
  mistakes?: Array<MistakeSpec<NoInfer<A>, NoInfer<O>>>;
  /**
   * Set by `mlgrade new-problem` on the problem it scaffolds (a stand-in that passes `mlgrade
   * check`): `mlgrade export` and `mlgrade gradescope` refuse an assignment that still has one,
   * and `mlgrade check` warns. Delete it once the problem is written.
   */
  placeholder?: true;
}

/** The problems of an assignment still marked `placeholder` (see ProblemSpec.placeholder). */
export function placeholderProblems(spec: AssignmentSpec): string[] {
  return spec.problems.filter((p) => p.placeholder).map((p) => p.export);
}

/**
 * One column of a leaderboard (Gradescope's `leaderboard`): a number a check measured on one
 * case (Verdict.metrics), e.g. the PSNR of the student's compression at a fixed budget.
 * A submission whose case did not measure it has no entry.
 */
export interface LeaderboardSpec {
  name: string;
  problem: string;
  case: string;
  metric: string;
  /** `desc` (default): larger is better. */
  order?: 'asc' | 'desc';
}

/**
 * When work is due and what lateness costs. A submission up to `graceMinutes` after `due`
 * is on time; a later one loses `penaltyPerDay` of the points it earned for every started
 * day after `due`, at most `maxPenalty`. Shares are fractions: 0.1 is 10 %.
 */
export interface LatePolicy {
  /** ISO 8601 with a time zone, e.g. `2026-12-11T23:59:00-05:00`. */
  due: string;
  /** Default 0. */
  graceMinutes?: number;
  penaltyPerDay: number;
  /** 1 lets a late enough submission score 0. */
  maxPenalty: number;
}

export interface AssignmentSpec {
  /** Must equal the folder name under `assignments/`. */
  id: string;
  title: string;
  /** The file students edit, relative to their submission folder, e.g. `layers.ts`. */
  module: string;
  /**
   * Packages the submission may import (besides its own files and `node:` built-ins).
   * Default: the course's runtime packages, COURSE_PACKAGES.
   */
  allowedPackages?: string[];
  /** Memory cap for the student's process. Default 512 MB. */
  memoryMb?: number;
  /**
   * The assignment passes or returns tf.Tensors or tf.LayersModels. The grader and the
   * sandbox then start the tensor backend (tfjs-node, wasm or cpu) and transfer tensors and
   * models as data.
   */
  tensors?: boolean;
  problems: ProblemSpec[];
  leaderboard?: LeaderboardSpec[];
  /** Applied when grading is told when the work was submitted (see result/late.ts). */
  late?: LatePolicy;
  /**
   * The student's variant: parameters (sizes, k, ε, …) drawn from a generator seeded by the
   * student id and the seed (not the secret: the student reads them in the handout). Case
   * generators get it as their second argument, and the handout as `{{variant.<name>}}`
   * (`mlgrade handout <id> --student S`). Values are numbers, strings or booleans.
   */
  variant?: (rng: Rng) => Record<string, VariantValue>;
}

export type VariantValue = number | string | boolean;
/** A student's variant parameters (see AssignmentSpec.variant). */
export type Variant = Readonly<Record<string, VariantValue>>;

/** Helps TypeScript infer a problem's argument and output types from its reference. */
export function problem<A extends [] | unknown[], O>(spec: ProblemSpec<A, O>): ProblemSpec {
  return spec as unknown as ProblemSpec;
}

const isFunction = (v: unknown): boolean => typeof v === 'function';
const fn = (what: string) => z.custom<AnyFunction>(isFunction, { error: `expected ${what} (a function)` });
const positive = z.number({ error: 'expected a positive number' }).positive({ error: 'expected a positive number' }).finite({ error: 'expected a positive number' });
const identifier = z.string({ error: 'expected a name' }).regex(/^[A-Za-z_$][\w$]*$/, { error: 'expected a JavaScript identifier' });

const share = z.number({ error: 'expected a share between 0 and 1 (0.1 is 10 %)' }).min(0, { error: 'expected a share between 0 and 1 (0.1 is 10 %)' }).max(1, { error: 'expected a share between 0 and 1 (0.1 is 10 %)' });

const zodSchema = z.custom((v) => typeof (v as { safeParse?: unknown } | null)?.safeParse === 'function', { error: 'expected a zod schema for the returned value' });

const caseSchema = z
  .object({
    name: z.string({ error: 'expected a case name' }).min(1, { error: 'expected a case name' }),
    visibility: z.enum(VISIBILITIES, { error: `expected one of ${VISIBILITIES.join(', ')}` }).optional(),
    weight: positive.optional(),
    args: fn('an argument generator').optional(),
    calls: fn('a calls generator').optional(),
    seedGroup: z.string({ error: 'expected a group name' }).min(1, { error: 'expected a group name' }).optional(),
    exact: z.literal(true, { error: 'expected true or nothing' }).optional(),
    checkStudents: z.int({ error: 'expected a whole number' }).min(1, { error: 'expected at least 1' }).optional(),
  })
  .refine((c) => (c.args === undefined) !== (c.calls === undefined), { error: 'give exactly one of `args` and `calls`' });

const mistakeSchema = z.object({
  id: z.string({ error: 'expected the mistake file name' }).regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'expected a kebab-case file name without .ts' }),
  hint: z.string({ error: 'expected a hint' }).min(1, { error: 'expected a hint' }),
  matches: fn('a mistake detector'),
});

const problemSchema = z.object({
  export: identifier,
  title: z.string({ error: 'expected a title' }).min(1, { error: 'expected a title' }),
  points: positive,
  timeoutMs: positive.optional(),
  dependsOn: z.array(identifier).optional(),
  reference: fn('the reference implementation'),
  referenceUnused: z.literal(true, { error: 'expected true or nothing' }).optional(),
  followUp: z
    .object({ export: identifier, args: fn('a follow-up argument builder'), reference: fn("the follow-up's reference"), output: zodSchema })
    .optional(),
  output: zodSchema,
  cases: z.array(caseSchema).min(1, { error: 'expected at least one case' }),
  check: fn('a check'),
  mistakes: z.array(mistakeSchema).optional(),
  placeholder: z.literal(true, { error: 'expected true or nothing' }).optional(),
});

export const assignmentSchema = z
  .object({
    id: z.string({ error: 'expected an id' }).regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'expected a kebab-case id' }),
    title: z.string({ error: 'expected a title' }).min(1, { error: 'expected a title' }),
    module: z.string({ error: 'expected the module file name' }).regex(/^[\w.-]+\.ts$/, { error: 'expected a .ts file name such as layers.ts' }),
    allowedPackages: z.array(z.string()).optional(),
    memoryMb: positive.optional(),
    tensors: z.boolean({ error: 'expected true or false' }).optional(),
    problems: z.array(problemSchema).min(1, { error: 'expected at least one problem' }),
    variant: fn('a variant generator').optional(),
    leaderboard: z
      .array(
        z.object({
          name: z.string({ error: 'expected a name' }).min(1, { error: 'expected a name' }),
          problem: identifier,
          case: z.string({ error: 'expected a case name' }),
          metric: z.string({ error: 'expected a metric name' }).min(1, { error: 'expected a metric name' }),
          order: z.enum(['asc', 'desc'], { error: 'expected asc or desc' }).optional(),
        }),
      )
      .optional(),
    late: z
      .object({
        due: z.string({ error: 'expected the due date' }).refine((t) => timestampProblem(t) === undefined, { error: (issue) => timestampProblem(String(issue.input)) }),
        graceMinutes: z.number({ error: 'expected minutes' }).min(0, { error: 'expected minutes ≥ 0' }).finite().optional(),
        penaltyPerDay: share,
        maxPenalty: share,
      }, { error: (issue) => (issue.code === 'invalid_type' ? 'expected { due, graceMinutes?, penaltyPerDay, maxPenalty }' : undefined) })
      .strict()
      .optional(),
  })
  .superRefine((a, ctx) => {
    const seen = new Map<string, number>();
    const groups = new Map<string, Visibility>();
    a.problems.forEach((p, i) => {
      if (seen.has(p.export)) ctx.addIssue({ code: 'custom', path: ['problems', i, 'export'], message: `duplicate problem "${p.export}"` });
      if (p.followUp?.export === p.export) ctx.addIssue({ code: 'custom', path: ['problems', i, 'followUp', 'export'], message: `the follow-up must be another function than "${p.export}"` });
      (p.dependsOn ?? []).forEach((dep, j) => {
        if (!seen.has(dep)) {
          ctx.addIssue({ code: 'custom', path: ['problems', i, 'dependsOn', j], message: `"${dep}" is not a problem listed before this one` });
        }
      });
      seen.set(p.export, i);
      const names = new Set<string>();
      p.cases.forEach((c, j) => {
        if (names.has(c.name)) ctx.addIssue({ code: 'custom', path: ['problems', i, 'cases', j, 'name'], message: `duplicate case name "${c.name}"` });
        names.add(c.name);
        if (c.seedGroup === undefined) return;
        const visibility = c.visibility ?? 'visible';
        const first = groups.get(c.seedGroup);
        if (first !== undefined && first !== visibility) {
          ctx.addIssue({ code: 'custom', path: ['problems', i, 'cases', j, 'visibility'], message: `seed group "${c.seedGroup}" mixes ${first} and ${visibility} cases; a group's cases must share a visibility` });
        }
        groups.set(c.seedGroup, first ?? visibility);
      });
    });
    (a.leaderboard ?? []).forEach((entry, i) => {
      const p = a.problems.find((candidate) => candidate.export === entry.problem);
      if (!p) ctx.addIssue({ code: 'custom', path: ['leaderboard', i, 'problem'], message: `no problem "${entry.problem}"` });
      else if (!p.cases.some((c) => c.name === entry.case)) ctx.addIssue({ code: 'custom', path: ['leaderboard', i, 'case'], message: `problem ${entry.problem} has no case "${entry.case}"` });
    });
  });

/** Marks an assignment definition. It is validated when loaded (see `loadAssignment`). */
export function defineAssignment(spec: AssignmentSpec): AssignmentSpec {
  return spec;
}
