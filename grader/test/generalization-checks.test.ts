/**
 * The check code of assignments/generalization, called directly on contexts built like grading
 * builds them: every check passes the reference and the two independent alternatives, fails
 * the declared mistakes with their own hints only, and fails answers that only it rejects. The
 * memorisation check is fed networks trained once per process (see trained).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import assignment from '../../assignments/generalization/assignment.ts';
import { accuracy, chiSquareTail, classifierProblem, featureSummary, independence, uniformity, upperGamma } from '../../assignments/generalization/checks.ts';
import { flatDigits, gaussianMatrix, lowRankMatrix, pooled, pooledDigits, skewedLabels } from '../../assignments/generalization/data.ts';
import * as curveTrainingError from '../../assignments/generalization/mistakes/curve-training-error.ts';
import * as featuresNoRelu from '../../assignments/generalization/mistakes/features-no-relu.ts';
import * as labelsPermuted from '../../assignments/generalization/mistakes/labels-permuted.ts';
import * as memorizeOneEpoch from '../../assignments/generalization/mistakes/memorize-one-epoch.ts';
import * as normalEquations from '../../assignments/generalization/mistakes/normal-equations.ts';
import * as reference from '../../solutions/generalization/generalize.ts';
import type { AnyFunction, CheckContext } from '../src/assignment/define.ts';
import { caseContext, generateCalls } from '../src/cases/calls.ts';
import { callKey } from '../src/replay/encode.ts';
import { createRng } from '../src/cases/rng.ts';
import type { Verdict } from '../src/checks/verdict.ts';
import { lineChart, textTable } from '../src/report/figures.ts';
import { initTensorBackend } from '../src/tensor/backend.ts';
import * as qr from './fixtures/generalization-alternatives/qr/generalize.ts';
import * as svd from './fixtures/generalization-alternatives/svd/generalize.ts';
import { problemTools } from './helpers.ts';

type Ctx = CheckContext<unknown[], unknown>;
type Matrix = number[][];
const { problemOf } = problemTools(assignment);

/**
 * A case's context as grading builds it, with `answer`'s outputs (default: the reference's);
 * the reference's answers as `expected` only where the check reads them (the others declare
 * referenceUnused: a curve or a set of features costs seconds).
 */
async function contextOf(problem: string, caseName: string, seed: string, answer?: AnyFunction, visible = true): Promise<Ctx> {
  const p = problemOf(problem);
  const c = p.cases.find((k) => k.name.startsWith(caseName))!;
  const records = [];
  for (const args of generateCalls(assignment.id, p, c, seed)) {
    const output: unknown = await remembered(answer ?? p.reference, problem, args);
    const expected: unknown = p.referenceUnused ? undefined : await remembered(p.reference, problem, args);
    records.push({ args, output, expected });
  }
  return caseContext(records, c.name, visible, seed);
}

/**
 * A function's answer to one call, remembered for the file by the function and the arguments'
 * contents (replay/encode.ts's callKey): a curve or a set of features costs seconds, and
 * `npm run mutation` reruns these tests for every mutant they reach. A mutant that changes the
 * inputs changes the key, so it is never answered from the remembered inputs'.
 */
const answers = new Map<AnyFunction, Map<string, unknown>>();
/** Only these are remembered: deterministic, costly, and not the tests' own wrong answers (one draws from Math.random on purpose). */
const REMEMBERED = new Set<unknown>([...Object.values(reference), ...Object.values(svd), ...Object.values(qr), curveTrainingError.doubleDescentCurve]);
async function remembered(fn: AnyFunction, problem: string, args: unknown[]): Promise<unknown> {
  if (args.some((a) => a instanceof tf.Tensor)) return await fn(...args);
  if (!REMEMBERED.has(fn)) return await fn(...structuredClone(args));
  const mine = answers.get(fn) ?? answers.set(fn, new Map()).get(fn)!;
  const key = callKey('test', problem, args);
  if (!mine.has(key)) mine.set(key, await fn(...structuredClone(args)));
  return structuredClone(mine.get(key));
}
const IMPLEMENTATIONS: Record<string, Record<string, unknown>> = { reference, svd, qr };

async function verdict(problem: string, caseName: string, seed: string, answer?: AnyFunction, visible = true): Promise<Verdict> {
  return await problemOf(problem).check(await contextOf(problem, caseName, seed, answer, visible));
}

/** Which of a problem's detectors fire on a context. */
function firing(problem: string, ctx: Ctx): string[] {
  return (problemOf(problem).mistakes ?? []).filter((m) => m.matches(ctx)).map((m) => m.id);
}

