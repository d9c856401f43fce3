/**
 * The check code of assignments/cnn-layers/assignment.ts, called directly: every problem's
 * `check` and every mistake's `matches`, on contexts built like grading builds them
 * (caseContext). For each check: the reference's own answers get full marks on every case,
 * an answer that only this check rejects fails, messages name the right field, and the
 * tolerances (the gradient check's threshold, dropout's value tolerance and binomial bounds)
 * are pinned on both sides. For each detector: it fires on its mistake's output and stays
 * silent on the reference's and on other wrong answers.
 */
import { describe, expect, it } from 'vitest';
import assignment from '../../assignments/cnn-layers/assignment.ts';
import * as avgpoolKeepsPartialWindows from '../../assignments/cnn-layers/mistakes/avgpool-keeps-partial-windows.ts';
import * as bnBackwardDbetaWrongAxis from '../../assignments/cnn-layers/mistakes/bn-backward-dbeta-wrong-axis.ts';
import * as bnBackwardIgnoresStatistics from '../../assignments/cnn-layers/mistakes/bn-backward-ignores-statistics.ts';
import * as bnForgetsEps from '../../assignments/cnn-layers/mistakes/bn-forgets-eps.ts';
import * as bnInferenceUsesBatchStats from '../../assignments/cnn-layers/mistakes/bn-inference-uses-batch-stats.ts';
import * as bnUnbiasedVariance from '../../assignments/cnn-layers/mistakes/bn-unbiased-variance.ts';
import * as convFlipsKernel from '../../assignments/cnn-layers/mistakes/conv-flips-kernel.ts';
import * as dropoutKeepProbability from '../../assignments/cnn-layers/mistakes/dropout-keep-probability.ts';
import * as dropoutNoRescale from '../../assignments/cnn-layers/mistakes/dropout-no-rescale.ts';
import * as poolStrideOne from '../../assignments/cnn-layers/mistakes/pool-stride-one.ts';
import * as poolgradAllTies from '../../assignments/cnn-layers/mistakes/poolgrad-all-ties.ts';
import * as poolgradOverwrites from '../../assignments/cnn-layers/mistakes/poolgrad-overwrites.ts';
import * as residualNoFinalRelu from '../../assignments/cnn-layers/mistakes/residual-no-final-relu.ts';
import * as runningAverageSwapped from '../../assignments/cnn-layers/mistakes/running-average-swapped.ts';
import * as reference from '../../solutions/cnn-layers/layers.ts';
import type { AnyFunction, CheckContext, ProblemSpec } from '../src/assignment/define.ts';
import { caseContext, generateCalls } from '../src/cases/calls.ts';
import { normRelativeError, numericalGradient } from '../src/checks/gradient.ts';
import { createRng } from '../src/cases/rng.ts';
import { deepClose } from '../src/checks/mistakes.ts';
import type { Verdict } from '../src/checks/verdict.ts';

type Matrix = number[][];
type Nested = number | Nested[];
type Ctx = CheckContext<unknown[], unknown>;

const SEEDS = ['cnn-checks-1', 'cnn-checks-2'];

function problemOf(name: string): ProblemSpec {
  const found = assignment.problems.find((p) => p.export === name);
  if (!found) throw new Error(`no problem ${name}`);
  return found;
}

/** A context as grading builds it; `expected` is the reference's answer to each call. */
function contextOf(name: string, calls: Array<{ args: unknown[]; output: unknown }>): Ctx {
  const reference = problemOf(name).reference as AnyFunction;
  const records = calls.map(({ args, output }) => ({ args, output, expected: reference(...structuredClone(args)) }));
  return caseContext(records, 'a test case', true, 'cnn-checks');
}

async function check(name: string, calls: Array<{ args: unknown[]; output: unknown }>): Promise<Verdict> {
  return await problemOf(name).check(contextOf(name, calls));
}

function detector(name: string, id: string): (ctx: Ctx) => boolean {
  const mistake = problemOf(name).mistakes?.find((m) => m.id === id);
  if (!mistake) throw new Error(`no mistake ${id} in ${name}`);
  return mistake.matches;
}

/** Calls of every case of a problem, for every seed, with `implementation`'s outputs. */
/**
 * Each mistake's detector fires on every case of its own mistake's output and on no other
 * mistake's; none fires on the reference's output.
 */
