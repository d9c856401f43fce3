import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'fflate';
import { type AnyFunction } from '../assignment/define.ts';
import { assertReleasable, EXPORT_MARKER, type LoadedAssignment, loadAssignment, PROJECT_ROOT } from '../assignment/load.ts';
import { renderHandout } from '../assignment/handout.ts';
import type { CaseResult, Result } from '../result/schema.ts';
import { parameterNames } from '../run/parameters.ts';
import { TOOL_VERSION } from '../run/version.ts';
import { affectedProblems } from '../selftest/check.ts';
import { buildMistakeSubmission } from '../selftest/mistake-submission.ts';
import { mistakeFunctions } from '../selftest/replay.ts';
import { callKey, encodeValue } from '../replay/encode.ts';
import type { AnswerTable, RecordedAnswer } from '../replay/replay.ts';
import { studentFiles, type StudentFilesOptions } from './student-files.ts';
import { LockfileError } from './lockfile.ts';

/**
 * `mlgrade export`: the repository a course hands to students (a GitHub Classroom template).
 * It holds the engine, the assignments' checks and data, the starters, the rendered handouts,
 * a README, a package.json and a feedback workflow — and no reference solution, no mistake
 * file and no secret. Where the checks call a reference or mistake function, the copy calls a
 * generated stand-in that answers from a table recorded here, by grading the visible cases of
 * the reference and every declared mistake with the real functions.
 */

/**
 * The engine's folders and files a student copy does without: they grade classes, test the
 * grader or need the references — or, like the zoo autoencoder's training loop, would answer
 * a problem (the autoencoders assignment's trainAutoencoder).
 */
const ENGINE_ONLY = new Set(['mutation', 'selftest', 'bench', 'batch', 'gradescope', 'export', 'scaffold', path.join('models', 'train-autoencoder.ts')]);
const SKIPPED = new Set(['node_modules', '.git', '.DS_Store']);
/** The student id and seed whose visible cases are recorded: the CLI's defaults. */
export const EXPORT_STUDENT = 'anonymous';
export const EXPORT_SEED = '0';

export interface ExportOptions {
  ids: readonly string[];
  out: string;
  /** The course's name, for the README and package.json. Default "ml-course". */
  course?: string;
  /**
   * Record the reference's gradings only, not the declared mistakes' (much faster for tensor
   * assignments). The copy then shows a mistake's hint only where the answers it needs happen
   * to be recorded, and says "checked by the course's grader" instead of guessing elsewhere.
   */
  referenceOnly?: boolean;
  /** Progress lines (one per graded submission). */
  onProgress?: (line: string) => void;
  root?: string;
}

export interface ExportedAssignment {
  id: string;
  /** How many calls of reference and mistake functions were recorded. */
  answers: number;
  /** The gzipped answer table's size in bytes. */
  bytes: number;
  /**
   * What each recorded submission scored on the visible cases in the copy's engine (reference,
   * mistakes), with the whole Result of that grading: the course's grading code and checks,
   * with the real reference and mistake functions behind the stand-ins.
   */
  recorded: Array<{ submission: string; score: number; maxScore: number; result: Result }>;
}

export class ExportError extends Error {
  override name = 'ExportError';
}

