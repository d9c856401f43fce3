import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { VISIBILITIES, type Visibility } from '../assignment/define.ts';
import { AssignmentError, listAssignmentIds, loadAssignment, PROJECT_ROOT, STUDENT_COPY } from '../assignment/load.ts';
import { gradeSubmission } from '../run/grade.ts';
import { timestampProblem } from '../result/late.ts';
import { DEVELOPMENT_SECRET } from '../run/seeds.ts';
import { TOOL_VERSION } from '../run/version.ts';
import { FILE_NAMES, FORMATS, type Format, render } from '../report/render.ts';
import { formatScore } from '../report/format.ts';
import { renderHandout } from '../assignment/handout.ts';
import { doctor } from './doctor.ts';

/** A usage error: printed as one line, exit code 2. */
class UsageError extends Error {}

function useColor(): boolean {
  return process.stdout.isTTY === true && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb';
}

function parseFormats(value: string): Format[] {
  const formats = value.split(',').map((f) => f.trim()).filter(Boolean);
  for (const f of formats) {
    if (!(FORMATS as readonly string[]).includes(f)) throw new UsageError(`unknown format "${f}"; choose from ${FORMATS.join(', ')}`);
  }
  return formats as Format[];
}

function parseVisibility(text: string): Visibility {
  if (!(VISIBILITIES as readonly string[]).includes(text)) throw new UsageError(`--gradescope-hidden takes one of ${VISIBILITIES.join(', ')}, not "${text}"`);
  return text as Visibility;
}

/** A flag's whole number of at least `min`, or undefined when the flag is not given. */
function parseWholeNumber(flag: string, text: string | undefined, min: number): number | undefined {
  const n = text === undefined ? undefined : Number(text);
  if (n !== undefined && !(Number.isInteger(n) && n >= min)) throw new UsageError(`${flag} takes a whole number ≥ ${min}, not "${text}"`);
  return n;
}

function parseTimeLimit(text: string | undefined): number | undefined {
  const ms = text === undefined ? undefined : Number(text) * 1000;
  if (ms !== undefined && !(ms > 0)) throw new UsageError(`--time-limit takes a positive number of seconds, not "${text}"`);
  return ms;
}

function warnAboutSecret(): void {
  if (!process.env.MLGRADE_SECRET) {
    process.stderr.write(`mlgrade: MLGRADE_SECRET is not set; hidden cases use a development secret ("${DEVELOPMENT_SECRET}"). Set it when grading for real.\n`);
  }
}

/** Why `dir` cannot be a submission folder, or undefined when it is a folder. */
function notAFolder(dir: string): string | undefined {
  try {
    return statSync(dir).isDirectory() ? undefined : 'not a folder';
  } catch {
    return 'no such folder';
  }
}

interface GradeFlags {
  all?: boolean;
  submission?: string;
  student: string;
  seed: string;
  format: string;
  out?: string;
  timeLimit?: string;
  gradescopeHidden: string;
  gradescopeMetadata?: string;
  submittedAt?: string;
}