/** Every correct implementation gets full marks on every case of a problem, for each seed, and no detector fires. */
async function expectAllPass(problem: string, seeds: string[], only?: string[]): Promise<void> {
  for (const c of problemOf(problem).cases) {
    for (const [name, impl] of Object.entries(IMPLEMENTATIONS)) {
      if (only && !only.includes(name)) continue;
      for (const seed of seeds) {
        const ctx = await contextOf(problem, c.name, seed, impl[problem] as AnyFunction);
        const v = await problemOf(problem).check(ctx);
        expect(v.score, `${name}, ${c.name} (seed ${seed}): ${v.message}`).toBe(1);
        expect(firing(problem, ctx), `${name}, ${c.name}`).toEqual([]);
      }
    }
  }
}

/** A wrong answer fails the case, and fires exactly these detectors. */
async function expectFails(problem: string, caseName: string, answer: AnyFunction, message: RegExp, fires: string[] = [], seed = 'w'): Promise<void> {
  const ctx = await contextOf(problem, caseName, seed, answer);
  const v = await problemOf(problem).check(ctx);
  expect(v.score, v.message).toBeLessThan(1);
  expect(v.message).toMatch(message);
  expect(firing(problem, ctx)).toEqual(fires);
}

beforeAll(async () => {
  await initTensorBackend();
}, 60_000);

describe('statistics', () => {
  it('gives chi-square tail probabilities as scipy does', () => {
    // scipy.stats.chi2.sf(x, k)
    const cases: Array<[number, number, number]> = [
      [3.841458820694124, 1, 0.04999999999999989],
      [18.307038053275146, 10, 0.05000000000000005],
      [50, 4, 3.610865404890647e-10],
      [0.5, 9, 0.9999695662588389],
      [200, 81, 4.732682589050208e-12],
      [2, 2, 0.36787944117144245],
      [30, 3, 1.3800570312932553e-6],
    ];
    for (const [x, k, want] of cases) expect(Math.abs(chiSquareTail(x, k) - want) / want, `${x}, ${k}`).toBeLessThan(1e-9);
    expect(upperGamma(2, 0)).toBe(1);
    expect(upperGamma(1, -1)).toBe(1);
    expect(upperGamma(1, 3)).toBeCloseTo(Math.exp(-3), 14);
    expect(upperGamma(0.5, 0.2)).toBeCloseTo(0.5270892568655381, 13);
  });

  it('tests class counts against uniform, and new labels against old ones', () => {
    const even = uniformity([0, 1, 2, 0, 1, 2], 3);
    expect(even).toMatchObject({ statistic: 0, dof: 2, p: 1, counts: [2, 2, 2] });
    const lopsided = uniformity([0, 0, 0, 0, 1, 2], 3);
    expect(lopsided.statistic).toBeCloseTo(3, 12);
    expect(lopsided.p).toBeCloseTo(Math.exp(-1.5), 12);
    const rng = createRng('independence');
    const old = Array.from({ length: 2000 }, () => rng.int(0, 4));
    const fresh = Array.from({ length: 2000 }, () => rng.int(0, 4));
    expect(independence(old, fresh, 5).p).toBeGreaterThan(1e-3);
    expect(independence(old, fresh, 5).dof).toBe(16);
    expect(independence(old, old.map((l) => (l + 1) % 5), 5).p).toBeLessThan(1e-100);
    // A class that never occurs adds no degrees of freedom.
    expect(independence([0, 0, 1, 1], [2, 3, 2, 3], 4)).toMatchObject({ statistic: 0, dof: 1, p: 1 });
  });

  it('summarises features: zeros, negatives and the mean square against ‖x‖²/(2d)', () => {
    const X = [[1, 1], [2, 0]];
    // ‖x‖² = 2 and 4, d = 2: expected mean square (2 + 4) / 2 / 4 = 0.75.
    const s = featureSummary(X, [[0, 1.5, -1, 0], [0, 0, 1.5, 0]]);
    expect(s.zeros).toBeCloseTo(5 / 8, 12);
    expect(s.negative).toBeCloseTo(1 / 8, 12);
    expect(s.secondMoment).toBeCloseTo((2.25 + 1 + 2.25) / 8 / 0.75, 12);
  });

  it('makes pooled digits, lopsided labels and matrices of a given rank', () => {
    const flat = Array.from({ length: 784 }, (_, i) => i);
    const p = pooled(flat);
    expect(p).toHaveLength(196);
    expect(p[0]).toBe((0 + 1 + 28 + 29) / 4);
    expect(p[195]).toBe((754 + 755 + 782 + 783) / 4);
    const { X, y } = pooledDigits(createRng('d'), 5, 'train');
    expect(X.map((r) => r.length)).toEqual([196, 196, 196, 196, 196]);
    expect(y.every((l) => Number.isInteger(l) && l >= 0 && l <= 9)).toBe(true);
    const labels = skewedLabels(createRng('s'), 4000, 5, 0.7);
    expect(labels.filter((l) => l === 0).length / 4000).toBeCloseTo(0.7, 1);
    expect(new Set(labels).size).toBe(5);
    const A = lowRankMatrix(createRng('r'), 9, 7, 3);
    expect(A).toHaveLength(9);
    expect(qr.minNormLeastSquares(A, Array.from({ length: 9 }, (_, i) => i)).length).toBe(7);
    expect(gaussianMatrix(createRng('g'), 3, 4).flat()).toHaveLength(12);
  });
});

