import { fork } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { type AssignmentSpec, type CaseSpec, isVisibleCase, type ProblemSpec } from '../assignment/define.ts';
import { renderHandout } from '../assignment/handout.ts';
import { AssignmentError, type LoadedAssignment, loadAssignment } from '../assignment/load.ts';
import { formatScore } from '../report/format.ts';
import { type Result, serializeResult, withoutTiming } from '../result/schema.ts';
import { generateCalls } from '../cases/calls.ts';
import { variantFor } from '../cases/variant.ts';
import { callKey } from '../replay/encode.ts';
import { caseSeed } from '../run/seeds.ts';
import { DEFAULT_TIMEOUT_MS, gradeSubmission } from '../run/grade.ts';
import { TOOL_VERSION } from '../run/version.ts';
import { GradingPool } from '../run/grading-pool.ts';
import { buildMistakeSubmission } from './mistake-submission.ts';
import { mistakeFunctions, mistakeImplementation, referenceImplementation, replayChecks, type ReplayMemory, replayMemory } from './replay.ts';
import { type AddRow, checkTolerances } from './tolerance.ts';

export interface CheckRow {
  assignment: string;
  check: string;
  ok: boolean;
  detail: string;
  /** A warning: the check holds (ok), but something deserves the instructor's eye. */
  warning?: boolean;
}

/** How many student ids the reference is checked for by default (`--students`). */
export const DEFAULT_CHECK_STUDENTS = 50;
/**
 * How many of them are graded end to end, in the sandbox; the others are replayed in this
 * process. Two, so that the sandbox carries two students' inputs (and the first is graded again
 * for determinism): the replays run the same seeds, schemas, checks and detectors, at about
 * half the cost of a sandboxed grading (the reference answers once, as the answer and as
 * `expected`). With five, their gradings were 28–54 % of a check's time (profiled on four
 * assignments).
 */
export const SANDBOXED_STUDENTS = 2;
/** The student ids of a self-check: selfcheck-1, selfcheck-2, … */
export const selfCheckStudents = (count: number): string[] => Array.from({ length: count }, (_, i) => `selfcheck-${i + 1}`);
export const SELF_CHECK_STUDENTS = selfCheckStudents(SANDBOXED_STUDENTS);
/** A fixed secret, so self-check runs are reproducible whatever the environment holds. */
const SELF_CHECK_SECRET = 'mlgrade-self-check';

/** "1 problem", "3 problems". */
const counted = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

function firstLoss(result: Result): string {
  for (const p of result.problems) {
    for (const c of p.cases) {
      if (c.score < c.maxScore) return `${p.name} / ${c.name}: ${c.message.split('\n')[0]}`;
    }
  }
  return '';
}

/** Runs `work` on every item, at most `limit` at a time, and returns the results in order. */
async function inOrder<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}


type Grade = (submissionDir: string, options?: { student?: string; problems?: readonly string[] }) => Promise<Result>;

/**
 * How the self-check grades, and how many gradings at a time. Gradings of an assignment
 * without tensors share nothing but the remembered reference answers, so two run side by
 * side in this process: one grader computes while the other waits for its sandboxed process.
 * A tensor assignment's gradings each need a process of their own (tfjs scopes are
 * process-wide): they run side by side in a GradingPool.
 */
function grader(assignment: LoadedAssignment): { grade: Grade; limit: number; close: () => void } {
  // Every submission the self-check grades is the staff's own (reference, starter, mistake
  // files), so the problems of a phase share a sandboxed process (GradeOptions.shareProcesses).
  const fixed = (student = SELF_CHECK_STUDENTS[0]) => ({ student, seed: '0', secret: SELF_CHECK_SECRET, shareProcesses: true });
  if (!assignment.spec.tensors) {
    return {
      grade: (submissionDir, { student, problems } = {}) => gradeSubmission({ assignment, submissionDir, problems, ...fixed(student) }),
      limit: Math.max(1, Math.min(2, availableParallelism())),
      close: () => undefined,
    };
  }
  const pool = new GradingPool();
  return {
    grade: (submissionDir, { student, problems } = {}) => pool.grade({ assignment: assignment.spec.id, root: assignment.root, submissionDir, problems, ...fixed(student) }),
    limit: pool.size,
    close: () => pool.close(),
  };
}

