import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { loadAssignment } from '../src/assignment/load.ts';
import { variantFor } from '../src/cases/variant.ts';
import { gradeSubmission } from '../src/run/grade.ts';
import { affectedProblems, checkAssignment, type CheckOptions, runSelfCheck, summaryMarkdown } from '../src/selftest/check.ts';
import { type Implementation, referenceImplementation, replayChecks, replayMemory } from '../src/selftest/replay.ts';
import { checkTolerances } from '../src/selftest/tolerance.ts';
import { hasNumbers, moveBy, nudgeAnswer, scrambleAnswer, signOf } from '../src/selftest/perturb.ts';
import { TOOL_VERSION } from '../src/run/version.ts';
import { PROJECT_ROOT, tempDir } from './helpers.ts';

// The real gradeSubmission, recorded: which problems `mlgrade check` grades a mistake on.
vi.mock('../src/run/grade.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../src/run/grade.ts')>();
  return { ...actual, gradeSubmission: vi.fn(actual.gradeSubmission) };
});

const src = (file: string) => JSON.stringify(path.join(PROJECT_ROOT, 'grader/src', file));

/** A one-problem assignment whose mistakes are caught, missed, harmless or undeclared. */
function tinyProject(): string {
  const mistake = (id: string, hint: string, matches: string) => `{ id: '${id}', hint: '${hint}', matches: ${matches} }`;
  return tempDir({
    'assignments/tiny/assignment.ts': `
      import { defineAssignment, problem } from ${src('assignment/define.ts')};
      import { allClose } from ${src('checks/allclose.ts')};
      import { sameAs } from ${src('checks/mistakes.ts')};
      import { finiteNumber } from ${src('checks/values.ts')};
      import * as reference from '../../solutions/tiny/main.ts';
      import * as addsOne from './mistakes/adds-one.ts';
      export default defineAssignment({
        id: 'tiny', title: 'Tiny', module: 'main.ts',
        problems: [problem({
          export: 'double', title: 'Double', points: 2, reference: reference.double, output: finiteNumber,
          cases: [{ name: 'one', args: (rng) => [rng.uniform(1, 2)] }, { name: 'two', visibility: 'hidden', args: (rng) => [rng.uniform(1, 2)] }],
          // An invariant rather than agreement with the reference, so a wrong reference is caught.
          check: ({ args, output }) => allClose(output, 2 * args[0]),
          mistakes: [
            ${mistake('adds-one', 'You added one.', 'sameAs(addsOne.double)')},
            ${mistake('triples', 'Never shown.', '() => false')},
            ${mistake('harmless', 'Not a mistake at all.', '() => true')},
          ],
        })],
      });
    `,
    'assignments/tiny/handout.md.hbs': '# {{{title}}}\n',
    'solutions/tiny/main.ts': 'export function double(x: number): number { return 2 * x; }\n',
    'starter/tiny/main.ts': "export function double(x: number): number { throw new Error('not implemented: double'); }\n",
    'assignments/tiny/mistakes/adds-one.ts': 'export function double(x: number): number { return x + 1; }\n',
    'assignments/tiny/mistakes/triples.ts': 'export function double(x: number): number { return 3 * x; }\n',
    'assignments/tiny/mistakes/harmless.ts': 'export function double(x: number): number { return x + x; }\n',
    'assignments/tiny/mistakes/stray.ts': 'export function double(x: number): number { return 0 * x; }\n',
  });
}

/** What runSelfCheck prints for these assignments, and whether it passed. */
async function selfCheckTable(ids: string[], options: CheckOptions): Promise<{ ok: boolean; text: string }> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const ok = await runSelfCheck(ids, out, options);
  return { ok, text };
}