describe('randomLabels', () => {
  it('gives every correct implementation full marks', async () => {
    await expectAllPass('randomLabels', ['a', 'b', 'c']);
  });

  it('names a shuffle of the old labels, where the class counts show it', async () => {
    await expectFails('randomLabels', '1200 labels of 5 classes', labelsPermuted.randomLabels as AnyFunction, /not spread evenly/, ['labels-permuted']);
    // All labels alike: every shuffle is the same list, whatever the seed.
    await expectFails('randomLabels', '500 labels, all 3', labelsPermuted.randomLabels as AnyFunction, /gave the same labels: the seed should change them/);
  });

  it('fails labels that follow the old ones, ignore the seed, change with each call or leave the classes', async () => {
    const shifted = (labels: number[], k: number) => labels.map((l) => (l + 1) % k);
    await expectFails('randomLabels', '1000 MNIST', ((labels: number[], k: number, seed: number) => (seed >= 0 ? shifted(labels, k) : [])) as AnyFunction, /seeds \d+ and \d+ gave the same labels/);
    const seeded = (labels: number[], k: number, seed: number) => {
      const rng = createRng(`x${seed}`);
      // Half the time the old label plus one, half the time a fresh draw: uniform, but dependent.
      return labels.map((l) => (rng.next() < 0.5 ? (l + 1) % k : rng.int(0, k - 1)));
    };
    await expectFails('randomLabels', '1000 MNIST', seeded as AnyFunction, /depend on the old ones/);
    await expectFails('randomLabels', '1000 MNIST', ((labels: number[], k: number) => labels.map(() => Math.floor(Math.random() * k))) as AnyFunction, /twice gave two different labellings/);
    await expectFails('randomLabels', '1000 MNIST', ((labels: number[], k: number, seed: number) => reference.randomLabels(labels, k, seed).map((l) => l + 1)) as AnyFunction, /label \d+ is 10; labels are whole numbers 0 … 9/);
    await expectFails('randomLabels', '1000 MNIST', ((labels: number[], k: number, seed: number) => reference.randomLabels(labels.slice(1), k, seed)) as AnyFunction, /999 labels for 1000 examples/);
    await expectFails('randomLabels', '1000 MNIST', ((labels: number[], k: number, seed: number) => reference.randomLabels(labels, k, seed).map((l) => l + 0.5)) as AnyFunction, /is \d\.5; labels are whole numbers/);
    // Lopsided fresh draws: uniform over the classes they use, not over all.
    await expectFails('randomLabels', '1000 MNIST', ((labels: number[], k: number, seed: number) => reference.randomLabels(labels, k - 1, seed)) as AnyFunction, /not spread evenly over the 10 classes/);
  });
});

