import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { assignmentSchema, type LatePolicy } from '../src/assignment/define.ts';
import { PROJECT_ROOT } from '../src/assignment/load.ts';
import { studentFromMetadata } from '../src/gradescope/bundle.ts';
import { toGradescope } from '../src/report/gradescope.ts';
import { applyLatePolicy, daysLateText, latePenalty, lateSentence, percent, timestampProblem } from '../src/result/late.ts';
import { type Result, resultSchema } from '../src/result/schema.ts';
import { after, EDGES, POLICY as policy } from './late-edges.ts';

// The late policy's rule (result/late.ts) and what Gradescope gets; late-grading.test.ts
// applies it end to end (a grading, its reports, a batch's gradebook).
describe('submission times', () => {
  it('are ISO 8601 with a time zone; anything else is refused with the reason', () => {
    for (const ok of ['2026-12-11T23:59:00-05:00', '2026-12-12T04:59Z', '2018-07-01T14:22:32.365935-07:00', '2026-12-12T04:59:00.5+05:30']) expect(timestampProblem(ok), ok).toBeUndefined();
    expect(timestampProblem('2026-12-11T23:59:00')).toMatch(/not a date and time with a time zone/);
    expect(timestampProblem('yesterday')).toMatch(/not a date and time with a time zone/);
    // Date.parse would read these as 2 March and as the next day.
    expect(timestampProblem('2026-02-30T10:00:00Z')).toMatch(/not a valid date and time/);
    expect(timestampProblem('2026-12-11T24:00:00Z')).toMatch(/not a valid date and time/);
  });

  it('a late policy is checked when the assignment loads', () => {
    const spec = { id: 'a', title: 'A', module: 'a.ts', problems: [{ export: 'f', title: 'F', points: 1, reference: () => 0, output: { safeParse: () => 0 }, cases: [{ name: 'c', args: () => [] }], check: () => 0 }] };
    const issues = (late: unknown) => assignmentSchema.safeParse({ ...spec, late }).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues(policy)).toBeUndefined();
    expect(issues({ ...policy, due: '2026-12-10 23:59' })).toEqual(['late.due: "2026-12-10 23:59" is not a date and time with a time zone, such as 2026-12-11T23:59:00-05:00 or 2026-12-12T04:59:00Z']);
    expect(issues({ ...policy, penaltyPerDay: 10 })).toEqual(['late.penaltyPerDay: expected a share between 0 and 1 (0.1 is 10 %)']);
    expect(issues({ ...policy, graceMinutes: -5 })).toEqual(['late.graceMinutes: expected minutes ≥ 0']);
    // A misspelt field would silently be no grace at all.
    expect(issues({ ...policy, grace: 60 })?.[0]).toMatch(/^late: Unrecognized key: "grace"/);
  });
});