describe('mlgrade check', () => {
  it('passes what holds and fails what does not, saying why', async () => {
    const assignment = await loadAssignment('tiny', tinyProject());
    const rows = await checkAssignment(assignment);
    const byCheck = Object.fromEntries(rows.map((r) => [r.check, r]));
    expect(byCheck['reference scores full marks for 2 students']).toMatchObject({ ok: true, detail: '2/2 each' });
    expect(byCheck['reference keeps full marks for 48 more students, replayed']).toMatchObject({ ok: true, detail: 'selfcheck-3 to selfcheck-50' });
    const more = await checkAssignment(assignment, undefined, { students: 12, problems: ['double'] });
    expect(more.find((r) => r.check.startsWith('reference scores full marks'))).toMatchObject({ check: 'reference scores full marks for 2 students', ok: true });
    expect(more.find((r) => r.check.includes('replayed'))).toMatchObject({ check: 'reference keeps full marks for 10 more students, replayed', ok: true, detail: 'selfcheck-3 to selfcheck-12' });
    expect(byCheck['grading twice gives identical Results'].ok).toBe(true);
    expect(byCheck['starter scores 0 and grading completes']).toMatchObject({ ok: true, detail: '0/2' });
    expect(byCheck['mistake files match the declared mistakes']).toMatchObject({ ok: false, detail: 'files not declared in assignment.ts: stray' });
    expect(byCheck['every problem has at least one declared mistake'].ok).toBe(true);
    expect(byCheck['mistake adds-one is caught']).toMatchObject({ ok: true, detail: 'double 0/2, hint shown' });
    expect(byCheck['mistake triples is caught']).toMatchObject({ ok: false, detail: 'double 0/2, hint NOT shown on any visible case' });
    expect(byCheck['mistake harmless is caught']).toMatchObject({ ok: false, detail: 'double 2/2, hint NOT shown on any visible case' });
  });

  it('fails a handout that names a variant parameter the assignment does not make, and passes it otherwise', async () => {
    const root = tinyProject();
    const { writeFileSync } = await import('node:fs');
    const handoutRow = async () => (await checkAssignment(await loadAssignment('tiny', root), undefined, { problems: ['double'] })).find((r) => r.check === 'the handout renders for each student')!;
    expect(await handoutRow()).toMatchObject({ ok: true, detail: '2 students (no variant parameters)' });
    writeFileSync(path.join(root, 'assignments/tiny/handout.md.hbs'), 'Your k is {{variant.k}}.\n');
    expect(await handoutRow()).toMatchObject({
      ok: false,
      detail: 'assignments/tiny/handout.md.hbs: names variant parameter "k", which the assignment\'s variant generator does not make (it has none)',
    });
  });

  it('fails an assignment whose reference loses points', async () => {
    const root = tinyProject();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(root, 'solutions/tiny/main.ts'), 'export function double(x: number): number { return x > 1.5 ? 2 * x : x; }\n');
    const assignment = await loadAssignment('tiny', root);
    const rows = await checkAssignment(assignment);
    const referenceRow = rows.find((r) => r.check.startsWith('reference scores full marks'))!;
    expect(referenceRow.ok).toBe(false);
    expect(referenceRow.detail).toMatch(/selfcheck-\d+: [01]\/2 \(double \/ (one|two): /);
  });
});