/** A `from '…'` or `import('…')` specifier in TypeScript source. */
const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])([^'"]+)\2/g;

interface Stand {
  /** `solution` or `mistakes/<id>`: names the module in recorded keys. */
  source: string;
  /** The generated module's file, relative to the assignment's folder. */
  file: string;
  functions: Record<string, AnyFunction>;
}

function copyTree(from: string, to: string, skip: (relative: string) => boolean = () => false): void {
  cpSync(from, to, {
    recursive: true,
    filter: (file) => {
      const relative = path.relative(from, file);
      return !relative.split(path.sep).some((part) => SKIPPED.has(part)) && !skip(relative);
    },
  });
}

/** Rewrites an assignment file's imports of the reference and of mistake files to the stand-ins. */
function rewriteImports(text: string, file: string, assignment: LoadedAssignment, stands: Map<string, Stand>): string {
  const fileDir = path.dirname(file);
  return text.replace(SPECIFIER, (whole: string, lead: string, quote: string, specifier: string) => {
    if (!specifier.startsWith('.')) return whole;
    const target = path.resolve(fileDir, specifier);
    const stand = stands.get(target);
    if (stand) {
      const replacement = path.relative(fileDir, path.join(assignment.dir, stand.file)).split(path.sep).join('/');
      return `${lead}${quote}${replacement.startsWith('.') ? replacement : `./${replacement}`}${quote}`;
    }
    const inside = (dir: string) => target === dir || target.startsWith(dir + path.sep);
    if (inside(assignment.solutionDir) || inside(assignment.mistakesDir) || inside(path.join(assignment.root, 'solutions'))) {
      throw new ExportError(`${path.relative(assignment.root, file)} imports ${specifier}, which students must not get and which is not the assignment's reference module (${assignment.spec.module}) or a mistake file`);
    }
    return whole;
  });
}

/** The TypeScript of a stand-in module: one function per recorded function, typed like the starter's. */
function standModule(assignment: LoadedAssignment, stand: Stand, starterExports: Set<string>): string {
  const depth = stand.file.split('/').length - 1;
  const up = '../'.repeat(depth + 2);
  const lines = [
    `// Generated by mlgrade export: stands in for the course's ${stand.source === 'solution' ? 'reference solution' : `declared mistake ${stand.source.slice('mistakes/'.length)}`}, which`,
    '// students do not get. Each function answers from the answers recorded while exporting.',
  ];
  if (assignment.spec.tensors) lines.push("import * as tf from '@tensorflow/tfjs';");
  lines.push(`import { replayCall } from '${up}grader/src/replay/replay.ts';`);
  lines.push(`import type * as Api from '${up}starter/${assignment.spec.id}/${assignment.spec.module}';`);
  lines.push('', `const ANSWERS = new URL('${'../'.repeat(depth)}answers.json.gz', import.meta.url);`);
  for (const [name, fn] of Object.entries(stand.functions)) {
    const names = parameterNames(fn).map((p, i) => p ?? `arg${i}`);
    const type = starterExports.has(name) ? `typeof Api.${name}` : '(...args: unknown[]) => unknown';
    const params = names.map((p) => `${p}: unknown`).join(', ');
    const tf = assignment.spec.tensors ? ', tf' : '';
    lines.push(
      '',
      `export const ${name} = function ${name}(${params}) {`,
      `  return replayCall(ANSWERS, '${stand.source}', '${name}', arguments${tf});`,
      `} as unknown as ${type};`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function functionsOf(module: Record<string, unknown>, shown: string): Record<string, AnyFunction> {
  const functions: Record<string, AnyFunction> = {};
  for (const [name, value] of Object.entries(module)) {
    if (typeof value === 'function') functions[name] = value as AnyFunction;
    else throw new ExportError(`${shown} exports ${name}, which is not a function; a student copy can stand in for functions only`);
  }
  return functions;
}

/** Every module of the assignment's folder that a stand-in replaces, keyed by its absolute path (without extension). */
async function standsOf(assignment: LoadedAssignment): Promise<Map<string, Stand>> {
  const stands = new Map<string, Stand>();
  const referenceFile = path.join(assignment.solutionDir, assignment.spec.module);
  const reference = (await import(pathToFileURL(referenceFile).href)) as Record<string, unknown>;
  stands.set(referenceFile, { source: 'solution', file: 'replay/solution.ts', functions: functionsOf(reference, path.relative(assignment.root, referenceFile)) });
  const mistakes = existsSync(assignment.mistakesDir) ? readdirSync(assignment.mistakesDir).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)) : [];
  for (const id of mistakes.sort()) {
    stands.set(path.join(assignment.mistakesDir, `${id}.ts`), { source: `mistakes/${id}`, file: `replay/mistakes/${id}.ts`, functions: (await mistakeFunctions(assignment, id)) as Record<string, AnyFunction> });
  }
  return stands;
}

/** Copies an assignment's folder without its mistakes, with imports of the reference and mistakes pointing at stand-ins. */
async function exportAssignment(assignment: LoadedAssignment, outRoot: string): Promise<Map<string, Stand>> {
  const { id } = assignment.spec;
  const stands = await standsOf(assignment);
  const outDir = path.join(outRoot, 'assignments', id);
  const copyFiles = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (file === assignment.mistakesDir || SKIPPED.has(entry.name)) continue;
      const target = path.join(outDir, path.relative(assignment.dir, file));
      if (entry.isDirectory()) {
        copyFiles(file);
      } else if (entry.name.endsWith('.ts')) {
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, rewriteImports(readFileSync(file, 'utf8'), file, assignment, stands));
      } else {
        mkdirSync(path.dirname(target), { recursive: true });
        cpSync(file, target);
      }
    }
  };
  copyFiles(assignment.dir);
  const starter = (await import(pathToFileURL(path.join(assignment.starterDir, assignment.spec.module)).href)) as Record<string, unknown>;
  const starterExports = new Set(Object.keys(starter));
  for (const stand of stands.values()) {
    const file = path.join(outDir, stand.file);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, standModule(assignment, stand, starterExports));
  }
  copyTree(assignment.starterDir, path.join(outRoot, 'starter', id));
  const handouts = path.join(outRoot, 'handouts');
  mkdirSync(handouts, { recursive: true });
  // The variant whose visible answers the copy records (see EXPORT_STUDENT).
  writeFileSync(path.join(handouts, `${id}.md`), renderHandout(assignment, { student: EXPORT_STUDENT, seed: EXPORT_SEED }));
  return stands;
}