function expectOwnHintsOnly(name: string, implementations: Record<string, AnyFunction>): void {
  const detectors = Object.keys(implementations).map((id) => [id, detector(name, id)] as const);
  for (const [own, implementation] of Object.entries(implementations)) {
    for (const c of caseCalls(name, implementation)) {
      for (const [id, matches] of detectors) expect(matches(contextOf(name, c.calls)), `${own} on ${id}: ${c.caseName}`).toBe(id === own);
    }
  }
  for (const c of caseCalls(name, problemOf(name).reference as AnyFunction)) {
    for (const [id, matches] of detectors) expect(matches(contextOf(name, c.calls)), `reference on ${id}: ${c.caseName}`).toBe(false);
  }
}

function caseCalls(name: string, implementation: AnyFunction): Array<{ caseName: string; calls: Array<{ args: unknown[]; output: unknown }> }> {
  const problem = problemOf(name);
  return SEEDS.flatMap((seed) =>
    problem.cases.map((c) => ({
      caseName: `${c.name} (${seed})`,
      calls: generateCalls(assignment.id, problem, c, seed).map((args) => ({ args, output: implementation(...structuredClone(args)) })),
    })),
  );
}

/** Applies `f` to every number of a nested array, with its running index. */
function mapNumbers(value: Nested, f: (x: number, index: number) => number, counter = { i: 0 }): Nested {
  return typeof value === 'number' ? f(value, counter.i++) : value.map((v) => mapNumbers(v, f, counter));
}

function flatten(value: Nested): number[] {
  return typeof value === 'number' ? [value] : value.flatMap(flatten);
}

const bits = (x: number): BigInt64Array => new BigInt64Array(new Float64Array([x]).buffer);
/** The next double above (for positive x). */
function nextUp(x: number): number {
  const b = bits(x);
  b[0] += 1n;
  return new Float64Array(b.buffer)[0];
}
/** The next double below (for positive x). */
function nextDown(x: number): number {
  const b = bits(x);
  b[0] -= 1n;
  return new Float64Array(b.buffer)[0];
}

// ---------------------------------------------------------------------------------------------
// Problems compared with allClose against the reference
// ---------------------------------------------------------------------------------------------

interface Compared {
  name: string;
  field: string;
  mistakes: Array<[id: string, implementation: AnyFunction]>;
}

const COMPARED: Compared[] = [
  { name: 'conv2d', field: 'out', mistakes: [['conv-flips-kernel', convFlipsKernel.conv2d]] },
  { name: 'maxPool2d', field: 'out', mistakes: [['pool-stride-one', poolStrideOne.maxPool2d]] },
  { name: 'avgPool2d', field: 'out', mistakes: [['avgpool-keeps-partial-windows', avgpoolKeepsPartialWindows.avgPool2d]] },
  {
    name: 'maxPool2dBackward',
    field: 'dx',
    mistakes: [
      ['poolgrad-overwrites', poolgradOverwrites.maxPool2dBackward],
      ['poolgrad-all-ties', poolgradAllTies.maxPool2dBackward],
    ],
  },
  { name: 'batchNormInference', field: 'out', mistakes: [['bn-inference-uses-batch-stats', bnInferenceUsesBatchStats.batchNormInference]] },
  { name: 'updateRunningAverage', field: 'running', mistakes: [['running-average-swapped', runningAverageSwapped.updateRunningAverage]] },
  { name: 'residualForward', field: 'out', mistakes: [['residual-no-final-relu', residualNoFinalRelu.residualForward]] },
];