/** Checks that accept everything, compare a computed number exactly, or compare an exact answer exactly. */
function looseProject(): string {
  return tempDir({
    'assignments/loose/assignment.ts': `
      import { defineAssignment, problem } from ${src('assignment/define.ts')};
      import { allOf, pass, fail } from ${src('checks/verdict.ts')};
      import { allClose } from ${src('checks/allclose.ts')};
      import { finiteNumber, vector } from ${src('checks/values.ts')};
      import * as reference from '../../solutions/loose/main.ts';
      const cases = [{ name: 'a', args: (rng) => [rng.uniform(1, 2)] }, { name: 'b', visibility: 'hidden' as const, args: (rng) => [rng.uniform(1, 2)] }];
      const pairs = [{ name: 'p', args: (rng) => [rng.uniform(1, 2)] }];
      export default defineAssignment({
        id: 'loose', title: 'Loose', module: 'main.ts',
        problems: [
          problem({ export: 'anything', title: 'Accepts anything', points: 1, reference: reference.anything, output: finiteNumber, cases, check: () => pass() }),
          problem({ export: 'third', title: 'Exactly a third', points: 1, reference: reference.third, output: finiteNumber, cases,
            check: ({ args, output }) => (output === args[0] / 3 ? pass() : fail('not a third')) }),
          problem({ export: 'copy', title: 'A copy', points: 1, reference: reference.copy, output: vector,
            cases: [{ name: 'c', exact: true, args: (rng) => [[rng.uniform(1, 2), 0.5]] }],
            check: ({ args, output }) => (output.every((v, i) => v === args[0][i]) ? pass() : fail('not a copy')) }),
          problem({ export: 'floor', title: 'Floor', points: 1, reference: reference.floor, output: finiteNumber, cases,
            check: ({ args, output }) => (output === Math.floor(10 * args[0]) ? pass() : fail('not the floor')) }),
          // States rtol 1e-3, but holds the answer only to 50 %.
          problem({ export: 'lax', title: 'Lax', points: 1, reference: reference.lax, output: vector, cases: pairs,
            check: ({ output, expected }) => {
              allClose(output, expected, { rtol: 1e-3, atol: 0 });
              return output.every((v, i) => Math.abs(v - expected[i]) <= 0.5 * Math.abs(expected[i])) ? pass() : fail('far off');
            } }),
          // States rtol 1e-3, but also wants the sum to 1e-9.
          problem({ export: 'strict', title: 'Strict', points: 1, reference: reference.strict, output: vector, cases: pairs,
            check: ({ output, expected }) => allOf([
              allClose(output, expected, { rtol: 1e-3, atol: 0 }),
              Math.abs(output[0] + output[1] - expected[0] - expected[1]) <= 1e-9 ? pass() : fail('the sum is off'),
            ]) }),
        ],
      });
    `,
    'assignments/loose/handout.md.hbs': '# {{{title}}}\n',
    'solutions/loose/main.ts': [
      'export function anything(x: number): number { return x; }',
      'export function third(x: number): number { return x / 3; }',
      'export function copy(x: number[]): number[] { return [...x]; }',
      'export function floor(x: number): number { return Math.floor(10 * x); }',
      'export function lax(x: number): number[] { return [x / 3, x / 7]; }',
      'export function strict(x: number): number[] { return [x / 3, x / 7]; }',
    ].join('\n'),
  });
}

/** Visible inputs the same for every student, no hidden case, and a timeout with little room. */
function thinProject(): string {
  return tempDir({
    'assignments/thin/assignment.ts': `
      import { defineAssignment, problem } from ${src('assignment/define.ts')};
      import { allClose } from ${src('checks/allclose.ts')};
      import { finiteNumber } from ${src('checks/values.ts')};
      import * as reference from '../../solutions/thin/main.ts';
      export default defineAssignment({
        id: 'thin', title: 'Thin', module: 'main.ts',
        problems: [
          problem({ export: 'same', title: 'Same for all', points: 1, reference: reference.same, output: finiteNumber,
            cases: [{ name: 'fixed', args: () => [1.5] }], check: ({ args, output }) => allClose(output, 2 * args[0]) }),
          problem({ export: 'slow', title: 'Slow', points: 1, reference: reference.slow, output: finiteNumber, timeoutMs: 400,
            cases: [{ name: 'fixed', args: () => [2] }, { name: 'hidden', visibility: 'hidden', args: () => [3] }], check: ({ args, output }) => allClose(output, args[0]) }),
        ],
      });
    `,
    'assignments/thin/handout.md.hbs': '# {{{title}}}\n',
    'solutions/thin/main.ts': [
      'export function same(x: number): number { return 2 * x; }',
      // Busy for 150 ms of CPU: inside its 400 ms timeout, but with less than 5× room.
      'export function slow(x: number): number { const end = performance.now() + 150; while (performance.now() < end) { /* busy */ } return x; }',
    ].join('\n'),
    'starter/thin/main.ts': "export function same(x: number): number { throw new Error('no'); }\nexport function slow(x: number): number { throw new Error('no'); }\n",
  });
}

