import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { LoadedAssignment } from '../assignment/load.ts';
import { render } from '../report/render.ts';
import { roundScore } from '../report/format.ts';
import { type Result, resultSchema, serializeResult } from '../result/schema.ts';
import { TOOL_VERSION } from '../run/version.ts';
import { timestampProblem } from '../result/late.ts';
import { GradingPool } from '../run/grading-pool.ts';

/** A mistake in how the batch was asked for (bad roster, bad shard, …): the CLI's usage error. */
export class BatchError extends Error {
  override name = 'BatchError';
}

/** One student to grade: their folder, or why there is none. */
export interface BatchEntry {
  student: string;
  /** The submission folder; undefined when the roster names a student without one. */
  dir?: string;
  /** When the work was submitted (the roster's `submitted_at`); the late policy is applied to it. */
  submittedAt?: string;
}

/**
 * A student id is also a folder name in the output and a gradebook cell: letters, digits and
 * . _ @ + - only, starting with a letter, a digit or _ (a cell starting with + - or @ is a
 * formula to a spreadsheet).
 */
const STUDENT_ID = /^[A-Za-z0-9_][A-Za-z0-9._@+-]{0,99}$/;

function checkStudentId(student: string, where: string): void {
  if (!STUDENT_ID.test(student)) throw new BatchError(`${where}: "${student}" cannot be a student id (use letters, digits and . _ @ + -, starting with a letter, a digit or _)`);
}

/** Every folder of `dir` is one student's submission, named by the student id. */
export function submissionsIn(dir: string): BatchEntry[] {
  if (!existsSync(dir) || !lstatSync(dir).isDirectory()) throw new BatchError(`--submissions ${dir}: no such folder`);
  const entries = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => ({ student: e.name, dir: path.join(dir, e.name) }));
  for (const e of entries) checkStudentId(e.student, `--submissions ${dir}`);
  return entries;
}

/**
 * A roster: a CSV with a header row and a `student` column; optional `folder` (the
 * submission's folder, relative to `submissionsDir` or else to the roster's own folder;
 * default: the student id), `submitted_at` (when the work came in, ISO 8601 with a time zone:
 * the assignment's late policy is applied to it) and `repository` (for the workflow that
 * clones it; not read here). A student whose folder does not exist is graded as not submitted.
 */