/**
 * The problems whose points a submission that replaces `exports` of the reference can change:
 * the problems of those functions, those whose follow-up is one of them and, transitively, every problem that depends on one of them
 * (a failed dependency skips its dependants). The reference's other functions are the
 * reference's own (see buildMistakeSubmission), so every other problem grades as the reference.
 */
export function affectedProblems(spec: AssignmentSpec, exports: readonly string[]): string[] {
  const replaced = new Set(exports);
  const affected = new Set(exports);
  // Problems list their dependencies before themselves (define.ts checks it): one pass suffices.
  for (const p of spec.problems) {
    if ((p.followUp && replaced.has(p.followUp.export)) || (p.dependsOn ?? []).some((d) => affected.has(d))) affected.add(p.export);
  }
  return spec.problems.map((p) => p.export).filter((name) => affected.has(name));
}

export interface CheckOptions {
  /** Grade every problem for every declared mistake, not only those it can affect. */
  full?: boolean;
  /** The project whose assignments runSelfCheck loads (default: this one). */
  root?: string;
  /** runSelfCheck also writes a Markdown summary (summaryMarkdown) to this file. */
  summary?: string;
  /**
   * Check only these problems (by function name): the reference, the starter, their mistakes,
   * variants, timeouts and tolerances. The quick loop while writing a problem; the whole
   * check still decides (npm test runs it).
   */
  problems?: readonly string[];
  /**
   * Check the reference for this many student ids (default DEFAULT_CHECK_STUDENTS; at least 2):
   * the first SANDBOXED_STUDENTS graded in the sandbox, the others replayed in this process
   * (every problem, unless it declares fewer in `checkStudents` and `full` is not set).
   */
  students?: number;
  /**
   * How many assignments to check at once, each in a process of its own (default:
   * defaultCheckJobs()); 1 checks them one after another in this process.
   */
  jobs?: number;
}

/** One assignment's part of a self-check run, for the summary. */
export interface CheckedAssignment {
  id: string;
  rows: CheckRow[];
  seconds: number;
}

/** Escapes text for a Markdown table cell (one line, no column breaks). */
const cell = (text: string): string => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

/**
 * A Markdown summary of a self-check run that an instructor can paste into a course log: one
 * row per assignment (checks passed and failed, time), then every failed check with its reason.
 */
export function summaryMarkdown(checked: readonly CheckedAssignment[], options: { full?: boolean; date?: Date } = {}): string {
  const date = (options.date ?? new Date()).toISOString().replace(/:\d\d\.\d+Z$/, ' UTC').replace('T', ' ');
  const lines = [
    `## mlgrade check, ${date}`,
    '',
    `mlgrade ${TOOL_VERSION}; ${options.full ? 'every problem graded for every mistake (--full)' : 'mistakes graded only on the problems they can affect'}.`,
    '',
    '| assignment | checks | passed | failed | warnings | time |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...checked.map(({ id, rows, seconds }) => {
      const failed = rows.filter((r) => !r.ok).length;
      return `| \`${id}\` | ${rows.length} | ${rows.length - failed} | ${failed} | ${rows.filter((r) => r.warning).length} | ${seconds.toFixed(1)} s |`;
    }),
  ];
  const failures = checked.flatMap(({ rows }) => rows.filter((r) => !r.ok));
  const warnings = checked.flatMap(({ rows }) => rows.filter((r) => r.warning));
  const item = (r: CheckRow): string => `- \`${r.assignment}\`, ${cell(r.check)}: ${cell(r.detail)}`;
  lines.push('', failures.length === 0 ? 'Every check passed.' : `${failures.length} check${failures.length === 1 ? '' : 's'} failed:`);
  if (failures.length > 0) lines.push('', ...failures.map(item));
  if (warnings.length > 0) lines.push('', `${warnings.length} warning${warnings.length === 1 ? '' : 's'}:`, '', ...warnings.map(item));
  return `${lines.join('\n')}\n`;
}