/** One problem whose check fails for one value of the student's variant, named by FRAGILE_X. */
function fragileProject(): string {
  return tempDir({
    'assignments/fragile/assignment.ts': `
      import { defineAssignment, problem } from ${src('assignment/define.ts')};
      import { fail, pass } from ${src('checks/verdict.ts')};
      import { finiteNumber } from ${src('checks/values.ts')};
      import * as reference from '../../solutions/fragile/main.ts';
      export default defineAssignment({
        id: 'fragile', title: 'Fragile', module: 'main.ts',
        variant: (rng) => ({ x: rng.int(0, 999) }),
        problems: [problem({
          export: 'same', title: 'Same', points: 1, reference: reference.same, output: finiteNumber,
          cases: [
            { name: 'mine', args: (rng, variant) => [variant.x as number] },
            { name: 'costly', checkStudents: 7, args: (rng, variant) => [1000 + (variant.x as number)] },
            { name: 'hidden', visibility: 'hidden', args: (rng) => [rng.uniform(1, 2)] },
          ],
          check: ({ args, output }) => (String(args[0] % 1000) === process.env.FRAGILE_X ? fail('unlucky') : output === args[0] ? pass() : fail('not the same')),
          mistakes: [{ id: 'zero', hint: 'Not zero.', matches: ({ output }) => output === 0 }],
        })],
      });
    `,
    'assignments/fragile/handout.md.hbs': '# {{{title}}}\n',
    'assignments/fragile/mistakes/zero.ts': 'export function same(x: number): number { return 0 * x; }\n',
    'solutions/fragile/main.ts': 'export function same(x: number): number { return x; }\n',
    'starter/fragile/main.ts': "export function same(x: number): number { throw new Error('no'); }\n",
  });
}

describe('mlgrade check: the reference for many students', () => {
  it('fails when a replayed student\'s variant makes the reference lose points, naming the student and the case; a case that declares checkStudents is replayed for that many in all', async () => {
    const assignment = await loadAssignment('fragile', fragileProject());
    const x = (student: string) => String(variantFor(assignment.spec, student, '0').x);
    const firstSeven = new Set(Array.from({ length: 7 }, (_, i) => x(`selfcheck-${i + 1}`)));
    // A student past the costly case's seven (two sandboxed, five replayed), whose x no other of the first 47 shares.
    const unlucky = Array.from({ length: 40 }, (_, i) => `selfcheck-${i + 8}`).find((s, _, all) => !firstSeven.has(x(s)) && all.filter((t) => x(t) === x(s)).length === 1)!;
    const row = async (students: number, full?: boolean) => (await checkAssignment(assignment, undefined, { students, full })).find((r) => r.check.includes('replayed'))!;
    vi.stubEnv('FRAGILE_X', x(unlucky));
    try {
      expect(await row(50)).toMatchObject({ ok: false, detail: `${unlucky}: same / mine: unlucky` });
      vi.stubEnv('FRAGILE_X', x('selfcheck-7'));
      // selfcheck-7 meets it in both cases: in "costly" too, as the seventh student.
      expect((await row(7)).detail).toBe('selfcheck-7: same / mine: unlucky; selfcheck-7: same / costly: unlucky');
      vi.stubEnv('FRAGILE_X', '');
      expect(await row(50)).toMatchObject({ ok: true, detail: 'selfcheck-3 to selfcheck-50; 1 case declares fewer students in all (checkStudents; --full checks every one): same / costly (7)' });
      expect((await row(50, true)).detail).toBe('selfcheck-3 to selfcheck-50');
    } finally {
      vi.unstubAllEnvs();
    }
  }, 120_000);
});

describe('mlgrade check: variants, cases and timeouts', () => {
  it('fails visible inputs every student shares and a problem without hidden cases; warns of a timeout with little room', async () => {
    const rows = await checkAssignment(await loadAssignment('thin', thinProject()));
    const byCheck = Object.fromEntries(rows.map((r) => [r.check, r]));
    expect(byCheck['reference scores full marks for 2 students'].ok).toBe(true);
    expect(byCheck['two students get different visible inputs']).toMatchObject({ ok: false, detail: '0 of 2 visible cases differ between selfcheck-1 and selfcheck-2; the same for both: same / fixed, slow / fixed' });
    expect(byCheck['every problem has visible and hidden cases']).toMatchObject({ ok: false, detail: 'same has no hidden case' });
    const timeouts = byCheck["timeouts are at least 5× the reference's time"];
    expect(timeouts).toMatchObject({ ok: true, warning: true });
    const [, slowest] = /^WARNING: slow: timeout 400 ms, the reference's slowest call (\d+) ms$/.exec(timeouts.detail) ?? [];
    expect(Number(slowest)).toBeGreaterThanOrEqual(150);
  }, 120_000);
});

