/**
 * The check code of assignments/adversarial (assignment.ts and checks.ts), called directly on
 * contexts built like grading builds them (caseContext): every check passes the reference and
 * two independent correct implementations, fails an answer that only it rejects, and has its
 * tolerances pinned on both sides; every detector fires on its mistake's output and stays
 * silent on the reference, on the other mistakes and on generic wrong answers. Small batches
 * (8 images) keep the whole file to a few seconds on wasm.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import assignment, { accuracyVerdict, beatsFgsm, checkAccuracy, randomMargin } from '../../assignments/adversarial/assignment.ts';
import { PNG } from 'pngjs';
import {
  accuracyChart,
  accuracyOf,
  agreementWithMistake,
  argmax,
  beyondBall,
  exampleRows,
  image,
  linf,
  probabilities,
  sameShape,
  BALL_TOLERANCE,
  commonStep,
  constraint,
  GRADIENT_ATOL,
  GRADIENT_RTOL,
  gradientMatches,
  lossReached,
  LOSS_RATIO,
  meanLoss,
  multiplesOf,
  NOISE_TOLERANCE,
  noiseCall,
  PIXELS,
  SIGN_Z,
  where,
} from '../../assignments/adversarial/checks.ts';
import { type Batch, type ModelName, testBatch, zoo } from '../../assignments/adversarial/data.ts';
import { testData } from '../src/models/train.ts';
import { zooModel } from '../src/models/zoo.ts';
import * as accuracyCounts from '../../assignments/adversarial/mistakes/accuracy-counts.ts';
import * as fgsmDescends from '../../assignments/adversarial/mistakes/fgsm-descends.ts';
import * as fgsmNoClip from '../../assignments/adversarial/mistakes/fgsm-no-clip.ts';
import * as fgsmRawGradient from '../../assignments/adversarial/mistakes/fgsm-raw-gradient.ts';
import * as gradientWrongLabel from '../../assignments/adversarial/mistakes/gradient-wrong-label.ts';
import * as noiseWrongScale from '../../assignments/adversarial/mistakes/noise-wrong-scale.ts';
import * as pgdNoProjection from '../../assignments/adversarial/mistakes/pgd-no-projection.ts';
import * as pgdAroundIterate from '../../assignments/adversarial/mistakes/pgd-projects-around-iterate.ts';
import * as pgdSingleStep from '../../assignments/adversarial/mistakes/pgd-single-step.ts';
import * as reference from '../../solutions/adversarial/attack.ts';
import type { AnyFunction, CheckContext, ProblemSpec } from '../src/assignment/define.ts';
import { caseContext, generateCalls } from '../src/cases/calls.ts';
import { createRng } from '../src/cases/rng.ts';
import { caseSeed } from '../src/run/seeds.ts';
import { drawFigures, type Verdict } from '../src/checks/verdict.ts';
import { initTensorBackend } from '../src/tensor/backend.ts';
import * as valueAndGrad from './fixtures/adversarial-alternatives/value-and-grad/attack.ts';
import * as gatherLog from './fixtures/adversarial-alternatives/gather-log/attack.ts';
import { chartTexts } from './helpers.ts';

type Ctx = CheckContext<unknown[], unknown>;
type X = tf.Tensor4D;
type Options = { epsilon: number; stepSize: number; steps: number };

const ALTERNATIVES = { 'tf.valueAndGrad': valueAndGrad, 'gather and log': gatherLog };

function problemOf(name: string): ProblemSpec {
  const found = assignment.problems.find((p) => p.export === name);
  if (!found) throw new Error(`no problem ${name}`);
  return found;
}

function contextOf(name: string, calls: Array<{ args: unknown[]; output: unknown }>, visible = false, caseName = 'a test case', seed = 'adversarial-checks'): Ctx {
  const ref = problemOf(name).reference as AnyFunction;
  const records = calls.map(({ args, output }) => ({ args, output, expected: ref(...args) }));
  return caseContext(records, caseName, visible, seed);
}

async function check(name: string, calls: Array<{ args: unknown[]; output: unknown }>, visible = false): Promise<Verdict> {
  return await problemOf(name).check(contextOf(name, calls, visible));
}

function detector(name: string, id: string): (ctx: Ctx) => boolean {
  const mistake = problemOf(name).mistakes?.find((m) => m.id === id);
  if (!mistake) throw new Error(`no mistake ${id} in ${name}`);
  return mistake.matches;
}

/** A copy of `t` with flat entry `index` set to `value`. */
function withEntry(t: tf.Tensor, index: number, value: number): X {
  const data = Float32Array.from(t.dataSync());
  data[index] = value;
  return tf.tensor4d(data, t.shape as [number, number, number, number]);
}

function mapped(t: tf.Tensor, f: (v: number, i: number) => number): X {
  return tf.tensor4d(Float32Array.from(t.dataSync(), f), t.shape as [number, number, number, number]);
}

/** Generic wrong answers: every number ×1.5, +0.25, and the answer with one pixel changed by 0.5. */
function genericWrong(t: tf.Tensor): X[] {
  return [mapped(t, (v) => v * 1.5), mapped(t, (v) => v + 0.25), withEntry(t, 100, t.dataSync()[100] + 0.5)];
}

let model: tf.LayersModel;
let model04: tf.LayersModel;
let right: Batch;
let mixed: Batch;
let right04: Batch;

/**
 * `count` test images of the model's digits, `misclassified` of them ones the model gets wrong:
 * like testBatch's, but from 256 images spread over the split and predicted in one batch.
 * testBatch first predicts all ~2,000 test images (1.3 s), which `npm run mutation` would pay
 * for every mutant; the tests that need its exact choice call it themselves.
 */
function spreadBatch(name: ModelName, count: number, misclassified = 0): Batch {
  const all = testData(zooModel(name));
  const ids = Array.from({ length: 256 }, (_, i) => Math.floor((i * all.count) / 256));
  const images = (chosen: number[]) => Float32Array.from(chosen.flatMap((id) => Array.from(all.images.subarray(id * PIXELS, (id + 1) * PIXELS))));
  const predicted = tf.tidy(() => (zoo(name).predict(tf.tensor4d(images(ids), [ids.length, 28, 28, 1])) as tf.Tensor).argMax(-1).arraySync() as number[]);
  // Evenly from each list, so the batch has every digit (the split lists the digits in turn).
  const spread = (list: number[], n: number) => Array.from({ length: Math.min(n, list.length) }, (_, t) => list[Math.floor((t * list.length) / n)]);
  const right = spread(ids.filter((id, k) => predicted[k] === all.classes[id]), count - misclassified);
  const wrong = spread(ids.filter((id, k) => predicted[k] !== all.classes[id]), misclassified);
  if (wrong.length < misclassified) throw new Error(`${name} gets only ${wrong.length} of these images wrong`);
  const chosen = [...right.slice(0, 2), ...wrong, ...right.slice(2)];
  return { x: tf.tensor4d(images(chosen), [chosen.length, 28, 28, 1]), labels: chosen.map((id) => all.classes[id]) };
}

beforeAll(async () => {
  await initTensorBackend();
  model = zoo('digits-cnn');
  model04 = zoo('digits04-cnn');
  right = spreadBatch('digits-cnn', 8);
  mixed = spreadBatch('digits-cnn', 8, 2);
  right04 = spreadBatch('digits04-cnn', 8);
}, 60_000);

describe('the inputs', () => {
  it('gives images the model classifies correctly, and the asked number of misclassified ones', () => {
    const batches = [testBatch(createRng('adversarial-checks/right'), 'digits-cnn', 8), testBatch(createRng('adversarial-checks/mixed'), 'digits-cnn', 8, 2), testBatch(createRng('adversarial-checks/04'), 'digits04-cnn', 8)];
    for (const [batch, m, accuracy] of [[batches[0], model, 1], [batches[1], model, 6 / 8], [batches[2], model04, 1], [right, model, 1], [mixed, model, 6 / 8], [right04, model04, 1]] as const) {
      expect(reference.accuracy(m, batch.x, batch.labels)).toBe(accuracy);
      expect(batch.x.shape).toEqual([8, 28, 28, 1]);
    }
    expect(batches[2].labels.every((l) => l >= 0 && l <= 4)).toBe(true);
    // Drawn by the rng: another seed, other images.
    expect(testBatch(createRng('adversarial-checks/other'), 'digits-cnn', 8).labels).not.toEqual(batches[0].labels);
  });

  it('names pixels by [image, row, column, 0]', () => {
    expect(where(0)).toBe('[0, 0, 0, 0]');
    expect(where(PIXELS + 28 * 3 + 5)).toBe('[1, 3, 5, 0]');
  });

  it('measures the mean cross-entropy with Keras’s floor of 1e-7', () => {
    const p = tf.tidy(() => (model.predict(right.x) as tf.Tensor).arraySync() as number[][]);
    const expected = p.reduce((s, row, i) => s - Math.log(Math.max(row[right.labels[i]], 1e-7)), 0) / 8;
    expect(meanLoss(model, right.x, right.labels)).toBeCloseTo(expected, 12);
    // A label the model gives probability ~0 costs at most −ln 1e-7 per image.
    const wrong = right.labels.map((l) => (l + 5) % 10);
    expect(meanLoss(model, right.x, wrong)).toBeLessThanOrEqual(-Math.log(1e-7) + 1e-9);
  });
});

