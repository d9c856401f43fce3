import path from 'node:path';
import { type AnyFunction, type CallRecord, type CaseSpec, COURSE_PACKAGES, type FollowUpRecord, isVisibleCase, type ProblemSpec, type Variant } from '../assignment/define.ts';
import { AssignmentError, type LoadedAssignment, PROJECT_ROOT, STUDENT_COPY } from '../assignment/load.ts';
import { caseContext, generateCalls } from '../cases/calls.ts';
import { variantFor } from '../cases/variant.ts';
import { matchingMistakes } from '../checks/mistakes.ts';
import { validateValue } from '../checks/values.ts';
import { diagnosisOf } from '../checks/diagnose.ts';
import { earnedScore, type Verdict } from '../checks/verdict.ts';
import type { ArgumentChange } from '../sandbox/changes.ts';
import type { CallLimits, CallResult } from '../sandbox/process.ts';
import { SandboxSession } from '../sandbox/session.ts';
import { type BackendName, requestedBackend, tfjsNodeUrl } from '../tensor/choice.ts';
import type { TensorCase } from './tensors.ts';
import { truncateText } from '../sandbox/output.ts';
import type { CaseResult, CaseStatus, Figure, ProblemResult, ProblemStatus, Result } from '../result/schema.ts';
import { applyLatePolicy, timestampProblem } from '../result/late.ts';
import { SCHEMA_VERSION } from '../result/schema.ts';
import { isNotRecorded } from '../replay/not-recorded.ts';
import { rememberedAnswer } from './reference-cache.ts';
import { parameterNames } from './parameters.ts';
import { caseSeed, DEVELOPMENT_SECRET } from './seeds.ts';
import { TOOL_VERSION } from './version.ts';

export interface GradeOptions {
  assignment: LoadedAssignment;
  submissionDir: string;
  /** Selects the student's variant of the visible cases. Default `anonymous`. */
  student?: string;
  seed?: string;
  /** Seeds every non-visible case. Default: MLGRADE_SECRET, else a development value. */
  secret?: string;
  memoryMb?: number;
  /**
   * A budget for the whole run. When it is used up the remaining cases are skipped with a
   * message and the Result keeps every point already earned; a call running at that moment
   * is stopped when the budget ends.
   */
  timeLimitMs?: number;
  /** Called after each case, for progress display. */
  onCase?: (problem: string, result: CaseResult) => void;
  /**
   * Grades only these problems (export names); the Result lists only them, so it is not a
   * grade of record. `mlgrade check` uses it to grade a declared mistake only where it can
   * change points. Default: every problem.
   */
  problems?: readonly string[];
  /**
   * For trusted submissions only — the staff's reference, starter and mistake files, as
   * `mlgrade check` grades them: the problems of one visibility phase share one sandboxed
   * process instead of each starting a fresh one (a follow-up call and the hidden phase still
   * get fresh ones). Isolating problems protects a grade from what a student's code does to
   * its process; staff code does nothing of the kind, so its Result is the same, and a tensor
   * assignment's grading is spared a process start (~0.5 s of CPU) per problem.
   */
  shareProcesses?: boolean;
  /**
   * Grades the visible cases only; every other case is listed as skipped, graded only by the
   * course's grader. Default: true in a student copy (see `mlgrade export`), else false.
   */
  visibleOnly?: boolean;
  /**
   * When the work was submitted (ISO 8601 with a time zone): recorded in the Result, and the
   * assignment's late policy applied to the score (result/late.ts).
   */
  submittedAt?: string;
}

/** CPU time per call unless the problem sets `timeoutMs` (the sandbox adds a wall-clock backstop). */
export const DEFAULT_TIMEOUT_MS = 2000;
const DEFAULT_MEMORY_MB = 512;
/** CPU time for loading the submission (importing its module and packages). */
const LOAD_TIMEOUT_MS = 10_000;
const OUTPUT_BYTES_PER_CALL = 4096;
const MESSAGE_CHARS = 2000;
/** A student copy's message for a case whose check needs an answer the copy has not recorded. */
const COURSE_GRADER_ONLY =
  "checked by the course's grader: this check needs the reference solution's answer to inputs this copy of the course has not recorded (your own answers, for example), so it is not scored here";