/** Every check of one assignment; each row says what was verified and, on failure, why. */
export async function checkAssignment(assignment: LoadedAssignment, report: (row: CheckRow) => void = () => undefined, options: CheckOptions = {}): Promise<CheckRow[]> {
  const { spec } = assignment;
  const rows: CheckRow[] = [];
  const add: AddRow = (check, ok, detail, warning) => {
    const row: CheckRow = { assignment: spec.id, check, ok, detail, ...(warning ? { warning } : {}) };
    rows.push(row);
    report(row);
  };
  const { grade, limit, close } = grader(assignment);
  try {
    await checkWith(assignment, grade, limit, add, options);
  } finally {
    close();
  }
  return rows;
}

async function checkWith(assignment: LoadedAssignment, grade: Grade, limit: number, add: AddRow, options: CheckOptions): Promise<void> {
  const { spec } = assignment;
  const unknown = (options.problems ?? []).filter((name) => !spec.problems.some((p) => p.export === name));
  if (unknown.length > 0) {
    add('the problems to check exist', false, `${spec.id} has no problem ${unknown.join(', ')}; its problems: ${spec.problems.map((p) => p.export).join(', ')}`);
    return;
  }
  const selected = options.problems ? spec.problems.filter((p) => options.problems!.includes(p.export)) : spec.problems;
  /** What every grading below grades: the selected problems (undefined: all). */
  const only = options.problems ? selected.map((p) => p.export) : undefined;
  const placeholders = selected.filter((p) => p.placeholder).map((p) => p.export);
  if (placeholders.length > 0) {
    add('no placeholder problems', true, `WARNING: ${placeholders.join(', ')} ${placeholders.length === 1 ? 'is a placeholder' : 'are placeholders'} (placeholder: true, from mlgrade new-problem): export and the Gradescope bundle refuse the assignment until ${placeholders.length === 1 ? 'it is' : 'they are'} written`, true);
  }
  // 1. The reference earns full marks for every student variant.
  // 2. Grading is deterministic apart from timing: the first student is graded twice.
  // 3. The starter scores zero and grading completes.
  const everyone = selfCheckStudents(options.students ?? DEFAULT_CHECK_STUDENTS);
  const students = everyone.slice(0, SANDBOXED_STUDENTS);
  const runs = [...students.map((student) => ({ dir: assignment.solutionDir, student })), { dir: assignment.solutionDir, student: students[0] }, { dir: assignment.starterDir, student: students[0] }];
  const results = await inOrder(runs, limit, ({ dir, student }) => grade(dir, { student, problems: only }));
  const starter = results.pop()!;
  const again = results.pop()!;
  const reference = results[0];
  const lost = results
    .map((result, i) => ({ result, student: students[i] }))
    .filter(({ result }) => result.score !== result.maxScore)
    .map(({ result, student }) => `${student}: ${formatScore(result.score)}/${formatScore(result.maxScore)} (${result.loadError ?? firstLoss(result)})`);
  add(`reference scores full marks for ${students.length} students`, lost.length === 0, lost.length === 0 ? `${formatScore(reference.maxScore)}/${formatScore(reference.maxScore)} each` : lost.join('; '));

  // The in-process replays below (students, hint matrix, tolerances) share one student and its
  // remembered answers, so that the reference answers each of that student's cases once.
  const replayed = { student: everyone[students.length] ?? students[0], memory: replayMemory() };
  await checkReplayedStudents(assignment, selected, everyone.slice(students.length), options.full === true, add, replayed.memory);

  const same = serializeResult(withoutTiming(again)) === serializeResult(withoutTiming(reference));
  add('grading twice gives identical Results', same, same ? 'byte-identical apart from timing' : 'the two Results differ');

  // Each student's variant: inputs of their own, and timeouts with room for slower machines.
  const inputs = await caseInputs(assignment, selected, SELF_CHECK_STUDENTS.slice(0, 2));
  checkVariants(selected, inputs, add);
  checkHandout(assignment, SELF_CHECK_STUDENTS.slice(0, 2), add);
  checkTimeouts(selected, [...results, again], inputs, add);

  const starterOk = starter.score === 0 && starter.problems.length === selected.length;
  add('starter scores 0 and grading completes', starterOk, starterOk ? `0/${formatScore(starter.maxScore)}` : `starter scored ${formatScore(starter.score)}: ${firstLoss(starter) || starter.loadError || ''}`);

  // 4. Every declared mistake has a file and every file is declared.
  const declared = new Map<string, { problem: string; hint: string }>();
  for (const p of spec.problems) for (const m of p.mistakes ?? []) declared.set(m.id, { problem: p.export, hint: m.hint });
  const isSelected = (problem: string): boolean => selected.some((p) => p.export === problem);
  const files = existsSync(assignment.mistakesDir) ? readdirSync(assignment.mistakesDir).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)) : [];
  const undeclared = files.filter((f) => !declared.has(f));
  const missing = [...declared.keys()].filter((id) => !files.includes(id));
  add('mistake files match the declared mistakes', undeclared.length === 0 && missing.length === 0,
    [undeclared.length ? `files not declared in assignment.ts: ${undeclared.join(', ')}` : '', missing.length ? `declared without a file in mistakes/: ${missing.join(', ')}` : ''].filter(Boolean).join('; ') || counted(files.length, 'mistake'));

  // 5. Every problem has visible cases (the student's feedback) and hidden ones (the grade
  // cannot be fitted to the visible ones), and its check is shown to fail on at least one
  // wrong submission.
  const oneSided = selected.flatMap((p) => {
    const visible = p.cases.filter(isVisibleCase).length;
    return visible === 0 ? [`${p.export} has no visible case`] : visible === p.cases.length ? [`${p.export} has no hidden case`] : [];
  });
  add('every problem has visible and hidden cases', oneSided.length === 0, oneSided.length === 0 ? counted(selected.length, 'problem') : oneSided.join('; '));
  const untested = selected.filter((p) => !(p.mistakes ?? []).some((m) => files.includes(m.id))).map((p) => p.export);
  add('every problem has at least one declared mistake', untested.length === 0, untested.length === 0 ? counted(selected.length, 'problem') : `no mistake targets: ${untested.join(', ')}`);

  // 6. Each mistake loses points on its problem, carries its hint, and costs nothing elsewhere.
  // Unless options.full, a mistake is graded only on the problems it can affect: the others
  // run the reference's own functions and would grade as the reference did in 1.
  const mistakes = files.filter((f) => declared.has(f) && isSelected(declared.get(f)!.problem));
  const mistakeResults = await inOrder(mistakes, limit, async (id) => {
    const submission = await buildMistakeSubmission(assignment, id);
    try {
      return await grade(submission.dir, { problems: options.full ? undefined : affectedProblems(spec, [...submission.overrides, declared.get(id)!.problem]) });
    } finally {
      submission.remove();
    }
  });
  for (const [index, id] of mistakes.entries()) {
    const { problem, hint } = declared.get(id)!;
    const result = mistakeResults[index];
    const target = result.problems.find((p) => p.name === problem)!;
    const hinted = target.cases.some((c) => c.mistake === id && c.message.includes(hint));
    const reachable = new Set(affectedProblems(spec, [problem]));
    const collateral = result.problems.filter((p) => !reachable.has(p.name) && p.score < p.maxScore).map((p) => p.name);
    const ok = target.score < target.maxScore && hinted && collateral.length === 0;
    const detail = [
      `${problem} ${formatScore(target.score)}/${formatScore(target.maxScore)}`,
      hinted ? 'hint shown' : 'hint NOT shown on any visible case',
      collateral.length ? `also lost points on ${collateral.join(', ')}` : '',
    ].filter(Boolean).join(', ');
    add(`mistake ${id} is caught`, ok, detail);
  }

  // 7. No declared hint fires on another mistake's submission: a wrong hint sends a student to
  // fix what is not broken. Grading shows the first matching hint of visible cases only, so
  // every detector is also replayed in this process on every case, visible and hidden, of the
  // functions each mistake replaces (sharing the reference's answers and the generated inputs).
  const { memory } = replayed;
  const firedOn = new Map<string, Set<string>>(mistakes.map((id) => [id, new Set<string>()]));
  const fired = (hint: string, on: string): void => {
    firedOn.get(hint)?.add(on);
  };
  for (const [index, id] of mistakes.entries()) {
    for (const p of mistakeResults[index].problems) for (const c of p.cases) if (c.mistake && c.mistake !== id) fired(c.mistake, `${id} (${p.name} / ${c.name})`);
    const implementation = await mistakeImplementation(assignment, id);
    const replaced = Object.keys(await mistakeFunctions(assignment, id));
    const cases = await replayChecks({ assignment, implementation, student: replayed.student, secret: SELF_CHECK_SECRET, memory, problems: spec.problems.filter((p) => replaced.includes(p.export) || (p.followUp && replaced.includes(p.followUp.export))).map((p) => p.export) });
    for (const c of cases) for (const other of c.matches) if (other !== id) fired(other, `${id} (${c.problem} / ${c.caseName})`);
  }
  for (const id of mistakes) {
    const others = [...firedOn.get(id)!];
    add(`hint ${id} fires on no other mistake`, others.length === 0, others.length === 0 ? `checked on ${counted(mistakes.length - 1, 'other mistake')}` : `also fired on ${others.join('; ')}`);
  }

  // 8. Tolerance sanity (selftest/tolerance.ts), with the reference answers and inputs the hint matrix computed.
  await checkTolerances(assignment, add, { only, student: replayed.student, secret: SELF_CHECK_SECRET, memory });
}