describe('mlgrade check: tolerance sanity', () => {
  it('fails a check that accepts everything, one that loses points to rounding, one that does not hold answers to its stated tolerance and one stricter than it, naming each; exact answers are kept', async () => {
    const rows: Array<{ check: string; ok: boolean; detail: string }> = [];
    await checkTolerances(await loadAssignment('loose', looseProject()), (check, ok, detail) => rows.push({ check, ok, detail }), { student: 'selfcheck-1', secret: 'mlgrade-self-check' });
    expect(rows).toEqual([
      { check: 'answers nudged at rounding level keep full marks', ok: false, detail: 'third / a: not a third; third / b: not a third (moved by 1e-13)' },
      {
        check: 'every check rejects scrambled answers',
        ok: false,
        detail: "anything gave full marks on every case to the reference's answers with their numbers scrambled: its check accepts everything",
      },
      {
        check: 'answers moved 1.5× their stated tolerance lose points',
        ok: false,
        detail: 'lax / p kept full marks with result (rtol 0.001, atol 0.00) moved 1.5× the tolerance its check states: the check does not hold the answer to it',
      },
      {
        check: 'answers moved 0.1× their stated tolerance keep full marks',
        ok: false,
        detail: 'strict / p lost points with result (rtol 0.001, atol 0.00) moved 0.1× the stated tolerance: the sum is off',
      },
    ]);
  });

  it('moveBy: 1.5× a tolerance is beyond it, even where the tolerance is 0 or below a float32\'s resolution; 0.1× is within', () => {
    for (const [e, t, float32] of [[0.3, 1e-6, false], [-2, 0, false], [0, 0, false], [Math.fround(0.7), 1e-12, true], [Math.fround(1e-30), 1e-40, true]] as const) {
      const beyond = moveBy(e, t, 1.5, float32);
      expect(Math.abs(beyond - e)).toBeGreaterThan(t);
      if (float32) expect(Math.fround(beyond)).toBe(beyond);
      expect(Math.abs(moveBy(e, t, 0.1, float32) - e)).toBeLessThanOrEqual(t);
    }
    expect(moveBy(0.3, 1e-6, 1.5, false)).toBeCloseTo(0.3 + signOf(0.3) * 1.5e-6, 15);
  });

  it('the nudge keeps signs, zeros and integers and moves by at most its size; the scramble moves every number far', () => {
    const answer = { values: [0.3, -2.5, 0, 7], nested: [[1e-300, -0.1]], typed: new Float64Array([0.25, -4.5]), label: 'x' };
    const nudged = nudgeAnswer(answer, 1e-3) as typeof answer;
    expect(nudged.label).toBe('x');
    expect(nudged.values[2]).toBe(0);
    expect(nudged.values[3]).toBe(7);
    const pairs: Array<[number, number]> = [[0.3, nudged.values[0]], [-2.5, nudged.values[1]], [1e-300, nudged.nested[0][0]], [-0.1, nudged.nested[0][1]], [0.25, nudged.typed[0]], [-4.5, nudged.typed[1]]];
    for (const [x, y] of pairs) {
      expect(Math.sign(y)).toBe(Math.sign(x));
      expect(Math.abs(x - y) / Math.abs(x)).toBeGreaterThanOrEqual(0.5e-3);
      expect(Math.abs(x - y) / Math.abs(x)).toBeLessThanOrEqual(1e-3);
    }
    // Equal numbers move alike, so equal answers stay equal.
    expect(nudgeAnswer([0.3, 0.3], 1e-3)).toEqual([nudged.values[0], nudged.values[0]]);
    const scrambled = scrambleAnswer(answer) as typeof answer;
    for (const [x, y] of [[0.3, scrambled.values[0]], [-2.5, scrambled.values[1]], [7, scrambled.values[3]], [0.25, scrambled.typed[0]]]) {
      expect(Math.abs(y - x)).toBeGreaterThanOrEqual(0.6 * Math.abs(x));
    }
    expect(hasNumbers({ a: [0, 0], b: 'text' })).toBe(false);
    expect(hasNumbers({ a: [0, 2] })).toBe(true);
  });
});