describe('crossEntropyGradient', () => {
  it('passes the reference and two independent implementations, on both models', async () => {
    for (const [batch, m] of [[mixed, model], [right04, model04]] as const) {
      expect((await check('crossEntropyGradient', [{ args: [m, batch.x, batch.labels], output: reference.crossEntropyGradient(m, batch.x, batch.labels) }])).score).toBe(1);
      for (const alt of Object.values(ALTERNATIVES)) {
        expect((await check('crossEntropyGradient', [{ args: [m, batch.x, batch.labels], output: alt.crossEntropyGradient(m, batch.x, batch.labels) }])).score).toBe(1);
      }
    }
  });

  it('has exact zeros on saturated images, which the reference has too', () => {
    const g = reference.crossEntropyGradient(model, right.x, right.labels).dataSync();
    expect(g.filter((v) => v === 0).length).toBeGreaterThan(0);
  });

  it('pins the tolerance on both sides: atol = 1e-4·max|g| on a zero entry, plus rtol = 1e-3·|g| on the largest', () => {
    const g = reference.crossEntropyGradient(model, mixed.x, mixed.labels);
    const data = g.dataSync();
    const scale = Math.max(...Array.from(data, Math.abs));
    const zero = data.findIndex((v) => v === 0);
    const largest = Array.from(data, Math.abs).indexOf(scale);
    expect(gradientMatches(withEntry(g, zero, 0.99 * GRADIENT_ATOL * scale), g).score).toBe(1);
    expect(gradientMatches(withEntry(g, zero, 1.01 * GRADIENT_ATOL * scale), g).score).toBe(0);
    const bound = GRADIENT_ATOL * scale + GRADIENT_RTOL * scale;
    expect(gradientMatches(withEntry(g, largest, data[largest] + 0.99 * bound * Math.sign(data[largest])), g).score).toBe(1);
    expect(gradientMatches(withEntry(g, largest, data[largest] + 1.01 * bound * Math.sign(data[largest])), g).score).toBe(0);
  });

  it('fails a sum instead of a mean, a missing minus, and a wrong shape', async () => {
    const g = reference.crossEntropyGradient(model, mixed.x, mixed.labels);
    const args = [model, mixed.x, mixed.labels];
    expect((await check('crossEntropyGradient', [{ args, output: g.mul(8) }])).score).toBe(0);
    expect((await check('crossEntropyGradient', [{ args, output: g.neg() }])).score).toBe(0);
    const reshaped = await check('crossEntropyGradient', [{ args, output: g.reshape([8, 28, 1, 28]) }]);
    expect(reshaped.score).toBe(0);
    expect(reshaped.message).toContain('shape [8, 28, 1, 28], expected [8, 28, 28, 1]');
  });

  it('gradient-wrong-label fires on the predicted-class gradient where predictions differ, and only there', () => {
    const matches = detector('crossEntropyGradient', 'gradient-wrong-label');
    const args = [model, mixed.x, mixed.labels];
    const wrong = gradientWrongLabel.crossEntropyGradient(model, mixed.x, mixed.labels);
    const ctx = contextOf('crossEntropyGradient', [{ args, output: wrong }]);
    expect(problemOf('crossEntropyGradient').check(ctx)).toMatchObject({ score: 0 });
    expect(matches(ctx)).toBe(true);
    expect(matches(contextOf('crossEntropyGradient', [{ args, output: reference.crossEntropyGradient(model, mixed.x, mixed.labels) }]))).toBe(false);
    for (const output of genericWrong(wrong)) expect(matches(contextOf('crossEntropyGradient', [{ args, output }]))).toBe(false);
    expect(matches(contextOf('crossEntropyGradient', [{ args, output: reference.crossEntropyGradient(model, mixed.x, mixed.labels).mul(8) }]))).toBe(false);
    // Where the model is right everywhere, the two gradients are the same: no hint.
    const same = gradientWrongLabel.crossEntropyGradient(model, right.x, right.labels);
    expect(matches(contextOf('crossEntropyGradient', [{ args: [model, right.x, right.labels], output: same }]))).toBe(false);
  });
});

describe('fgsm', () => {
  const eps = 0.1;
  const args = (): unknown[] => [model, right.x, right.labels, eps];

  it('passes the reference and two independent implementations; the message gives losses and accuracies', async () => {
    const verdict = await check('fgsm', [{ args: args(), output: reference.fgsm(model, right.x, right.labels, eps) }]);
    expect(verdict.score).toBe(1);
    expect(verdict.message).toMatch(/^ε = 0\.1: loss clean \d\.\d{3} → your FGSM \d\.\d{3} \(reference \d\.\d{3}\); accuracy clean 1\.000, random ±ε \d\.\d{3}, your FGSM \d\.\d{3}$/);
    for (const alt of Object.values(ALTERNATIVES)) {
      expect((await check('fgsm', [{ args: args(), output: alt.fgsm(model, right.x, right.labels, eps) }])).score).toBe(1);
      expect((await check('fgsm', [{ args: [model04, right04.x, right04.labels, 0.2], output: alt.fgsm(model04, right04.x, right04.labels, 0.2) }])).score).toBe(1);
    }
  });

  it('draws example rows for a visible case and an accuracy chart for a sweep', async () => {
    const one = await check('fgsm', [{ args: args(), output: reference.fgsm(model, right.x, right.labels, eps) }], true);
    expect(one.figures?.length).toBe(2);
    expect(one.figures?.[0].caption).toMatch(/original: predicted \d \(\d+\.\d %\) · perturbation .* · FGSM: predicted \d \(\d+\.\d %\)/);
    const sweep = await check('fgsm', [0.05, 0.2].map((e) => ({ args: [model, right.x, right.labels, e], output: reference.fgsm(model, right.x, right.labels, e) })), true);
    expect(sweep.score).toBe(1);
    expect(sweep.figures?.map((f) => f.mediaType)).toEqual(['image/svg+xml']);
    expect(sweep.message.split('\n')).toHaveLength(2);
    const hidden = await check('fgsm', [{ args: args(), output: reference.fgsm(model, right.x, right.labels, eps) }], false);
    expect(hidden.figures).toBeUndefined();
  });

  it('pins the constraint: ε + 1e-6 around x and [−1e-6, 1 + 1e-6]', () => {
    const out = reference.fgsm(model, right.x, right.labels, eps);
    const x = right.x.dataSync();
    const i = x.findIndex((v) => v > 0.3 && v < 0.6);
    expect(constraint(withEntry(out, i, x[i] + eps + 0.5 * BALL_TOLERANCE), right.x, eps, 'x_adv').score).toBe(1);
    const far = constraint(withEntry(out, i, x[i] + eps + 2 * BALL_TOLERANCE), right.x, eps, 'x_adv');
    expect(far.score).toBe(0);
    expect(far.message).toContain(`at ${where(i)}`);
    const zero = x.findIndex((v) => v === 0);
    expect(constraint(withEntry(out, zero, -0.5 * BALL_TOLERANCE), right.x, eps, 'x_adv').score).toBe(1);
    expect(constraint(withEntry(out, zero, -2 * BALL_TOLERANCE), right.x, eps, 'x_adv').message).toContain('is not a valid pixel');
    const one = x.findIndex((v) => v === 1);
    expect(constraint(withEntry(out, one, 1 + 0.5 * BALL_TOLERANCE), right.x, eps, 'x_adv').score).toBe(1);
    expect(constraint(withEntry(out, one, 1 + 2 * BALL_TOLERANCE), right.x, eps, 'x_adv').score).toBe(0);
  });

  it('pins the loss: above the clean loss, and at least 0.98 × the reference’s', () => {
    expect(lossReached('FGSM', 0.5, 0.1, 0.5 / LOSS_RATIO).score).toBe(1);
    expect(lossReached('FGSM', 0.5 - 1e-9, 0.1, 0.5 / LOSS_RATIO).score).toBe(0);
    expect(lossReached('FGSM', 0.1, 0.1, 0.1).score).toBe(0);
    expect(lossReached('FGSM', 0.1 + 1e-9, 0.1, 0.1).score).toBe(1);
    expect(lossReached('FGSM', 0.3, 0.1, 1).message).toContain('reaches 1.000 at the same ε (at least 0.98 × that, 0.980, is required)');
  });

  it('fails x unchanged, a wrong shape, and each declared mistake', async () => {
    expect((await check('fgsm', [{ args: args(), output: right.x.clone() }])).message).toContain('not above the clean images');
    expect((await check('fgsm', [{ args: args(), output: right.x.reshape([8, 784, 1, 1]) }])).score).toBe(0);
    for (const wrong of [fgsmDescends, fgsmNoClip, fgsmRawGradient]) {
      expect((await check('fgsm', [{ args: args(), output: wrong.fgsm(model, right.x, right.labels, eps) }])).score).toBe(0);
    }
  });

  it('each detector fires on its mistake only, never on the reference, the other mistakes or generic wrong answers', () => {
    const mistakes = { 'fgsm-descends': fgsmDescends, 'fgsm-no-clip': fgsmNoClip, 'fgsm-raw-gradient': fgsmRawGradient };
    const ref = reference.fgsm(model, right.x, right.labels, eps);
    const outputs: Record<string, X> = { reference: ref, unchanged: right.x.clone(), 'FGSM at ε/2': reference.fgsm(model, right.x, right.labels, eps / 2) };
    genericWrong(ref).forEach((t, i) => (outputs[`generic ${i}`] = t));
    for (const [id, m] of Object.entries(mistakes)) outputs[id] = m.fgsm(model, right.x, right.labels, eps);
    for (const id of Object.keys(mistakes)) {
      const matches = detector('fgsm', id);
      for (const [name, output] of Object.entries(outputs)) {
        expect([id, name, matches(contextOf('fgsm', [{ args: args(), output }]))]).toEqual([id, name, name === id]);
      }
    }
  });

  it('agreementWithMistake counts only the pixels that tell the mistake apart, and needs 1 % of them', () => {
    const a = tf.tensor4d([0, 0, 0, 0], [1, 2, 2, 1]);
    const m = tf.tensor4d([1, 0, 0, 0], [1, 2, 2, 1]);
    expect(agreementWithMistake(m, m, a, 1e-5)).toBe(1);
    expect(agreementWithMistake(a, m, a, 1e-5)).toBe(0);
    expect(agreementWithMistake(a, a, a, 1e-5)).toBe(0);
    expect(agreementWithMistake(tf.tensor4d([1, 0, 0, 0], [1, 4, 1, 1]), m, a, 1e-5)).toBe(0);
    expect(agreementWithMistake(tf.tensor4d([1 + 1e-5, 0, 0, 0], [1, 2, 2, 1]), m, a, 2e-5)).toBe(1);
    expect(agreementWithMistake(tf.tensor4d([1 + 3e-5, 0, 0, 0], [1, 2, 2, 1]), m, a, 2e-5)).toBe(0);
  });
});

