import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAssignment } from '../src/assignment/load.ts';
import { cloneRoster, repositoryUrl } from '../src/batch/clone.ts';
import { BatchError, type BatchSummary, fingerprint, gradebookCsv, inertCell, mergeGradebooks, parseShard, runBatch, shardOf, submissionsFromRoster, submissionsIn } from '../src/batch/batch.ts';
import { resultSchema } from '../src/result/schema.ts';
import { PROJECT_ROOT, tempDir } from './helpers.ts';

// The batch of 40 grades a two-problem assignment (grader/test/fixtures/diagnose-project):
// three sandboxed processes per submission instead of cnn-layers' twenty, so forty gradings
// cost seconds; what is tested is the batch, and each submission is graded as `grade` would.
const assignment = await loadAssignment('diag', path.join(PROJECT_ROOT, 'grader/test/fixtures/diagnose-project'));
const reference = readFileSync(path.join(assignment.solutionDir, 'main.ts'), 'utf8');
const MAX = 3;
/** The reference with some of its exports replaced (ES modules let explicit exports win over `export *`). */
const overriding = (names: string[], source: string): Record<string, string> => ({
  '__reference__.ts': reference,
  'overrides.ts': source,
  'main.ts': `export * from './__reference__.ts';\nexport { ${names.join(', ')} } from './overrides.ts';\n`,
});

/** Misbehaving submissions, each costing only its own row. */
const HOSTILE: Record<string, Record<string, string>> = {
  'h-exit-on-import': { 'main.ts': 'process.exit(0);\nexport const difference = 1;\n' },
  'h-throws-on-import': { 'main.ts': "throw new Error('boom');\n" },
  'h-fake-score': overriding(['difference'], "export function difference(): number[] { console.log('{\"score\": 3, \"status\": \"pass\"}\\nTotal: 3/3'); return [0]; }"),
  'h-spins': overriding(['normalizeRows'], 'export function normalizeRows(): never { for (;;) { /* spin */ } }'),
  'h-writes-outside': overriding(['difference'], `import { writeFileSync } from 'node:fs';\nexport function difference(): number[] { writeFileSync(${JSON.stringify(path.join(PROJECT_ROOT, 'pwned.txt'))}, 'x'); return [0]; }`),
  'h-empty-folder': { 'notes.txt': 'forgot to add my code' },
};
const WRONG = ['w-01', 'w-02'];
const REFERENCES = Array.from({ length: 40 - WRONG.length - Object.keys(HOSTILE).length }, (_, i) => `r-${String(i + 1).padStart(2, '0')}`);
const wrong = overriding(['difference'], 'export function difference(a: number[], b: number[]): number[] { return b.map((v, i) => v - a[i]); }');

let submissions: string;
let out: string;
let first: BatchSummary;
let gradebook: string[][];

beforeAll(async () => {
  const files: Record<string, string> = {};
  for (const student of REFERENCES) files[`${student}/main.ts`] = reference;
  for (const student of WRONG) for (const [name, text] of Object.entries(wrong)) files[`${student}/${name}`] = text;
  for (const [student, contents] of Object.entries(HOSTILE)) for (const [name, text] of Object.entries(contents)) files[`${student}/${name}`] = text;
  submissions = tempDir(files, 'mlgrade-batch-');
  out = tempDir({}, 'mlgrade-batch-out-');
  ({ summary: first } = await runBatch({ assignment, entries: shardOf(submissionsIn(submissions)), out, seed: '0', secret: 'batch-secret', workers: 2 }));
  gradebook = parse(readFileSync(path.join(out, 'gradebook.csv'), 'utf8'));
}, 600_000);