describe('randomReluFeatures', () => {
  it('gives every correct implementation full marks', async () => {
    await expectAllPass('randomReluFeatures', ['a', 'b']);
  });

  it('names features without the ReLU', async () => {
    await expectFails('randomReluFeatures', '30 rows', featuresNoRelu.randomReluFeatures as AnyFunction, /never negative/, ['features-no-relu']);
    await expectFails('randomReluFeatures', '60 pooled', featuresNoRelu.randomReluFeatures as AnyFunction, /never negative/, ['features-no-relu']);
  });

  it('fails a W of the wrong variance, absolute values, a W drawn per call or per row count, and the wrong shape', async () => {
    const scaled = (factor: number) => (X: Matrix, p: number, seed: number) => reference.randomReluFeatures(X, p, seed).map((r) => r.map((v) => v * factor));
    await expectFails('randomReluFeatures', '30 rows', scaled(Math.sqrt(20)) as AnyFunction, /mean square is 2\d\.?\d* × the expected/);
    await expectFails('randomReluFeatures', '60 pooled', scaled(0.5) as AnyFunction, /check W's variance/);
    await expectFails('randomReluFeatures', '30 rows', ((X: Matrix, p: number, seed: number) => featuresNoRelu.randomReluFeatures(X, p, seed).map((r) => r.map(Math.abs))) as AnyFunction, /about half of them should be zero/);
    await expectFails('randomReluFeatures', '30 rows', ((X: Matrix, p: number, seed: number) => reference.randomReluFeatures(X, p, seed + X.length)) as AnyFunction, /W must depend only on d, p and the seed/);
    await expectFails('randomReluFeatures', '30 rows', ((X: Matrix, p: number) => reference.randomReluFeatures(X, p, 7)) as AnyFunction, /gave the same features: draw W from the seed/);
    await expectFails('randomReluFeatures', '30 rows', ((X: Matrix, p: number, seed: number) => reference.randomReluFeatures(X, p - 1, seed)) as AnyFunction, /30 × 1999; expected 30 × 2000/);
    await expectFails('randomReluFeatures', '30 rows', ((X: Matrix, p: number, seed: number) => reference.randomReluFeatures(X.slice(1), p, seed)) as AnyFunction, /29 × 2000; expected 30 × 2000/);
  });
});

describe('minNormLeastSquares', () => {
  it('gives every correct implementation full marks', async () => {
    await expectAllPass('minNormLeastSquares', ['a', 'b', 'c']);
  });

  it('names the normal equations where A has more columns than rows, and only there', async () => {
    await expectFails('minNormLeastSquares', 'under-determined: A is 10', normalEquations.minNormLeastSquares as AnyFunction, /more columns than rows: infinitely many exact fits/, ['normal-equations']);
    await expectFails('minNormLeastSquares', 'under-determined: random ReLU', normalEquations.minNormLeastSquares as AnyFunction, /‖β‖ = /, ['normal-equations']);
    // Over-determined and of full rank: the normal equations give A⁺y.
    expect((await verdict('minNormLeastSquares', 'over-determined', 'n', normalEquations.minNormLeastSquares as AnyFunction)).score).toBe(1);
  });

  it('fails an exact fit plus a null-space direction without the hint only where the fit is not exact, and a solver without a cut-off', async () => {
    // β = 0: no fit at all, no hint.
    await expectFails('minNormLeastSquares', 'under-determined: A is 10', ((A: Matrix) => new Array<number>(A[0].length).fill(0)) as AnyFunction, /away from the minimum-norm solution/);
    await expectFails('minNormLeastSquares', 'over-determined', ((A: Matrix, y: number[]) => reference.minNormLeastSquares(A, y).map((v) => v * (1 + 1e-4))) as AnyFunction, /more rows than columns/);
    await expectFails('minNormLeastSquares', 'over-determined', ((A: Matrix, y: number[]) => reference.minNormLeastSquares(A, y).slice(1)) as AnyFunction, /β has 9 entries; expected 10/);
    // Every singular value inverted, however small: rounding noise of the zero ones dominates.
    const noCutoff = (A: Matrix, y: number[]) => qr.minNormLeastSquares(A, y).map((v, i) => v + (i === 0 ? 1e3 : 0));
    await expectFails('minNormLeastSquares', 'rank-deficient', noCutoff as AnyFunction, /away from the minimum-norm/);
    // Within the tolerance: a relative 1e-8 passes.
    expect((await verdict('minNormLeastSquares', 'square', 'n', ((A: Matrix, y: number[]) => reference.minNormLeastSquares(A, y).map((v) => v * (1 + 1e-8))) as AnyFunction)).score).toBe(1);
  });
});

describe('doubleDescentCurve', () => {
  it('gives every correct implementation full marks', async () => {
    await expectAllPass('doubleDescentCurve', ['a']);
  }, 120_000);

  it('names the training error', async () => {
    await expectFails('doubleDescentCurve', '100 pooled', curveTrainingError.doubleDescentCurve as AnyFunction, /peaks at p = 10 /, ['curve-training-error']);
  }, 60_000);

  it('fails a curve with its peak away from n, one that does not come down, the wrong length and negative errors', async () => {
    const ctx = await contextOf('doubleDescentCurve', '100 pooled', 'c');
    const curve = ctx.output as number[];
    const check = (answer: number[]) => problemOf('doubleDescentCurve').check({ ...ctx, output: answer, calls: [{ ...ctx.calls[0], output: answer }] } as Ctx) as Verdict;
    expect(check(curve).score).toBe(1);
    const counts = ctx.args[4] as number[];
    const at = (p: number) => counts.indexOf(p);
    const moved = [...curve];
    moved[at(200)] = 10 * Math.max(...curve);
    expect(check(moved).message).toMatch(/peaks at p = 200 .*should be at the interpolation threshold/);
    const flat = curve.map((e, i) => (counts[i] > 100 ? curve[at(100)] / 2 : e));
    expect(check(flat).message).toMatch(/should come down again, to at most 1\/4 of the peak/);
    expect(check(curve.slice(1)).message).toMatch(/12 errors for 13 feature counts/);
    expect(check(curve.map((e, i) => (i === 2 ? -1 : e))).message).toMatch(/the error at p = 50 is -1/);
    // Within ±20 %: a peak at 110 or 90 is the threshold.
    const near = [...curve];
    near[at(110)] = 2 * Math.max(...curve);
    expect(check(near).score).toBe(1);
    expect(firing('doubleDescentCurve', { ...ctx, output: flat })).toEqual([]);
    expect(firing('doubleDescentCurve', { ...ctx, output: curve.map((e, i) => (counts[i] >= 100 ? 0 : e)) })).toEqual(['curve-training-error']);
  }, 60_000);
});

/** Trains a network once per process (kept on globalThis, so `npm run mutation`'s reruns reuse it). */
function trained(key: string, train: () => Promise<tf.LayersModel>): Promise<tf.LayersModel> {
  const holder = globalThis as { __generalizationModels?: Map<string, Promise<tf.LayersModel>> };
  const store = (holder.__generalizationModels ??= new Map<string, Promise<tf.LayersModel>>());
  if (!store.has(key)) store.set(key, train());
  return store.get(key)!;
}

describe('memorize', () => {
  const caseName = '200 MNIST';
  function memorizeContext(model: tf.LayersModel, visible = true): Ctx {
    const p = problemOf('memorize');
    const c = p.cases.find((k) => k.name.startsWith(caseName))!;
    const [args] = generateCalls(assignment.id, p, c, 'm');
    return caseContext([{ args, output: model, expected: undefined }], c.name, visible, 'm');
  }
  const argsOf = () => (memorizeContext(tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] }))).args as [tf.Tensor4D, number[], { epochs: number; seed: number }];

  it('passes the reference, whose network memorises its random labels and is near chance on true ones', async () => {
    const [images, labels, options] = argsOf();
    const model = await trained('reference', () => reference.memorize(images, labels, options));
    const ctx = memorizeContext(model);
    const v = (await problemOf('memorize').check(ctx));
    expect(v.score, v.message).toBe(1);
    expect(v.message).toMatch(/gets (0\.9[5-9]\d*|1) of those labels right/);
    expect(v.figures?.length).toBe(1);
    expect(firing('memorize', ctx)).toEqual([]);
    expect((await problemOf('memorize').check(memorizeContext(model, false))).figures ?? []).toEqual([]);
  }, 120_000);

  it('names a network trained for one epoch', async () => {
    const [images, labels, options] = argsOf();
    const model = await trained('one epoch', () => memorizeOneEpoch.memorize(images, labels, options));
    const ctx = memorizeContext(model);
    const v = await problemOf('memorize').check(ctx);
    expect(v.message).toMatch(/it should memorise at least 0.95/);
    expect(firing('memorize', ctx)).toEqual(['memorize-one-epoch']);
  }, 120_000);

  it('fails a network that learned the true digits, and one of the wrong shape', async () => {
    const [images, , options] = argsOf();
    const truth = flatDigits(createRng('truth'), 300, 'train');
    const model = await trained('true labels', () => reference.memorize(tf.tensor4d(truth.pixels, [300, 28, 28, 1]), truth.labels, { ...options, epochs: 8 }));
    expect(accuracy(model, truth.pixels, truth.labels)).toBeGreaterThan(0.9);
    const v = await problemOf('memorize').check(memorizeContext(model));
    expect(v.message).toMatch(/should be near chance \(at most 0.3\)/);
    const wide = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 2] }), tf.layers.dense({ units: 10, activation: 'softmax' })] });
    expect(classifierProblem(wide)).toMatch(/inputs of shape 28 × 28 × 2/);
    const eleven = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 11, activation: 'softmax' })] });
    expect((await problemOf('memorize').check(memorizeContext(eleven))).message).toMatch(/11 numbers per image/);
    const logits = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 10, biasInitializer: 'ones' })] });
    expect(classifierProblem(logits)).toMatch(/end with a softmax/);
    expect(firing('memorize', memorizeContext(eleven))).toEqual([]);
    expect(images.shape).toEqual([200, 28, 28, 1]);
  }, 180_000);
});