describe('pgd', () => {
  const small: Options = { epsilon: 0.1, stepSize: 0.025, steps: 10 };
  const large: Options = { epsilon: 0.03, stepSize: 0.1, steps: 3 };
  const args = (o: Options): unknown[] => [model, right.x, right.labels, o];

  it('passes the reference and two independent implementations, with and without a step larger than ε', async () => {
    for (const o of [small, large]) {
      const verdict = await check('pgd', [{ args: args(o), output: reference.pgd(model, right.x, right.labels, o) }]);
      expect(verdict.score).toBe(1);
      expect(verdict.message).toMatch(/^ε = [\d.]+, \d+ steps of [\d.]+: loss clean \d\.\d{3} → FGSM \d\.\d{3} → your PGD \d\.\d{3} \(reference \d\.\d{3}\); accuracy clean 1\.000, random ±ε \d\.\d{3}, FGSM \d\.\d{3}, your PGD \d\.\d{3}$/);
      for (const alt of Object.values(ALTERNATIVES)) expect((await check('pgd', [{ args: args(o), output: alt.pgd(model, right.x, right.labels, o) }])).score).toBe(1);
    }
  });

  it('holds PGD to FGSM’s loss only for many small steps (step ≤ ε/2, steps·step ≥ 2ε)', async () => {
    expect(beatsFgsm(small)).toBe(true);
    expect(beatsFgsm({ epsilon: 0.2, stepSize: 0.1, steps: 4 })).toBe(true);
    expect(beatsFgsm({ epsilon: 0.2, stepSize: 0.1 + 1e-6, steps: 4 })).toBe(false);
    expect(beatsFgsm({ epsilon: 0.2, stepSize: 0.05, steps: 8 })).toBe(true);
    expect(beatsFgsm({ epsilon: 0.2, stepSize: 0.05, steps: 7 })).toBe(false);
    expect(beatsFgsm({ epsilon: 0.137, stepSize: 0.137 / 5, steps: 10 })).toBe(true);
    expect(beatsFgsm(large)).toBe(false);
    // FGSM with 0.9 ε stays inside the ball and below FGSM's loss at ε.
    const weaker = reference.fgsm(model, right.x, right.labels, 0.9 * small.epsilon);
    expect((await check('pgd', [{ args: args(small), output: weaker }])).message).toContain('should climb higher than one step of ε');
    const fgsmAnswer = reference.fgsm(model, right.x, right.labels, small.epsilon);
    expect((await check('pgd', [{ args: args(small), output: fgsmAnswer }])).message).not.toContain('climb higher');
    const fgsmLarge = reference.fgsm(model, right.x, right.labels, large.epsilon);
    expect((await check('pgd', [{ args: args(large), output: fgsmLarge }])).message).not.toContain('climb higher');
  });

  it('checks the ball around the ORIGINAL x', async () => {
    const verdict = await check('pgd', [{ args: args(small), output: pgdNoProjection.pgd(model, right.x, right.labels, small) }]);
    expect(verdict.message).toContain('leaves the ε-ball around the original image');
  });

  it('each detector fires on its mistake where it is visible, and never on the others or generic wrong answers', () => {
    const mistakes = { 'pgd-projects-around-iterate': pgdAroundIterate, 'pgd-no-projection': pgdNoProjection, 'pgd-single-step': pgdSingleStep };
    // Where each mistake is told apart: a step larger than ε separates the two projections;
    // many small steps show a single step.
    const visibleOn: Record<string, Options> = { 'pgd-projects-around-iterate': large, 'pgd-no-projection': large, 'pgd-single-step': small };
    for (const o of [small, large]) {
      const ref = reference.pgd(model, right.x, right.labels, o);
      const outputs: Record<string, X> = { reference: ref, unchanged: right.x.clone(), fgsm: reference.fgsm(model, right.x, right.labels, o.epsilon) };
      genericWrong(ref).forEach((t, i) => (outputs[`generic ${i}`] = t));
      for (const [id, m] of Object.entries(mistakes)) outputs[id] = m.pgd(model, right.x, right.labels, o);
      for (const id of Object.keys(mistakes)) {
        const matches = detector('pgd', id);
        for (const [name, output] of Object.entries(outputs)) {
          expect([id, o, name, matches(contextOf('pgd', [{ args: args(o), output }]))]).toEqual([id, o, name, name === id && visibleOn[id] === o]);
        }
      }
    }
  });

  it('multiplesOf and commonStep measure moved interior pixels and need 100 of them', () => {
    const x = tf.zeros<tf.Rank.R4>([1, 28, 28, 1]);
    const twoSteps = mapped(x, (_, i) => (i < 150 ? 0.2 : i < 300 ? 0.1 : 0));
    expect(multiplesOf(twoSteps, x, 0.1, 2)).toBe(1);
    expect(multiplesOf(twoSteps, x, 0.1, 1)).toBe(0.5);
    expect(multiplesOf(twoSteps, x, 0.03, 3)).toBe(0);
    expect(commonStep(twoSteps, x)).toBeUndefined();
    const oneStep = mapped(x, (_, i) => (i < 100 ? 0.1 : 0));
    expect(commonStep(oneStep, x)).toBeCloseTo(0.1, 6);
    expect(commonStep(mapped(x, (_, i) => (i < 99 ? 0.1 : 0)), x)).toBeUndefined();
    expect(multiplesOf(mapped(x, (_, i) => (i < 99 ? 0.1 : 0)), x, 0.1, 1)).toBe(0);
    // Pixels at 0 or 1 were clipped: they say nothing about the step.
    expect(commonStep(mapped(x, (_, i) => (i < 100 ? 0.1 : i < 200 ? 1 : 0)), x)).toBeCloseTo(0.1, 6);
    expect(commonStep(mapped(x, (_, i) => (i < 100 ? 0.1 : i === 100 ? 0.1 + 2 * NOISE_TOLERANCE : 0)), x)).toBeUndefined();
  });
});