/** Records the real functions' answers to every call the copy's engine makes of a stand-in. */
class AnswerRecorder {
  readonly answers = new Map<string, RecordedAnswer>();
  /** Keys whose calls gave different answers: left out, so that a copy never replays a guess. */
  readonly unstable = new Set<string>();
  private readonly functions = new Map<string, AnyFunction>();

  constructor(stands: Iterable<Stand>) {
    for (const stand of stands) for (const [name, fn] of Object.entries(stand.functions)) this.functions.set(`${stand.source}#${name}`, fn);
  }

  call(source: string, name: string, args: unknown[]): unknown {
    const fn = this.functions.get(`${source}#${name}`);
    if (!fn) throw new ExportError(`no recorded function ${source}#${name}`);
    const key = callKey(source, name, args);
    const value = fn(...args);
    if (value instanceof Promise) return value.then((resolved: unknown) => (this.store(key, { value: encodeValue(resolved), async: true }), resolved));
    this.store(key, { value: encodeValue(value) });
    return value;
  }

  private store(key: string, answer: RecordedAnswer): void {
    const earlier = this.answers.get(key);
    if (earlier && JSON.stringify(earlier) !== JSON.stringify(answer)) this.unstable.add(key);
    this.answers.set(key, answer);
  }

  table(): AnswerTable {
    const answers: Record<string, RecordedAnswer> = {};
    for (const [key, answer] of [...this.answers].sort(([a], [b]) => (a < b ? -1 : 1))) if (!this.unstable.has(key)) answers[key] = answer;
    return { version: 1, answers };
  }
}

type EngineModules = {
  load: typeof import('../assignment/load.ts');
  grade: typeof import('../run/grade.ts');
  replay: typeof import('../replay/replay.ts');
};

/** The copy's own engine modules (the copy's files, loaded from the copy). */
async function copyEngine(outRoot: string): Promise<EngineModules> {
  const at = (file: string) => pathToFileURL(path.join(outRoot, 'grader', 'src', file)).href;
  return {
    load: (await import(at('assignment/load.ts'))) as EngineModules['load'],
    grade: (await import(at('run/grade.ts'))) as EngineModules['grade'],
    replay: (await import(at('replay/replay.ts'))) as EngineModules['replay'],
  };
}

export interface RecordedSubmission {
  name: string;
  dir: string;
  /** For a mistake: the problems it can affect (the others grade as the reference's). */
  problems?: string[];
  remove?: () => void;
}

/**
 * The submissions whose visible cases are recorded: the reference and every declared mistake.
 * A mistake is graded only on the problems it can affect, as `mlgrade check` does: on the
 * others it is the reference, whose calls are recorded already. (The starter needs nothing
 * more: its cases fail before any check, on the inputs and reference answers the reference's
 * grading recorded.)
 */
export async function recordedSubmissions(assignment: LoadedAssignment, options: { referenceOnly?: boolean } = {}): Promise<RecordedSubmission[]> {
  const submissions: RecordedSubmission[] = [{ name: 'reference', dir: assignment.solutionDir }];
  if (options.referenceOnly) return submissions;
  const declared = new Set(assignment.spec.problems.flatMap((p) => (p.mistakes ?? []).map((m) => m.id)));
  for (const id of [...declared].sort()) {
    if (!existsSync(path.join(assignment.mistakesDir, `${id}.ts`))) continue;
    const built = await buildMistakeSubmission(assignment, id);
    submissions.push({ name: `mistake ${id}`, dir: built.dir, problems: affectedProblems(assignment.spec, built.overrides), remove: built.remove });
  }
  return submissions;
}

/** Where `--results DIR` keeps the Result of one recorded grading: `<dir>/<assignment>/<submission>.json`. */
export function recordedResultFile(dir: string, id: string, submission: string): string {
  return path.join(dir, id, `${submission.replace(/[^\w.-]+/g, '-')}.json`);
}

/** Writes the Result of every recorded grading (see recordedResultFile). */
export function writeRecordedResults(exported: readonly ExportedAssignment[], dir: string): void {
  for (const a of exported) {
    for (const r of a.recorded) {
      const file = recordedResultFile(dir, a.id, r.submission);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(r.result));
    }
  }
}