/** Three problems: quadruple depends on double, negate on nothing; one mistake in double. */
function chainProject(): string {
  return tempDir({
    // As in a course's repository: ES modules (a check process loads the assignment with tsx,
    // which would otherwise load it as CommonJS, with engine modules of its own).
    'package.json': '{ "type": "module" }\n',
    'assignments/chain/assignment.ts': `
      import { defineAssignment, problem } from ${src('assignment/define.ts')};
      import { allClose } from ${src('checks/allclose.ts')};
      import { sameAs } from ${src('checks/mistakes.ts')};
      import { finiteNumber } from ${src('checks/values.ts')};
      import * as reference from '../../solutions/chain/main.ts';
      import * as addsOne from './mistakes/adds-one.ts';
      const one = (name: string, factor: number) => problem({
        export: name, title: name, points: 1, reference: (reference as Record<string, (x: number) => number>)[name], output: finiteNumber,
        cases: [{ name: 'a', args: (rng) => [rng.uniform(1, 2)] }, { name: 'b', visibility: 'hidden', args: (rng) => [rng.uniform(1, 2)] }],
        check: ({ args, output }) => allClose(output, factor * args[0]),
      });
      export default defineAssignment({
        id: 'chain', title: 'Chain', module: 'main.ts',
        problems: [
          { ...one('double', 2), mistakes: [{ id: 'adds-one', hint: 'You added one.', matches: sameAs(addsOne.double) }] },
          { ...one('quadruple', 4), dependsOn: ['double'], mistakes: [{ id: 'quadruple-adds-one', hint: 'Four plus.', matches: () => true }] },
          { ...one('octuple', 8), dependsOn: ['quadruple'] },
          one('negate', -1),
        ],
      });
    `,
    'assignments/chain/handout.md.hbs': '# {{{title}}}\n',
    'solutions/chain/main.ts': [2, 4, 8, -1].map((f, i) => `export function ${['double', 'quadruple', 'octuple', 'negate'][i]}(x: number): number { return ${f} * x; }`).join('\n'),
    'starter/chain/main.ts': ['double', 'quadruple', 'octuple', 'negate'].map((n) => `export function ${n}(x: number): number { throw new Error('not implemented: ${n}'); }`).join('\n'),
    'assignments/chain/mistakes/adds-one.ts': 'export function double(x: number): number { return x + 1; }\n',
    'assignments/chain/mistakes/quadruple-adds-one.ts': 'export function quadruple(x: number): number { return 4 + x; }\n',
  });
}