describe('randomSignNoise', () => {
  const problem = (): ProblemSpec => problemOf('randomSignNoise');
  /** A real case's calls and context, with the given outputs (default: the reference's). */
  function caseRun(index: number, outputs?: (args: unknown[], i: number) => X, visible = false): Ctx {
    const c = problem().cases[index];
    const seed = `adversarial-checks/noise/${index}`;
    const calls = generateCalls('adversarial', problem(), c, seed);
    const records = calls.map((a, i) => {
      const [x, e, s] = a as [X, number, number];
      return { args: a, output: outputs ? outputs(a, i) : reference.randomSignNoise(x, e, s), expected: reference.randomSignNoise(x, e, s) };
    });
    return caseContext(records, c.name, visible, seed);
  }

  it('passes the reference on every case and two independent generators; the sweep draws a chart', async () => {
    for (let index = 0; index < problem().cases.length; index++) expect((await problem().check(caseRun(index))).score).toBe(1);
    for (const alt of Object.values(ALTERNATIVES)) {
      const verdict = await problem().check(caseRun(1, (a) => alt.randomSignNoise(...(a as [X, number, number]))));
      expect([verdict.score, verdict.message]).toEqual([1, expect.any(String)]);
    }
    const first = await problem().check(caseRun(0, undefined, true));
    expect(first.message).toMatch(/^ε = 0\.2: accuracy clean 1\.000, your random ±ε \d\.\d{3}, FGSM \d\.\d{3}$/);
    expect(first.figures).toBeUndefined();
    expect((await problem().check(caseRun(2, undefined, true))).figures?.length).toBe(1);
  }, 30_000);

  it('pins "exactly ±ε" at 1e-6', () => {
    const x = right.x;
    const noise = reference.randomSignNoise(x, 0.1, 3);
    const data = noise.dataSync();
    const i = Array.from(x.dataSync()).findIndex((v, k) => v > 0.3 && v < 0.6 && data[k] > v);
    expect(noiseCall(withEntry(noise, i, data[i] + 0.9 * NOISE_TOLERANCE), x, 0.1, '').score).toBe(1);
    const off = noiseCall(withEntry(noise, i, data[i] + 1.5 * NOISE_TOLERANCE), x, 0.1, '');
    expect(off.score).toBe(0);
    expect(off.message).toContain(`pixel ${where(i)} moved`);
    expect(noiseCall(noise.reshape([8, 28, 1, 28]), x, 0.1, '').score).toBe(0);
  });

  it('pins the binomial bounds: n/2 ± 5·√n/2 plus signs', () => {
    const x = tf.fill<tf.Rank.R4>([1, 28, 28, 1], 0.5);
    const n = 784;
    const low = Math.ceil(n / 2 - (SIGN_Z * Math.sqrt(n)) / 2);
    const high = Math.floor(n / 2 + (SIGN_Z * Math.sqrt(n)) / 2);
    const withPlus = (plus: number): X => mapped(x, (_, i) => (i < plus ? 0.6 : 0.4));
    expect(noiseCall(withPlus(low), x, 0.1, '').score).toBe(1);
    expect(noiseCall(withPlus(low - 1), x, 0.1, '').score).toBe(0);
    expect(noiseCall(withPlus(high), x, 0.1, '').score).toBe(1);
    expect(noiseCall(withPlus(high + 1), x, 0.1, '').message).toContain(`expected between ${low} and ${high}`);
  });

  it('requires the same noise from the same seed and different noise from different seeds', async () => {
    const sameForAll = await problem().check(caseRun(1, (a) => reference.randomSignNoise(a[0] as X, a[1] as number, 42)));
    expect(sameForAll.message).toContain('used different seeds');
    const fresh = await problem().check(caseRun(1, (a, i) => reference.randomSignNoise(a[0] as X, a[1] as number, 1000 + i)));
    expect(fresh.message).toContain('used the same seed');
  });

  it('requires random noise to hurt at least 0.1 less than FGSM at ε = 0.2: the gradient’s signs as "noise" fail', async () => {
    const gradientSigns = (a: unknown[]): X => {
      const [x, e, s] = a as [X, number, number];
      const ctx = caseRun(0);
      void ctx;
      const labels = testBatch(createRng('adversarial-checks/noise/0'), 'digits-cnn', x.shape[0]).labels;
      const g = reference.crossEntropyGradient(model, x, labels).sign().dataSync();
      const coin = reference.randomSignNoise(x, e, s).dataSync();
      const xs = x.dataSync();
      // The gradient's sign where it has one, a fair coin elsewhere.
      return mapped(x, (v, i) => Math.min(1, Math.max(0, xs[i] + e * (g[i] !== 0 ? g[i] : coin[i] > xs[i] ? 1 : -1))));
    };
    const verdict = await problem().check(caseRun(0, gradientSigns));
    expect(verdict.message).toContain('random signs should hurt far less than the gradient');
  });

  it('noise-wrong-scale fires on noise of one wrong size, never on the reference or generic wrong answers', () => {
    const matches = detector('randomSignNoise', 'noise-wrong-scale');
    expect(matches(caseRun(1, (a) => noiseWrongScale.randomSignNoise(...(a as [X, number, number]))))).toBe(true);
    expect(matches(caseRun(1, (a) => reference.randomSignNoise(a[0] as X, 2 * (a[1] as number), a[2] as number)))).toBe(true);
    expect(matches(caseRun(1))).toBe(false);
    for (let k = 0; k < 3; k++) expect(matches(caseRun(1, (a) => genericWrong(reference.randomSignNoise(...(a as [X, number, number])))[k]))).toBe(false);
    expect(matches(caseRun(1, (a) => (a[0] as X).clone()))).toBe(false);
  });
});

describe('accuracy', () => {
  it('is exact, tolerating float32 rounding of k/N but not one image more or less', () => {
    const x = mixed.x;
    const args: [tf.LayersModel, X, number[]] = [model, x, mixed.labels];
    expect(checkAccuracy(args, 6 / 8).score).toBe(1);
    expect(checkAccuracy(args, 6 / 8).message).toBe('accuracy 0.75 (6 of 8 images)');
    expect(checkAccuracy(args, 6 / 8 + 1e-7).score).toBe(1);
    expect(checkAccuracy(args, 6 / 8 + 2e-7).score).toBe(0);
    expect(checkAccuracy(args, 5 / 8).score).toBe(0);
    expect(checkAccuracy(args, 7 / 8).message).toContain('classifies 6 of 8 images correctly: 0.75');
    expect(checkAccuracy(args, Math.fround(6 / 8)).score).toBe(1);
  });

  it('counts a near-tie either way', () => {
    // A one-layer model whose two classes tie exactly on a blank image.
    const tie = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: 'zeros', biasInitializer: 'zeros' })] });
    const blank = tf.zeros<tf.Rank.R4>([2, 28, 28, 1]);
    expect(checkAccuracy([tie, blank, [0, 1]], 0).score).toBe(1);
    expect(checkAccuracy([tie, blank, [0, 1]], 0.5).score).toBe(1);
    expect(checkAccuracy([tie, blank, [0, 1]], 1).score).toBe(1);
    expect(checkAccuracy([tie, blank, [0, 1]], 1).message).toBe('accuracy 1 (2 of 2 images)');
    expect(checkAccuracy([tie, blank, [0, 1]], 0.25).score).toBe(0);
  });

  it('accuracy-counts fires on the count only', async () => {
    const matches = detector('accuracy', 'accuracy-counts');
    const args = [model, mixed.x, mixed.labels];
    const counted = accuracyCounts.accuracy(model, mixed.x, mixed.labels);
    expect(counted).toBe(6);
    expect((await check('accuracy', [{ args, output: counted }])).score).toBe(0);
    expect(matches(contextOf('accuracy', [{ args, output: counted }]))).toBe(true);
    for (const output of [0.75, 1.5 * 0.75, 0.75 + 0.25, 0.5, 60, 7]) expect([output, matches(contextOf('accuracy', [{ args, output }]))]).toEqual([output, false]);
    const one = [model, mixed.x.slice([0, 0, 0, 0], [1, 28, 28, 1]), mixed.labels.slice(0, 1)];
    expect(matches(contextOf('accuracy', [{ args: one, output: reference.accuracy(...(one as [tf.LayersModel, X, number[]])) }]))).toBe(false);
  });
});