function visibleScore(result: Result): number {
  return result.problems.flatMap((p) => p.cases).filter((c: CaseResult) => c.visibility === 'visible').reduce((sum, c) => sum + c.score, 0);
}

function emptyOrExport(out: string): void {
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory()) throw new ExportError(`--out ${out}: not a folder`);
  const entries = readdirSync(out).filter((e) => e !== '.git');
  if (entries.length === 0) return;
  if (!existsSync(path.join(out, EXPORT_MARKER))) throw new ExportError(`--out ${out}: the folder is not empty and is not an earlier export (no ${EXPORT_MARKER}); choose a new or empty folder`);
  // An earlier export: replaced whole, except its git history and installed packages.
  for (const entry of entries) if (entry !== 'node_modules') rmSync(path.join(out, entry), { recursive: true, force: true });
}

/** Builds the student copy in `options.out`; see the module comment. */
export async function exportCourse(options: ExportOptions): Promise<ExportedAssignment[]> {
  const root = options.root ?? PROJECT_ROOT;
  const out = path.resolve(options.out);
  const progress = options.onProgress ?? (() => undefined);
  if (options.ids.length === 0) throw new ExportError('name the assignments to export');
  const assignments = await Promise.all(options.ids.map((id) => loadAssignment(id, root)));
  for (const assignment of assignments) assertReleasable(assignment, 'student copy');
  emptyOrExport(out);
  mkdirSync(out, { recursive: true });

  copyTree(path.join(root, 'grader', 'src'), path.join(out, 'grader', 'src'), (relative) => ENGINE_ONLY.has(relative.split(path.sep)[0]) || ENGINE_ONLY.has(relative));
  copyTree(path.join(root, 'grader', 'models'), path.join(out, 'grader', 'models'));
  copyTree(path.join(root, 'reports', 'templates'), path.join(out, 'reports', 'templates'));
  copyTree(path.join(root, 'bin'), path.join(out, 'bin'));
  const standsById = new Map<string, Map<string, Stand>>();
  for (const assignment of assignments) standsById.set(assignment.spec.id, await exportAssignment(assignment, out));
  const coursePackage = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as StudentFilesOptions['coursePackage'];
  const courseLock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as StudentFilesOptions['courseLock'];
  let files: Record<string, string>;
  try {
    files = studentFiles({ course: options.course ?? 'ml-course', assignments: assignments.map((a) => a.spec), coursePackage, courseLock, version: TOOL_VERSION, student: EXPORT_STUDENT, seed: EXPORT_SEED });
  } catch (error) {
    if (error instanceof LockfileError) throw new ExportError(error.message);
    throw error;
  }
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(out, file)), { recursive: true });
    writeFileSync(path.join(out, file), text);
  }

  // Record, with the copy's own engine and the course's packages (linked while recording).
  const modules = path.join(out, 'node_modules');
  const linked = !existsSync(modules);
  if (linked) symlinkSync(path.join(root, 'node_modules'), modules, 'dir');
  const exported: ExportedAssignment[] = [];
  try {
    const engine = await copyEngine(out);
    for (const assignment of assignments) {
      const { id } = assignment.spec;
      const recorder = new AnswerRecorder(standsById.get(id)!.values());
      const recorded: ExportedAssignment['recorded'] = [];
      engine.replay.setRecorder(recorder);
      try {
        const copy = await engine.load.loadAssignment(id, out);
        for (const submission of await recordedSubmissions(assignment, { referenceOnly: options.referenceOnly })) {
          try {
            const result = await engine.grade.gradeSubmission({
              assignment: copy,
              submissionDir: submission.dir,
              student: EXPORT_STUDENT,
              seed: EXPORT_SEED,
              visibleOnly: true,
              shareProcesses: true,
              problems: submission.problems,
            });
            recorded.push({ submission: submission.name, score: visibleScore(result), maxScore: result.maxScore, result });
            progress(`${id}: recorded ${submission.name} (${recorder.answers.size} answers so far)`);
          } finally {
            submission.remove?.();
          }
        }
      } finally {
        engine.replay.setRecorder(undefined);
      }
      const bytes = gzipSync(new TextEncoder().encode(JSON.stringify(recorder.table())), { level: 9, mtime: 0 });
      writeFileSync(path.join(out, 'assignments', id, 'answers.json.gz'), bytes);
      exported.push({ id, answers: recorder.answers.size - recorder.unstable.size, bytes: bytes.length, recorded });
    }
  } finally {
    if (linked && lstatSync(modules).isSymbolicLink()) rmSync(modules);
  }
  return exported;
}