async function gradeCommand(ids: string[], flags: GradeFlags): Promise<number> {
  const all = listAssignmentIds();
  const selected = flags.all ? all : ids;
  if (selected.length === 0) throw new UsageError(`name an assignment (${all.join(', ')}) or pass --all`);
  if (flags.submission && selected.length > 1) throw new UsageError('--submission names one submission folder; grade one assignment at a time with it');
  const formats = parseFormats(flags.format);
  if (STUDENT_COPY && (flags.student !== 'anonymous' || flags.seed !== '0' || flags.gradescopeMetadata !== undefined || flags.submittedAt !== undefined)) {
    throw new UsageError("this copy of the course has answers recorded for one variant of the visible cases; --student, --seed, --submitted-at and --gradescope-metadata are for the course's grader");
  }
  const gradescope = { hiddenAs: parseVisibility(flags.gradescopeHidden) };
  let student = flags.student;
  let submittedAt = flags.submittedAt;
  const badTime = submittedAt === undefined ? undefined : timestampProblem(submittedAt);
  if (badTime) throw new UsageError(`--submitted-at: ${badTime}`);
  if (flags.gradescopeMetadata !== undefined) {
    if (submittedAt !== undefined) throw new UsageError("--submitted-at and --gradescope-metadata both say when the work was submitted; give one (Gradescope's is its created_at)");
    const { studentFromMetadata } = await import('../gradescope/bundle.ts');
    try {
      ({ student, submittedAt } = studentFromMetadata(readFileSync(flags.gradescopeMetadata, 'utf8')));
    } catch (error) {
      throw new UsageError(`--gradescope-metadata ${flags.gradescopeMetadata}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const timeLimitMs = parseTimeLimit(flags.timeLimit);
  // A mistyped path is the TA's error, not the student's: it must not become a recorded zero.
  // (A folder without the module is still graded: nothing was submitted, and that scores 0.)
  const problem = flags.submission === undefined ? undefined : notAFolder(flags.submission);
  if (problem) throw new UsageError(`--submission ${flags.submission}: ${problem}`);
  if (!STUDENT_COPY) warnAboutSecret();
  for (const id of selected) {
    const assignment = await loadAssignment(id);
    const submissionDir = path.resolve(flags.submission ?? assignment.starterDir);
    const progress = process.stderr.isTTY ? (problem: string, c: { name: string }) => process.stderr.write(`\r\x1b[2K  grading ${problem}: ${c.name}`) : undefined;
    const result = await gradeSubmission({ assignment, submissionDir, student, seed: flags.seed, timeLimitMs, onCase: progress, submittedAt });
    if (progress) process.stderr.write('\r\x1b[2K');
    for (const format of formats) {
      const text = render(format, result, { color: format === 'console' && !flags.out && useColor(), gradescope });
      if (flags.out) {
        // With --all (or several ids) each assignment gets its own folder, however many there are.
        const dir = flags.all || selected.length > 1 ? path.join(flags.out, id) : flags.out;
        mkdirSync(dir, { recursive: true });
        const file = path.join(dir, FILE_NAMES[format]);
        writeFileSync(file, text);
        process.stderr.write(`mlgrade: wrote ${path.relative(process.cwd(), file) || file}\n`);
      } else {
        process.stdout.write(text);
      }
    }
    if (flags.out && !formats.includes('console')) {
      process.stdout.write(`${id}: ${formatScore(result.score)}/${formatScore(result.maxScore)}\n`);
    }
  }
  return 0;
}

interface BatchFlags {
  assignment: string;
  submissions?: string;
  roster?: string;
  workers?: string;
  shard?: string;
  force?: boolean;
  seed: string;
  timeLimit?: string;
  out: string;
}

async function batchCommand(flags: BatchFlags): Promise<number> {
  // Loaded here: CSV parsing and the progress bar are for this command only.
  const { parseShard, runBatch, shardOf, submissionsFromRoster, submissionsIn } = await import('../batch/batch.ts');
  const timeLimitMs = parseTimeLimit(flags.timeLimit);
  const workers = parseWholeNumber('--workers', flags.workers, 1);
  if (!flags.submissions && !flags.roster) throw new UsageError('name the submissions: --submissions DIR (one folder per student) or --roster FILE (a CSV with a student column)');
  const assignment = await loadAssignment(flags.assignment);
  const shard = flags.shard === undefined ? undefined : parseShard(flags.shard);
  const entries = shardOf(flags.roster ? submissionsFromRoster(flags.roster, flags.submissions) : submissionsIn(flags.submissions!), shard);
  warnAboutSecret();
  const secret = process.env.MLGRADE_SECRET || DEVELOPMENT_SECRET;
  const progress = await batchProgress(entries.length);
  const { summary } = await runBatch({ assignment, entries, out: flags.out, seed: flags.seed, secret, workers, timeLimitMs, force: flags.force, shard, onStudent: progress.update });
  progress.stop();
  const parts = [`${summary.graded} graded`, `${summary.reused} unchanged since the last run`, `${summary.notSubmitted} not submitted`, `${summary.failed} failed`].filter((p) => !p.startsWith('0 '));
  process.stdout.write(`${flags.assignment}: ${summary.students} students (${parts.join(', ') || 'none'}); mean ${formatScore(summary.mean)}/${formatScore(summary.maxScore)}, median ${formatScore(summary.median)}; ${summary.seconds} s\n`);
  for (const p of summary.problems) process.stdout.write(`  ${p.student}: ${p.status}: ${p.reason}\n`);
  if (assignment.spec.late) {
    process.stdout.write(`late policy (due ${assignment.spec.late.due}): ${summary.late} late submission${summary.late === 1 ? '' : 's'} penalised\n`);
    if (summary.withoutSubmissionTime > 0) {
      process.stdout.write(`  warning: ${summary.withoutSubmissionTime} graded without a submission time, so without any late penalty: give the roster a submitted_at column\n`);
    }
  }
  process.stdout.write(`wrote ${path.join(flags.out, 'gradebook.csv')}, ${path.join(flags.out, 'summary.json')} and a folder per student in ${path.join(flags.out, 'students')}\n`);
  return 0;
}

/** A bar on a terminal; elsewhere (CI logs) one line per student. */
async function batchProgress(total: number): Promise<{ update: (row: { student: string; total: number; maxScore: number; status: string; seconds: number }, done: number) => void; stop: () => void }> {
  if (!process.stderr.isTTY) {
    return {
      update: (row, done) => process.stderr.write(`[${done}/${total}] ${row.student}: ${formatScore(row.total)}/${formatScore(row.maxScore)} (${row.status === 'graded' ? `${row.seconds.toFixed(1)} s` : row.status})\n`),
      stop: () => undefined,
    };
  }
  const { SingleBar, Presets } = (await import('cli-progress')).default;
  const bar = new SingleBar({ format: 'grading {bar} {value}/{total} students | {eta_formatted} left | last: {student}', stream: process.stderr, hideCursor: true }, Presets.shades_classic);
  bar.start(total, 0, { student: '' });
  return { update: (row, done) => bar.update(done, { student: `${row.student} ${formatScore(row.total)}/${formatScore(row.maxScore)}` }), stop: () => bar.stop() };
}

async function cloneRosterCommand(flags: { roster: string; out: string; shard?: string }): Promise<number> {
  const { parseShard } = await import('../batch/batch.ts');
  const { cloneRoster } = await import('../batch/clone.ts');
  if (!existsSync(flags.roster)) throw new UsageError(`--roster ${flags.roster}: no such file`);
  const outcomes = cloneRoster(flags.roster, flags.out, { shard: flags.shard === undefined ? undefined : parseShard(flags.shard), token: process.env.MLGRADE_CLONE_TOKEN || process.env.GITHUB_TOKEN || undefined });
  for (const o of outcomes) process.stderr.write(o.dir ? `cloned ${o.student}: ${o.repository}\n` : `NOT cloned ${o.student}: ${o.repository || '(no repository)'}: ${o.error}\n`);
  const failed = outcomes.filter((o) => !o.dir).length;
  process.stdout.write(`${outcomes.length - failed} of ${outcomes.length} repositories cloned into ${flags.out}${failed ? `; ${failed} not (their rows will say "no submission folder")` : ''}\n`);
  return 0;
}

async function gradebookCommand(parts: string[], flags: { roster?: string; out?: string }): Promise<number> {
  const { mergeGradebooks, submissionsFromRoster } = await import('../batch/batch.ts');
  const missing = parts.filter((file) => !existsSync(file));
  if (missing.length > 0) throw new UsageError(`no such file: ${missing.join(', ')}`);
  const roster = flags.roster ? submissionsFromRoster(flags.roster).map((e) => e.student) : undefined;
  const merged = mergeGradebooks(parts.map((file) => ({ file, text: readFileSync(file, 'utf8') })), roster);
  if (flags.out) {
    writeFileSync(flags.out, merged);
    process.stderr.write(`mlgrade: wrote ${flags.out}\n`);
  } else {
    process.stdout.write(merged);
  }
  return 0;
}

async function gradescopeCommand(id: string, flags: { out: string; timeLimit?: string; gradescopeHidden: string }): Promise<number> {
  const secret = process.env.MLGRADE_SECRET;
  if (!secret) throw new UsageError('set MLGRADE_SECRET to the course\'s secret: the bundle grades hidden cases with it (a bundle with the development secret would let students compute them)');
  const hiddenAs = parseVisibility(flags.gradescopeHidden);
  const timeLimitMs = parseTimeLimit(flags.timeLimit);
  const { buildGradescopeBundle, GRADESCOPE_TIMEOUT_S } = await import('../gradescope/bundle.ts');
  if (timeLimitMs !== undefined && timeLimitMs >= GRADESCOPE_TIMEOUT_S * 1000) process.stderr.write(`mlgrade: warning: --time-limit ${flags.timeLimit} s is not below Gradescope's default timeout (${GRADESCOPE_TIMEOUT_S} s), after which a student gets 0 and no results; raise the timeout in Gradescope's autograder settings to match\n`);
  const zip = buildGradescopeBundle(await loadAssignment(id), { secret, timeLimitS: timeLimitMs === undefined ? undefined : timeLimitMs / 1000, hiddenAs });
  mkdirSync(path.dirname(path.resolve(flags.out)), { recursive: true });
  writeFileSync(flags.out, zip);
  process.stdout.write(`wrote ${flags.out} (${(zip.length / 1e6).toFixed(1)} MB): upload it as the autograder of a Gradescope programming assignment. It holds the reference solutions and the secret: keep it from students.\n`);
  return 0;
}

async function exportCommand(ids: string[], flags: { out: string; course?: string; all?: boolean; results?: string; referenceOnly?: boolean }): Promise<number> {
  const selected = flags.all ? listAssignmentIds() : ids;
  if (selected.length === 0) throw new UsageError(`name the assignments to export (${listAssignmentIds().join(', ')}) or pass --all`);
  const { exportCourse, writeRecordedResults } = await import('../export/export.ts');
  // The copy replays answers recorded on the backend it will run on (see export/student-files.ts).
  process.env.MLGRADE_BACKEND = 'wasm';
  const exported = await exportCourse({ ids: selected, out: flags.out, course: flags.course, referenceOnly: flags.referenceOnly, onProgress: (line) => process.stderr.write(`mlgrade: ${line}\n`) });
  if (flags.results) writeRecordedResults(exported, flags.results);
  for (const a of exported) {
    process.stdout.write(`${a.id}: ${a.answers} recorded answers (${(a.bytes / 1e3).toFixed(0)} kB); visible points of ${a.recorded.map((r) => `${r.submission} ${formatScore(r.score)}`).join(', ')}\n`);
  }
  process.stdout.write(`wrote the student copy to ${flags.out}: no reference solutions, no mistake files, no secret. Push it as the course's GitHub Classroom template; see docs/tas.md.\n`);
  return 0;
}

/** Runs a scaffolder in the project and says what it wrote, what is left by hand, and what to run next. */
type Scaffolder = typeof import('../scaffold/scaffold.ts');

async function scaffoldCommand(run: (root: string, scaffold: Scaffolder) => ReturnType<Scaffolder['newProblem']>, next: string): Promise<number> {
  const scaffold = await import('../scaffold/scaffold.ts');
  let done: ReturnType<Scaffolder['newProblem']>;
  try {
    done = run(PROJECT_ROOT, scaffold);
  } catch (error) {
    if (error instanceof scaffold.ScaffoldError) throw new UsageError(error.message);
    throw error;
  }
  for (const file of done.written) process.stdout.write(`created ${file}\n`);
  for (const file of done.edited) process.stdout.write(`added to ${file}\n`);
  for (const step of done.manual) process.stdout.write(`to do by hand: ${step}\n`);
  process.stdout.write(`next: ${next} (it passes as scaffolded), then write the problem: docs/authoring.md\n`);
  return 0;
}

async function listCommand(): Promise<number> {
  const rows: string[][] = [['assignment', 'title', 'problems', 'points']];
  for (const id of listAssignmentIds()) {
    const { spec } = await loadAssignment(id);
    rows.push([id, spec.title, String(spec.problems.length), formatScore(spec.problems.reduce((s, p) => s + p.points, 0))]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const row of rows) process.stdout.write(`${row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()}\n`);
  return 0;
}

async function datasetsCommand(names: string[], flags: { preview?: string }): Promise<number> {
  // Loaded here: the catalogue pulls in every data set's package, which other commands do not need.
  const { selectDatasets, writePreviews } = await import('../data/catalog.ts');
  let datasets;
  try {
    datasets = selectDatasets(names);
  } catch (error) {
    process.stderr.write(`mlgrade: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  if (!flags.preview) {
    for (const d of datasets) process.stdout.write(`${d.name}\n  ${d.description}\n`);
    return 0;
  }
  writePreviews(datasets, flags.preview, (file) => process.stderr.write(`mlgrade: wrote ${file}\n`));
  return 0;
}

async function trainModelsCommand(names: string[], flags: { out?: string }): Promise<number> {
  // Loaded here: tfjs and the data are not needed by other commands.
  const { ZOO, zooModel, MODELS_DIR } = await import('../models/zoo.ts');
  const { DIGITS_DAE } = await import('../models/autoencoder.ts');
  const trainDae = names.length === 0 || names.includes(DIGITS_DAE.name);
  let specs;
  try {
    specs = names.length > 0 ? names.filter((n) => n !== DIGITS_DAE.name).map(zooModel) : [...ZOO];
  } catch (error) {
    process.stderr.write(`mlgrade: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const { initTensorBackend } = await import('../tensor/backend.ts');
  const { trainZooModel } = await import('../models/train.ts');
  const { saveModel } = await import('../models/store.ts');
  const backend = await initTensorBackend();
  process.stderr.write(`mlgrade: training on the ${backend.name} backend (${backend.reason})\n`);
  let code = 0;
  for (const spec of specs) {
    const { model, card } = await trainZooModel(spec, {
      backend: backend.name,
      onEpoch: (p) =>
        process.stderr.write(`${spec.name}  epoch ${String(p.epoch).padStart(2)}/${p.epochs}  loss ${p.loss.toFixed(4)}  accuracy ${(100 * p.accuracy).toFixed(2)} %  ${p.seconds.toFixed(1)} s\n`),
    });
    const summary = `${spec.name}: test accuracy ${(100 * card.testAccuracy).toFixed(2)} % on ${card.data.testImages} images (target ${(100 * spec.target).toFixed(1)} %), trained in ${card.trainingSeconds.toFixed(0)} s`;
    if (card.testAccuracy < spec.target) {
      process.stdout.write(`${summary}: UNDER THE TARGET, not saved\n`);
      code = 1;
    } else {
      const dir = await saveModel(model, card, flags.out ?? MODELS_DIR);
      process.stdout.write(`${summary}; wrote ${path.relative(process.cwd(), dir) || dir}\n`);
    }
    model.dispose();
  }
  if (trainDae) {
    const { trainAutoencoder, saveAutoencoder } = await import('../models/train-autoencoder.ts');
    const spec = DIGITS_DAE;
    const { model, card } = await trainAutoencoder(spec, {
      backend: backend.name,
      onEpoch: (epoch, loss, seconds) => process.stderr.write(`${spec.name}  epoch ${String(epoch).padStart(2)}/${spec.training.epochs}  loss ${loss.toFixed(5)}  ${seconds.toFixed(1)} s\n`),
    });
    const summary = `${spec.name}: test MSE ${card.testReconstructionMse.toFixed(4)} clean (target ≤ ${spec.target.reconstructionMse}), ${card.testDenoisedMse.toFixed(4)} denoising noise of std ${spec.training.noiseStd} (target ≤ ${spec.target.denoisedMse}), trained in ${card.trainingSeconds.toFixed(0)} s`;
    if (card.testReconstructionMse > spec.target.reconstructionMse || card.testDenoisedMse > spec.target.denoisedMse) {
      process.stdout.write(`${summary}: OVER THE TARGET, not saved\n`);
      code = 1;
    } else {
      const dir = await saveAutoencoder(model, card, flags.out ?? MODELS_DIR);
      process.stdout.write(`${summary}; wrote ${path.relative(process.cwd(), dir) || dir}\n`);
    }
    model.encoder.dispose();
    model.decoder.dispose();
  }
  return code;
}

/** Commander ignores what actions return; actions report their exit code here. */
function exitWith<A extends unknown[]>(state: { code: number }, run: (...args: A) => Promise<number>) {
  return async (...args: A): Promise<void> => {
    state.code = await run(...args);
  };
}

export function buildProgram(state: { code: number } = { code: 0 }): Command {
  const program = new Command();
  program
    .name('mlgrade')
    .description('Autograder for machine-learning course assignments.')
    .version(TOOL_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program.command('list').description('list the assignments with their titles, problem counts and points').action(exitWith(state, listCommand));

  program
    .command('grade')
    .description('grade a submission and print or write reports (exit code 0 whatever the score)')
    .argument('[assignment...]', 'assignment ids, e.g. cnn-layers')
    .option('--all', 'grade every assignment (each from its starter folder unless --submission is given)')
    .option('--submission <dir>', 'the folder with the student\'s files (default: starter/<assignment>)')
    // A student copy records the visible cases of one variant: these are the course's.
    .addOption(new Option('--student <id>', 'student id: selects the student\'s variant of the visible cases').default('anonymous').hideHelp(STUDENT_COPY))
    .addOption(new Option('--seed <seed>', 'base seed for every case').default('0').hideHelp(STUDENT_COPY))
    .addOption(new Option('--format <list>', `comma-separated: ${FORMATS.join(', ')}`).default('console'))
    .option('--out <dir>', 'write reports into this folder instead of stdout')
    .option('--time-limit <seconds>', 'budget for grading each submission; cases not reached are skipped and points earned are kept')
    .addOption(new Option('--submitted-at <time>', 'when the work was submitted (ISO 8601 with a time zone, e.g. 2026-12-12T09:30:00-05:00): recorded, and the assignment\'s late policy applied').hideHelp(STUDENT_COPY))
    .addOption(
      new Option('--gradescope-metadata <file>', 'take the student id and the submission time from Gradescope\'s submission_metadata.json (users[]: the email, or the id; a group\'s, sorted and joined by +; created_at)').hideHelp(STUDENT_COPY),
    )
    .addOption(
      new Option('--gradescope-hidden <visibility>', `Gradescope visibility of hidden cases (${VISIBILITIES.join(', ')}); Gradescope hides a student's total while any test is hidden from them`).default('visible').hideHelp(STUDENT_COPY),
    )
    .addHelpText(
      'after',
      STUDENT_COPY
        ? '\nThis copy of the course grades the visible cases; the course\'s grader grades the rest.\nExamples:\n  npm run grade -- pca\n  npm run grade -- pca --format html --out reports/out'
        : '\nHidden cases are seeded from MLGRADE_SECRET; set it when grading for real.\nExamples:\n  mlgrade grade cnn-layers\n  mlgrade grade cnn-layers --submission solutions/cnn-layers --format console,html --out reports/out',
    )
    .action(exitWith(state, gradeCommand));

  program
    .command('handout')
    .description('render an assignment\'s handout (Markdown, with its points and the student\'s variant filled in)')
    .argument('<assignment>', 'assignment id')
    .option('--out <file>', 'write to this file instead of stdout')
    // A student copy has answers recorded for one variant: its handouts are that variant's.
    .addOption(new Option('--student <id>', 'the student whose variant the handout states (sizes, k, ε, … that the assignment draws from the id)').default('anonymous').hideHelp(STUDENT_COPY))
    .addOption(new Option('--seed <seed>', 'base seed, as given to grade').default('0').hideHelp(STUDENT_COPY))
    .addHelpText('after', STUDENT_COPY ? '' : '\nExamples:\n  npx mlgrade handout cnn-layers --out handout.md\n  npx mlgrade handout cnn-layers --student alice@example.edu')
    .action(
      exitWith(state, async (id: string, flags: { out?: string; student: string; seed: string }) => {
        if (STUDENT_COPY && (flags.student !== 'anonymous' || flags.seed !== '0')) {
          throw new UsageError("this copy of the course has answers recorded for one variant; its handouts are that variant's (--student and --seed are for the course's grader)");
        }
        const text = renderHandout(await loadAssignment(id), { student: flags.student, seed: flags.seed });
        if (flags.out) {
          mkdirSync(path.dirname(path.resolve(flags.out)), { recursive: true });
          writeFileSync(flags.out, text);
          process.stderr.write(`mlgrade: wrote ${flags.out}\n`);
        } else {
          process.stdout.write(text);
        }
        return 0;
      }),
    );

  program
    .command('datasets')
    .description('list the data sets the project has, with origin and licence; --preview writes a contact sheet (PNG) of each')
    .argument('[name...]', 'data set names (default: all)')
    .option('--preview <dir>', 'write <name>.png for each data set into this folder')
    .addHelpText('after', '\nExamples:\n  npm run datasets\n  npm run datasets -- --preview reports/datasets\n  npm run datasets -- mnist-train --preview reports/datasets')
    .action(exitWith(state, datasetsCommand));

  program
    .command('doctor')
    .description('print Node, npm and the tensor backend mlgrade will use, with the reason and what was not available')
    .addHelpText('after', '\nMLGRADE_BACKEND=node|wasm|cpu forces a backend.')
    .action(exitWith(state, () => doctor()));

  // The commands that grade classes, test the grader or need the reference solutions: not in a
  // student copy (`mlgrade export`), which has none of those.
  if (!STUDENT_COPY) addCourseCommands(program, state);

  return program;
}

/** Commands for the course's own repository (see buildProgram). */
function addCourseCommands(program: Command, state: { code: number }): void {
  program
    .command('batch')
    .description('grade a whole class: a gradebook CSV, a JSON summary and reports per student; resumable, shardable across machines')
    .requiredOption('--assignment <id>', 'the assignment, e.g. pca')
    .option('--submissions <dir>', 'one folder per student, named by student id (with --roster: where the roster\'s folders are)')
    .option('--roster <file>', 'CSV with a header row: student (required), folder (default: the student id), repository (for the workflow that clones)')
    .requiredOption('--out <dir>', 'where gradebook.csv, summary.json and students/<id>/ go')
    .option('--workers <n>', 'gradings at a time, each in a grader process of its own (default: cores, at most 4)')
    .option('--shard <i/N>', 'grade only the i-th of N shards (every N-th student in id order); merge the parts with mlgrade gradebook')
    .option('--force', 'grade again what an earlier run into --out already graded for the same content')
    .option('--seed <seed>', 'base seed for every case', '0')
    .option('--time-limit <seconds>', 'budget for grading each submission')
    .addHelpText('after', '\nA student whose submission crashes, hangs or misbehaves gets a zero with the reason on their row; no other row is affected.\nHidden cases are seeded from MLGRADE_SECRET.\nExamples:\n  mlgrade batch --assignment pca --submissions submissions/ --out grades/pca\n  mlgrade batch --assignment pca --roster roster.csv --submissions clones/ --shard 1/4 --out grades/pca-1')
    .action(exitWith(state, batchCommand));

  program
    .command('gradescope')
    .description('build the Gradescope autograder zip for an assignment (setup.sh, run_autograder, the course files, the secret)')
    .argument('<assignment>', 'assignment id')
    .requiredOption('--out <file>', 'the zip to write, e.g. autograder.zip')
    .option('--time-limit <seconds>', `grading budget per submission (default ${600 - 60}: below Gradescope's default 10-minute timeout, so results are always written)`)
    .option('--gradescope-hidden <visibility>', 'Gradescope visibility of hidden cases', 'visible')
    .addHelpText('after', '\nReads the secret from MLGRADE_SECRET. See docs/tas.md, "On Gradescope".\nExample:\n  MLGRADE_SECRET=… mlgrade gradescope pca --out autograder.zip')
    .action(exitWith(state, gradescopeCommand));

  program
    .command('clone-roster')
    .description('clone the repositories of a roster (its repository column: owner/name on GitHub, or a git URL) into one folder per student, for mlgrade batch')
    .requiredOption('--roster <file>', 'CSV with student and repository columns')
    .requiredOption('--out <dir>', 'where <student>/ folders go')
    .option('--shard <i/N>', 'clone only the i-th of N shards (the same students as mlgrade batch --shard i/N)')
    .addHelpText('after', '\nA token for private repositories is read from MLGRADE_CLONE_TOKEN or GITHUB_TOKEN and sent as an HTTP header, never put in a URL.\nA repository that cannot be cloned is reported; its student is then graded as not submitted.')
    .action(exitWith(state, cloneRosterCommand));

  program
    .command('gradebook')
    .description('merge the gradebook.csv parts of a sharded batch, refusing a student graded twice or (with --roster) missing')
    .argument('<part...>', 'gradebook.csv files, one per shard')
    .option('--roster <file>', 'the roster every student of which must be in exactly one part')
    .option('--out <file>', 'write the merged gradebook here instead of stdout')
    .action(exitWith(state, gradebookCommand));

  program
    .command('check')
    .description('self-test the grader: reference full marks, starter zero, every declared mistake caught, deterministic')
    .argument('[assignment...]', 'assignment ids (default: all)')
    .option('--full', 'grade every problem for every declared mistake (default: only the problems a mistake can affect: its own and those that depend on it), and check every case for every student id (default: a case may declare fewer, checkStudents)')
    .option('--summary <file>', 'also write a Markdown summary (a table per assignment and every failure) to this file, e.g. for a course log')
    .option('--problem <name...>', 'check only these problems of one assignment (its reference, starter, mistakes, variants, timeouts, tolerances): the quick loop while writing a problem')
    // The default is DEFAULT_CHECK_STUDENTS (selftest/check.ts, not imported here: it loads the grader).
    .option('--students <n>', 'check the reference for this many student ids (at least 2): the first 5 graded in the sandbox, the others replayed in this process', '50')
    .option('--jobs <n>', 'check this many assignments at once, each in a process of its own (default: one per core, at most 2; 1: one after another in this process)')
    .addHelpText('after', '\nExamples:\n  npm run check -- pca\n  npm run check -- pca --problem powerIteration --summary check.md\n  npm run check -- cnn-layers --students 300')
    .action(
      exitWith(state, async (ids: string[], flags: { full?: boolean; summary?: string; problem?: string[]; students: string; jobs?: string }) => {
        if (flags.problem && ids.length !== 1) throw new UsageError('--problem names problems of one assignment: name that assignment, e.g. mlgrade check pca --problem powerIteration');
        const students = parseWholeNumber('--students', flags.students, 2);
        const jobs = parseWholeNumber('--jobs', flags.jobs, 1);
        const { runSelfCheck } = await import('../selftest/check.ts');
        return (await runSelfCheck(ids.length > 0 ? ids : listAssignmentIds(), process.stdout, { full: flags.full, summary: flags.summary, problems: flags.problem, students, jobs })) ? 0 : 1;
      }),
    );

  program
    .command('new')
    .description('scaffold a new assignment: assignment.ts, the reference and starter modules, a handout and a placeholder problem, which compile and pass mlgrade check as they are')
    .argument('<assignment-id>', 'lower-case words joined by hyphens, e.g. text-embeddings')
    .requiredOption('--module <file.ts>', 'the file students edit, e.g. text.ts')
    .addHelpText('after', '\nThe placeholder problem (example) is marked placeholder: true: export and the Gradescope bundle refuse the\nassignment until it is replaced. Add problems with mlgrade new-problem; see docs/authoring.md.\nExample:\n  npx mlgrade new text-embeddings --module text.ts')
    .action(exitWith(state, async (id: string, flags: { module: string }) => scaffoldCommand((root, s) => s.newAssignment(root, id, flags.module), `npx mlgrade check ${id}`)));

  program
    .command('new-problem')
    .description('scaffold a problem in an assignment: stubs in its reference and starter modules, the problem file with cases, a check and a placeholder mistake, a handout section')
    .argument('<assignment>', 'the assignment id, e.g. pca')
    .argument('<function>', 'the function students will write, e.g. powerIteration')
    .addHelpText('after', '\nThe problem is marked placeholder: true until you have written it; see docs/authoring.md.\nExample:\n  npx mlgrade new-problem pca powerIteration')
    .action(exitWith(state, async (id: string, name: string) => scaffoldCommand((root, s) => s.newProblem(root, id, name), `npx mlgrade check ${id} --problem ${name}`)));

  program
    .command('train-models')
    .description('train the model zoo (grader/models/) from fixed seeds on real MNIST, showing progress; a model that misses its target is not saved')
    .argument('[name...]', 'model names (default: all): digits-cnn, digits04-cnn, digits-dae32')
    .option('--out <dir>', 'write <name>/ folders here instead of grader/models/')
    .addHelpText('after', '\nTakes a few minutes per model on the wasm backend. Review the cards, then commit grader/models/.\nExamples:\n  npm run train-models\n  npm run train-models -- digits04-cnn --out /tmp/zoo')
    .action(exitWith(state, trainModelsCommand));

  program
    .command('bench')
    .description('measure the sandbox (child start-up, per-call round trip), the SVD against ml-matrix, the text-embeddings State of the Union pipeline, whole grading runs of pca, adversarial, autoencoders, transfer, understanding-layers, augmentation, generalization, a batch of 40 submissions with 1 and 2 workers, and tensor workloads on every backend available (medians and ratios)')
    .option('--rounds <n>', 'round trips to time', '200')
    .option('--no-svd', 'skip the SVD comparison')
    .option('--no-charts', 'skip the chart rendering times')
    .option('--no-text', 'skip the State of the Union pipeline (text-embeddings)')
    .option('--no-grading', 'skip the timed grading runs (pca, adversarial, autoencoders, transfer, understanding-layers, augmentation, generalization)')
    .option('--no-batch', 'skip the batch of 40 submissions with 1 and 2 workers')
    .option('--no-tensors', 'skip the tensor workloads')
    .option('--quick', 'time each tensor workload once, and the SVD on small matrices')
    .action(
      exitWith(state, async (flags: { rounds: string; svd: boolean; charts: boolean; grading: boolean; batch: boolean; tensors: boolean; text: boolean; quick?: boolean }) =>
        (await import('../bench/bench.ts')).runBench({ rounds: Number(flags.rounds), svd: flags.svd, charts: flags.charts, text: flags.text, grading: flags.grading, batch: flags.batch, tensors: flags.tensors, quick: flags.quick }),
      ),
    );

  program
    .command('export')
    .description('build the repository students get (a GitHub Classroom template): starters, handouts, the engine, visible cases with recorded answers, a feedback workflow; no references, mistakes or secret')
    .argument('[assignment...]', 'assignment ids')
    .option('--all', 'export every assignment')
    .requiredOption('--out <dir>', 'a new or empty folder, or an earlier export to replace')
    .option('--course <name>', 'the course\'s name, for the README and package.json', 'ml-course')
    .option('--reference-only', 'record the reference only, not the declared mistakes (faster; the copy then gives a mistake\'s hint only where its answers happen to be recorded)')
    .option('--results <dir>', 'also write the Result of each recorded grading (<dir>/<assignment>/<submission>.json), to see what the reference, the starter and each mistake got on the visible cases')
    .addHelpText('after', '\nRecords the reference\'s answers for the visible cases by grading the reference, the starter and every declared mistake (takes a while for assignments with tensors).\nExample:\n  mlgrade export pca cnn-layers --out ../ml-course-student')
    .action(exitWith(state, exportCommand));
}

/** Runs the CLI and returns the exit code: 0 when the command completed, 1 on a failed self-check, 2 on bad usage or a broken assignment. */
export async function main(argv: string[]): Promise<number> {
  const state = { code: 0 };
  const program = buildProgram(state);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    // BackendError, BatchError (a bad roster, shard or gradebook part) and ExportError (a folder
    // export must not overwrite) are matched by name: importing their modules would load tfjs,
    // the CSV parser or the exporter for every command.
    if (error instanceof AssignmentError || error instanceof UsageError || (error instanceof Error && ['BackendError', 'BatchError', 'ExportError'].includes(error.name))) {
      process.stderr.write(`mlgrade: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  return state.code;
}