export function submissionsFromRoster(rosterFile: string, submissionsDir?: string): BatchEntry[] {
  if (!existsSync(rosterFile)) throw new BatchError(`--roster ${rosterFile}: no such file`);
  let rows: Array<Record<string, string>>;
  try {
    rows = parse<Record<string, string>>(readFileSync(rosterFile, 'utf8'), { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (error) {
    throw new BatchError(`--roster ${rosterFile}: not a CSV file with a header row (${error instanceof Error ? error.message : String(error)})`);
  }
  if (rows.length > 0 && !('student' in rows[0])) throw new BatchError(`--roster ${rosterFile}: no "student" column (columns: ${Object.keys(rows[0]).join(', ')})`);
  const base = submissionsDir ?? path.dirname(rosterFile);
  const seen = new Set<string>();
  return rows.map((row, i) => {
    const student = row.student;
    checkStudentId(student, `--roster ${rosterFile}, row ${i + 2}`);
    if (seen.has(student)) throw new BatchError(`--roster ${rosterFile}, row ${i + 2}: student "${student}" is listed twice`);
    seen.add(student);
    const dir = path.resolve(base, row.folder || student);
    const submittedAt = row.submitted_at || undefined;
    const badTime = submittedAt === undefined ? undefined : timestampProblem(submittedAt);
    if (badTime) throw new BatchError(`--roster ${rosterFile}, row ${i + 2}: submitted_at ${badTime}`);
    return { student, ...(existsSync(dir) && lstatSync(dir).isDirectory() ? { dir } : {}), ...(submittedAt ? { submittedAt } : {}) };
  });
}

/** `i/N` (1 ≤ i ≤ N): this run grades the i-th of N shards. */
export function parseShard(text: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) throw new BatchError(`--shard takes i/N with 1 ≤ i ≤ N, e.g. 2/4, not "${text}"`);
  return { index, count };
}

/**
 * The students of shard i of N: every N-th student in id order, starting at the i-th. The
 * shards of one roster are disjoint and together hold every student, whatever N is.
 */
export function shardOf<T extends { student: string }>(entries: readonly T[], shard?: { index: number; count: number }): T[] {
  const sorted = [...entries].sort((a, b) => (a.student < b.student ? -1 : a.student > b.student ? 1 : 0));
  return shard ? sorted.filter((_, i) => i % shard.count === shard.index - 1) : sorted;
}

/** Files that are not the student's work and never reach grading. */
const SKIPPED = new Set(['.git', 'node_modules']);

/**
 * What identifies a submission's content: a hash of every file's path and bytes (symbolic
 * links by their target), `.git` and `node_modules` left out; and the git commit when the
 * folder is a clone. Resuming skips a student whose fingerprint is unchanged.
 */
export function fingerprint(dir: string): { contentHash: string; commit?: string } {
  const hash = createHash('sha256');
  const walk = (sub: string): void => {
    for (const entry of readdirSync(path.join(dir, sub), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (SKIPPED.has(entry.name)) continue;
      const rel = path.posix.join(sub, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (entry.isFile()) hash.update(`file\u0000${rel}\u0000`).update(readFileSync(path.join(dir, rel))).update('\u0000');
      else hash.update(`other\u0000${rel}\u0000`);
    }
  };
  walk('');
  const git = existsSync(path.join(dir, '.git')) ? spawnSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8' }) : undefined;
  const commit = git?.status === 0 ? git.stdout.trim() : undefined;
  return { contentHash: hash.digest('hex'), ...(commit ? { commit } : {}) };
}

export interface BatchOptions {
  assignment: LoadedAssignment;
  entries: readonly BatchEntry[];
  out: string;
  seed: string;
  secret: string;
  workers?: number;
  timeLimitMs?: number;
  /** Grade again even what an earlier run graded for the same content. */
  force?: boolean;
  shard?: { index: number; count: number };
  /** Called after each student, in the order they finish. */
  onStudent?: (row: GradebookRow, done: number, total: number) => void;
}

export interface GradebookRow {
  student: string;
  /** Points per problem, in the assignment's order. */
  problems: number[];
  /** The points the work earned: the problems' sum. */
  points: number;
  /** The share deducted by the late policy (0 when on time or when no time was given). */
  latePenalty: number;
  /** The grade: points after the late penalty. */
  total: number;
  maxScore: number;
  /** graded, reused (an earlier run's Result for the same content), not-submitted, failed. */
  status: 'graded' | 'reused' | 'not-submitted' | 'failed';
  /** Why a row is zero without a grading: no folder, the submission did not load, grading failed. */
  reason: string;
  /** When the work was submitted, as the roster says; empty when it does not. */
  submittedAt: string;
  commit: string;
  seconds: number;
}

/**
 * What makes an earlier Result valid for this run: same tool, assignment, late policy, seed,
 * secret, time limit, submission time and content.
 */
function stampOf(options: BatchOptions, entry: BatchEntry, contentHash: string): string {
  const secret = createHash('sha256').update(options.secret).digest('hex');
  const { spec } = options.assignment;
  return JSON.stringify({ tool: TOOL_VERSION, assignment: spec.id, late: spec.late ?? null, seed: options.seed, secret, timeLimitMs: options.timeLimitMs ?? null, student: entry.student, submittedAt: entry.submittedAt ?? null, contentHash });
}

function earlierResult(folder: string, stamp: string): Result | undefined {
  try {
    if (readFileSync(path.join(folder, 'batch-stamp.json'), 'utf8') !== stamp) return undefined;
    return resultSchema.parse(JSON.parse(readFileSync(path.join(folder, 'result.json'), 'utf8')));
  } catch {
    return undefined;
  }
}

function writeStudent(folder: string, result: Result, stamp: string): void {
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, 'result.json'), serializeResult(result));
  writeFileSync(path.join(folder, 'report.md'), render('md', result));
  writeFileSync(path.join(folder, 'report.html'), render('html', result));
  // Written last: a run stopped half way leaves no stamp, so the student is graded again.
  writeFileSync(path.join(folder, 'batch-stamp.json'), stamp);
}

/**
 * Grades every entry (in a pool of grader processes, `workers` at a time) and writes, under
 * `out`: `students/<id>/` (result.json, report.md, report.html), `gradebook.csv` and
 * `summary.json`. A submission that crashes, hangs or attacks the grader costs its own row a
 * zero with the reason; every other row is graded as if it were alone.
 */
export async function runBatch(options: BatchOptions): Promise<{ rows: GradebookRow[]; summary: BatchSummary }> {
  const { assignment, out } = options;
  const problems = assignment.spec.problems;
  const maxScore = roundScore(problems.reduce((s, p) => s + p.points, 0));
  const pool = new GradingPool(options.workers);
  const started = performance.now();
  let done = 0;
  const zero = (entry: BatchEntry, status: GradebookRow['status'], reason: string, commit = ''): GradebookRow =>
    ({ student: entry.student, problems: problems.map(() => 0), points: 0, latePenalty: 0, total: 0, maxScore, status, reason, submittedAt: entry.submittedAt ?? '', commit, seconds: 0 });
  const gradeOne = async (entry: BatchEntry): Promise<GradebookRow> => {
    if (!entry.dir) return zero(entry, 'not-submitted', 'no submission folder');
    const folder = path.join(out, 'students', entry.student);
    const { contentHash, commit = '' } = fingerprint(entry.dir);
    const stamp = stampOf(options, entry, contentHash);
    const earlier = options.force ? undefined : earlierResult(folder, stamp);
    let result: Result;
    try {
      result =
        earlier ??
        (await pool.grade({ assignment: assignment.spec.id, root: assignment.root, submissionDir: entry.dir, student: entry.student, seed: options.seed, secret: options.secret, timeLimitMs: options.timeLimitMs, submittedAt: entry.submittedAt }));
    } catch (error) {
      return zero(entry, 'failed', `grading failed: ${error instanceof Error ? error.message : String(error)}`, commit);
    }
    if (!earlier) writeStudent(folder, result, stamp);
    return {
      student: entry.student,
      problems: problems.map((p) => roundScore(result.problems.find((r) => r.name === p.export)?.score ?? 0)),
      points: roundScore(result.late?.scoreBefore ?? result.score),
      latePenalty: result.late?.penalty ?? 0,
      total: roundScore(result.score),
      maxScore,
      status: earlier ? 'reused' : 'graded',
      reason: result.loadError?.split('\n')[0] ?? '',
      submittedAt: entry.submittedAt ?? '',
      commit,
      // The grading's own time, not the time it waited for a free grader process.
      seconds: earlier ? 0 : result.executionTimeMs / 1000,
    };
  };
  let rows: GradebookRow[];
  try {
    rows = await Promise.all(
      options.entries.map(async (entry) => {
        const row = await gradeOne(entry);
        options.onStudent?.(row, ++done, options.entries.length);
        return row;
      }),
    );
  } finally {
    pool.close();
  }
  rows.sort((a, b) => (a.student < b.student ? -1 : a.student > b.student ? 1 : 0));
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'gradebook.csv'), gradebookCsv(assignment, rows));
  const summary = summarize(assignment, rows, maxScore, options, (performance.now() - started) / 1000);
  writeFileSync(path.join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  return { rows, summary };
}

/**
 * The gradebook's columns: the student, one per problem (its export name, points for the
 * work), `points` (their sum), `late_penalty` (the share deducted, in %), `total` (the grade:
 * points after the penalty), then max_score, status, reason, submitted_at and commit.
 */
export function gradebookHeader(assignment: LoadedAssignment): string[] {
  return ['student', ...assignment.spec.problems.map((p) => p.export), 'points', 'late_penalty', 'total', 'max_score', 'status', 'reason', 'submitted_at', 'commit'];
}

/**
 * Text a student controls (the reason quotes their code's error message) must not become a
 * formula when a TA opens the gradebook in a spreadsheet: a leading = + - @ (or tab, carriage
 * return) is escaped with a quote, as OWASP advises against CSV injection.
 */
export function inertCell(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export function gradebookCsv(assignment: LoadedAssignment, rows: readonly GradebookRow[]): string {
  return stringify([
    gradebookHeader(assignment),
    ...rows.map((r) => [r.student, ...r.problems.map(String), String(r.points), `${roundScore(r.latePenalty * 100)}%`, String(r.total), String(r.maxScore), r.status, inertCell(r.reason), r.submittedAt, r.commit]),
  ]);
}

export interface BatchSummary {
  tool: string;
  assignment: string;
  seed: string;
  shard: string;
  students: number;
  graded: number;
  reused: number;
  notSubmitted: number;
  failed: number;
  maxScore: number;
  mean: number;
  median: number;
  fullMarks: number;
  zero: number;
  /** Rows with a late penalty. */
  late: number;
  /**
   * Graded rows without a submission time while the assignment has a late policy: no
   * penalty could be applied to them (give the roster a submitted_at column).
   */
  withoutSubmissionTime: number;
  seconds: number;
  /** Rows that are zero without a grading of their work, with the reason. */
  problems: Array<{ student: string; status: string; reason: string }>;
}

function summarize(assignment: LoadedAssignment, rows: readonly GradebookRow[], maxScore: number, options: BatchOptions, seconds: number): BatchSummary {
  const totals = rows.map((r) => r.total).sort((a, b) => a - b);
  const middle = totals.length / 2;
  const median = totals.length === 0 ? 0 : totals.length % 2 === 1 ? totals[Math.floor(middle)] : (totals[middle - 1] + totals[middle]) / 2;
  const count = (status: GradebookRow['status']) => rows.filter((r) => r.status === status).length;
  return {
    tool: TOOL_VERSION,
    assignment: assignment.spec.id,
    seed: options.seed,
    shard: options.shard ? `${options.shard.index}/${options.shard.count}` : '1/1',
    students: rows.length,
    graded: count('graded'),
    reused: count('reused'),
    notSubmitted: count('not-submitted'),
    failed: count('failed'),
    maxScore,
    mean: totals.length === 0 ? 0 : roundScore(totals.reduce((s, t) => s + t, 0) / totals.length),
    median: roundScore(median),
    fullMarks: rows.filter((r) => r.total >= r.maxScore).length,
    zero: rows.filter((r) => r.total === 0).length,
    late: rows.filter((r) => r.latePenalty > 0).length,
    withoutSubmissionTime: assignment.spec.late ? rows.filter((r) => (r.status === 'graded' || r.status === 'reused') && r.submittedAt === '').length : 0,
    seconds: Math.round(seconds * 10) / 10,
    problems: rows.filter((r) => r.reason !== '').map((r) => ({ student: r.student, status: r.status, reason: r.reason })),
  };
}

/**
 * Merges the gradebooks of a sharded batch into one, refusing parts whose columns differ
 * and any student graded twice; with the roster's students, also any student missing.
 */
export function mergeGradebooks(parts: ReadonlyArray<{ file: string; text: string }>, roster?: readonly string[]): string {
  if (parts.length === 0) throw new BatchError('name the gradebook parts to merge');
  let header: string[] | undefined;
  const rows = new Map<string, { file: string; row: string[] }>();
  for (const { file, text } of parts) {
    const records: string[][] = parse(text, { skip_empty_lines: true, bom: true });
    const [head, ...body] = records;
    if (!head) throw new BatchError(`${file}: empty, not a gradebook`);
    if (head[0] !== 'student') throw new BatchError(`${file}: not a gradebook (its first column is "${head[0]}", not "student")`);
    if (header && head.join(',') !== header.join(',')) throw new BatchError(`${file}: its columns (${head.join(', ')}) differ from the first part's (${header.join(', ')})`);
    header ??= head;
    for (const row of body) {
      const earlier = rows.get(row[0]);
      if (earlier) throw new BatchError(`student "${row[0]}" is in ${earlier.file} and in ${file}: a student must be graded by one shard only`);
      rows.set(row[0], { file, row });
    }
  }
  if (roster) {
    const missing = roster.filter((s) => !rows.has(s));
    if (missing.length > 0) throw new BatchError(`${missing.length} student${missing.length === 1 ? '' : 's'} of the roster in no part: ${missing.join(', ')}`);
    const extra = [...rows.keys()].filter((s) => !roster.includes(s));
    if (extra.length > 0) throw new BatchError(`graded but not on the roster: ${extra.join(', ')}`);
  }
  const sorted = [...rows.values()].map((r) => r.row).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return stringify([header!, ...sorted]);
}