/**
 * The reference's checks replayed in this process for more student ids than the sandbox
 * grades (selftest/replay.ts: the same seeds, schemas, checks and detectors, at the cost of a
 * function call): every student's variant of every case must keep full marks. A case whose
 * inputs every student shares (a photo, a real data set) runs once. A case that declares
 * `checkStudents` is checked for that many ids in all (the sandbox's included), unless `full`.
 */
async function checkReplayedStudents(assignment: LoadedAssignment, problems: readonly ProblemSpec[], students: readonly string[], full: boolean, add: AddRow, firstMemory: ReplayMemory): Promise<void> {
  if (students.length === 0) return;
  const implementation = await referenceImplementation(assignment);
  const seen = new Set<string>();
  const lost: string[] = [];
  /** How many of these students a case is replayed for (the sandbox graded SANDBOXED_STUDENTS already). */
  const count = (c: CaseSpec<unknown[]>): number => (full || c.checkStudents === undefined ? students.length : Math.max(0, Math.min(students.length, c.checkStudents - SANDBOXED_STUDENTS)));
  for (const [index, student] of students.entries()) {
    const mine = problems.filter((p) => p.cases.some((c) => index < count(c))).map((p) => p.export);
    if (mine.length === 0) break;
    // A memory per student: the reference answers once per call (as the answer and as `expected`).
    const cases = await replayChecks({ assignment, implementation, student, secret: SELF_CHECK_SECRET, memory: index === 0 ? firstMemory : replayMemory(), skipSeenInputs: seen, problems: mine, include: (_p, c) => index < count(c) });
    for (const c of cases) if (c.score < 1) lost.push(`${student}: ${c.problem} / ${c.caseName}: ${c.message.split('\n')[0]}`);
  }
  const capped = problems.flatMap((p) => p.cases.filter((c) => count(c) < students.length).map((c) => `${p.export} / ${c.name} (${SANDBOXED_STUDENTS + count(c)})`));
  add(
    `reference keeps full marks for ${students.length} more students, replayed`,
    lost.length === 0,
    lost.length > 0
      ? lost.join('; ')
      : `${students[0]} to ${students.at(-1)!}${capped.length > 0 ? `; ${counted(capped.length, 'case')} ${capped.length === 1 ? 'declares' : 'declare'} fewer students in all (checkStudents; --full checks every one): ${capped.join(', ')}` : ''}`,
  );
}

