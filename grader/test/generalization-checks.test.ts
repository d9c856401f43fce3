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