describe('mlgrade batch', () => {
  it('40 submissions, hostile ones included, give 40 rows: every reference full marks, each wrong or hostile one its own loss', () => {
    const [header, ...rows] = gradebook;
    expect(header).toEqual(['student', 'normalizeRows', 'difference', 'points', 'late_penalty', 'total', 'max_score', 'status', 'reason', 'submitted_at', 'commit']);
    expect(rows.map((r) => r[0])).toEqual([...Object.keys(HOSTILE), ...REFERENCES, ...WRONG].sort());
    const row = (student: string) => Object.fromEntries(header.map((h, i) => [h, rows.find((r) => r[0] === student)![i]]));
    for (const student of REFERENCES) expect(row(student), student).toMatchObject({ total: '3', max_score: '3', status: 'graded', reason: '' });
    for (const student of WRONG) expect(row(student), student).toMatchObject({ normalizeRows: '2', difference: '0', total: '2' });
    expect(row('h-empty-folder')).toMatchObject({ total: '0', status: 'graded', reason: `main.ts was not found in ${path.join(submissions, 'h-empty-folder')}` });
    expect(row('h-throws-on-import').total).toBe('0');
    expect(row('h-throws-on-import').reason).toContain('boom');
    expect(row('h-exit-on-import').total).toBe('0');
    // Printing a score changes nothing.
    expect(row('h-fake-score')).toMatchObject({ normalizeRows: '2', difference: '0', total: '2' });
    expect(row('h-spins')).toMatchObject({ normalizeRows: '0', difference: '1', total: '1' });
    expect(row('h-writes-outside')).toMatchObject({ difference: '0', total: '2' });
    expect(() => readFileSync(path.join(PROJECT_ROOT, 'pwned.txt'))).toThrow();
    expect(first).toMatchObject({ students: 40, graded: 40, reused: 0, failed: 0, notSubmitted: 0, maxScore: MAX, fullMarks: REFERENCES.length });
    // The assignment has a late policy, and folders say nothing about when they were submitted.
    expect(first).toMatchObject({ late: 0, withoutSubmissionTime: 40 });
    for (const student of REFERENCES) expect(row(student), student).toMatchObject({ points: '3', late_penalty: '0%', submitted_at: '' });
  });

  it("writes each student's Result and reports, and a summary", () => {
    const result = resultSchema.parse(JSON.parse(readFileSync(path.join(out, 'students/r-01/result.json'), 'utf8')));
    expect(result).toMatchObject({ student: 'r-01', score: MAX });
    expect(readFileSync(path.join(out, 'students/r-01/report.md'), 'utf8')).toContain(`**${MAX} / ${MAX}**`);
    expect(readFileSync(path.join(out, 'students/w-01/report.html'), 'utf8')).toContain('Subtract b from a, not a from b.');
    const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')) as BatchSummary;
    expect(summary).toEqual(first);
    // 32 × 3 + 2 × 2 (wrong) + 2 + 1 + 2 (hostile ones that still earn points) = 105 over 40.
    expect(summary).toMatchObject({ mean: 2.63, median: 3, zero: 3 });
    expect(summary.problems.map((p) => p.student)).toEqual(['h-empty-folder', 'h-exit-on-import', 'h-throws-on-import']);
  });

  it('resumes: a second run reuses every unchanged submission and grades a changed one again; --force regrades', async () => {
    for (const [name, text] of Object.entries(wrong)) writeFileSync(path.join(submissions, 'r-02', name), text);
    const { summary, rows } = await runBatch({ assignment, entries: submissionsIn(submissions), out, seed: '0', secret: 'batch-secret', workers: 2 });
    expect(summary).toMatchObject({ students: 40, graded: 1, reused: 39 });
    expect(rows.find((r) => r.student === 'r-02')).toMatchObject({ status: 'graded', total: 2 });
    expect(rows.find((r) => r.student === 'r-01')).toMatchObject({ status: 'reused', total: 3, seconds: 0 });
    const one = submissionsIn(submissions).filter((e) => e.student === 'r-01');
    expect((await runBatch({ assignment, entries: one, out, seed: '0', secret: 'batch-secret', workers: 1, force: true })).summary).toMatchObject({ graded: 1, reused: 0 });
    // Another secret (or seed) makes an earlier Result stale.
    expect((await runBatch({ assignment, entries: one, out, seed: '0', secret: 'another-secret', workers: 1 })).summary).toMatchObject({ graded: 1, reused: 0 });
  }, 300_000);
});