/** Per student, per case (`problem\u0000case`): a key of the generated inputs and how many calls the case makes. */
type CaseInputs = Map<string, Map<string, { key: string; calls: number }>>;

/**
 * Generates every case's inputs for these students, as grading seeds them, and keys them
 * (replay/encode.ts: numbers to the bit, tensors and models by their data). A tensor
 * assignment's generators run in this process's own tfjs backend, each case in its scope.
 */
async function caseInputs(assignment: LoadedAssignment, problems: readonly ProblemSpec[], students: readonly string[]): Promise<CaseInputs> {
  const { spec } = assignment;
  const tensors = spec.tensors ? await import('../run/tensors.ts') : undefined;
  if (tensors) await tensors.startBackend();
  const all: CaseInputs = new Map();
  for (const student of students) {
    const mine = new Map<string, { key: string; calls: number }>();
    const variant = variantFor(spec, student, '0');
    for (const problem of problems) {
      for (const c of problem.cases as Array<CaseSpec<unknown[]>>) {
        const visibility = c.visibility ?? 'visible';
        const seed = caseSeed(visibility, { assignment: spec.id, problem: problem.export, caseName: c.name, group: c.seedGroup, student, seed: '0', secret: SELF_CHECK_SECRET });
        const scope = tensors?.beginTensorCase();
        try {
          const calls = generateCalls(spec.id, problem, c, seed, variant);
          mine.set(`${problem.export}\u0000${c.name}`, { key: callKey(problem.export, c.name, calls), calls: calls.length });
        } finally {
          scope?.end();
        }
      }
    }
    all.set(student, mine);
  }
  return all;
}