describe('the late policy', () => {
  it('on time, in grace, late by started days, and capped', () => {
    for (const edge of EDGES) expect(latePenalty(policy, edge.at), edge.name).toEqual({ daysLate: edge.daysLate, penalty: edge.penalty });
    // Without grace the first minute after the due time is a day late.
    const strict: LatePolicy = { due: policy.due, penaltyPerDay: 0.25, maxPenalty: 1 };
    expect(latePenalty(strict, '2026-12-11T00:00:00-05:00')).toEqual({ daysLate: 1, penalty: 0.25 });
    expect(latePenalty(strict, '2026-12-20T00:00:00-05:00')).toEqual({ daysLate: 10, penalty: 1 });
  });

  const base = { score: 3, maxScore: 3 } as Result;
  it('a Result keeps the points for the work and gets the score after the penalty', () => {
    expect(applyLatePolicy(base, policy, undefined)).toBe(base);
    expect(applyLatePolicy(base, undefined, EDGES[4].at)).toEqual({ ...base, submittedAt: EDGES[4].at });
    const late = applyLatePolicy({ ...base, score: 2.5 }, policy, EDGES[6].at);
    expect(late).toMatchObject({ score: 2, submittedAt: EDGES[6].at, late: { due: policy.due, graceMinutes: 60, daysLate: 2, penalty: 0.2, scoreBefore: 2.5 } });
    expect(() => applyLatePolicy(base, policy, 'tomorrow')).toThrow(/not a date and time/);
  });

  it('days and shares read plainly', () => {
    expect([0, 1, 3].map(daysLateText)).toEqual(['on time', '1 day late', '3 days late']);
    expect([0, 0.1, 0.3, 1 / 3].map(percent)).toEqual(['0 %', '10 %', '30 %', '33.33 %']);
  });

  it('reports say it in one plain sentence', () => {
    const say = (at: string) => lateSentence(applyLatePolicy(base, policy, at));
    expect(say(EDGES[2].at)).toBe("Submitted 2026-12-11T00:30:00-05:00, on time for the due date 2026-12-10T23:59:00-05:00 (with 60 minutes' grace): no late penalty.");
    expect(say(EDGES[6].at)).toBe(
      "Submitted 2026-12-11T23:59:01-05:00, 2 days late for the due date 2026-12-10T23:59:00-05:00 (with 60 minutes' grace): a late penalty of 20 % (10 % per started day) takes 3/3 to 2.4/3.",
    );
    expect(say(EDGES[8].at)).toContain('a late penalty of 30 % (10 % per started day, the most this assignment deducts) takes 3/3 to 2.1/3.');
    expect(lateSentence(applyLatePolicy(base, undefined, EDGES[0].at))).toBe('Submitted 2026-12-09T08:00:00-05:00; this assignment has no late policy.');
    expect(lateSentence(base)).toBeUndefined();
  });
});

describe('Gradescope', () => {
  /** A Result with full marks on two problems (1 + 2 points), as grading gives before any policy. */
  const ON_TIME: Result = resultSchema.parse({
    schemaVersion: 1,
    tool: { name: 'mlgrade', version: 'test' },
    assignment: { id: 'diag', title: 'Diagnoses' },
    student: 'ada',
    seed: '0',
    backend: 'none',
    score: 3,
    maxScore: 3,
    warnings: [],
    problems: [
      { name: 'f', title: 'F', score: 1, maxScore: 1, status: 'pass', cases: [{ name: 'a', visibility: 'visible', status: 'pass', score: 1, maxScore: 1, message: 'correct', durationMs: 1 }] },
      { name: 'g', title: 'G', score: 2, maxScore: 2, status: 'pass', cases: [{ name: 'b', visibility: 'hidden', status: 'pass', score: 2, maxScore: 2, message: 'correct', durationMs: 1 }] },
    ],
    executionTimeMs: 2,
  });

  it('Gradescope gets the score after the penalty at every edge, in a results.json that follows its schema', () => {
    const validate = new Ajv2020({ allErrors: true }).compile(JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'grader/test/fixtures/gradescope-results.schema.json'), 'utf8')) as object);
    for (const edge of EDGES) {
      const results = toGradescope(applyLatePolicy(ON_TIME, policy, edge.at));
      expect(validate(results), JSON.stringify(validate.errors)).toBe(true);
      // The tests keep the points for the work; Gradescope takes the top-level score when one is given.
      expect(results.tests.reduce((s, t) => s + t.score, 0)).toBe(3);
      expect(results.score, edge.name).toBe(after(3, edge));
      expect(results.output.split('\n')[1]).toMatch(edge.daysLate === 0 ? /on time for the due date/ : new RegExp(`${edge.daysLate} days? late`));
    }
  });

  it("Gradescope's created_at is the submission time; a malformed one is refused", () => {
    expect(studentFromMetadata(JSON.stringify({ created_at: EDGES[8].at, users: [{ email: 'a@x' }] })).submittedAt).toBe(EDGES[8].at);
    expect(() => studentFromMetadata(JSON.stringify({ created_at: 'soon', users: [{ email: 'a@x' }] }))).toThrow(/created_at: "soon" is not a date and time/);
  });
});