describe('the accuracy-against-ε chart', () => {
  /** The sweep case of each attack's problem, its calls generated with the seed grading gives the group. */
  function sweeps(student: string) {
    const seed = caseSeed('visible', { assignment: 'adversarial', problem: 'fgsm', caseName: 'any', group: 'sweep', student, seed: '0', secret: 'test' });
    return ['fgsm', 'pgd', 'randomSignNoise'].map((name) => {
      const c = problemOf(name).cases.find((k) => k.seedGroup === 'sweep')!;
      return { name, c, seed, calls: generateCalls('adversarial', problemOf(name), c, seed) };
    });
  }
  /** The reference's answers, except that PGD gets FGSM's images (they pass the PGD check: same loss, ≥ FGSM's) to keep this fast. */
  function answer(name: string, args: unknown[]): X {
    if (name === 'randomSignNoise') return reference.randomSignNoise(...(args as [X, number, number]));
    const [m, x, labels, e] = args as [tf.LayersModel, X, number[], number | Options];
    return reference.fgsm(m, x, labels, typeof e === 'number' ? e : e.epsilon);
  }
  const legendOf = (verdict: Verdict): string[] => chartTexts(verdict.figures?.[0].data ?? '', 'legend-label');

  it('attacks one batch in all three sweeps, and adds each sweep’s own curve to those graded before it', async () => {
    const findings = new Map<string, unknown>();
    const run = sweeps('s1');
    const xs = run.map(({ calls }) => Array.from(((calls[0][0] instanceof tf.Tensor ? calls[0][0] : calls[0][1]) as X).dataSync()));
    expect(xs[1]).toEqual(xs[0]);
    expect(xs[2]).toEqual(xs[0]);
    const legends: string[][] = [];
    for (const { name, c, calls, seed } of run) {
      const records = calls.map((args) => ({ args, output: answer(name, args), expected: answer(name, args) }));
      const verdict = await problemOf(name).check(caseContext(records, c.name, true, seed, findings));
      expect([name, verdict.score]).toEqual([name, 1]);
      legends.push(legendOf(verdict));
      expect(verdict.figures?.[0].caption).toMatch(/under your own attacks\.$/);
    }
    expect(legends).toEqual([['your FGSM'], ['your FGSM', 'your PGD'], ['your FGSM', 'your PGD', 'your random ±ε']]);
  }, 60_000);

  it('says which attack is missing when an earlier sweep did not pass, and draws nothing for a failing or hidden sweep', async () => {
    const [, , noise] = sweeps('s2');
    const records = noise.calls.map((args) => ({ args, output: answer(noise.name, args), expected: answer(noise.name, args) }));
    const alone = await problemOf(noise.name).check(caseContext(records, noise.c.name, true, noise.seed));
    expect(legendOf(alone)).toEqual(['your random ±ε']);
    expect(alone.figures?.[0].caption).toMatch(/Not drawn: your FGSM and PGD, whose sweep case did not pass\.$/);
    expect((await problemOf(noise.name).check(caseContext(records, noise.c.name, false, noise.seed))).figures).toBeUndefined();
    const wrong = records.map((r) => ({ ...r, output: mapped(r.output, (v) => v * 1.5) }));
    expect((await problemOf(noise.name).check(caseContext(wrong, noise.c.name, true, noise.seed))).figures).toBeUndefined();
  }, 60_000);
});

describe('pictures', () => {
  it('draws accuracy charts on [0, 1]', () => {
    const chart = accuracyChart('Accuracy against ε', [{ name: 'a', points: [[0, 1], [0.1, 0.5]] }], 'a caption');
    expect(chart.mediaType).toBe('image/svg+xml');
  });
});

// ---------------------------------------------------------------------------------------
// Edges and exact words: each test below gives an answer that only the code as written
// accepts (or rejects), at a boundary, or pins a message a student reads word for word.

/** A [1, 10, 10, 1] batch: 100 pixels at 0.5, then `f` applied to pixel i. */
function grid(f: (i: number) => number = () => 0.5): X {
  return tf.tensor4d(Float32Array.from({ length: 100 }, (_, i) => f(i)), [1, 10, 10, 1]);
}