/**
 * Two students get different visible inputs: each works on a variant of their own. Cases that
 * every student shares (a photograph, a real data set) are listed, not failed, as long as some
 * visible case differs.
 */
function checkVariants(problems: readonly ProblemSpec[], inputs: CaseInputs, add: AddRow): void {
  const [first, second] = [...inputs.values()];
  const visible = problems.flatMap((p) => p.cases.filter(isVisibleCase).map((c) => `${p.export}\u0000${c.name}`));
  const shared = visible.filter((k) => first.get(k)!.key === second.get(k)!.key).map((k) => k.replace('\u0000', ' / '));
  const [a, b] = [...inputs.keys()];
  add(
    'two students get different visible inputs',
    shared.length < visible.length,
    `${visible.length - shared.length} of ${visible.length} visible cases differ between ${a} and ${b}${shared.length > 0 ? `; the same for both: ${shared.join(', ')}` : ''}`,
  );
}

/**
 * The handout renders for each of these students, with their variant's parameters (a handout
 * naming a parameter the variant does not make, or a problem the assignment lacks, fails).
 */
function checkHandout(assignment: LoadedAssignment, students: readonly string[], add: AddRow): void {
  const check = 'the handout renders for each student';
  try {
    for (const student of students) renderHandout(assignment, { student, seed: '0' });
  } catch (error) {
    add(check, false, (error as Error).message);
    return;
  }
  const variants = students.map((student) => {
    const parameters = Object.entries(variantFor(assignment.spec, student, '0')).map(([name, value]) => `${name} = ${String(value)}`);
    return parameters.length > 0 ? `${student}: ${parameters.join(', ')}` : '';
  });
  add(check, true, variants.some(Boolean) ? variants.join('; ') : `${students.length} students (no variant parameters)`);
}