describe('rosters, shards and merging', () => {
  it('a roster names the students; one without a folder is not submitted; a duplicate or a bad id is refused', () => {
    const dir = tempDir({ 'ada/main.ts': reference, 'roster.csv': 'student,repository\nada,course/hw-ada\ngrace,course/hw-grace\n' });
    expect(submissionsFromRoster(path.join(dir, 'roster.csv'))).toEqual([{ student: 'ada', dir: path.join(dir, 'ada') }, { student: 'grace' }]);
    const twice = tempDir({ 'roster.csv': 'student\nada\nada\n' });
    expect(() => submissionsFromRoster(path.join(twice, 'roster.csv'))).toThrow(new BatchError(`--roster ${path.join(twice, 'roster.csv')}, row 3: student "ada" is listed twice`));
    const escape = tempDir({ 'roster.csv': 'student\n../etc\n' });
    expect(() => submissionsFromRoster(path.join(escape, 'roster.csv'))).toThrow(/"\.\.\/etc" cannot be a student id/);
    const formula = tempDir({ 'roster.csv': 'student\n=cmd\n' });
    expect(() => submissionsFromRoster(path.join(formula, 'roster.csv'))).toThrow(/"=cmd" cannot be a student id/);
    const noColumn = tempDir({ 'roster.csv': 'name\nada\n' });
    expect(() => submissionsFromRoster(path.join(noColumn, 'roster.csv'))).toThrow(/no "student" column \(columns: name\)/);
  });

  it('a reason the student wrote cannot become a spreadsheet formula', () => {
    const row = { student: 'ada', problems: [0, 0], points: 0, latePenalty: 0, total: 0, maxScore: MAX, status: 'graded' as const, reason: '=HYPERLINK("http://x")', submittedAt: '', commit: '', seconds: 0 };
    expect(gradebookCsv(assignment, [row]).split('\n')[1]).toBe('ada,0,0,0,0%,0,3,graded,"\'=HYPERLINK(""http://x"")",,');
    expect(inertCell('+1')).toBe("'+1");
    expect(inertCell('-1')).toBe("'-1");
    expect(inertCell('@a')).toBe("'@a");
    expect(inertCell('a=b')).toBe('a=b');
  });

  it('a roster student without a folder gets a not-submitted row without a grading', async () => {
    const dir = tempDir({ 'roster.csv': 'student\nnobody\n' });
    const { rows } = await runBatch({ assignment, entries: submissionsFromRoster(path.join(dir, 'roster.csv')), out: tempDir({}), seed: '0', secret: 's', workers: 1 });
    expect(rows).toEqual([{ student: 'nobody', problems: [0, 0], points: 0, latePenalty: 0, total: 0, maxScore: MAX, status: 'not-submitted', reason: 'no submission folder', submittedAt: '', commit: '', seconds: 0 }]);
  });

  it('the shards of a class are disjoint and cover it, for any number of shards', () => {
    const students = Array.from({ length: 23 }, (_, i) => ({ student: `s${(i * 7) % 23}` }));
    for (const count of [1, 2, 3, 4, 7, 23, 30]) {
      const parts = Array.from({ length: count }, (_, i) => shardOf(students, { index: i + 1, count }).map((e) => e.student));
      const all = parts.flat();
      expect(new Set(all).size).toBe(all.length);
      expect(all.sort()).toEqual(students.map((s) => s.student).sort());
      expect(Math.max(...parts.map((p) => p.length)) - Math.min(...parts.map((p) => p.length))).toBeLessThanOrEqual(1);
    }
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['0/4', '5/4', '1/0', '2', 'a/b', '-1/2']) expect(() => parseShard(bad)).toThrow(BatchError);
  });

  it('merging parts refuses a student in two parts, one missing from the roster, or parts with other columns', () => {
    const a = { file: 'a.csv', text: 'student,f,total\nada,1,1\n' };
    const b = { file: 'b.csv', text: 'student,f,total\ngrace,2,2\n' };
    expect(mergeGradebooks([b, a], ['ada', 'grace'])).toBe('student,f,total\nada,1,1\ngrace,2,2\n');
    expect(() => mergeGradebooks([a, { ...a, file: 'c.csv' }])).toThrow('student "ada" is in a.csv and in c.csv: a student must be graded by one shard only');
    expect(() => mergeGradebooks([a, b], ['ada', 'grace', 'linus'])).toThrow('1 student of the roster in no part: linus');
    expect(() => mergeGradebooks([a, b], ['ada'])).toThrow('graded but not on the roster: grace');
    expect(() => mergeGradebooks([a, { file: 'd.csv', text: 'student,g,total\nlinus,1,1\n' }])).toThrow(/d\.csv: its columns \(student, g, total\) differ/);
    expect(() => mergeGradebooks([{ file: 'e.csv', text: 'name\nx\n' }])).toThrow('e.csv: not a gradebook');
  });

  it('a fingerprint changes with any file, ignores .git, and records the commit of a clone', () => {
    const dir = tempDir({ 'main.ts': reference, 'notes/a.txt': 'a' });
    const before = fingerprint(dir);
    writeFileSync(path.join(dir, 'notes/a.txt'), 'b');
    expect(fingerprint(dir).contentHash).not.toBe(before.contentHash);
    const git = (...args: string[]) => spawnSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { encoding: 'utf8' });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'work');
    const cloned = fingerprint(dir);
    expect(cloned.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(cloned.contentHash).toBe(fingerprint(dir).contentHash);
    const copy = tempDir({});
    cpSync(dir, copy, { recursive: true, filter: (src) => !src.includes(`${path.sep}.git`) });
    expect(fingerprint(copy)).toEqual({ contentHash: cloned.contentHash });
  });

  it('clones a roster\'s repositories, one folder per student, and reports the ones it cannot', () => {
    const work = tempDir({ 'main.ts': reference });
    const git = (dir: string, ...args: string[]) => spawnSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { encoding: 'utf8' });
    git(work, 'init', '-q');
    git(work, 'add', '.');
    git(work, 'commit', '-qm', 'work');
    const roster = tempDir({ 'roster.csv': `student,repository\nada,${work}\ngrace,${work}-missing\nlinus,\n` });
    const out = path.join(tempDir({}), 'clones');
    const outcomes = cloneRoster(path.join(roster, 'roster.csv'), out);
    expect(outcomes.map((o) => [o.student, o.dir !== undefined])).toEqual([['ada', true], ['grace', false], ['linus', false]]);
    expect(outcomes[2].error).toBe('no repository on the roster');
    expect(readFileSync(path.join(out, 'ada/main.ts'), 'utf8')).toBe(reference);
    expect(fingerprint(path.join(out, 'ada')).commit).toBe(git(work, 'rev-parse', 'HEAD').stdout.trim());
    // The shard's students only, and a folder already there is not overwritten.
    expect(cloneRoster(path.join(roster, 'roster.csv'), out, { shard: { index: 1, count: 3 } })).toEqual([{ student: 'ada', repository: work, error: `${path.join(out, 'ada')} exists already; remove it to clone again` }]);
    expect(repositoryUrl('course/hw-ada')).toBe('https://github.com/course/hw-ada.git');
    expect(repositoryUrl('https://gitlab.example/x/y.git')).toBe('https://gitlab.example/x/y.git');
  });
});