function roundScore(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function plainError(message: string, exportName: string): string {
  return /not implemented/i.test(message) ? `not implemented yet (${exportName} still throws "${message.replace(/^Error: /, '')}")` : `${exportName} threw ${message}`;
}

function hiddenMessage(status: CaseStatus): string {
  const word = { pass: 'passed', fail: 'failed', error: 'failed with an error', timeout: 'timed out', skipped: 'skipped' }[status];
  return `${word} (this case is not visible: details are withheld)`;
}

function failureOf(result: CallResult, exportName: string): { status: CaseStatus; message: string } | undefined {
  const { outcome } = result;
  switch (outcome.kind) {
    case 'ok':
      return undefined;
    case 'error':
      return { status: 'error', message: outcome.refused ? `${exportName} ${outcome.message}` : plainError(outcome.message, exportName) };
    case 'timeout':
      return { status: 'timeout', message: `${exportName} ${outcome.message}` };
    case 'memory':
      return { status: 'error', message: `${exportName} ${outcome.message}` };
    case 'crash':
      return { status: 'error', message: outcome.message };
  }
}

/** The note for a call that changed an argument in place: it costs no points (the call got a copy). */
function changedArgumentNote(exportName: string, reference: AnyFunction, change: ArgumentChange): string {
  const name = parameterNames(reference)[change.index];
  const argument = name ? `\`${name}\`` : `argument ${change.index + 1}`;
  const where = change.path ? ` (${name ?? ''}${change.path}: ${change.before} → ${change.after})` : ` (${change.before} → ${change.after})`;
  return `${exportName} changed its argument ${argument} in place${where}. The grader gave it a copy, so this costs no points, but a caller's data would change under it: work on a copy instead`;
}

interface CaseOutcome {
  status: CaseStatus;
  score: number;
  message: string;
  mistake?: string;
  output: string;
  durationMs: number;
  notes?: string[];
  figures?: Figure[];
  metrics?: Record<string, number>;
}

type TensorSupport = typeof import('./tensors.ts');

class Grader {
  private readonly results = new Map<string, Map<string, CaseResult>>();
  /** Each case's score as a fraction of its maximum, before rounding, keyed by problem and case. */
  private readonly fractions = new Map<string, number>();
  /** What each case's check measured (Verdict.metrics), keyed by problem and case, for the leaderboard. */
  private readonly metrics = new Map<string, Record<string, number>>();
  /** What checks leave for later checks in this grading (CheckContext.findings). */
  private readonly findings = new Map<string, unknown>();
  private session!: SandboxSession;
  /** The student's variant (cases/variant.ts), set when the run starts. */
  private variant: Variant = {};
  private backend = 'none';
  private started = 0;
  private tensors: TensorSupport | undefined;

  constructor(
    private readonly options: Required<Omit<GradeOptions, 'onCase' | 'memoryMb' | 'timeLimitMs' | 'problems' | 'shareProcesses' | 'submittedAt'>> &
      Pick<GradeOptions, 'onCase' | 'memoryMb' | 'timeLimitMs' | 'shareProcesses'> & { problems: readonly ProblemSpec[] },
  ) {}

  async run(): Promise<Result> {
    this.started = performance.now();
    const { started } = this;
    const { spec } = this.options.assignment;
    // Before anything starts: a broken variant generator is the assignment's bug.
    this.variant = variantFor(spec, this.options.student, this.options.seed);
    let tensorBackend: BackendName | undefined;
    if (spec.tensors) {
      this.tensors = await import('./tensors.ts');
      const report = await this.tensors.startBackend();
      tensorBackend = report.name;
      this.backend = report.name;
    }
    // Without tensors the grader loads no tfjs; a submission that imports it still gets the
    // backend tfjs-node → wasm would give, chosen without loading tfjs here.
    const ifImported = tensorBackend ? undefined : (requestedBackend() ?? (tfjsNodeUrl() ? 'node' : 'wasm'));
    const childBackend = tensorBackend ?? ifImported;
    this.session = await SandboxSession.open({
      tensorBackend,
      tensorBackendIfImported: ifImported,
      tfjsNodeUrl: childBackend === 'node' ? tfjsNodeUrl() : undefined,
      submissionDir: this.options.submissionDir,
      module: spec.module,
      allowedPackages: spec.allowedPackages ?? COURSE_PACKAGES,
      // Allowed packages resolve from the grader's own node_modules (see sandbox/compile.ts).
      packageDirs: [path.join(PROJECT_ROOT, 'node_modules')],
      memoryMb: this.options.memoryMb ?? spec.memoryMb ?? DEFAULT_MEMORY_MB,
      outputBytes: OUTPUT_BYTES_PER_CALL,
      loadTimeoutMs: LOAD_TIMEOUT_MS,
    });
    if (this.session.tensorBackend) this.backend = this.session.tensorBackend;
    try {
      const visible = this.steps(isVisibleCase);
      const others = this.steps((c) => !isVisibleCase(c));
      if (this.options.visibleOnly) {
        await (this.options.shareProcesses ? this.runShared(visible, []) : this.runSteps(visible));
        for (const { problem, cases } of others) for (const c of cases) this.skip(problem, c, `not run here: a ${c.visibility} case, graded only by the course's grader`);
      } else if (this.options.shareProcesses) {
        await this.runShared(visible, others);
      } else {
        // Each problem's visible cases, then its others, in a process of its own. Its hidden
        // inputs reach that process only after its visible feedback has been taken, and no
        // later process can read a file it wrote (see Workspace), so nothing a student's code
        // learns from a hidden input can surface in the feedback of a visible case.
        await this.runSteps(this.steps(() => true));
      }
    } finally {
      this.session.close();
    }
    return this.assemble(performance.now() - started);
  }

  /** Each problem's cases that `include` takes, visible ones first; problems with none are left out. */
  private steps(include: (c: CaseSpec<unknown[]>) => boolean): Array<{ problem: ProblemSpec; cases: Array<CaseSpec<unknown[]>> }> {
    return this.options.problems
      .map((problem) => {
        const cases = (problem.cases as Array<CaseSpec<unknown[]>>).filter(include);
        return { problem, cases: [...cases.filter(isVisibleCase), ...cases.filter((c) => !isVisibleCase(c))] };
      })
      .filter(({ cases }) => cases.length > 0);
  }

  /** Runs the steps in order, each in a fresh process. */
  private async runSteps(steps: Array<{ problem: ProblemSpec; cases: Array<CaseSpec<unknown[]>> }>): Promise<void> {
    if (steps.length > 1) this.session.prepareSpare();
    for (const [index, { problem, cases }] of steps.entries()) {
      // Each step starts in a fresh process: whatever one function does to its process
      // (globals it replaces, timers it leaves running, files it writes) cannot touch another
      // problem's grade.
      this.session.recycle();
      await this.runCases(problem, cases);
      // Recycling now rather than before the next step lets the next process finish loading
      // while the grader prepares that step's inputs and reference answers; a spare for the
      // step after that loads meanwhile.
      if (index < steps.length - 1) this.session.recycle({ prepareNext: index < steps.length - 2 });
    }
  }

  /**
   * Staff code (GradeOptions.shareProcesses): every visible case in one process, then, if
   * there are others, every other case in a second one.
   */
  private async runShared(visible: Array<{ problem: ProblemSpec; cases: Array<CaseSpec<unknown[]>> }>, others: typeof visible): Promise<void> {
    for (const { problem, cases } of visible) await this.runCases(problem, cases);
    if (others.length > 0) this.session.recycle({ prepareNext: false });
    for (const { problem, cases } of others) await this.runCases(problem, cases);
  }

  private async runCases(problem: ProblemSpec, cases: Array<CaseSpec<unknown[]>>): Promise<void> {
    for (const c of cases) {
      if (this.overBudget()) {
        this.skip(problem, c, `not run: grading stopped when its time limit (${(this.options.timeLimitMs ?? 0) / 1000} s) was used up; points already earned are kept`);
        continue;
      }
      const { result, fraction } = await this.gradeCase(problem, c);
      this.fractions.set(`${problem.export}\u0000${c.name}`, fraction);
      this.record(problem.export, result);
    }
  }

  private overBudget(): boolean {
    return this.options.timeLimitMs !== undefined && performance.now() - this.started >= this.options.timeLimitMs;
  }

  /** Time left in the run's budget, for capping a call's timeout (Infinity without a budget). */
  private budgetLeft(): number {
    return this.options.timeLimitMs === undefined ? Infinity : Math.max(1, this.options.timeLimitMs - (performance.now() - this.started));
  }

  /**
   * A call's limits: the problem's CPU time, and the run's budget (wall clock, like the
   * whole `--time-limit`) as a deadline that stops the call if it ends first.
   */
  private callLimits(problem: ProblemSpec): CallLimits {
    const limits: CallLimits = { cpuMs: problem.timeoutMs ?? DEFAULT_TIMEOUT_MS };
    const left = this.budgetLeft();
    if (Number.isFinite(left)) limits.deadline = { ms: left, reason: `grading's time limit (${(this.options.timeLimitMs ?? 0) / 1000} s) was used up` };
    return limits;
  }

  /** Records a case that was not run, with the reason. */
  private skip(problem: ProblemSpec, c: CaseSpec<unknown[]>, message: string): void {
    this.fractions.set(`${problem.export}\u0000${c.name}`, 0);
    this.record(problem.export, { name: c.name, visibility: c.visibility ?? 'visible', status: 'skipped', score: 0, maxScore: roundScore(this.caseMaxScore(problem, c)), message, durationMs: 0 });
  }

  private record(problem: string, result: CaseResult): void {
    let cases = this.results.get(problem);
    if (!cases) this.results.set(problem, (cases = new Map<string, CaseResult>()));
    cases.set(result.name, result);
    this.options.onCase?.(problem, result);
  }

  private caseMaxScore(problem: ProblemSpec, c: CaseSpec<unknown[]>): number {
    const total = problem.cases.reduce((sum, other) => sum + (other.weight ?? 1), 0);
    return (problem.points * (c.weight ?? 1)) / total;
  }

  private async gradeCase(problem: ProblemSpec, c: CaseSpec<unknown[]>): Promise<{ result: CaseResult; fraction: number }> {
    const visibility = c.visibility ?? 'visible';
    const maxScore = roundScore(this.caseMaxScore(problem, c));
    const outcome = await this.evaluate(problem, c);
    const visible = visibility === 'visible';
    const result: CaseResult = {
      name: c.name,
      visibility,
      status: outcome.status,
      score: roundScore(outcome.score * maxScore),
      maxScore,
      // Room for a Hint or Observed line after a check's message of MESSAGE_CHARS (see runCalls).
      message: visible ? truncateText(outcome.message, 2 * MESSAGE_CHARS) : hiddenMessage(outcome.status),
      durationMs: Math.round(outcome.durationMs * 100) / 100,
    };
    if (visible && outcome.mistake) result.mistake = outcome.mistake;
    if (visible && outcome.output) result.output = outcome.output;
    if (visible && outcome.notes?.length) result.notes = outcome.notes;
    if (visible && outcome.figures?.length) result.figures = outcome.figures;
    if (outcome.metrics) this.metrics.set(`${problem.export}\u0000${c.name}`, outcome.metrics);
    return { result, fraction: outcome.score };
  }

  /**
   * The first dependency of the problem that has not passed. A visible case looks at the
   * dependency's visible cases only: its feedback must not depend on hidden results (and
   * does not depend on the order the cases run in).
   */
  private blockedBy(problem: ProblemSpec, c: CaseSpec<unknown[]>): string | undefined {
    for (const dependency of problem.dependsOn ?? []) {
      const cases = [...(this.results.get(dependency)?.values() ?? [])].filter((other) => !isVisibleCase(c) || isVisibleCase(other));
      if (cases.some((other) => other.status !== 'pass')) return dependency;
    }
    return undefined;
  }

  private async evaluate(problem: ProblemSpec, c: CaseSpec<unknown[]>): Promise<CaseOutcome> {
    const none = { score: 0, output: '', durationMs: 0 };
    const { session } = this;
    const { spec } = this.options.assignment;
    if (session.loadFailure) return { ...none, status: 'error', message: session.loadFailure.message };
    const blocker = this.blockedBy(problem, c);
    if (blocker) return { ...none, status: 'skipped', message: `skipped: this problem depends on ${blocker}, which has not passed` };
    for (const name of [problem.export, ...(problem.followUp ? [problem.followUp.export] : [])]) {
      const kind = session.exports[name];
      if (kind === undefined) return { ...none, status: 'error', message: `${spec.module} does not export ${name}` };
      if (kind !== 'function') return { ...none, status: 'error', message: `${name} is exported as ${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind}, not a function` };
    }

    const tensorCase = this.tensors?.beginTensorCase();
    try {
      return await this.runCalls(problem, c, tensorCase);
    } catch (error) {
      if (isNotRecorded(error)) return { ...none, status: 'skipped', message: COURSE_GRADER_ONLY };
      throw error;
    } finally {
      tensorCase?.end();
    }
  }

  private async runCalls(problem: ProblemSpec, c: CaseSpec<unknown[]>, tensorCase: TensorCase | undefined): Promise<CaseOutcome> {
    const none = { score: 0, output: '', durationMs: 0 };
    const calls = this.generateCalls(problem, c);
    const records: Array<CallRecord<unknown[], unknown>> = [];
    const printed: string[] = [];
    const notes: string[] = [];
    let durationMs = 0;
    for (const args of calls) {
      // Encoded before the reference runs: a reference that trains a model it was given must
      // not hand the student an already trained one.
      const sent = tensorCase ? await tensorCase.encode(args) : args;
      const forReference = tensorCase ? tensorCase.forReference(args) : structuredClone(args);
      const answer = await this.callStudent(problem, problem.export, sent, problem.output, tensorCase, notes, printed);
      durationMs += answer.durationMs;
      if ('failure' in answer) return { ...none, ...answer.failure, output: printed.join('\n'), durationMs };
      // After the student's call, so that a call that failed (a starter, a crash) costs no
      // reference work; the reference gets its own copy, made before the call, either way.
      const expected = problem.referenceUnused ? undefined : await this.reference(problem, c, problem.reference, forReference);
      const record: CallRecord<unknown[], unknown> = { args, output: answer.value, expected };
      if (problem.followUp) {
        const followUp = await this.followUp(problem, c, record, tensorCase, notes, printed);
        durationMs += followUp.durationMs;
        if ('failure' in followUp) return { ...none, ...followUp.failure, output: printed.join('\n'), durationMs };
        record.followUp = followUp.record;
      }
      records.push(record);
    }
    const visible = isVisibleCase(c);
    const seed = this.seedFor(problem, c);
    const context = caseContext(records, c.name, visible, seed, this.findings);
    const verdict = await this.check(problem, context);
    const score = earnedScore(verdict);
    // The check's own words are cut to size first, so a long message never pushes the hint
    // or observation below out of the report.
    let message = truncateText(verdict.message, MESSAGE_CHARS);
    let mistake: string | undefined;
    if (score < 1) {
      const [matched] = matchingMistakes(problem, context);
      if (matched) {
        mistake = matched.id;
        message += `\nHint: ${matched.hint}`;
      } else {
        // A generic fact about the numbers (diagnose.ts), only where staff declared nothing.
        const diagnosis = diagnosisOf(verdict.details);
        if (diagnosis) message += `\nObserved: ${diagnosis.message}`;
      }
    }
    return { status: score === 1 ? 'pass' : 'fail', score, message, mistake, output: printed.join('\n'), durationMs, notes, figures: verdict.figures, metrics: verdict.metrics };
  }

  /**
   * One call of a student's function in the current child: its printed output and notes are
   * collected, its value rebuilt (tensors) and validated; a failure comes back as the case's
   * status and message.
   */
  private async callStudent(
    problem: ProblemSpec,
    name: string,
    sent: unknown[],
    schema: ProblemSpec['output'],
    tensorCase: TensorCase | undefined,
    notes: string[],
    printed: string[],
  ): Promise<{ value: unknown; durationMs: number } | { failure: { status: CaseStatus; message: string }; durationMs: number }> {
    const result = await this.session.call(name, sent, this.callLimits(problem));
    const { durationMs } = result;
    const output = [result.stdout, result.stderr].map((text) => text.trimEnd()).filter((text) => text.length > 0).join('\n');
    if (output) printed.push(output);
    const failure = failureOf(result, name);
    if (failure) return { failure, durationMs };
    const { value: raw, leakedTensors, changedArgument } = result.outcome as Extract<CallResult['outcome'], { kind: 'ok' }>;
    if (changedArgument) notes.push(changedArgumentNote(name, name === problem.export ? problem.reference : problem.followUp!.reference, changedArgument));
    if (leakedTensors) {
      notes.push(`${name} left ${leakedTensors} tensor${leakedTensors === 1 ? '' : 's'} allocated; wrap temporary work in tf.tidy() or dispose() what you no longer need (this costs no points)`);
    }
    let value: unknown = raw;
    if (tensorCase) {
      try {
        value = await tensorCase.decode(raw);
      } catch (error) {
        return { failure: { status: 'fail', message: `${name} returned a value the grader could not rebuild: ${(error as Error).message}` }, durationMs };
      }
    }
    const validated = validateValue(schema, value, 'result');
    if (!validated.ok) return { failure: { status: 'fail', message: `${name} returned an invalid value: ${validated.message}` }, durationMs };
    return { value: validated.value, durationMs };
  }

  /**
   * The problem's follow-up (ProblemSpec.followUp) on one call's output, in a fresh process:
   * the student's second function gets the student's output, the reference's gets the
   * reference's.
   */
  private async followUp(
    problem: ProblemSpec,
    c: CaseSpec<unknown[]>,
    record: CallRecord<unknown[], unknown>,
    tensorCase: TensorCase | undefined,
    notes: string[],
    printed: string[],
  ): Promise<{ record: FollowUpRecord; durationMs: number } | { failure: { status: CaseStatus; message: string }; durationMs: number }> {
    const spec = problem.followUp!;
    const args = spec.args(record.args, record.output);
    const sent = tensorCase ? await tensorCase.encode(args) : args;
    const expected = problem.referenceUnused ? undefined : await this.reference(problem, c, spec.reference, spec.args(tensorCase ? tensorCase.forReference(record.args) : structuredClone(record.args), record.expected));
    this.session.recycle({ prepareNext: !this.options.shareProcesses });
    const answer = await this.callStudent(problem, spec.export, sent, spec.output, tensorCase, notes, printed);
    if ('failure' in answer) return answer;
    return { record: { args, output: answer.value, expected }, durationMs: answer.durationMs };
  }

  private seedFor(problem: ProblemSpec, c: CaseSpec<unknown[]>): string {
    return caseSeed(c.visibility ?? 'visible', {
      assignment: this.options.assignment.spec.id,
      problem: problem.export,
      caseName: c.name,
      group: c.seedGroup,
      student: this.options.student,
      seed: this.options.seed,
      secret: this.options.secret,
    });
  }

  private generateCalls(problem: ProblemSpec, c: CaseSpec<unknown[]>): unknown[][] {
    return generateCalls(this.options.assignment.spec.id, problem, c, this.seedFor(problem, c), this.variant);
  }

  /**
   * Runs the reference on a copy of the arguments, so it cannot change what the student gets.
   * Answers to plain-data arguments are remembered for the life of the process (see
   * reference-cache.ts), so grading many submissions computes each shared case once.
   */
  private async reference(problem: ProblemSpec, c: CaseSpec<unknown[]>, reference: (...args: unknown[]) => unknown, copy: unknown[]): Promise<unknown> {
    const memory = this.tensors ? undefined : rememberedAnswer(reference, copy);
    if (memory?.found) return memory.value;
    try {
      const value: unknown = await reference(...copy);
      memory?.remember(value);
      return value;
    } catch (error) {
      if (isNotRecorded(error)) throw error;
      throw new AssignmentError(`${this.options.assignment.spec.id}: problem ${problem.export}, case "${c.name}": the reference solution threw: ${(error as Error).message}`);
    }
  }

  private async check(problem: ProblemSpec, context: Parameters<ProblemSpec['check']>[0]): Promise<Verdict> {
    try {
      return await problem.check(context);
    } catch (error) {
      if (isNotRecorded(error)) throw error;
      // A check that cannot handle an answer must not give points for it.
      return { score: 0, message: `this answer could not be checked (${(error as Error).message}); please report this to the course staff` };
    }
  }

  private assemble(executionTimeMs: number): Result {
    const { spec } = this.options.assignment;
    const problems: ProblemResult[] = this.options.problems.map((problem) => {
      const cases = problem.cases.map((c) => this.results.get(problem.export)!.get(c.name)!);
      // From the unrounded fractions, so three cases of 1/3 point each add up to exactly 1.
      const totalWeight = problem.cases.reduce((sum, c) => sum + (c.weight ?? 1), 0);
      const earned = problem.cases.reduce((sum, c) => sum + (c.weight ?? 1) * this.fractions.get(`${problem.export}\u0000${c.name}`)!, 0);
      const score = roundScore((problem.points * earned) / totalWeight);
      return { name: problem.export, title: problem.title, score, maxScore: problem.points, status: problemStatus(cases, score), cases };
    });
    const result: Result = {
      schemaVersion: SCHEMA_VERSION,
      tool: { name: 'mlgrade', version: TOOL_VERSION },
      assignment: { id: spec.id, title: spec.title },
      student: this.options.student,
      seed: this.options.seed,
      backend: this.backend,
      score: roundScore(problems.reduce((sum, p) => sum + p.score, 0)),
      maxScore: roundScore(problems.reduce((sum, p) => sum + p.maxScore, 0)),
      warnings: [...this.session.warnings],
      problems,
      executionTimeMs: Math.round(executionTimeMs),
    };
    if (this.session.loadFailure) result.loadError = this.session.loadFailure.message;
    const leaderboard = (spec.leaderboard ?? []).flatMap((entry) => {
      const value = this.metrics.get(`${entry.problem}\u0000${entry.case}`)?.[entry.metric];
      return typeof value === 'number' && Number.isFinite(value) ? [{ name: entry.name, value, order: entry.order ?? ('desc' as const) }] : [];
    });
    if (leaderboard.length > 0) result.leaderboard = leaderboard;
    if (this.options.visibleOnly) {
      result.visibleOnly = true;
      const others = problems.flatMap((p) => p.cases).filter((c) => c.visibility !== 'visible').length;
      if (others > 0) result.warnings.push(`visible cases only: the ${others} other case${others === 1 ? ' is' : 's are'} graded by the course's grader, which gives the grade of record`);
    }
    return result;
  }
}

function problemStatus(cases: CaseResult[], score: number): ProblemStatus {
  if (cases.every((c) => c.status === 'skipped')) return 'skipped';
  if (cases.every((c) => c.status === 'pass')) return 'pass';
  if (score > 0) return 'partial';
  return cases.every((c) => c.status === 'error' || c.status === 'timeout' || c.status === 'skipped') ? 'error' : 'fail';
}

/** Grades one submission of one assignment and returns its Result. */
export async function gradeSubmission(options: GradeOptions): Promise<Result> {
  const { spec } = options.assignment;
  const only = options.problems;
  const unknown = (only ?? []).filter((name) => !spec.problems.some((p) => p.export === name));
  if (unknown.length > 0) throw new AssignmentError(`${spec.id} has no problem ${unknown.join(', ')}; its problems are ${spec.problems.map((p) => p.export).join(', ')}`);
  // Said before grading, not after it: the time is the caller's mistake.
  const badTime = options.submittedAt === undefined ? undefined : timestampProblem(options.submittedAt);
  if (badTime) throw new Error(`the submission time ${badTime}`);
  const grader = new Grader({
    problems: only ? spec.problems.filter((p) => only.includes(p.export)) : spec.problems,
    assignment: options.assignment,
    submissionDir: path.resolve(options.submissionDir),
    student: options.student ?? 'anonymous',
    seed: options.seed ?? '0',
    secret: options.secret ?? process.env.MLGRADE_SECRET ?? DEVELOPMENT_SECRET,
    memoryMb: options.memoryMb,
    timeLimitMs: options.timeLimitMs,
    onCase: options.onCase,
    shareProcesses: options.shareProcesses,
    visibleOnly: options.visibleOnly ?? STUDENT_COPY,
  });
  return applyLatePolicy(await grader.run(), spec.late, options.submittedAt);
}