describe('mlgrade check: what a mistake is graded on', () => {
  it('affectedProblems: the replaced functions\' problems and, transitively, their dependants, in the assignment\'s order', async () => {
    const { spec } = await loadAssignment('chain', chainProject());
    expect(affectedProblems(spec, ['double'])).toEqual(['double', 'quadruple', 'octuple']);
    expect(affectedProblems(spec, ['quadruple'])).toEqual(['quadruple', 'octuple']);
    expect(affectedProblems(spec, ['negate', 'double'])).toEqual(['double', 'quadruple', 'octuple', 'negate']);
    expect(affectedProblems(spec, ['octuple'])).toEqual(['octuple']);
  });

  it('grades a mistake only on the problems it can affect, and on every problem with --full', async () => {
    const assignment = await loadAssignment('chain', chainProject());
    vi.mocked(gradeSubmission).mockClear();
    const rows = await checkAssignment(assignment);
    expect(rows.find((r) => r.check === 'mistake adds-one is caught')).toMatchObject({ ok: true, detail: 'double 0/1, hint shown' });
    expect(rows.find((r) => r.check === 'mistake quadruple-adds-one is caught')).toMatchObject({ ok: true, detail: 'quadruple 0/1, hint shown' });
    await checkAssignment(assignment, undefined, { full: true });
    const graded = vi.mocked(gradeSubmission).mock.calls.map(([options]) => options).filter((o) => o.submissionDir.includes('mlgrade-mistake-adds-one-')).map((o) => o.problems ?? ['every problem']);
    expect(graded).toEqual([['double', 'quadruple', 'octuple'], ['every problem']]);
  });

  it('gradeSubmission with problems lists only those, and names a problem that does not exist', async () => {
    const assignment = await loadAssignment('chain', chainProject());
    const result = await gradeSubmission({ assignment, submissionDir: assignment.solutionDir, problems: ['negate', 'double'] });
    expect(result.problems.map((p) => [p.name, p.score])).toEqual([['double', 1], ['negate', 1]]);
    expect(result).toMatchObject({ score: 2, maxScore: 2 });
    await expect(gradeSubmission({ assignment, submissionDir: assignment.solutionDir, problems: ['triple'] })).rejects.toThrow('chain has no problem triple; its problems are double, quadruple, octuple, negate');
  });

  it('runSelfCheck prints one row per check, the time the assignment took and how mistakes were graded, then the totals', async () => {
    // octuple and negate have no declared mistake: one row fails, and so does the check.
    const { ok, text } = await selfCheckTable(['chain'], { root: chainProject() });
    expect(ok).toBe(false);
    const lines = text.trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('ok  '))).toHaveLength(17);
    expect(lines.filter((l) => l.startsWith('FAIL'))).toEqual([expect.stringMatching(/^FAIL {2}chain {10}every problem has at least one declared mistake +no mistake targets: octuple, negate$/)]);
    expect(lines.at(-3)).toMatch(/^time {2}chain {10}\d+\.\d s {2,}mistakes graded only on the problems they can affect \(--full: all\)$/);
    expect(lines.slice(-2)).toEqual(['mlgrade check: some checks FAILED', 'check: 17 passed, 1 failed']);
  });

  it('writes a Markdown summary for a course log: a row per assignment, then every failure', async () => {
    const file = path.join(tempDir({}), 'check.md');
    const { text } = await selfCheckTable(['chain', 'missing'], { root: chainProject(), summary: file });
    expect(text).toContain(`summary (Markdown): ${file}\n`);
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines[0]).toMatch(/^## mlgrade check, \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    expect(lines.slice(4, 8)).toEqual([
      '| assignment | checks | passed | failed | warnings | time |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      expect.stringMatching(/^\| `chain` \| 18 \| 17 \| 1 \| 0 \| \d+\.\d s \|$/),
      expect.stringMatching(/^\| `missing` \| 1 \| 0 \| 1 \| 0 \| \d+\.\d s \|$/),
    ]);
    expect(lines.slice(9)).toEqual([
      '2 checks failed:',
      '',
      '- `chain`, every problem has at least one declared mistake: no mistake targets: octuple, negate',
      expect.stringMatching(/^- `missing`, assignment loads: no assignment "missing"/),
      '',
    ]);
  });

  it('with --jobs 2, checks assignments side by side in processes of their own and prints the same table, each assignment whole and in order', async () => {
    const root = chainProject();
    const table = async (jobs: number): Promise<string> => {
      const { ok, text } = await selfCheckTable(['chain', 'missing', 'chain'], { root, jobs });
      expect(ok).toBe(false);
      return text.replace(/\d+\.\d s/g, 'N s');
    };
    const [alone, side] = [await table(1), await table(2)];
    expect(side).toBe(alone);
    const assignments = side.split('\n').filter(Boolean).map((l) => l.slice(6, 20).trim());
    expect(assignments.slice(0, 19).every((a) => a === 'chain')).toBe(true);
    expect(assignments.slice(19, 21)).toEqual(['missing', 'missing']);
    expect(side).toContain('check: 34 passed, 3 failed');
  });

  it('with --jobs 2, an assignment whose check process dies fails with how it stopped; the others are still checked', async () => {
    const root = chainProject();
    // A check (trusted code: it runs in the check's own process) that ends its process.
    const file = path.join(root, 'assignments', 'chain', 'assignment.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace('check: ({ args, output }) => allClose(output, factor * args[0]),', 'check: () => process.exit(3),'));
    const { ok, text } = await selfCheckTable(['chain', 'missing'], { root, jobs: 2 });
    expect(ok).toBe(false);
    expect(text).toMatch(/^FAIL {2}chain {10}the check runs to its end +its process stopped \(exit code 3\) before the check finished$/m);
    expect(text).toMatch(/^FAIL {2}missing {8}assignment loads +no assignment "missing"/m);
  });

  it('summaryMarkdown escapes table cells and says when everything passed', () => {
    const rows = [{ assignment: 'a', check: 'x | y', ok: false, detail: 'line one\nline two' }, { assignment: 'a', check: 'timeouts', ok: true, detail: 'WARNING: f', warning: true }];
    const text = summaryMarkdown([{ id: 'a', rows, seconds: 1.25 }], { full: true, date: new Date('2026-11-30T10:05:07.123Z') });
    expect(text).toBe(
      [
        '## mlgrade check, 2026-11-30 10:05 UTC',
        '',
        `mlgrade ${TOOL_VERSION}; every problem graded for every mistake (--full).`,
        '',
        '| assignment | checks | passed | failed | warnings | time |',
        '| --- | ---: | ---: | ---: | ---: | ---: |',
        '| `a` | 2 | 1 | 1 | 1 | 1.3 s |',
        '',
        '1 check failed:',
        '',
        '- `a`, x \\| y: line one line two',
        '',
        '1 warning:',
        '',
        '- `a`, timeouts: WARNING: f',
        '',
      ].join('\n'),
    );
    expect(summaryMarkdown([{ id: 'a', rows: [{ ...rows[0], ok: true }], seconds: 2 }])).toContain('\nEvery check passed.\n');
  });
});

