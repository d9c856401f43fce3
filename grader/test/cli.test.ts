import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resultSchema } from '../src/result/schema.ts';
import { DEFAULT_CHECK_STUDENTS } from '../src/selftest/check.ts';
import { PROJECT_ROOT, tempDir } from './helpers.ts';

function mlgrade(...args: string[]) {
  const run = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'bin/mlgrade.js'), ...args], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', MLGRADE_SECRET: 'cli-test' },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('the mlgrade command', () => {
  it('prints help for the program and every command', () => {
    // Help piped into a reader that is gone before it is written (`true` reads nothing and
    // exits long before the command has loaded): no EPIPE error, exit 0.
    const piped = spawnSync('bash', ['-c', `"${process.execPath}" bin/mlgrade.js grade --help | true; exit "\${PIPESTATUS[0]}"`], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    expect(piped.stderr).not.toContain('EPIPE');
    expect(piped.status).toBe(0);
    const top = mlgrade('--help');
    expect(top.code).toBe(0);
    for (const command of ['list', 'grade', 'check', 'bench', 'datasets', 'train-models', 'export', 'new', 'new-problem']) expect(top.stdout).toContain(command);
    const grade = mlgrade('grade', '--help');
    expect(grade.code).toBe(0);
    expect(grade.stdout).toContain('--submission <dir>');
    expect(grade.stdout).toContain('MLGRADE_SECRET');
  });

  it('export: names what it needs, and never writes into a folder that is not an earlier export', () => {
    const none = mlgrade('export', '--out', tempDir({}));
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('name the assignments to export');
    const busy = tempDir({ 'notes.txt': 'mine' });
    const refused = mlgrade('export', 'cnn-layers', '--out', busy);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('is not empty and is not an earlier export');
    expect(readFileSync(path.join(busy, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('new, new-problem and check --problem: a bad name or a missing assignment is a usage error that writes nothing', () => {
    const badId = mlgrade('new', 'Bad_Id', '--module', 'x.ts');
    expect(badId.code).toBe(2);
    expect(badId.stderr).toContain('"Bad_Id" is not a usable assignment id');
    const noModule = mlgrade('new', 'text-demo');
    expect(noModule.code).toBe(2);
    expect(noModule.stderr).toContain("required option '--module <file.ts>' not specified");
    const noAssignment = mlgrade('new-problem', 'nope', 'f');
    expect(noAssignment.code).toBe(2);
    expect(noAssignment.stderr).toContain('no assignment "nope"');
    const taken = mlgrade('new-problem', 'pca', 'svd');
    expect(taken.code).toBe(2);
    expect(taken.stderr).toMatch(/solutions[/\\]pca[/\\]pca\.ts already exports svd; nothing was written/);
    const fewStudents = mlgrade('check', 'cnn-layers', '--students', '1');
    expect(fewStudents.code).toBe(2);
    expect(fewStudents.stderr).toContain('--students takes a whole number ≥ 2, not "1"');
    const noJobs = mlgrade('check', 'cnn-layers', '--jobs', '0');
    expect(noJobs.code).toBe(2);
    expect(noJobs.stderr).toContain('--jobs takes a whole number ≥ 1, not "0"');
    // The command's default is the self-check's own (written twice: the CLI does not load the grader for --help).
    expect(mlgrade('check', '--help').stdout.replace(/\s+/g, ' ')).toContain(`(default: "${DEFAULT_CHECK_STUDENTS}")`);
    const unnamed = mlgrade('check', '--problem', 'svd');
    expect(unnamed.code).toBe(2);
    expect(unnamed.stderr).toContain('--problem names problems of one assignment');
    const help = mlgrade('new-problem', '--help');
    expect(help.stdout).toContain('npx mlgrade new-problem pca powerIteration');
  });

  it('lists assignments with titles, problem counts and points', () => {
    const { code, stdout } = mlgrade('list');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^assignment\s+title\s+problems\s+points\n/);
    expect(stdout).toMatch(/cnn-layers\s+CNN layers: .*\s+10\s+84\n/);
  });

  it('lists the data sets, writes a contact sheet of one, and names the known ones for an unknown name', () => {
    const list = mlgrade('datasets');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^mnist-train\n {2}MNIST digits.*LeCun.*mnist@1\.1\.0.*MIT/m);
    const out = tempDir({});
    const preview = mlgrade('datasets', 'iris', '--preview', out);
    expect(preview.code).toBe(0);
    expect(preview.stderr).toBe(`mlgrade: wrote ${path.join(out, 'iris.png')}\n`);
    expect(readFileSync(path.join(out, 'iris.png')).subarray(1, 4).toString()).toBe('PNG');
    const unknown = mlgrade('datasets', 'cifar');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown data set "cifar"; known: mnist-train, mnist-test,');
  });

  it('refuses to train a model the zoo does not have, naming the ones it has', () => {
    const { code, stderr } = mlgrade('train-models', 'resnet');
    expect(code).toBe(2);
    expect(stderr).toContain('no model "resnet" in the zoo; known: digits-cnn, digits04-cnn');
  });

  it('grades the starter with exit code 0 and a zero score', () => {
    const { code, stdout, stderr } = mlgrade('grade', 'cnn-layers');
    expect(code).toBe(0);
    expect(stdout).toContain('Total: 0/84');
    expect(stdout).toContain('not implemented yet');
    expect(stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('writes the Result JSON and Gradescope results to --out', () => {
    const out = tempDir({});
    const { code, stdout } = mlgrade('grade', 'cnn-layers', '--submission', 'solutions/cnn-layers', '--student', 'ada', '--format', 'json,gradescope,md,html', '--out', out);
    expect(code).toBe(0);
    expect(stdout).toBe('cnn-layers: 84/84\n');
    const result = resultSchema.parse(JSON.parse(readFileSync(path.join(out, 'result.json'), 'utf8')));
    expect(result).toMatchObject({ student: 'ada', score: 84, maxScore: 84 });
    const gradescope = JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')) as { score: number; tests: unknown[] };
    expect(gradescope.score).toBe(84);
    expect(readFileSync(path.join(out, 'report.html'), 'utf8')).toContain('<!doctype html>');
    expect(readFileSync(path.join(out, 'report.md'), 'utf8')).toContain('| **Total** | **84 / 84** |');
  });

  it('grades every assignment with --all, one folder each', () => {
    const out = tempDir({});
    const { code, stdout } = mlgrade('grade', '--all', '--format', 'json', '--out', out);
    expect(code).toBe(0);
    expect(stdout).toContain('cnn-layers: 0/84');
    expect(resultSchema.parse(JSON.parse(readFileSync(path.join(out, 'cnn-layers', 'result.json'), 'utf8'))).assignment.id).toBe('cnn-layers');
  });

  it("renders a handout with its points, for the anonymous variant or a student's own", () => {
    const { code, stdout } = mlgrade('handout', 'cnn-layers');
    expect(code).toBe(0);
    expect(stdout).toContain('84 points in total');
    expect(stdout).toContain('**Your variant** (student `anonymous`)');
    const alice = mlgrade('handout', 'cnn-layers', '--student', 'alice@example.edu');
    expect(alice.code).toBe(0);
    expect(alice.stdout).toContain('**Your variant** (student `alice@example.edu`)');
  });

  it('prints the Result JSON to stdout when there is no --out', () => {
    const { code, stdout } = mlgrade('grade', 'cnn-layers', '--format', 'json');
    expect(code).toBe(0);
    expect(resultSchema.parse(JSON.parse(stdout)).score).toBe(0);
  });

  it('exits normally and writes its report when a submission tries to kill it or exit', () => {
    const dir = tempDir({
      'layers.ts': "export function conv2d(): never { process.kill(process.ppid, 'SIGKILL'); throw new Error('alive'); }\nexport function maxPool2d(): never { process.exit(0); }\n",
    });
    const out = tempDir({});
    const { code, stdout } = mlgrade('grade', 'cnn-layers', '--submission', dir, '--format', 'json', '--out', out);
    expect(code).toBe(0);
    expect(stdout).toBe('cnn-layers: 0/84\n');
    const result = resultSchema.parse(JSON.parse(readFileSync(path.join(out, 'result.json'), 'utf8')));
    expect(result.problems[0].cases[0].message).toBe('conv2d threw Error: process.kill is not available to code being graded');
  });

  it('grades an existing folder without the module as nothing submitted: 0, with the reason', () => {
    const { code, stdout } = mlgrade('grade', 'pca', '--submission', tempDir({}), '--format', 'classroom');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { status: string; max_score: number; tests: Array<{ score: number; status: string; message: string }> };
    expect(report.status).toBe('error');
    expect(report.max_score).toBe(90);
    expect(report.tests.every((t) => t.score === 0 && t.status === 'error' && t.message.includes('pca.ts was not found'))).toBe(true);
  });

  it('batch grades a class folder, prints a line per student off a terminal, and merges shards with gradebook', () => {
    const reference = readFileSync(path.join(PROJECT_ROOT, 'solutions/cnn-layers/layers.ts'), 'utf8');
    const submissions = tempDir({ 'ada/layers.ts': reference, 'grace/notes.txt': 'nothing yet' });
    const out = tempDir({});
    const parts = [1, 2].map((i) => {
      const run = mlgrade('batch', '--assignment', 'cnn-layers', '--submissions', submissions, '--shard', `${i}/2`, '--out', path.join(out, `part-${i}`));
      expect(run.code).toBe(0);
      return run;
    });
    expect(parts[0].stderr).toMatch(/^\[1\/1\] ada: 84\/84 \(\d+\.\d s\)$/m);
    expect(parts[0].stdout).toMatch(/^cnn-layers: 1 students \(1 graded\); mean 84\/84, median 84; /);
    expect(parts[1].stdout).toContain('  grace: graded: layers.ts was not found in');
    const merged = mlgrade('gradebook', path.join(out, 'part-1/gradebook.csv'), path.join(out, 'part-2/gradebook.csv'));
    expect(merged.code).toBe(0);
    expect(merged.stdout.split('\n').map((line) => line.split(',')[0])).toEqual(['student', 'ada', 'grace', '']);
    const twice = mlgrade('gradebook', path.join(out, 'part-1/gradebook.csv'), path.join(out, 'part-1/gradebook.csv'));
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('student "ada" is in');
  });

  it('exits 2 with a one-line reason on usage errors', () => {
    const cases: Array<[string[], RegExp]> = [
      [['grade', 'nope'], /^mlgrade: no assignment "nope" \(looked for assignments\/nope\/assignment.ts\); known assignments: .*cnn-layers/],
      [['grade'], /^mlgrade: name an assignment \(.*\) or pass --all/],
      [['grade', 'cnn-layers', '--format', 'pdf'], /^mlgrade: unknown format "pdf"; choose from console, md, html, json, gradescope, classroom/],
      // A TA's typo must not become a student's recorded zero.
      [['grade', 'pca', '--submission', '/nonexistent/student-42'], /^mlgrade: --submission \/nonexistent\/student-42: no such folder\n$/],
      [['grade', 'pca', '--submission', 'package.json'], /^mlgrade: --submission package.json: not a folder\n$/],
      [['batch', '--assignment', 'pca', '--out', '/tmp/x'], /^mlgrade: name the submissions: --submissions DIR \(one folder per student\) or --roster FILE/],
      [['batch', '--assignment', 'pca', '--submissions', '/nonexistent/class', '--out', '/tmp/x'], /^mlgrade: --submissions \/nonexistent\/class: no such folder\n$/],
      [['batch', '--assignment', 'pca', '--submissions', '.', '--shard', '3/2', '--out', '/tmp/x'], /^mlgrade: --shard takes i\/N with 1 ≤ i ≤ N, e.g. 2\/4, not "3\/2"\n$/],
      [['batch', '--assignment', 'pca', '--submissions', '.', '--workers', '0', '--out', '/tmp/x'], /^mlgrade: --workers takes a whole number ≥ 1, not "0"\n$/],
      [['batch', '--submissions', '.', '--out', '/tmp/x'], /^error: required option '--assignment <id>' not specified/],
      [['grade', 'pca', '--gradescope-metadata', '/nonexistent/metadata.json'], /^mlgrade: --gradescope-metadata \/nonexistent\/metadata.json: ENOENT/],
      [['grade', 'pca', '--submitted-at', '2026-12-11 10:00'], /^mlgrade: --submitted-at: "2026-12-11 10:00" is not a date and time with a time zone, such as /],
      [['grade', 'pca', '--submitted-at', '2026-12-11T10:00Z', '--gradescope-metadata', 'm.json'], /^mlgrade: --submitted-at and --gradescope-metadata both say when the work was submitted; give one/],
      [['gradescope', 'pca', '--out', '/tmp/x.zip', '--gradescope-hidden', 'never'], /^mlgrade: --gradescope-hidden takes one of /],
      [['gradebook', '/nonexistent/part-1.csv'], /^mlgrade: no such file: \/nonexistent\/part-1.csv\n$/],
      [['grade', 'pca', '--gradescope-hidden', 'secret'], /^mlgrade: --gradescope-hidden takes one of visible, after_due_date, after_published, hidden, not "secret"\n$/],
      [['grade', 'cnn-layers', '--bogus'], /^error: unknown option '--bogus'/],
      [['frobnicate'], /^error: unknown command 'frobnicate'/],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = mlgrade(...args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr).toMatch(message);
    }
  });
});