for (const { name, field, mistakes } of COMPARED) {
  describe(`${name}: compared entry by entry with the reference, as \`${field}\``, () => {
    const implementation = problemOf(name).reference as AnyFunction;
    const firstCase = caseCalls(name, implementation)[0].calls[0];
    const expected = firstCase.output as Nested;
    const entries = flatten(expected);
    const last = entries.length - 1;
    const tolerance = 1e-9 + 1e-6 * Math.abs(entries[last]);

    it('the reference gets full marks on every case', async () => {
      for (const { calls } of caseCalls(name, implementation)) expect(await check(name, calls)).toMatchObject({ score: 1, message: 'correct' });
    });

    it('one entry just inside the default tolerance passes, one just outside fails with a message naming the entry', async () => {
      const inside = mapNumbers(expected, (x, i) => (i === last ? x + 0.9 * tolerance : x));
      expect((await check(name, [{ args: firstCase.args, output: inside }])).score).toBe(1);
      const outside = mapNumbers(expected, (x, i) => (i === last ? x + 1.5 * tolerance : x));
      const verdict = await check(name, [{ args: firstCase.args, output: outside }]);
      expect(verdict.score).toBe(0);
      const rows = expected as Nested[];
      const path = Array.isArray(rows[0]) ? `${field}[${rows.length - 1}][${rows[0].length - 1}]` : `${field}[${last}]`;
      expect(verdict.message).toMatch(new RegExp(`^${path.replace(/[[\]]/g, '\\$&')}: expected `));
      expect(verdict.message).toContain('1 of');
    });

    it('a missing row (or entry) is a wrong shape, named after the field', async () => {
      const verdict = await check(name, [{ args: firstCase.args, output: (expected as Nested[]).slice(1) }]);
      expect(verdict.score).toBe(0);
      expect(verdict.message).toMatch(new RegExp(`^wrong shape: ${field} has ${(expected as Nested[]).length - 1} (rows|entries), expected ${(expected as Nested[]).length}$`));
    });

    for (const [id, wrong] of mistakes) {
      it(`mistake ${id}: its hint fires on its own output wherever it differs, never on the reference's`, () => {
        const matches = detector(name, id);
        let distinguished = 0;
        for (const c of caseCalls(name, wrong)) {
          // A NaN or infinity never reaches a check: the output schema rejects it first.
          if (!c.calls.every(({ output }) => flatten(output as Nested).every(Number.isFinite))) continue;
          const ctx = contextOf(name, c.calls);
          const differs = ctx.calls.some((call) => !deepClose(call.output, call.expected));
          if (differs) distinguished++;
          expect(matches(ctx), c.caseName).toBe(differs);
        }
        expect(distinguished).toBeGreaterThan(0);
        for (const c of caseCalls(name, implementation)) expect(matches(contextOf(name, c.calls)), c.caseName).toBe(false);
      });

      it(`mistake ${id}: its hint stays silent on other wrong answers`, () => {
        const matches = detector(name, id);
        for (const c of caseCalls(name, implementation)) {
          const scaled = c.calls.map(({ args, output }) => ({ args, output: mapNumbers(output as Nested, (x) => 1.5 * x + 0.25) }));
          expect(matches(contextOf(name, scaled)), c.caseName).toBe(false);
        }
        for (const [otherId, other] of mistakes) {
          if (otherId === id) continue;
          for (const c of caseCalls(name, other)) {
            const ctx = contextOf(name, c.calls);
            // Only where the two mistakes give different answers can the hints be told apart.
            const same = ctx.calls.every((call) => deepClose(call.output, wrong(...structuredClone(call.args))));
            if (!same) expect(matches(ctx), c.caseName).toBe(false);
          }
        }
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// batchNormForward
// ---------------------------------------------------------------------------------------------

describe('batchNormForward: out, mean and variance compared field by field', () => {
  it('the reference gets full marks on every case', async () => {
    for (const { calls } of caseCalls('batchNormForward', reference.batchNormForward)) expect((await check('batchNormForward', calls)).score).toBe(1);
  });

  it('a wrong field fails with a message naming it, and only it', async () => {
    const [{ args, output }] = caseCalls('batchNormForward', reference.batchNormForward)[0].calls;
    const right = output as ReturnType<typeof reference.batchNormForward>;
    const verdict = await check('batchNormForward', [{ args, output: { ...right, variance: right.variance.map((v, i) => (i === 1 ? 2 * v : v)) } }]);
    expect(verdict.score).toBe(0);
    expect(verdict.message).toMatch(/^variance\[1\]: expected /);
    expect(verdict.message).not.toMatch(/(^|\n)(out|mean)\[/);
  });

  it('each mistake hint fires on its own output and on no other', () => {
    expectOwnHintsOnly('batchNormForward', { 'bn-unbiased-variance': bnUnbiasedVariance.batchNormForward, 'bn-forgets-eps': bnForgetsEps.batchNormForward });
  });
});

// ---------------------------------------------------------------------------------------------
// batchNormBackward: agreement with the reference and a numerical gradient check
// ---------------------------------------------------------------------------------------------

describe('batchNormBackward: the reference and a numerical gradient', () => {
  type Grads = ReturnType<typeof reference.batchNormBackward>;
  const rng = createRng('bn-backward');
  const dout = rng.matrix(6, 3);
  const z = rng.matrix(6, 3, () => rng.normal(1, 2));
  const gamma = [1.5, -0.7, 0.9];
  const args = [dout, z, gamma];
  const right = reference.batchNormBackward(dout, z, gamma);
  const run = (output: Grads, a: unknown[] = args): Promise<Verdict> => check('batchNormBackward', [{ args: a, output }]);

  it('the reference gets full marks on every case, and with an explicit eps', async () => {
    for (const { calls } of caseCalls('batchNormBackward', reference.batchNormBackward)) expect((await check('batchNormBackward', calls)).score).toBe(1);
    expect((await run(reference.batchNormBackward(dout, z, gamma, 0.1), [dout, z, gamma, 0.1])).score).toBe(1);
  });

  it('the reference passes on a batch whose columns barely vary (steps scale with each column, errors are norm-wise)', async () => {
    // Three examples whose second column spreads over 2e-3: a fixed step of 1e-3 is as large
    // as the spread itself, and the numerical gradient it gives is far off.
    const narrow = [[0.3, 1.0, -2], [1.1, 1.002, 0.5], [-0.4, 0.9995, 1]];
    const g = [1.2, -0.8, 0.6];
    const d = [[0.5, -1.2, 0.3], [0.9, 0.4, -0.7], [-0.2, 1.1, 0.8]];
    const exact = reference.batchNormBackward(d, narrow, g);
    const lossOf = (m: number[][]) => reference.batchNormForward(m, g, [0, 0, 0], 1e-5).out.reduce((s, row, i) => s + row.reduce((t, v, j) => t + v * d[i][j], 0), 0);
    expect(normRelativeError(exact.dz, numericalGradient(lossOf, narrow, 1e-3))).toBeGreaterThan(1e-6);
    expect(await run(exact, [d, narrow, g])).toEqual({ score: 1, message: 'correct' });
  });

  it('the gradient check uses the eps of the call', async () => {
    const verdict = await run(right, [dout, z, gamma, 0.1]);
    expect(verdict.score).toBe(0);
    expect(verdict.message).toContain('dz disagrees with a numerical (central-difference) gradient');
  });

  it('treating the statistics as constants fails both comparisons for dz, and only dz', async () => {
    const verdict = await run(bnBackwardIgnoresStatistics.batchNormBackward(dout, z, gamma));
    expect(verdict.score).toBe(0);
    expect(verdict.message).toMatch(/^dz\[\d\]\[\d\]: expected /);
    expect(verdict.message).toMatch(/\ndz disagrees with a numerical \(central-difference\) gradient: relative error \d\.\d\de[+-]\d, expected ≤ 0\.000001$/);
    expect(verdict.message).not.toMatch(/dgamma|dbeta/);
    expect(verdict.details?.dzRelativeError).toBeGreaterThan(0.01);
  });

  it('wrong dgamma or dbeta values fail their own gradient checks', async () => {
    const dgamma = await run({ ...right, dgamma: right.dgamma.map((v) => 1.5 * v) });
    expect(dgamma.score).toBe(0);
    expect(dgamma.message).toMatch(/^dgamma\[0\]: expected [^\n]*\n[^\n]*\ndgamma disagrees with a numerical \(central-difference\) gradient: relative error 2\.00e-1, expected ≤ 0\.000001$/);
    expect(dgamma.details?.dgammaRelativeError).toBeCloseTo(0.2, 6);
    const dbeta = await run({ ...right, dbeta: right.dbeta.map((v) => v + 0.25) });
    expect(dbeta.score).toBe(0);
    expect(dbeta.message).toMatch(/\ndbeta disagrees with a numerical \(central-difference\) gradient: relative error /);
    expect(dbeta.message).not.toMatch(/(dz|dgamma) disagrees/);
    expect(dbeta.details?.dbetaRelativeError).toBeGreaterThan(0.01);
  });

  it('dz within the gradient threshold but outside the reference tolerance still fails (the tighter check)', async () => {
    const flat = right.dz.flat().map(Math.abs);
    const largest = flat.indexOf(Math.max(...flat));
    const [row, col] = [Math.floor(largest / 3), largest % 3];
    const nudged = right.dz.map((r, i) => r.map((v, j) => (i === row && j === col ? v * (1 + 1.5e-6) : v)));
    const verdict = await run({ ...right, dz: nudged });
    expect(verdict.score).toBe(0);
    expect(verdict.message).toMatch(new RegExp(`^dz\\[${row}\\]\\[${col}\\]: expected `));
    expect(verdict.message).not.toContain('disagrees');
  });

  it('the gradient threshold 1e-6 passes on the boundary and fails just past it', async () => {
    // With dout = 0 every gradient is exactly 0, numerically too, and a dbeta entry a < 1e-8
    // has relative error a / 1e-8 (normRelativeError's floor), which for a = 1e-14 is exactly 1e-6;
    // both are within the reference comparison's atol, so the gradient check decides alone.
    const zeros = dout.map((r) => r.map(() => 0));
    const exact = reference.batchNormBackward(zeros, z, gamma);
    expect(1e-14 / 1e-8).toBe(1e-6);
    const onBoundary = await run({ ...exact, dbeta: [1e-14, 0, 0] }, [zeros, z, gamma]);
    expect(onBoundary).toEqual({ score: 1, message: 'correct' });
    const past = nextUp(1e-14);
    const verdict = await run({ ...exact, dbeta: [past, 0, 0] }, [zeros, z, gamma]);
    expect(verdict.score).toBe(0);
    expect(verdict.message).toBe('dbeta disagrees with a numerical (central-difference) gradient: relative error 1.00e-6, expected ≤ 0.000001');
    expect(verdict.details).toEqual({ dbetaRelativeError: past / 1e-8 });
  });

  it('rows of the wrong length are reported as a wrong shape, without a gradient check', async () => {
    const verdict = await run({ ...right, dz: right.dz.map((r) => r.slice(1)) });
    expect(verdict.score).toBe(0);
    expect(verdict.message).toBe('wrong shape: dz[0] has 2 entries, expected 3');
    const missingRow = await run({ ...right, dz: right.dz.slice(1) });
    expect(missingRow.message).toBe('wrong shape: dz has 5 rows, expected 6');
  });

  it('a dgamma or dbeta of the wrong length is a wrong shape, and the other gradients are still checked', async () => {
    const longer = await run({ ...right, dgamma: [...right.dgamma, 0], dz: bnBackwardIgnoresStatistics.batchNormBackward(dout, z, gamma).dz });
    expect(longer.score).toBe(0);
    expect(longer.message).toContain('wrong shape: dgamma has 4 entries, expected 3');
    expect(longer.message).toContain('dz disagrees');
    expect(longer.message).not.toContain('dgamma disagrees');
    const wrongAxis = bnBackwardDbetaWrongAxis.batchNormBackward(dout, z, gamma);
    const axis = await run(wrongAxis);
    expect(axis.score).toBe(0);
    expect(axis.message).toBe('wrong shape: dbeta has 6 entries, expected 3');
  });

  it('each mistake hint fires on its own output and on no other', () => {
    expectOwnHintsOnly('batchNormBackward', {
      'bn-backward-dbeta-wrong-axis': bnBackwardDbetaWrongAxis.batchNormBackward,
      'bn-backward-ignores-statistics': bnBackwardIgnoresStatistics.batchNormBackward,
    });
  });
});

// ---------------------------------------------------------------------------------------------
// dropoutForward: mask values, out = x ⊙ mask, the dropped fraction, seeds
// ---------------------------------------------------------------------------------------------

describe('dropoutForward', () => {
  type Dropout = ReturnType<typeof reference.dropoutForward>;
  type Args = Parameters<typeof reference.dropoutForward>;
  const rng = createRng('dropout');
  const x = rng.matrix(6, 7);
  const x100 = rng.matrix(10, 10);
  const SEED = 1234;
  const withMask = (input: Matrix, mask: Matrix): Dropout => ({ out: input.map((r, i) => r.map((v, j) => v * mask[i][j])), mask });
  const call = (args: Args, output: Dropout = reference.dropoutForward(...args)) => ({ args: args as unknown[], output });
  /** The three calls of a training case: seeds s, s and s + 1. */
  const training = (input: Matrix, p: number): Array<{ args: unknown[]; output: Dropout }> =>
    [SEED, SEED, SEED + 1].map((seed) => call([input, p, true, seed]));
  const run = (calls: Array<{ args: unknown[]; output: unknown }>): Promise<Verdict> => check('dropoutForward', calls);

  it('the reference gets full marks on every case, and at p = 0', async () => {
    for (const { calls } of caseCalls('dropoutForward', reference.dropoutForward)) expect(await run(calls)).toEqual({ score: 1, message: 'correct' });
    expect((await run([call([x, 0, true, SEED])])).score).toBe(1);
  });

  describe('evaluation mode is exactly the identity', () => {
    const args: Args = [x, 0.5, false, SEED];
    it('an out one part in 1e9 off, or a mask entry not exactly 1, fails, naming out or mask', async () => {
      const ones = x.map((r) => r.map(() => 1));
      const out = await run([call(args, { out: x.map((r, i) => r.map((v, j) => (i === 2 && j === 3 ? v * (1 + 1e-9) : v))), mask: ones })]);
      expect(out.score).toBe(0);
      expect(out.message).toMatch(/^out\[2\]\[3\]: expected .*\n1 of 42 entries are outside the tolerance \(rtol 0, atol 0\)/);
      const mask = await run([call(args, { out: x, mask: ones.map((r, i) => r.map((v, j) => (i === 1 && j === 0 ? 1 + 1e-9 : v))) })]);
      expect(mask.score).toBe(0);
      expect(mask.message).toMatch(/^mask\[1\]\[0\]: expected 1, got 1 \(off by 1\.0000e-9\)\n/);
    });

    it('a training-mode answer (scaled survivors) fails', async () => {
      const verdict = await run([call(args, reference.dropoutForward(x, 0.5, true, SEED))]);
      expect(verdict.score).toBe(0);
      expect(verdict.message).toMatch(/^out\[/);
      expect(verdict.message).toMatch(/\nmask\[/);
    });

    it('a mask with a missing row is a wrong shape', async () => {
      const verdict = await run([call(args, { out: x, mask: x.slice(1).map((r) => r.map(() => 1)) })]);
      expect(verdict).toMatchObject({ score: 0, message: 'wrong shape: mask has 5 rows, expected 6' });
    });
  });

  describe('training: shapes, labelled by call', () => {
    it('a wrong shape in a later call is reported for that call, without looking further', async () => {
      const calls = training(x, 0.3);
      calls[1] = { ...calls[1], output: { ...calls[1].output, mask: calls[1].output.mask.slice(1) } };
      calls[2] = { ...calls[2], output: { ...calls[2].output, out: calls[2].output.out.map((r) => r.slice(1)) } };
      const verdict = await run(calls);
      expect(verdict.score).toBe(0);
      expect(verdict.message).toBe('wrong shape: call 2: mask has 5 rows, expected 6\nwrong shape: call 3: out[0] has 6 entries, expected 7');
    });
  });

  describe('training: every mask entry is 0 or 1/(1 − p)', () => {
    it('another value fails, naming the entry, in a single call and in a labelled one', async () => {
      const mask = reference.dropoutForward(x, 0.5, true, SEED).mask.map((r) => [...r]);
      mask[2][3] = 1.5;
      const single = await run([call([x, 0.5, true, SEED], withMask(x, mask))]);
      expect(single.score).toBe(0);
      expect(single.message).toBe('mask[2][3] is 1.5; every mask entry must be 0 (dropped) or 1/(1 − p) = 2 (kept and rescaled)');
      const first = reference.dropoutForward(x, 0.5, true, SEED).mask.map((r) => [...r]);
      first[0][0] = 3;
      const calls = training(x, 0.5);
      calls[2] = call([x, 0.5, true, SEED + 1], withMask(x, first));
      const labelled = await run(calls);
      expect(labelled.message).toBe('call 3: mask[0][0] is 3; every mask entry must be 0 (dropped) or 1/(1 − p) = 2 (kept and rescaled)');
    });

    it('accepts kept entries within a relative 1e-12 of 1/(1 − p), on the boundary too, and fails just past it', async () => {
      // A p for which 1/(1 − p) · (1 ± 1e-12) is exactly representable, so the bound itself can be tested.
      const p = 0.5104783013727722;
      const scale = 1 / (1 - p);
      const reached = reference.dropoutForward(x100, p, true, SEED).mask;
      const kept = reached.flat().findIndex((m) => m !== 0);
      const [row, col] = [Math.floor(kept / 10), kept % 10];
      const answer = async (value: number): Promise<Verdict> => {
        const mask = reached.map((r, i) => r.map((m, j) => (i === row && j === col ? value : m)));
        return await run([call([x100, p, true, SEED], withMask(x100, mask))]);
      };
      const high = scale + 1e-12 * scale;
      const low = scale - 1e-12 * scale;
      expect(high - scale).toBe(1e-12 * scale);
      expect(scale - low).toBe(1e-12 * scale);
      expect((await answer(high)).score).toBe(1);
      expect((await answer(low)).score).toBe(1);
      const above = await answer(nextUp(high));
      expect(above.score).toBe(0);
      expect(above.message).toBe(`mask[${row}][${col}] is ${nextUp(high)}; every mask entry must be 0 (dropped) or 1/(1 − p) = ${scale} (kept and rescaled)`);
      expect((await answer(nextDown(low))).score).toBe(0);
    });
  });

  describe('training: out = x ⊙ mask to a relative 1e-12', () => {
    it('passes half a part in 1e12 off and fails one part in 1e10 off, naming the entry', async () => {
      const right = reference.dropoutForward(x, 0.3, true, SEED);
      const kept = right.mask.flat().findIndex((m) => m !== 0);
      const [row, col] = [Math.floor(kept / 7), kept % 7];
      const nudge = (factor: number): Dropout => ({ ...right, out: right.out.map((r, i) => r.map((v, j) => (i === row && j === col ? v * factor : v))) });
      expect((await run([call([x, 0.3, true, SEED], nudge(1 + 5e-13))])).score).toBe(1);
      const verdict = await run([call([x, 0.3, true, SEED], nudge(1 + 1e-10))]);
      expect(verdict.score).toBe(0);
      expect(verdict.message).toMatch(new RegExp(`^out\\[${row}\\]\\[${col}\\]: expected .*\\n1 of 42 entries are outside the tolerance \\(rtol 1e-12, atol 0\\)`));
      const calls = training(x, 0.3);
      calls[1] = call([x, 0.3, true, SEED], nudge(1 + 1e-10));
      expect((await run(calls)).message).toMatch(new RegExp(`^call 2: out\\[${row}\\]\\[${col}\\]: expected `));
    });
  });

  describe('training: the number of dropped entries is within 5 standard deviations of n·p', () => {
    /** A mask of x100 (n = 100) that drops its first `dropped` entries. */
    const dropping = (dropped: number, p: number, input = x100) => {
      const cols = input[0].length;
      const mask = input.map((r, i) => r.map((_, j) => (i * cols + j < dropped ? 0 : 1 / (1 - p))));
      return call([input, p, true, SEED], withMask(input, mask));
    };

    it('with p = 0.5 and n = 100 the bounds are exactly 25 and 75: both pass, 24 and 76 fail', async () => {
      expect((await run([dropping(25, 0.5)])).score).toBe(1);
      expect((await run([dropping(75, 0.5)])).score).toBe(1);
      expect(await run([dropping(24, 0.5)])).toMatchObject({ score: 0, message: 'dropped 24 of 100 entries (0.240); with p = 0.5 expected between 25 and 75' });
      expect(await run([dropping(76, 0.5)])).toMatchObject({ score: 0, message: 'dropped 76 of 100 entries (0.760); with p = 0.5 expected between 25 and 75' });
    });

    it('the message rounds the bounds inwards and never says less than 0', async () => {
      // p = 0.3: 30 ± 5·√21 = 7.09 … 52.91.
      expect((await run([dropping(8, 0.3)])).score).toBe(1);
      expect((await run([dropping(52, 0.3)])).score).toBe(1);
      expect((await run([dropping(53, 0.3)])).message).toBe('dropped 53 of 100 entries (0.530); with p = 0.3 expected between 8 and 52');
      expect((await run([dropping(7, 0.3)])).message).toBe('dropped 7 of 100 entries (0.070); with p = 0.3 expected between 8 and 52');
      // p = 0.1, n = 20: 2 ± 5·√1.8 = −4.71 … 8.71.
      const small = x100.slice(0, 2);
      expect((await run([dropping(0, 0.1, small)])).score).toBe(1);
      expect((await run([dropping(9, 0.1, small)])).message).toBe('dropped 9 of 20 entries (0.450); with p = 0.1 expected between 0 and 8');
    });

    it('labels the count with the call', async () => {
      const calls = training(x100, 0.5);
      calls[0] = dropping(76, 0.5);
      expect((await run(calls)).message).toBe('call 1: dropped 76 of 100 entries (0.760); with p = 0.5 expected between 25 and 75');
    });
  });

  describe('training: the mask is reproducible from the seed and changes with it', () => {
    it('the same seed giving two different masks fails', async () => {
      const calls = training(x, 0.3);
      calls[1] = call([x, 0.3, true, SEED], reference.dropoutForward(x, 0.3, true, SEED + 5));
      expect(await run(calls)).toMatchObject({ score: 0, message: 'the same seed gave two different masks; dropout must be reproducible from its seed' });
    });

    it('masks from the same seed must be identical, not just close', async () => {
      const calls = training(x, 0.3);
      const mask = calls[1].output.mask.map((r) => r.map((m) => (m === 0 ? 0 : nextUp(m))));
      calls[1] = call([x, 0.3, true, SEED], withMask(x, mask));
      expect(await run(calls)).toMatchObject({ score: 0, message: 'the same seed gave two different masks; dropout must be reproducible from its seed' });
    });

    it('two different seeds giving the same mask fails', async () => {
      const calls = training(x, 0.3);
      calls[2] = call([x, 0.3, true, SEED + 1], calls[0].output);
      expect(await run(calls)).toMatchObject({ score: 0, message: 'two different seeds gave the same mask; the mask must come from a generator seeded with `seed`' });
    });

    it('masks of different seeds count as different even when they are only one ulp apart: the comparison is exact', async () => {
      const calls = training(x, 0.3);
      const mask = calls[0].output.mask.map((r) => r.map((m) => (m === 0 ? 0 : nextUp(m))));
      calls[2] = call([x, 0.3, true, SEED + 1], withMask(x, mask));
      expect((await run(calls)).score).toBe(1);
    });

    it('is not judged when a call already fails on its own', async () => {
      const calls = training(x, 0.3);
      const broken = { ...calls[0].output, out: calls[0].output.out.map((r) => r.map((v) => v + 1)) };
      calls[0] = call([x, 0.3, true, SEED], broken);
      calls[2] = call([x, 0.3, true, SEED + 1], reference.dropoutForward(x, 0.3, true, SEED));
      const verdict = await run(calls);
      expect(verdict.score).toBe(0);
      expect(verdict.message).toMatch(/^call 1: out\[/);
      expect(verdict.message).not.toContain('seed');
    });
  });

  describe('hints', () => {
    const noRescale = detector('dropoutForward', 'dropout-no-rescale');
    const keepProbability = detector('dropoutForward', 'dropout-keep-probability');
    const ctx = (calls: Array<{ args: unknown[]; output: unknown }>) => contextOf('dropoutForward', calls);
    const withImplementation = (f: typeof reference.dropoutForward, input: Matrix, p: number, seeds = [SEED, SEED, SEED + 1]) =>
      seeds.map((seed) => call([input, p, true, seed], f(input, p, true, seed)));

    it('each fires on its own mistake in every training case, and neither on the reference', () => {
      for (const [implementation, own, other] of [
        [dropoutNoRescale.dropoutForward, noRescale, keepProbability],
        [dropoutKeepProbability.dropoutForward, keepProbability, noRescale],
      ] as const) {
        for (const c of caseCalls('dropoutForward', implementation)) {
          const training = c.calls.length === 3;
          expect(own(ctx(c.calls)), c.caseName).toBe(training);
          expect(other(ctx(c.calls)), c.caseName).toBe(false);
        }
      }
      for (const c of caseCalls('dropoutForward', reference.dropoutForward)) {
        expect(noRescale(ctx(c.calls)), c.caseName).toBe(false);
        expect(keepProbability(ctx(c.calls)), c.caseName).toBe(false);
      }
    });

    it('fire when any one call shows the mistake', () => {
      const right = withImplementation(reference.dropoutForward, x, 0.3);
      const unscaled = withImplementation(dropoutNoRescale.dropoutForward, x, 0.3);
      const keep = withImplementation(dropoutKeepProbability.dropoutForward, x, 0.3);
      expect(noRescale(ctx([unscaled[0], right[1], right[2]]))).toBe(true);
      expect(keepProbability(ctx([right[0], right[1], keep[2]]))).toBe(true);
    });

    it('no-rescale: silent in evaluation mode and at p = 0, where a 0/1 mask is right', () => {
      expect(noRescale(ctx([call([x, 0.5, false, SEED])]))).toBe(false);
      expect(noRescale(ctx(withImplementation(reference.dropoutForward, x, 0)))).toBe(false);
      expect(noRescale(ctx(withImplementation(dropoutNoRescale.dropoutForward, x, 0.1)))).toBe(true);
    });

    it('keep-probability: silent at p = 0.5 (where 1/p = 1/(1 − p)), in evaluation mode with p = 1, and on an all-zero mask', () => {
      expect(keepProbability(ctx(withImplementation(reference.dropoutForward, x, 0.5)))).toBe(false);
      expect(keepProbability(ctx(withImplementation(dropoutKeepProbability.dropoutForward, x, 0.5)))).toBe(false);
      expect(keepProbability(ctx([call([x, 1, false, SEED])]))).toBe(false);
      const zeros = x.map((r) => r.map(() => 0));
      expect(keepProbability(ctx([call([x, 0.3, true, SEED], { out: zeros, mask: zeros })]))).toBe(false);
    });

    it('keep-probability: silent when only some survivors are scaled by 1/p', () => {
      const right = reference.dropoutForward(x, 0.3, true, SEED);
      const kept = right.mask.flat().findIndex((m) => m !== 0);
      const mask = right.mask.map((r, i) => r.map((m, j) => (i * 7 + j === kept ? 1 / 0.3 : m)));
      expect(keepProbability(ctx([call([x, 0.3, true, SEED], withMask(x, mask))]))).toBe(false);
    });

    it('keep-probability: survivors must be within a relative 1e-9 of 1/p, the boundary excluded', () => {
      // A p for which 1/p · (1 + 1e-9) is exactly representable, so the bound itself can be tested.
      const p = 0.33333330575321196;
      const bound = 1 / p + 1e-9 * (1 / p);
      expect(bound - 1 / p).toBe(1e-9 * (1 / p));
      const scaledTo = (value: number) => {
        const mask = dropoutKeepProbability.dropoutForward(x100, p, true, SEED).mask.map((r) => r.map((m) => (m === 0 ? 0 : value)));
        return ctx([call([x100, p, true, SEED], withMask(x100, mask))]);
      };
      expect(keepProbability(scaledTo(1 / p))).toBe(true);
      expect(keepProbability(scaledTo(nextDown(bound)))).toBe(true);
      expect(keepProbability(scaledTo(bound))).toBe(false);
      expect(keepProbability(scaledTo(1 / p - 2e-9 * (1 / p)))).toBe(false);
    });
  });
});