describe('replayChecks: what the reference computes', () => {
  it("answers each of the reference's own calls once, as its answer and as the expected one; another implementation's answers are its own", async () => {
    const root = tempDir({
      'package.json': '{ "type": "module" }\n',
      'assignments/counted/assignment.ts': `
        import { defineAssignment, problem } from ${src('assignment/define.ts')};
        import { allClose } from ${src('checks/allclose.ts')};
        import { finiteNumber } from ${src('checks/values.ts')};
        import * as reference from '../../solutions/counted/main.ts';
        export default defineAssignment({
          id: 'counted', title: 'Counted', module: 'main.ts',
          problems: [problem({
            export: 'double', title: 'Double', points: 1, reference: reference.double, output: finiteNumber,
            cases: [{ name: 'a', args: (rng) => [rng.uniform(1, 2)] }, { name: 'b', visibility: 'hidden', calls: (rng) => [[rng.uniform(1, 2)], [rng.uniform(3, 4)]] }],
            check: ({ calls }) => allClose(calls.map((c) => c.output), calls.map((c) => c.expected)),
          })],
        });
      `,
      'assignments/counted/handout.md.hbs': '# {{{title}}}\n',
      'solutions/counted/main.ts': 'export const counter = { calls: 0 };\nexport function double(x: number): number { counter.calls++; return 2 * x; }\n',
      'starter/counted/main.ts': "export function double(x: number): number { throw new Error('not implemented: double'); }\n",
    });
    const assignment = await loadAssignment('counted', root);
    const reference = await referenceImplementation(assignment);
    const counter = reference.counter as { calls: number };
    const replay = async (implementation: Implementation, student: string) => {
      counter.calls = 0;
      const cases = await replayChecks({ assignment, implementation, student, secret: 's', memory: replayMemory() });
      expect(cases.map((c) => c.score)).toEqual([1, 1]);
      return counter.calls;
    };
    // Three calls in two cases: the reference answers each once.
    expect(await replay(reference, 'one')).toBe(3);
    // A correct implementation that is not the reference: its three answers, and the reference's three.
    const double = reference.double as (x: number) => number;
    expect(await replay({ double: (x: number) => double(x) }, 'two')).toBe(6);
  });
});