/** How much longer than the reference a call may take before it times out: room for slower machines and students. */
export const TIMEOUT_HEADROOM = 5;

/**
 * Each problem's timeout is at least TIMEOUT_HEADROOM × the reference's time per call in its
 * slowest case (a case's wall time over its calls, the median over the students graded: one
 * grading's pause for garbage collection or a busy core is not the reference's speed; wall
 * time overestimates the CPU time the limit counts). A problem with less room is a warning
 * that names it and the times: a correct but slower submission could time out.
 */
function checkTimeouts(problems: readonly ProblemSpec[], references: readonly Result[], inputs: CaseInputs, add: AddRow): void {
  const calls = [...inputs.values()][0];
  const tight: string[] = [];
  const backend = references[0]?.backend ?? 'none';
  for (const problem of problems) {
    let slowest = 0;
    for (const c of problem.cases) {
      const perCall = references
        .map((result) => result.problems.find((p) => p.name === problem.export)?.cases.find((k) => k.name === c.name)?.durationMs ?? 0)
        .map((ms) => ms / (calls.get(`${problem.export}\u0000${c.name}`)?.calls ?? 1))
        .sort((a, b) => a - b);
      slowest = Math.max(slowest, perCall[Math.floor(perCall.length / 2)] ?? 0);
    }
    const timeoutMs = problem.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (timeoutMs < TIMEOUT_HEADROOM * slowest) tight.push(`${problem.export}: timeout ${timeoutMs} ms, the reference's slowest call ${Math.round(slowest)} ms`);
  }
  const warning = tight.length > 0;
  const on = backend === 'none' ? '' : ` (${backend} backend)`;
  add(`timeouts are at least ${TIMEOUT_HEADROOM}× the reference's time`, true, warning ? `WARNING${on}: ${tight.join('; ')}` : `${counted(problems.length, 'problem')}${on}`, warning);
}

/** What `mlgrade check --jobs N` sends an assignment's process (check-worker.ts). */
export interface CheckJob {
  id: string;
  options: CheckOptions;
}

/** What that process sends back: each row as it is decided, then the time, or why it stopped. */
export type CheckMessage = { row: CheckRow } | { seconds: number } | { error: string };

/** How many assignments `mlgrade check` checks at once by default: one per core, at most 2. */
export function defaultCheckJobs(): number {
  return Math.max(1, Math.min(2, availableParallelism()));
}

/** Loads one assignment and checks it in this process; an assignment that does not load is a failed row. */
export async function checkLoaded(id: string, report: (row: CheckRow) => void, options: CheckOptions): Promise<CheckedAssignment> {
  const started = performance.now();
  const seconds = (): number => (performance.now() - started) / 1000;
  let assignment: LoadedAssignment;
  try {
    assignment = await loadAssignment(id, options.root);
  } catch (error) {
    if (!(error instanceof AssignmentError)) throw error;
    const row = { assignment: id, check: 'assignment loads', ok: false, detail: error.message };
    report(row);
    return { id, rows: [row], seconds: seconds() };
  }
  const rows = await checkAssignment(assignment, report, options);
  return { id, rows, seconds: seconds() };
}

const CHECK_WORKER = fileURLToPath(new URL('./check-worker.ts', import.meta.url));

/**
 * Checks one assignment in a process of its own (check-worker.ts), reporting its rows as they
 * come. A process that stops before it has finished is a failed row that says how it stopped.
 */