describe('checks.ts at its edges', () => {
  it('has 784 pixels per image and names the first of tied maxima', () => {
    expect(PIXELS).toBe(784);
    expect(where(784 + 28 * 3 + 5)).toBe('[1, 3, 5, 0]');
    expect(argmax([0.2, 0.4, 0.4])).toBe(1);
    expect(argmax([0.7, 0.1, 0.2])).toBe(0);
    expect(image(Float32Array.from({ length: 2 * 784 }, (_, i) => i), 1)[2][3]).toBe(784 + 2 * 28 + 3);
  });

  it('words a shape, a ball and a pixel failure exactly, with their details', () => {
    const x = grid();
    expect(sameShape(tf.zeros([1, 100]), x, 'x_adv')).toMatchObject({ score: 0, message: 'x_adv has shape [1, 100], expected [1, 10, 10, 1] (the shape of x)' });
    const far = constraint(grid((i) => (i === 7 ? 0.75 : i === 9 ? 0.6 : 0.5)), x, 0.1, 'x_adv');
    expect(far.message).toBe('x_adv leaves the ε-ball around the original image: ‖x_adv − x‖∞ = 0.2500 at [0, 0, 7, 0] (x = 0.5000, yours 0.7500), but ε = 0.1');
    expect(far.details).toEqual({ linf: 0.25 });
    const outside = constraint(grid((i) => (i === 3 ? -0.05 : i === 4 ? 1.05 : 0.5)), x, 0.6, 'x_adv');
    expect(outside.message).toBe('x_adv[0, 0, 3, 0] = -0.05000 is not a valid pixel: every pixel must stay in [0, 1]');
    expect(constraint(grid((i) => (i === 4 ? 1.05 : 0.5)), x, 0.6, 'x_adv').message).toBe('x_adv[0, 0, 4, 0] = 1.050 is not a valid pixel: every pixel must stay in [0, 1]');
  });

  it('words the loss requirements exactly, with their details', () => {
    const below = lossReached('PGD', 0.5, 0.6, 2);
    expect(below.message).toBe(
      'the mean cross-entropy at your PGD images is 0.500, not above the clean images\' 0.600: an attack must increase the loss\nthe mean cross-entropy at your PGD images is 0.500, but the reference\'s PGD reaches 2.000 at the same ε (at least 0.98 × that, 1.960, is required)',
    );
    expect(lossReached('PGD', 0.5, 0.6, 0.1).details).toEqual({ loss: 0.5, clean: 0.6 });
    expect(lossReached('FGSM', 1.5, 0.1, 2).details).toEqual({ loss: 1.5, referenceLoss: 2 });
    expect(lossReached('FGSM', 1.96, 0.1, 2).score).toBe(1);
  });

  it('names the gradient in its messages', () => {
    const g = tf.ones<tf.Rank.R4>([1, 10, 10, 1]);
    expect(gradientMatches(tf.ones<tf.Rank.R4>([1, 100, 1, 1]), g).message).toBe('the gradient has shape [1, 100, 1, 1], expected [1, 10, 10, 1] (the shape of x)');
    expect(gradientMatches(g.mul(2), g).message).toMatch(/^gradient\[0\]\[0\]\[0\]\[0\]: expected 1, got 2/);
  });

  it('noise: names the first pixel that moved wrongly (index 0 included) with its move, and words the sign count', () => {
    const x = grid();
    const noise = (f: (i: number) => number) => grid((i) => 0.5 + f(i));
    const twoBad = noiseCall(noise((i) => (i === 0 ? 0.05 : i === 50 ? 0.07 : i % 2 ? 0.1 : -0.1)), x, 0.1, 'call 2: ');
    expect(twoBad.message).toBe('call 2: pixel [0, 0, 0, 0] moved from 0.5000 to 0.5500 (by 0.05000); every pixel must move by exactly +ε or −ε (ε = 0.1), then be clipped to [0, 1]');
    expect(twoBad.details?.moved).toBeCloseTo(0.05, 6);
    const laterBad = noiseCall(noise((i) => (i === 30 ? -0.03 : i === 60 ? 0.02 : i % 2 ? 0.1 : -0.1)), x, 0.1, '');
    // (where() counts 28 pixels to a row.)
    expect(laterBad.message).toMatch(/^pixel \[0, 1, 2, 0\] moved from 0\.5000 to 0\.4700 \(by -0\.03000\)/);
    const allUp = noiseCall(noise(() => 0.1), x, 0.1, '');
    expect(allUp).toMatchObject({ score: 0, message: '100 of 100 pixels moved by +ε (1.000); each sign must be + or − with probability ½, so expected between 25 and 75', details: { plus: 100, n: 100 } });
    expect(noiseCall(noise((i) => (i < 75 ? 0.1 : -0.1)), x, 0.1, '').score).toBe(1);
    expect(noiseCall(noise((i) => (i < 76 ? 0.1 : -0.1)), x, 0.1, '').message).toMatch(/^76 of 100 pixels moved by \+ε \(0\.760\)/);
  });

  it('agreementWithMistake: a pixel tells the mistake apart only beyond tol, agrees up to tol, and 1 % of the pixels must tell', () => {
    const c = grid(() => 0.5);
    const m = grid((i) => (i < 4 ? 0.75 : i < 8 ? 0.25 : 0.5));
    // Pixels 0–3 differ by exactly tol = 0.25: they do not tell; 4–7 (0.25 vs 0.5) neither.
    expect(agreementWithMistake(m, m, c, 0.25)).toBe(0);
    expect(agreementWithMistake(m, m, c, 0.2)).toBe(1);
    // Off by exactly tol from the mistake still agrees.
    expect(agreementWithMistake(grid((i) => (i < 4 ? 0.5 : i < 8 ? 0.25 : 0.5)), m, c, 0.25 - 1e-9)).toBe(0.5);
    expect(agreementWithMistake(grid((i) => (i < 4 ? 0.5 : i < 8 ? 0.5 : 0.5)), m, c, 0.2)).toBe(0);
    // With c = −m every pixel tells m − c apart (m + c would tell none).
    expect(agreementWithMistake(m, m, m.neg(), 0.5)).toBe(1);
    // 1 of 100 pixels telling is 1 %: enough; 1 of 200 is not.
    const one = grid((i) => (i === 0 ? 0.9 : 0.5));
    expect(agreementWithMistake(one, one, c, 0.1)).toBe(1);
    const wide = (f: (i: number) => number) => tf.tensor4d(Float32Array.from({ length: 200 }, (_, i) => f(i)), [2, 10, 10, 1]);
    expect(agreementWithMistake(wide((i) => (i === 0 ? 0.9 : 0.5)), wide((i) => (i === 0 ? 0.9 : 0.5)), wide(() => 0.5), 0.1)).toBe(0);
  });

  it('multiplesOf counts moved interior pixels only, k from 1, and needs exactly 100 of them', () => {
    const x = grid();
    // 100 interior pixels moved by 2·0.01: all multiples.
    expect(multiplesOf(grid(() => 0.52), x, 0.01, 3)).toBeCloseTo(1, 12);
    // Pixels that did not move, or ended at 0 or 1, do not count (and then fewer than 100 moved).
    expect(multiplesOf(grid((i) => (i < 50 ? 0.52 : 0.5)), x, 0.01, 3)).toBe(0);
    expect(multiplesOf(grid((i) => (i < 50 ? 0.52 : i < 75 ? 0 : 1)), x, 0.01, 3)).toBe(0);
    // A move of 5e-6 rounds to k = 0: not a multiple.
    expect(multiplesOf(grid((i) => (i < 10 ? 0.500005 : 0.52)), x, 0.01, 3)).toBeCloseTo(0.9, 12);
    const two = tf.tensor4d(Float32Array.from({ length: 200 }, (_, i) => (i < 100 ? 0.5 : 0.3)), [2, 10, 10, 1]);
    const moved = tf.tensor4d(Float32Array.from({ length: 200 }, (_, i) => (i < 100 ? 0.52 : i < 150 ? 0 : 1)), [2, 10, 10, 1]);
    expect(multiplesOf(moved, two, 0.01, 3)).toBeCloseTo(1, 12);
  });

  it('commonStep and beyondBall measure only moved pixels; linf is the largest move', () => {
    const x = grid();
    expect(commonStep(grid((i) => (i % 2 ? 0.53 : 0.47)), x)).toBeCloseTo(0.03, 6);
    expect(commonStep(grid((i) => (i < 99 ? 0.53 : 0.5)), x)).toBeUndefined();
    expect(commonStep(grid((i) => (i < 60 ? 0.53 : i < 80 ? 0 : 1)), x)).toBeUndefined();
    expect(beyondBall(x, x, 0.1)).toBe(0);
    expect(beyondBall(grid((i) => (i < 10 ? 0.7 : i < 20 ? 0.55 : 0.5)), x, 0.1)).toBe(0.5);
    expect(linf(grid((i) => (i === 3 ? 0.1 : i === 4 ? 0.55 : 0.5)), x)).toBeCloseTo(0.4, 6);
  });

  it('draws examples in true intensities, mid-gray for no change, changed predictions first, with exact titles', () => {
    const x = right.x;
    // Image j (another digit than image 0's) replaced by image 0: only j's prediction changes.
    const j = right.labels.findIndex((label) => label !== right.labels[0]);
    expect(j).toBeGreaterThan(0);
    const one = (t: X, i: number): X => t.slice([i, 0, 0, 0], [1, 28, 28, 1]);
    const swapped = tf.concat<tf.Tensor4D>(right.labels.map((_, i) => one(x, i === j ? 0 : i)));
    const rows = exampleRows(model, x, swapped, 'FGSM');
    expect(rows.map((f) => f.title)).toEqual([`Example 1 (image ${j}): original / perturbation / FGSM`, 'Example 2 (image 0): original / perturbation / FGSM']);
    const p = probabilities(model, x);
    const q = probabilities(model, swapped);
    const said = (row: number[]) => `${argmax(row)} (${(100 * row[argmax(row)]).toFixed(1)} %)`;
    expect(rows[0].caption).toBe(`original: predicted ${said(p[j])} · perturbation x_adv − x, largest |δ| ${linf(one(swapped, j), one(x, j)).toFixed(3)}, stretched to full contrast (mid-gray = 0) · FGSM: predicted ${said(q[j])}`);
    // Example 2's image did not change at all: its perturbation panel is mid-gray throughout.
    // The grid: a gap of 2 pixels around panels of 28·4 = 112; the middle panel starts at 116.
    const middle = (figure: { data: string }) => {
      const png = PNG.sync.read(Buffer.from(figure.data, 'base64'));
      expect([png.width, png.height]).toEqual([3 * 112 + 4 * 2, 112 + 2 * 2]);
      const seen = new Set<number>();
      for (let y = 2; y < 114; y++) for (let xx = 116; xx < 228; xx++) seen.add(png.data[4 * (y * png.width + xx)]);
      return seen;
    };
    expect([...middle(rows[1])]).toEqual([128]);
    // Example 1 changed: its largest moves are black or white, the pixels it kept mid-gray.
    const changed = middle(rows[0]);
    expect(changed.has(128)).toBe(true);
    expect(changed.has(0) || changed.has(255)).toBe(true);
  });

  it('labels the accuracy chart\'s axes', () => {
    const chart = accuracyChart('Accuracy against ε', [{ name: 'a', points: [[0, 1], [0.1, 0.5]] }], 'c');
    expect(chart.data).toContain('>ε</text>');
    expect(chart.data).toContain('>accuracy</text>');
  });
});