/** A case's check on outputs of the test's own, one per call (the first also as `output`). */
function checkWith(problem: string, ctx: Ctx, outputs: unknown[]): Verdict {
  return problemOf(problem).check({ ...ctx, output: outputs[0], calls: ctx.calls.map((c, i) => ({ ...c, output: outputs[i] })) }) as Verdict;
}
const fmt = (v: number): string => String(Number(v.toPrecision(3)));
const normOf = (v: number[]): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

describe('messages, figures and the edges of each rule', () => {
  it('randomLabels: names the call, the label, the seeds and the classes; the shuffle detector wants equal lengths', async () => {
    const ctx = await contextOf('randomLabels', '1000 MNIST', 'm');
    const [a, b, c] = ctx.calls.map((k) => k.output as number[]);
    const seed = ctx.args[2] as number;
    expect(checkWith('randomLabels', ctx, [a, b.slice(1), c]).message).toBe('call 2: 999 labels for 1000 examples; expected one label per example');
    expect(checkWith('randomLabels', ctx, [a, b, c.map((l, i) => (i === 5 ? -1 : l))]).message).toBe('call 3: label 5 is -1; labels are whole numbers 0 … 9');
    expect(checkWith('randomLabels', ctx, [a, b, a]).message).toBe(`seeds ${seed} and ${seed + 1} gave the same labels: the seed should change them`);
    expect(checkWith('randomLabels', ctx, [a, b, c]).message).toMatch(/^class counts (\d+, ){9}\d+; p = [\d.e-]+ against uniform, p = [\d.e-]+ for independence from the old labels$/);
    const lopsided = a.map((l) => (l === 9 ? 0 : l));
    expect(checkWith('randomLabels', ctx, [lopsided, lopsided, c]).message).toMatch(/^your 1000 labels are not spread evenly over the 10 classes \(class counts \d+, .*, 0; chi-square [\d.]+ on 9 degrees of freedom, p = [\d.e-]+\): draw each label uniformly from 0 … 9$/);
    const old = ctx.args[0] as number[];
    const shuffled = labelsPermuted.randomLabels(old, 10, 1);
    const detect = problemOf('randomLabels').mistakes![0].matches;
    expect(detect({ ...ctx, output: shuffled })).toBe(true);
    expect(detect({ ...ctx, output: [...shuffled, Math.max(...old)] })).toBe(false);
  });

  it('memorize: the table is the measured accuracies', async () => {
    const [images, labels, options] = (() => {
      const p = problemOf('memorize');
      return generateCalls(assignment.id, p, p.cases[0], 'm')[0] as [tf.Tensor4D, number[], { epochs: number; seed: number }];
    })();
    const model = await trained('reference', () => reference.memorize(images, labels, options));
    const p = problemOf('memorize');
    const v = await p.check(caseContext([{ args: [images, labels, options], output: model, expected: undefined }], p.cases[0].name, true, 'm'));
    const [, train, test] = /gets ([\d.]+) of those labels right, and ([\d.]+) of 500/.exec(v.message)!;
    const want = textTable('Memorising random labels', ['digits', 'accuracy'], [
      ['the 200 training digits, on their random labels', train],
      ['500 held-out digits, on their true labels', test],
    ], { caption: 'Your network, measured by the grader. Training accuracy near 1 with test accuracy near 0.1 is memorisation: there is nothing to generalise from random labels.' });
    expect(v.figures).toEqual([want]);
  }, 120_000);

  it('memorize: a network whose outputs include negative numbers is not a classifier', () => {
    const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 10 })] });
    model.layers[1].setWeights([tf.zeros([784, 10]), tf.tensor1d([2, -1, 0, 0, 0, 0, 0, 0, 0, 0])]);
    expect(classifierProblem(model)).toBe("your network's 10 outputs for a blank image sum to 1.000 or include negative values: end with a softmax, so that they are class probabilities");
  });

  it('randomReluFeatures: names the call, the seeds and the numbers; W is compared within 1e-9 of the larger value, row by row', async () => {
    const ctx = await contextOf('randomReluFeatures', '30 rows', 'f');
    const [first, part, other] = ctx.calls.map((k) => k.output as Matrix);
    const seed = ctx.args[2] as number;
    expect(checkWith('randomReluFeatures', ctx, [first, part.map((r) => r.slice(1)), other]).message).toBe('call 2: your features are 10 × 1999; expected 10 × 2000 (a row of p features for each row of X)');
    expect(checkWith('randomReluFeatures', ctx, [first, [], other]).message).toBe('call 2: your features are 0 × 0; expected 10 × 2000 (a row of p features for each row of X)');
    // Values above 2 moved by 2e-9: within 1e-9 of their size, so the same W.
    const big = part.flat().filter((v) => v > 2).length;
    expect(big).toBeGreaterThan(10);
    expect(checkWith('randomReluFeatures', ctx, [first, part.map((r) => r.map((v) => (v > 2 ? v + 2e-9 : v))), other]).score).toBe(1);
    const oneRow = part.map((r, i) => (i === 3 ? r.map((v) => v * 1.001) : r));
    expect(checkWith('randomReluFeatures', ctx, [first, oneRow, other]).message).toMatch(/^with seed \d+, the features of X's first 10 rows differ/);
    // Another seed that differs in one entry only is another W.
    const almost = first.map((r, i) => (i === 0 ? r.map((v, j) => (j === 0 ? v + 1 : v)) : r));
    expect(checkWith('randomReluFeatures', ctx, [first, part, almost]).score).toBe(1);
    expect(checkWith('randomReluFeatures', ctx, [first, part, first]).message).toBe(`seeds ${seed} and ${seed + 1} gave the same features: draw W from the seed`);
    expect(checkWith('randomReluFeatures', ctx, [first, part, other]).message).toMatch(/^2000 features per row: 0\.\d+ zero, mean square [\d.]+ × ‖x‖²\/\(2d\)$/);
    // Without the ReLU, but with some entries zeroed: not the plain X·W the hint names.
    const raw = featuresNoRelu.randomReluFeatures(ctx.args[0] as Matrix, 2000, seed).map((r) => r.map((v, j) => (j % 20 === 0 ? 0 : v)));
    expect(problemOf('randomReluFeatures').mistakes![0].matches({ ...ctx, output: raw })).toBe(false);
  });

  it('minNormLeastSquares: reports the difference, the norms and the residuals, and the shape of A', async () => {
    const over = await contextOf('minNormLeastSquares', 'over-determined', 'l');
    expect(checkWith('minNormLeastSquares', over, [over.output]).message).toMatch(/^‖β − A⁺y‖ \/ ‖A⁺y‖ = \d\.\de[-+]\d+$/);
    const [A, y] = over.args as [Matrix, number[]];
    const best = over.expected as number[];
    const fit = A.map((row) => row.reduce((s, x, j) => s + x * best[j], 0) - y[A.indexOf(row)]);
    expect(checkWith('minNormLeastSquares', over, [best.map(() => 0)]).message).toBe(
      `A is 30 × 10 (more rows than columns): your β is 1 × ‖A⁺y‖ away from the minimum-norm solution A⁺y (‖β‖ = 0 against ${fmt(normOf(best))}; ‖Aβ − y‖ = ${fmt(normOf(y))} against ${fmt(normOf(fit))})`,
    );
    const square = await contextOf('minNormLeastSquares', 'square', 'l');
    expect(checkWith('minNormLeastSquares', square, [(square.expected as number[]).map((v) => v * 2)]).message).toMatch(/^A is 20 × 20: your β is 1 × ‖A⁺y‖ away/);
    const under = await contextOf('minNormLeastSquares', 'under-determined: A is 10', 'l');
    expect(checkWith('minNormLeastSquares', under, [(under.expected as number[]).map((v) => v * 2)]).message).toMatch(/^A is 10 × 30 \(more columns than rows: infinitely many exact fits\): your β/);
    // Longer than A⁺y but not a fit: not the normal equations' exact fit.
    expect(problemOf('minNormLeastSquares').mistakes![0].matches({ ...under, output: (under.expected as number[]).map((v) => v * 2) })).toBe(false);
  });

  it('doubleDescentCurve: the edges of the band and of the descent, zeros, and the figure', async () => {
    const ctx = await contextOf('doubleDescentCurve', '100 pooled', 'c');
    const curve = ctx.output as number[];
    const counts = ctx.args[4] as number[];
    const check = (answer: number[], on: Ctx = ctx) => checkWith('doubleDescentCurve', on, [answer]);
    // An error of exactly 0 is not negative; a negative first error is named with its p.
    expect(check(curve.map((e, i) => (i === curve.length - 1 ? 0 : e))).score).toBe(1);
    expect(check(curve.map((e, i) => (i === 0 ? -1 : e))).message).toBe('the error at p = 10 is -1; a mean squared error is never negative');
    // The descent: exactly a quarter of the peak passes.
    const exact = counts.map((p) => (p === 100 ? 1024 : p === 2000 ? 256 : 100));
    expect(check(exact).score).toBe(1);
    expect(check(exact).message).toBe('your test error peaks at p = 100 (1020) and is 256 at p = 2000; n = 100 training rows');
    expect(check(exact.map((e, i) => (i === exact.length - 1 ? 257 : e))).message).toMatch(/should come down again, to at most 1\/4 of the peak at the largest p$/);
    // The band: 20 % of n either side, ends included (the hidden case has p = 64 for n = 80).
    const hidden = await contextOf('doubleDescentCurve', '80 pooled', 'c', curveTrainingError.doubleDescentCurve as AnyFunction, false);
    const hiddenCounts = hidden.args[4] as number[];
    const at64 = hiddenCounts.map((p) => (p === 64 ? 1000 : p === 1600 ? 1 : 10));
    expect(check(at64, hidden).score).toBe(1);
    expect(check(at64, hidden).figures ?? []).toEqual([]);
    expect(check(hiddenCounts.map((p) => (p === 40 ? 1000 : p === 1600 ? 1 : 10)), hidden).message).toMatch(/peaks at p = 40 .*within ±20 %\)/);
    // The figure: the curve on a log axis, the threshold from the smallest to the largest positive error.
    const drawn = curve.map((e, i) => (i === curve.length - 1 ? 0 : e));
    const positive = drawn.filter((e) => e > 0);
    const want = lineChart('Your double-descent curve', [
      { name: 'test error', points: counts.map((p, i): [number, number] => [p, drawn[i]]) },
      { name: 'interpolation threshold p = n = 100', points: [[100, Math.min(...positive)], [100, Math.max(...positive)]] },
    ], { xLabel: 'p (random ReLU features)', yLabel: 'test mean squared error', logY: true, caption: 'Minimum-norm least squares on p random ReLU features of 100 pooled and centred training digits, measured on 500 test digits.' });
    expect(check(drawn).figures).toEqual([want]);
    const zeros = counts.map(() => 0);
    const empty = lineChart('Your double-descent curve', [
      { name: 'test error', points: counts.map((p): [number, number] => [p, 0]) },
      { name: 'interpolation threshold p = n = 100', points: [[100, 1], [100, 10]] },
    ], { xLabel: 'p (random ReLU features)', yLabel: 'test mean squared error', logY: true, caption: 'Minimum-norm least squares on p random ReLU features of 100 pooled and centred training digits, measured on 500 test digits.' });
    expect(check(zeros).figures).toEqual([empty]);
  }, 60_000);

  it('doubleDescentCurve: the training-error detector wants zeros from just past n on, and nothing else', async () => {
    const ctx = await contextOf('doubleDescentCurve', '100 pooled', 'c');
    const counts = ctx.args[4] as number[];
    const detect = (output: number[], on: Ctx = ctx) => problemOf('doubleDescentCurve').mistakes![0].matches({ ...on, output });
    const top = 800;
    const shaped = (zeroFrom: number, value = 0) => counts.map((p) => (p >= zeroFrom ? value : top));
    expect(detect(shaped(110))).toBe(true);
    expect(detect(shaped(110, 1e-7))).toBe(true);
    expect(detect(shaped(110, 1e-4))).toBe(false);
    expect(detect(counts.map((p) => (p === 2000 ? 0 : top)))).toBe(false);
    expect(detect(counts.map(() => 0))).toBe(false);
    expect(detect(shaped(110).slice(1))).toBe(false);
    // Zero at p = 100 too is still the training error; zeros only from p = 125 on are not "from just past n".
    expect(detect(shaped(100))).toBe(true);
    expect(detect(shaped(125))).toBe(false);
    // No p past n + 5: nothing to judge.
    const few = { ...ctx, args: [...ctx.args.slice(0, 4), [10, 50, 100], ctx.args[5]] };
    expect(detect([top, 0, 0], few as Ctx)).toBe(false);
  });
});