function checkInProcessOfItsOwn(id: string, report: (row: CheckRow) => void, options: CheckOptions): Promise<CheckedAssignment> {
  return new Promise((resolve) => {
    const rows: CheckRow[] = [];
    let done = false;
    const finish = (seconds: number, failure?: string): void => {
      if (done) return;
      done = true;
      if (failure !== undefined) {
        const row = { assignment: id, check: 'the check runs to its end', ok: false, detail: failure };
        rows.push(row);
        report(row);
      }
      resolve({ id, rows, seconds });
    };
    const started = performance.now();
    const child = fork(CHECK_WORKER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.on('message', (message: CheckMessage) => {
      if ('row' in message) {
        rows.push(message.row);
        report(message.row);
      } else if ('seconds' in message) finish(message.seconds);
      else finish((performance.now() - started) / 1000, message.error);
    });
    child.on('exit', (code, signal) => finish((performance.now() - started) / 1000, `its process stopped (${signal ?? `exit code ${code}`}) before the check finished`));
    child.send({ id, options: { ...options, summary: undefined } } satisfies CheckJob);
  });
}

/**
 * `mlgrade check`: prints a table, and the time each assignment's check took, and returns true
 * when every check of every assignment holds. With `jobs` > 1 (default: defaultCheckJobs) and
 * several assignments, that many are checked at once, each in a process of its own: much of
 * a check runs on one core (the replays, the hint matrix, tolerance sanity), so two side by
 * side keep two cores busy. The table still lists the assignments in order, each whole.
 */
export async function runSelfCheck(ids: string[], out: NodeJS.WritableStream = process.stdout, options: CheckOptions = {}): Promise<boolean> {
  let passed = 0;
  let failed = 0;
  /** One line of the table: a tag of four characters, then three columns. */
  const line = (tag: string, assignment: string, what: string, detail: string): void => {
    out.write(`${tag}  ${assignment.padEnd(14)} ${what.padEnd(58)} ${detail}\n`);
  };
  const print = (row: CheckRow): void => {
    if (row.ok) passed++;
    else failed++;
    line(!row.ok ? 'FAIL' : row.warning ? 'warn' : 'ok  ', row.assignment, row.check, row.detail);
  };
  const printTime = ({ id, seconds }: CheckedAssignment): void => {
    line('time', id, `${seconds.toFixed(1)} s`, options.full ? 'every problem graded for every mistake (--full)' : 'mistakes graded only on the problems they can affect (--full: all)');
  };
  const jobs = Math.min(options.jobs ?? defaultCheckJobs(), ids.length);
  const check = jobs > 1 ? checkInProcessOfItsOwn : checkLoaded;
  // The assignment in front prints as it goes; those behind it hold their rows until it is done.
  const held: CheckRow[][] = ids.map(() => []);
  const checked: Array<CheckedAssignment | undefined> = ids.map(() => undefined);
  let front = 0;
  const reportFor = (index: number) => (row: CheckRow): void => {
    if (index === front) print(row);
    else held[index].push(row);
  };
  await inOrder([...ids.keys()], Math.max(1, jobs), async (index) => {
    checked[index] = await check(ids[index], reportFor(index), options);
    while (front < ids.length && checked[front]) {
      printTime(checked[front]!);
      front++;
      if (front < ids.length) for (const row of held[front].splice(0)) print(row);
    }
  });
  const all = checked as CheckedAssignment[];
  const ok = all.every(({ rows }) => rows.every((r) => r.ok));
  if (options.summary) {
    writeFileSync(options.summary, summaryMarkdown(all, { full: options.full }));
    out.write(`summary (Markdown): ${options.summary}\n`);
  }
  out.write(ok ? 'mlgrade check: every check passed\n' : 'mlgrade check: some checks FAILED\n');
  // A plain closing line that CI systems recognise as a test count.
  out.write(`check: ${passed} passed, ${failed} failed\n`);
  return ok;
}
