import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAssignment } from '../src/assignment/load.ts';
import { buildGradescopeBundle, studentFromMetadata } from '../src/gradescope/bundle.ts';
import type { GradescopeResults } from '../src/report/gradescope.ts';
import { PROJECT_ROOT, tempDir } from './helpers.ts';

// The bundle is run as Gradescope runs it (gradescope/autograder_samples, docs/specs.md and
// manual_docker/Dockerfile): the zip unpacked to /autograder/source, run_autograder copied to
// /autograder/run_autograder, the submission in /autograder/submission with
// /autograder/submission_metadata.json beside it, results read from /autograder/results.
// Here the tree is a temporary folder (MLGRADE_AUTOGRADER_ROOT), and node_modules is linked
// in where setup.sh would run npm ci. results.json is validated against a JSON Schema written
// from Gradescope's documentation (fixtures/gradescope-results.schema.json).
const assignment = await loadAssignment('cnn-layers');
const SECRET = 'bundle-test-secret';
let files: Record<string, Uint8Array>;
let root: string;

beforeAll(() => {
  files = unzipSync(buildGradescopeBundle(assignment, { secret: SECRET }));
  root = tempDir({}, 'mlgrade-autograder-');
  for (const [name, data] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, 'source', name)), { recursive: true });
    writeFileSync(path.join(root, 'source', name), data);
  }
  cpSync(path.join(root, 'source/run_autograder'), path.join(root, 'run_autograder'));
  symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(root, 'source/node_modules'));
});

const metadata = (email: string) => JSON.stringify({ id: 1, created_at: '2026-11-30T10:00:00.000000-08:00', assignment: { due_date: '2026-12-01T23:59:00.000000-08:00', title: 'HW' }, users: [{ email, id: 7, name: 'Ada' }] });

function runAutograder(submission: Record<string, string>, email: string): GradescopeResults {
  rmSync(path.join(root, 'submission'), { recursive: true, force: true });
  cpSync(tempDir(submission), path.join(root, 'submission'), { recursive: true });
  writeFileSync(path.join(root, 'submission_metadata.json'), metadata(email));
  const run = spawnSync('bash', [path.join(root, 'run_autograder')], { cwd: root, encoding: 'utf8', env: { PATH: process.env.PATH, MLGRADE_AUTOGRADER_ROOT: root } });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(readFileSync(path.join(root, 'results/results.json'), 'utf8')) as GradescopeResults;
}

describe('the Gradescope autograder bundle', () => {
  it('holds setup.sh, run_autograder, the secret and the course files, and no tests, starters or node_modules', () => {
    const names = Object.keys(files);
    expect(names).toEqual(expect.arrayContaining(['setup.sh', 'run_autograder', 'mlgrade-secret', 'package-lock.json', 'bin/mlgrade.js', 'solutions/cnn-layers/layers.ts', 'assignments/cnn-layers/assignment.ts', 'reports/templates/html.hbs', 'grader/models/digits-cnn/card.json']));
    expect(names.filter((n) => /^(grader\/test|starter|node_modules|\.git)\//.test(n) || n.includes('/node_modules/'))).toEqual([]);
    expect(new TextDecoder().decode(files['mlgrade-secret'])).toBe(SECRET);
    const script = new TextDecoder().decode(files.run_autograder);
    expect(script).toMatch(/^#!\/usr\/bin\/env bash\n/);
    expect(script).toContain('--time-limit 540 --gradescope-hidden visible');
    expect(new TextDecoder().decode(files['setup.sh'])).toContain('npm ci');
  });

  it('run_autograder grades /autograder/submission into a results.json that follows Gradescope\'s schema', () => {
    const results = runAutograder({ 'layers.ts': readFileSync(path.join(PROJECT_ROOT, 'solutions/cnn-layers/layers.ts'), 'utf8') }, 'Ada@Example.edu');
    const ajv = new Ajv2020({ allErrors: true });
    const validate = ajv.compile(JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'grader/test/fixtures/gradescope-results.schema.json'), 'utf8')) as object);
    expect(validate(results), JSON.stringify(validate.errors)).toBe(true);
    expect(results.score).toBe(84);
    expect(results.output).toMatch(/^CNN layers: .*: 84\/84 \(student ada@example\.edu, /);
    expect(results.tests.every((t) => t.status === 'passed' && t.visibility !== 'hidden')).toBe(true);
    // The schema rejects what Gradescope would not read.
    expect(validate({ ...results, tests: [{ ...results.tests[0], status: 'ok' }] })).toBe(false);
  }, 120_000);

  it('an empty submission still gets a results.json, with 0 and the reason', () => {
    const results = runAutograder({}, 'grace@example.edu');
    expect(results.score).toBe(0);
    expect(results.output).toContain('layers.ts was not found');
  }, 120_000);

  it('the student id comes from submission_metadata.json: the email, or a group\'s sorted and joined', () => {
    expect(studentFromMetadata(metadata('Ada@Example.edu'))).toEqual({ student: 'ada@example.edu', submittedAt: '2026-11-30T10:00:00.000000-08:00' });
    expect(studentFromMetadata(JSON.stringify({ users: [{ email: 'b@x' }, { email: 'a@x' }] })).student).toBe('a@x+b@x');
    expect(studentFromMetadata(JSON.stringify({ users: [{ id: 12 }] })).student).toBe('12');
    expect(() => studentFromMetadata(JSON.stringify({ users: [] }))).toThrow('names no user');
  });
});