describe('assignment.ts at its edges', () => {
  const eps = 0.1;
  const fgsmArgs = (e = eps): unknown[] => [model, right.x, right.labels, e];
  const options: Options = { epsilon: 0.1, stepSize: 0.025, steps: 10 };
  const pgdArgs = (o: Options = options): unknown[] => [model, right.x, right.labels, o];

  it('prefixes every line of a failing call of several with its ε, and nothing else', async () => {
    const unchanged = right.x.clone();
    const several = await check('fgsm', [
      { args: fgsmArgs(0.05), output: reference.fgsm(model, right.x, right.labels, 0.05) },
      { args: fgsmArgs(0.2), output: unchanged },
    ]);
    const lines = several.message.split('\n');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.every((line) => line.startsWith('at ε = 0.2: the mean cross-entropy at your FGSM images is '))).toBe(true);
    const alone = await check('fgsm', [{ args: fgsmArgs(0.2), output: unchanged }]);
    expect(alone.message).toMatch(/^the mean cross-entropy at your FGSM images is \d\.\d{3}, not above the clean images' \d\.\d{3}: an attack must increase the loss\nthe mean cross-entropy at your FGSM images is/);
    const passing = await check('fgsm', [0.05, 0.2].map((e) => ({ args: fgsmArgs(e), output: reference.fgsm(model, right.x, right.labels, e) })));
    expect(passing.message.split('\n').map((line) => line.slice(0, 9))).toEqual(['ε = 0.05:', 'ε = 0.2: ']);
  });

  it('names x_adv and the attack in FGSM and PGD failures, and checks no further on a wrong shape', async () => {
    const flat = right.x.reshape([8, 784, 1, 1]);
    expect((await check('fgsm', [{ args: fgsmArgs(), output: flat }])).message).toBe('x_adv has shape [8, 784, 1, 1], expected [8, 28, 28, 1] (the shape of x)');
    expect((await check('pgd', [{ args: pgdArgs(), output: flat }])).message).toBe('x_adv has shape [8, 784, 1, 1], expected [8, 28, 28, 1] (the shape of x)');
    const outside = mapped(reference.pgd(model, right.x, right.labels, options), (v, i) => (i === 0 ? v + 0.5 : v));
    const pgd = await check('pgd', [{ args: pgdArgs(), output: outside }]);
    expect(pgd.message).toMatch(/^x_adv leaves the ε-ball around the original image: ‖x_adv − x‖∞ = 0\.5\d+ at \[0, 0, 0, 0\]/);
    const weaker = await check('pgd', [{ args: pgdArgs(), output: reference.fgsm(model, right.x, right.labels, 0.9 * options.epsilon) }]);
    expect(weaker.message).toMatch(/your PGD images is \d\.\d{3}, below FGSM's \d\.\d{3} at the same ε/);
    expect(typeof weaker.details?.fgsmLoss).toBe('number');
    const failing = await problemOf('fgsm').check(contextOf('fgsm', [{ args: fgsmArgs(), output: right.x.clone() }], true));
    expect(failing.figures).toBeUndefined();
  });

  it('leaves each sweep\'s curve, from (0, clean accuracy) through every ε, for the chart under randomSignNoise', async () => {
    const findings = new Map<string, unknown>();
    const epsilons = [0.05, 0.2];
    const run = async (name: string, output: (e: number) => X, args: (e: number) => unknown[]) => {
      const records = epsilons.map((e) => ({ args: args(e), output: output(e), expected: output(e) }));
      return await problemOf(name).check(caseContext(records, 'a sweep', true, 'edges', findings));
    };
    await run('fgsm', (e) => reference.fgsm(model, right.x, right.labels, e), fgsmArgs);
    await run('pgd', (e) => reference.fgsm(model, right.x, right.labels, e), (e) => pgdArgs({ epsilon: e, stepSize: e / 4, steps: 10 }));
    const curve = (attack: string) => findings.get(`sweep: accuracy under your ${attack}`) as Array<[number, number]>;
    for (const attack of ['FGSM', 'PGD']) {
      expect(curve(attack).map(([e]) => e)).toEqual([0, 0.05, 0.2]);
      expect(curve(attack)[0][1]).toBe(1);
      expect(curve(attack)[2][1]).toBe(accuracyOf(model, reference.fgsm(model, right.x, right.labels, 0.2), right.labels));
    }
  });

  it('keeps a picture that fails to draw from costing anything', () => {
    const verdict = { score: 1, message: 'fine' };
    expect(drawFigures(verdict, () => { throw new Error('no'); })).toEqual(verdict);
  });

  it('random noise: a gap of exactly the margin passes (0.6 − 0.5 rounds below 0.1), a smaller one fails with the numbers', () => {
    expect(randomMargin(0.6, 0.5, '').score).toBe(1);
    const short = randomMargin(0.59, 0.5, 'call 1 (ε = 0.2, seed 3): ');
    expect(short).toMatchObject({ score: 0, message: 'call 1 (ε = 0.2, seed 3): accuracy under your random ±ε noise is 0.590 and under FGSM 0.500 at the same ε: random signs should hurt far less than the gradient\'s signs (a gap of at least 0.1 is required at ε = 0.2)' });
  });

  describe('randomSignNoise with hand-made calls', () => {
    const noise = (x: X, e: number, seed: number) => reference.randomSignNoise(x, e, seed);
    const run = async (calls: Array<{ args: [X, number, number]; output: X }>) =>
      await problemOf('randomSignNoise').check(caseContext(calls.map((c) => ({ ...c, expected: c.output })), 'hand-made', false, 'edges'));

    it('labels each call by number, ε and seed, and writes one summary per ε', async () => {
      const x = right.x;
      const off = mapped(noise(x, 0.1, 5), (v, i) => (i === 0 ? v + 0.05 : v));
      const failed = await run([{ args: [x, 0.1, 4], output: noise(x, 0.1, 4) }, { args: [x, 0.1, 5], output: off }]);
      expect(failed.message).toMatch(/^call 2 \(ε = 0\.1, seed 5\): pixel \[0, 0, 0, 0\] moved from /);
      const passed = await run([{ args: [x, 0.05, 4], output: noise(x, 0.05, 4) }, { args: [x, 0.1, 4], output: noise(x, 0.1, 4) }]);
      expect(passed.message.split('\n').map((line) => line.slice(0, 9))).toEqual(['ε = 0.05:', 'ε = 0.1: ']);
    });

    it('compares calls only with the same images and ε, and only calls that passed, naming them from 1', async () => {
      const [x, other] = [right.x, mixed.x];
      // Same seed and ε, other images: other noise, rightly.
      expect((await run([{ args: [x, 0.1, 4], output: noise(x, 0.1, 4) }, { args: [other, 0.1, 4], output: noise(other, 0.1, 4) }])).score).toBe(1);
      const same = await run([{ args: [x, 0.1, 4], output: noise(x, 0.1, 4) }, { args: [x, 0.1, 9], output: noise(x, 0.1, 4) }]);
      expect(same.message).toBe('calls 1 and 2 used different seeds (4, 9) but gave the same noise: the signs must depend on `seed`');
      const changed = await run([{ args: [x, 0.1, 2], output: noise(x, 0.1, 1) }, { args: [x, 0.05, 2], output: noise(x, 0.05, 2) }, { args: [x, 0.1, 2], output: noise(x, 0.1, 2) }]);
      expect(changed.message).toBe('calls 1 and 3 used the same seed (2) but gave different noise: the signs must come from a generator seeded with `seed`');
      // A failing call is reported for itself, not also compared with the others.
      const off = mapped(noise(x, 0.1, 4), (v, i) => (i === 0 ? v + 0.05 : v));
      const failing = await run([{ args: [x, 0.1, 4], output: off }, { args: [x, 0.1, 4], output: noise(x, 0.1, 4) }]);
      expect(failing.message.split('\n')).toHaveLength(1);
      const failingSecond = await run([{ args: [x, 0.1, 4], output: noise(x, 0.1, 4) }, { args: [x, 0.1, 4], output: off }]);
      expect(failingSecond.message.split('\n')).toHaveLength(1);
    });

    it('does not measure a failing call against FGSM', async () => {
      // FGSM's own images, one pixel off: the call fails, and no margin is added to its reasons.
      const x = right.x;
      const fgsmLike = mapped(reference.fgsm(model, x, right.labels, 0.2), (v, i) => (i === 0 ? v + 0.05 : v));
      const verdict = await problemOf('randomSignNoise').check(caseContext([{ args: [x, 0.2, 3], output: fgsmLike, expected: fgsmLike }], 'hand-made', false, 'edges'));
      expect(verdict.message).toMatch(/^pixel \[0, 0, 0, 0\] moved from [\d.]+ to [\d.]+ \(by [\d.-]+\); every pixel must move by exactly \+ε or −ε \(ε = 0\.2\), then be clipped to \[0, 1\]$/);
    });
  });

  describe('detectors', () => {
    it('fgsm detectors look at every call, and agreement of exactly 0.95 is enough', () => {
      const fires = detector('fgsm', 'fgsm-descends');
      const wrong = fgsmDescends.fgsm(model, right.x, right.labels, eps);
      const right1 = reference.fgsm(model, right.x, right.labels, 0.2);
      expect(fires(contextOf('fgsm', [{ args: fgsmArgs(0.2), output: right1 }, { args: fgsmArgs(), output: wrong }]))).toBe(true);
      // 100 pixels tell the mistake apart (expected = mistake + 0.5 there); the student agrees on 95.
      const mistake = wrong.dataSync();
      const expected = tf.tensor4d(Float32Array.from(mistake, (v, i) => (i < 100 ? v + 0.5 : v)), wrong.shape);
      const student = (agree: number) => tf.tensor4d(Float32Array.from(mistake, (v, i) => (i >= agree && i < 100 ? v + 0.5 : v)), wrong.shape);
      const ctx = (output: X) => caseContext([{ args: fgsmArgs(), output, expected }], 'c', false, 'edges');
      expect(fires(ctx(student(95)))).toBe(true);
      expect(fires(ctx(student(94)))).toBe(false);
    });

    it('fgsm-raw-gradient allows 1e-6 + 1e-3·‖mistake − x‖∞', () => {
      const fires = detector('fgsm', 'fgsm-raw-gradient');
      const wrong = fgsmRawGradient.fgsm(model, mixed.x, mixed.labels, eps);
      const size = linf(wrong, mixed.x);
      const tol = 1e-6 + 1e-3 * size;
      expect(1e-3 * size).toBeGreaterThan(1e-7);
      // Every pixel of the mistake moved by 0.7·tol more (as float32 allows) still matches; by 1.5·tol not.
      const args = [model, mixed.x, mixed.labels, eps];
      const shifted = (f: number) => mapped(wrong, (v) => v + f * tol);
      expect(fires(contextOf('fgsm', [{ args, output: shifted(0.7) }]))).toBe(true);
      expect(fires(contextOf('fgsm', [{ args, output: shifted(1.5) }]))).toBe(false);
    });

    /** A batch of one 28×28 image at 0.5 whose first `moved` pixels move by `by(i)`. */
    const synthetic = (moved: number, by: (i: number) => number) => {
      const x = tf.fill<tf.Rank.R4>([1, 28, 28, 1], 0.5);
      return { x, output: mapped(x, (v, i) => (i < moved ? v + by(i) : v)) };
    };
    const pgdContext = (x: X, output: X, o: Options) => caseContext([{ args: [model, x, [0], o], output, expected: output }], 'c', false, 'edges');

    it('pgd-projects-around-iterate: steps larger than ε + 1e-6, ≥ 5 % beyond the ball, ≥ 90 % multiples of ε', () => {
      const fires = detector('pgd', 'pgd-projects-around-iterate');
      const o = { epsilon: 0.03, stepSize: 0.1, steps: 3 };
      // 100 moved: 5 by 2ε (beyond), 85 by ε, 10 by ε/2 (inside, not a multiple): 5 % beyond, 90 % multiples.
      const { x, output } = synthetic(100, (i) => (i < 5 ? 0.06 : i < 90 ? 0.03 : 0.015));
      expect(fires(pgdContext(x, output, o))).toBe(true);
      expect(['+1e-6', fires(pgdContext(x, output, { ...o, stepSize: 0.03 + 1e-6 }))]).toEqual(['+1e-6', false]);
      expect(['ε', fires(pgdContext(x, output, { ...o, stepSize: 0.03 }))]).toEqual(['ε', false]);
      const fewer = synthetic(100, (i) => (i < 4 ? 0.06 : i < 90 ? 0.03 : 0.015));
      expect(['fewer', fires(pgdContext(fewer.x, fewer.output, o))]).toEqual(['fewer', false]);
      const scattered = synthetic(100, (i) => (i < 5 ? 0.06 : i < 89 ? 0.03 : 0.015));
      expect(['scattered', fires(pgdContext(scattered.x, scattered.output, o))]).toEqual(['scattered', false]);
      // Any call that shows it is enough.
      const calm = synthetic(0, () => 0);
      const two = caseContext([calm, { x, output }].map((c) => ({ args: [model, c.x, [0], o], output: c.output, expected: c.output })), 'c', false, 'edges');
      expect(fires(two)).toBe(true);
    });

    it('pgd-no-projection: the same, with multiples of the step', () => {
      const fires = detector('pgd', 'pgd-no-projection');
      const o = { epsilon: 0.03, stepSize: 0.1, steps: 3 };
      // 100 moved: 5 by two steps, 85 by one, 10 by 0.02 (not a multiple of the step).
      const { x, output } = synthetic(100, (i) => (i < 5 ? 0.2 : i < 90 ? 0.1 : 0.02));
      expect(fires(pgdContext(x, output, o))).toBe(true);
      // A step of exactly ε (+1e-6) does not tell the projections apart: no hint, however the pixels moved.
      expect(fires(pgdContext(x, output, { epsilon: 0.1, stepSize: 0.1, steps: 3 }))).toBe(false);
      expect(fires(pgdContext(x, output, { epsilon: 0.1, stepSize: 0.1 + 1e-6, steps: 3 }))).toBe(false);
      const scattered = synthetic(100, (i) => (i < 5 ? 0.2 : i < 89 ? 0.1 : 0.02));
      expect(fires(pgdContext(scattered.x, scattered.output, o))).toBe(false);
      const calm = synthetic(0, () => 0);
      const two = caseContext([calm, { x, output }].map((c) => ({ args: [model, c.x, [0], o], output: c.output, expected: c.output })), 'c', false, 'edges');
      expect(fires(two)).toBe(true);
    });

    it('pgd-single-step: many steps smaller than ε − 1e-6, every move one step', () => {
      const fires = detector('pgd', 'pgd-single-step');
      const o = { epsilon: 0.1, stepSize: 0.025, steps: 10 };
      const { x, output } = synthetic(100, (i) => (i % 2 ? 0.025 : -0.025));
      expect(fires(pgdContext(x, output, o))).toBe(true);
      expect(fires(pgdContext(x, output, { ...o, steps: 1 }))).toBe(false);
      expect(fires(pgdContext(x, output, { ...o, epsilon: 0.025 + 1e-6 }))).toBe(false);
      expect(fires(pgdContext(x, output, { ...o, epsilon: 0.025 + 1e-6 + 1e-9 }))).toBe(true);
      const two = caseContext([synthetic(0, () => 0), { x, output }].map((c) => ({ args: [model, c.x, [0], o], output: c.output, expected: c.output })), 'c', false, 'edges');
      expect(fires(two)).toBe(true);
    });

    it('noise-wrong-scale looks at every call', () => {
      const fires = detector('randomSignNoise', 'noise-wrong-scale');
      const x = right.x;
      const calls = [
        { args: [x, 0.1, 1], output: reference.randomSignNoise(x, 0.1, 1) },
        { args: [x, 0.1, 2], output: noiseWrongScale.randomSignNoise(x, 0.1, 2) },
      ];
      expect(fires(caseContext(calls.map((c) => ({ ...c, expected: c.output })), 'c', false, 'edges'))).toBe(true);
    });

    it('accuracy-counts needs a count above 0: 0 correct is 0 either way', () => {
      const fires = detector('accuracy', 'accuracy-counts');
      expect(fires(caseContext([{ args: [model, right.x, right.labels], output: 0, expected: 0 }], 'c', false, 'edges'))).toBe(false);
      expect(fires(caseContext([{ args: [model, right.x, right.labels], output: 3, expected: 3 / 8 }], 'c', false, 'edges'))).toBe(true);
    });
  });

  it('accuracy: a near-tie counts either way only if the label is one of the top two, and the message says how many', () => {
    const rows = [
      [0.1, 0.45, 0.45 - 5e-6], // near-tie of classes 1 and 2
      [0.2, 0.3, 0.5], // class 2, sure
      [0.4, 0.4 - 5e-6, 0.2], // near-tie of 0 and 1, top two not first in order
    ];
    // Labels: 2 (in the tie), 2 (sure), 2 (not in the tie): sure 1, ties 1.
    expect(accuracyVerdict(rows, [2, 2, 2], 1 / 3)).toMatchObject({ score: 1, message: 'accuracy 0.3333333333333333 (1 of 3 images)' });
    expect(accuracyVerdict(rows, [2, 2, 2], 2 / 3).score).toBe(1);
    expect(accuracyVerdict(rows, [2, 2, 2], 1)).toMatchObject({ score: 0, message: 'your accuracy is 1, but the model classifies 1 of 3 images correctly: 0.3333333333333333 (up to 0.6666666666666666 counting 1 near-ties)' });
    expect(accuracyVerdict(rows, [1, 2, 1], 1).score).toBe(1);
    expect(accuracyVerdict([[0.3, 0.2, 0.5]], [0], 1)).toMatchObject({ score: 0, message: 'your accuracy is 1, but the model classifies 0 of 1 images correctly: 0' });
    // A tie only of the top two: the label in third place gains nothing.
    expect(accuracyVerdict([[0.45, 0.45 - 5e-6, 0.1]], [2], 1).score).toBe(0);
  });
});
