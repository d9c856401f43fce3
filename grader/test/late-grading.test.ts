import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAssignment } from '../src/assignment/load.ts';
import { BatchError, runBatch, submissionsFromRoster } from '../src/batch/batch.ts';
import { render } from '../src/report/render.ts';
import { type Result, resultSchema, serializeResult } from '../src/result/schema.ts';
import { gradeSubmission } from '../src/run/grade.ts';
import { after, EDGES, POLICY } from './late-edges.ts';
import { PROJECT_ROOT, tempDir } from './helpers.ts';

// The late policy end to end: a grading, its reports and a batch's gradebook (late.test.ts
// tests the rule itself). The fixture assignment `diag` (3 points) declares: due
// 2026-12-10T23:59:00-05:00, an hour's grace, 10 % per started day, at most 30 %.
const assignment = await loadAssignment('diag', path.join(PROJECT_ROOT, 'grader/test/fixtures/diagnose-project'));
const reference = readFileSync(path.join(assignment.solutionDir, 'main.ts'), 'utf8');

it('the fixture declares the policy whose edges are tested', () => {
  expect(assignment.spec.late).toEqual(POLICY);
});

describe('a graded submission', () => {
  let late: Result;
  beforeAll(async () => {
    late = await gradeSubmission({ assignment, submissionDir: assignment.solutionDir, submittedAt: EDGES[6].at, secret: 's' });
  }, 60_000);

  it('records the time and the policy; the problems add up to the points before the penalty', () => {
    expect(late).toMatchObject({ score: 2.4, maxScore: 3, submittedAt: EDGES[6].at, late: { daysLate: 2, penalty: 0.2, scoreBefore: 3 } });
    expect(late.problems.reduce((s, p) => s + p.score, 0)).toBe(3);
    expect(resultSchema.parse(JSON.parse(serializeResult(late)))).toEqual(late);
  });

  it('every report shows the penalty', () => {
    const markdown = render('md', late);
    expect(markdown).toContain('# Diagnoses — 2.4 / 3');
    expect(markdown).toContain('| | Points for the work | 3 / 3 |\n| | Late penalty (2 days late) | −20 % |\n| | **Total** | **2.4 / 3** |');
    expect(markdown).toContain('2 days late for the due date');
    expect(render('html', late)).toContain('<td>Late penalty (2 days late)</td><td class="num">−20 %</td>');
    expect(render('console', late)).toContain('Total: 2.4/3 (3 before the late penalty of 20 %)');
  });

});

describe('the gradebook', () => {
  it('applies the policy from the roster\'s submitted_at: points, late_penalty and total, at every edge', async () => {
    const files: Record<string, string> = { 'roster.csv': `student,submitted_at\n${EDGES.map((e, i) => `s${i},${e.at}`).join('\n')}\nnotime,\n` };
    for (let i = 0; i < EDGES.length; i++) files[`s${i}/main.ts`] = reference;
    files['notime/main.ts'] = reference;
    const dir = tempDir(files);
    const out = tempDir({});
    const { summary } = await runBatch({ assignment, entries: submissionsFromRoster(path.join(dir, 'roster.csv')), out, seed: '0', secret: 's', workers: 2 });
    const gradebook: string[][] = parse(readFileSync(path.join(out, 'gradebook.csv'), 'utf8'));
    const [header, ...rows] = gradebook;
    const row = (student: string) => Object.fromEntries(header.map((h, i) => [h, rows.find((r) => r[0] === student)![i]]));
    EDGES.forEach((edge, i) => {
      expect(row(`s${i}`), edge.name).toMatchObject({ points: '3', late_penalty: `${edge.penalty * 100}%`, total: String(after(3, edge)), submitted_at: edge.at });
    });
    expect(row('notime')).toMatchObject({ points: '3', late_penalty: '0%', total: '3', submitted_at: '' });
    expect(summary).toMatchObject({ late: 5, withoutSubmissionTime: 1 });
    // Each student's Result and report carry it too.
    expect(readFileSync(path.join(out, 'students/s8/report.md'), 'utf8')).toContain('the most this assignment deducts');
  }, 120_000);

  it('a roster with a submission time that is not one is refused before grading', () => {
    const dir = tempDir({ 'roster.csv': 'student,submitted_at\nada,2026-12-11 10:00\n' });
    expect(() => submissionsFromRoster(path.join(dir, 'roster.csv'))).toThrow(BatchError);
    expect(() => submissionsFromRoster(path.join(dir, 'roster.csv'))).toThrow(/row 2: submitted_at "2026-12-11 10:00" is not a date and time with a time zone/);
  });
});
