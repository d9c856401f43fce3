import * as tf from '@tensorflow/tfjs';
import { defineAssignment, problem, type CallRecord, type CheckContext } from '../../grader/src/assignment/define.ts';
import type { Rng } from '../../grader/src/cases/rng.ts';
import { tensor } from '../../grader/src/checks/tensors.ts';
import { finiteNumber } from '../../grader/src/checks/values.ts';
import { allOf, drawFigures, fail, invariant, pass, type Verdict } from '../../grader/src/checks/verdict.ts';
import * as reference from '../../solutions/adversarial/attack.ts';
import {
  accuracyChart,
  accuracyOf,
  agreementWithMistake,
  beyondBall,
  commonStep,
  constraint,
  exampleRows,
  format,
  gradientMatches,
  linf,
  lossReached,
  meanLoss,
  multiplesOf,
  noiseCall,
  type PgdOptions,
  probabilities,
  RANDOM_MARGIN,
  RANDOM_MARGIN_EPSILON,
  sameShape,
  TIE_GAP,
  values,
} from './checks.ts';
import { type ModelName, testBatch, zoo } from './data.ts';
import * as fgsmDescends from './mistakes/fgsm-descends.ts';
import * as fgsmNoClip from './mistakes/fgsm-no-clip.ts';
import * as fgsmRawGradient from './mistakes/fgsm-raw-gradient.ts';
import * as gradientWrongLabel from './mistakes/gradient-wrong-label.ts';

type Model = tf.LayersModel;
type X = tf.Tensor4D;
type FgsmArgs = [Model, X, number[], number];
type PgdArgs = [Model, X, number[], PgdOptions];
type NoiseArgs = [X, number, number];

/** The ε values of the accuracy-against-ε cases, and how many images they attack. */
const SWEEP = [0.05, 0.1, 0.15, 0.2];
const SWEEP_IMAGES = 32;
const NOISE_SWEEP = `accuracy against ε = ${SWEEP.join(', ')} with one seed on the same ${SWEEP_IMAGES} images`;

/** The seed of a noise case: a 31-bit integer from the case's generator. */
const seedOf = (rng: Rng): number => rng.int(0, 2 ** 31 - 1);

/** One call on `count` test images of the model's digits, `misclassified` of them ones it gets wrong. */
function batchCase(model: ModelName, count: number, misclassified = 0) {
  return (rng: Rng): [Model, X, number[]] => {
    const { x, labels } = testBatch(rng, model, count, misclassified);
    return [zoo(model), x, labels];
  };
}

function fgsmCase(model: ModelName, epsilon: number, count = 32) {
  return (rng: Rng): FgsmArgs => [...batchCase(model, count)(rng), epsilon];
}

function pgdCase(model: ModelName, options: PgdOptions, count = 32) {
  return (rng: Rng): PgdArgs => [...batchCase(model, count)(rng), options];
}

/** Three calls: the same seed twice, then another seed. */
function noiseCalls(model: ModelName, epsilon: number, count: number, step = 1) {
  return (rng: Rng): NoiseArgs[] => {
    const { x } = testBatch(rng, model, count);
    const seed = seedOf(rng);
    return [[x, epsilon, seed], [x, epsilon, seed], [x, epsilon, seed + step]];
  };
}

/** The clean loss, the student's and the reference's loss at the attacked images. */
function losses(model: Model, x: X, labels: number[], output: X, expected: X) {
  return { clean: meanLoss(model, x, labels), loss: meanLoss(model, output, labels), referenceLoss: meanLoss(model, expected, labels) };
}

/** Which call of several, for messages; nothing for a case with one call. */
const callLabel = (calls: ReadonlyArray<unknown>, i: number, epsilon: number): string => (calls.length > 1 ? `at ε = ${epsilon}: ` : '');

function prefixed(label: string, verdict: Verdict): Verdict {
  return verdict.score < 1 && label ? { ...verdict, message: verdict.message.split('\n').map((line) => `${label}${line}`).join('\n') } : verdict;
}

function checkFgsm(ctx: CheckContext<FgsmArgs, X>): Verdict {
  const summaries: string[] = [];
  const curve: Array<[number, number]> = [];
  const verdicts = ctx.calls.map(({ args, output, expected }, i) => {
    const [model, x, labels, epsilon] = args;
    const label = callLabel(ctx.calls, i, epsilon);
    const shape = sameShape(output, x, 'x_adv');
    if (shape.score < 1) return prefixed(label, shape);
    const { clean, loss, referenceLoss } = losses(model, x, labels, output, expected);
    const noise = reference.randomSignNoise(x, epsilon, 1);
    const accuracies = { clean: accuracyOf(model, x, labels), noise: accuracyOf(model, noise, labels), attack: accuracyOf(model, output, labels) };
    curve.push([epsilon, accuracies.attack]);
    summaries.push(
      `ε = ${epsilon}: loss clean ${format(clean)} → your FGSM ${format(loss)} (reference ${format(referenceLoss)}); accuracy clean ${format(accuracies.clean)}, random ±ε ${format(accuracies.noise)}, your FGSM ${format(accuracies.attack)}`,
    );
    return prefixed(label, allOf([constraint(output, x, epsilon, 'x_adv'), lossReached('FGSM', loss, clean, referenceLoss)]));
  });
  return withPictures(ctx, finish(verdicts, summaries), 'FGSM', curve);
}

/**
 * Where PGD must climb at least as high as FGSM: many small steps (stepSize ≤ ε/2) that can
 * cross the ball (steps·stepSize ≥ 2ε). There the reference's PGD loss is 1.3–5.4× FGSM's
 * (every such case replayed for 10 student ids; two independent correct PGDs: the same, and
 * 0.99–1.01× the reference's loss). With steps larger than ε PGD is iterated FGSM and can
 * end below one FGSM step (measured: 0.121 against 0.126), so only the reference's loss is
 * required there.
 */
export function beatsFgsm({ epsilon, stepSize, steps }: PgdOptions): boolean {
  // 1e-9: ε/4 · 10 may round to just below 2.5ε in float64. (With that slack, < and ≤ and
  // > and ≥ differ only at values no case gives.)
  // Stryker disable next-line EqualityOperator: see above
  return stepSize <= epsilon / 2 + 1e-9 && steps * stepSize >= 2 * epsilon - 1e-9;
}

function checkPgd(ctx: CheckContext<PgdArgs, X>): Verdict {
  const summaries: string[] = [];
  const curve: Array<[number, number]> = [];
  const verdicts = ctx.calls.map(({ args, output, expected }, i) => {
    const [model, x, labels, options] = args;
    const { epsilon, stepSize, steps } = options;
    const label = callLabel(ctx.calls, i, epsilon);
    const shape = sameShape(output, x, 'x_adv');
    if (shape.score < 1) return prefixed(label, shape);
    const { clean, loss, referenceLoss } = losses(model, x, labels, output, expected);
    const fgsmImages = reference.fgsm(model, x, labels, epsilon);
    const fgsmLoss = meanLoss(model, fgsmImages, labels);
    const noise = reference.randomSignNoise(x, epsilon, 1);
    const accuracies = { clean: accuracyOf(model, x, labels), noise: accuracyOf(model, noise, labels), fgsm: accuracyOf(model, fgsmImages, labels), attack: accuracyOf(model, output, labels) };
    curve.push([epsilon, accuracies.attack]);
    summaries.push(
      `ε = ${epsilon}, ${steps} steps of ${stepSize}: loss clean ${format(clean)} → FGSM ${format(fgsmLoss)} → your PGD ${format(loss)} (reference ${format(referenceLoss)}); accuracy clean ${format(accuracies.clean)}, random ±ε ${format(accuracies.noise)}, FGSM ${format(accuracies.fgsm)}, your PGD ${format(accuracies.attack)}`,
    );
    return prefixed(
      label,
      allOf([
        constraint(output, x, epsilon, 'x_adv'),
        lossReached('PGD', loss, clean, referenceLoss),
        beatsFgsm(options)
          ? invariant(loss >= fgsmLoss, `the mean cross-entropy at your PGD images is ${format(loss)}, below FGSM's ${format(fgsmLoss)} at the same ε: ${steps} projected steps of ${stepSize} should climb higher than one step of ε`, { loss, fgsmLoss })
          : pass(),
      ]),
    );
  });
  return withPictures(ctx, finish(verdicts, summaries), 'PGD', curve);
}

function checkNoise(ctx: CheckContext<NoiseArgs, X>): Verdict {
  // The model and labels of a noise case are not arguments of randomSignNoise; they are
  // rebuilt from the case's own generator, exactly as the case drew them.
  const summaries: string[] = [];
  const curve: Array<[number, number]> = [];
  const { model, labels } = noiseContext(ctx);
  const verdicts: Verdict[] = ctx.calls.map(({ args, output }, i) => {
    const [x, epsilon] = args;
    const label = ctx.calls.length > 1 ? `call ${i + 1} (ε = ${epsilon}, seed ${args[2]}): ` : '';
    const call = noiseCall(output, x, epsilon, label);
    if (call.score < 1) return call;
    const accuracy = accuracyOf(model, output, labels);
    curve.push([epsilon, accuracy]);
    if (i > 0 && ctx.calls[i - 1].args[1] === epsilon) return call;
    const fgsmAccuracy = accuracyOf(model, reference.fgsm(model, x, labels, epsilon), labels);
    summaries.push(`ε = ${epsilon}: accuracy clean ${format(accuracyOf(model, x, labels))}, your random ±ε ${format(accuracy)}, FGSM ${format(fgsmAccuracy)}`);
    if (epsilon !== RANDOM_MARGIN_EPSILON) return call;
    return allOf([call, randomMargin(accuracy, fgsmAccuracy, label)]);
  });
  // Stryker disable next-line EqualityOperator: with i = calls.length the inner loop does not run
  for (let i = 0; i < ctx.calls.length; i++) {
    for (let j = i + 1; j < ctx.calls.length; j++) {
      const [a, b] = [ctx.calls[i], ctx.calls[j]];
      if (a.args[1] !== b.args[1] || a.args[0] !== b.args[0] || verdicts[i].score < 1 || verdicts[j].score < 1) continue;
      const other = values(b.output);
      const same = values(a.output).every((v, k) => v === other[k]);
      if (a.args[2] === b.args[2]) verdicts.push(invariant(same, `calls ${i + 1} and ${j + 1} used the same seed (${a.args[2]}) but gave different noise: the signs must come from a generator seeded with \`seed\``));
      else verdicts.push(invariant(!same, `calls ${i + 1} and ${j + 1} used different seeds (${a.args[2]}, ${b.args[2]}) but gave the same noise: the signs must depend on \`seed\``));
    }
  }
  const verdict = finish(verdicts, summaries);
  if (!ctx.visible || ctx.caseName !== NOISE_SWEEP || verdict.score < 1) return verdict;
  return drawFigures(verdict, () => sweepChart(ctx.findings, 'random ±ε', [[0, accuracyOf(model, ctx.args[0], labels)], ...curve]));
}

/** "Random perturbations do not work": at ε = RANDOM_MARGIN_EPSILON noise must cost at least RANDOM_MARGIN less accuracy than FGSM. */
export function randomMargin(accuracy: number, fgsmAccuracy: number, label: string): Verdict {
  return invariant(
    // Accuracies are k/N: 0.6 − 0.5 is 0.09999999999999998 in float64, and a gap of
    // exactly the margin must pass. (Nothing lands within 1e-9 of it but such rounding.)
    // Stryker disable next-line EqualityOperator: see above
    accuracy - fgsmAccuracy >= RANDOM_MARGIN - 1e-9,
    `${label}accuracy under your random ±ε noise is ${format(accuracy)} and under FGSM ${format(fgsmAccuracy)} at the same ε: random signs should hurt far less than the gradient's signs (a gap of at least ${RANDOM_MARGIN} is required at ε = ${RANDOM_MARGIN_EPSILON})`,
  );
}

/** The model and labels a noise case's images were drawn with (replayed from the case's generator). */
function noiseContext(ctx: CheckContext<NoiseArgs, X>): { model: Model; labels: number[] } {
  const spec = NOISE_CASES.find((c) => c.name === ctx.caseName) ?? NOISE_CASES[0];
  const { labels } = testBatch(ctx.inputRng(), spec.model, ctx.args[0].shape[0]);
  return { model: zoo(spec.model), labels };
}

/** Passing verdicts say what happened, in numbers. */
function finish(verdicts: Verdict[], summaries: string[]): Verdict {
  const verdict = allOf(verdicts);
  // Stryker disable next-line ConditionalExpression: every passing case has a summary (its first call always writes one)
  return verdict.score === 1 && summaries.length > 0 ? { ...verdict, message: summaries.join('\n') } : verdict;
}

function withPictures(ctx: CheckContext<FgsmArgs, X> | CheckContext<PgdArgs, X>, verdict: Verdict, attack: 'FGSM' | 'PGD', curve: Array<[number, number]>): Verdict {
  if (!ctx.visible || verdict.score < 1) return verdict;
  const [model, x, labels] = ctx.args;
  return drawFigures(verdict, () => (curve.length > 1 ? sweepChart(ctx.findings, attack, [[0, accuracyOf(model, x, labels)], ...curve]) : exampleRows(model, x, ctx.output, attack)));
}

/** The attacks of the sweep cases, in the order their problems are graded. */
const SWEPT = ['FGSM', 'PGD', 'random ±ε'] as const;
type Swept = (typeof SWEPT)[number];
const sweepFinding = (attack: Swept): string => `sweep: accuracy under your ${attack}`;

/**
 * The accuracy-against-ε chart of a passing sweep case. The three sweep cases share a seed
 * group, so they attack the same images; each leaves its curve in the grading's findings, and
 * draws its own with those of the sweeps graded before it: the chart under randomSignNoise
 * shows all three of the student's attacks (any whose sweep did not pass is left out, and the
 * caption says so).
 */
function sweepChart(findings: Map<string, unknown>, attack: Swept, points: Array<[number, number]>): Verdict['figures'] {
  findings.set(sweepFinding(attack), points);
  const earlier = SWEPT.slice(0, SWEPT.indexOf(attack) + 1);
  const series = earlier.flatMap((a) => {
    const found = findings.get(sweepFinding(a)) as Array<[number, number]> | undefined;
    return found ? [{ name: `your ${a}`, points: found }] : [];
  });
  const missing = earlier.filter((a) => !findings.has(sweepFinding(a)));
  const note = missing.length ? ` Not drawn: your ${missing.join(' and ')}, whose sweep case did not pass.` : '';
  return [accuracyChart('Accuracy against ε', series, `Accuracy on the same ${SWEEP_IMAGES} correctly classified test images (1 at ε = 0) as ε grows, under your own attacks.${note}`)];
}

/**
 * Cases that cost 0.15 s or more for each student when `mlgrade check` replays the reference
 * (attacks on 32–64 images; PGD's sweep 1.5 s; measured here, 2 cores, wasm): checked for 10
 * student ids rather than 50, so that `npm test` keeps its time. `mlgrade check --full` checks
 * them for all.
 */
const costly = { checkStudents: 10 } as const;

const NOISE_CASES: Array<{ name: string; model: ModelName }> = [];
function noiseCase(name: string, model: ModelName, calls: (rng: Rng) => NoiseArgs[], options: { visibility?: 'hidden'; seedGroup?: string; checkStudents?: number } = {}) {
  NOISE_CASES.push({ name, model });
  return { name, calls, ...options };
}

/**
 * The calls of a sweep case: every ε of SWEEP on one batch. The three sweep cases are in one
 * seed group and draw their batch first, so they attack the same images.
 */
function sweepCalls<A>(make: (m: Model, x: X, labels: number[], epsilon: number) => A) {
  return (rng: Rng): A[] => {
    const { x, labels } = sweepBatch(rng);
    return SWEEP.map((epsilon) => make(zoo('digits-cnn'), x, labels, epsilon));
  };
}

const sweepBatch = (rng: Rng) => testBatch(rng, 'digits-cnn', SWEEP_IMAGES);

/** Every call's answer agrees with the mistake's on ≥ 95 % of the pixels that tell it from the correct one. */
function likeFgsmMistake(ctx: CheckContext<FgsmArgs, X>, wrong: (...args: FgsmArgs) => X, tolerance: (mistake: X, x: X) => number): boolean {
  return ctx.calls.some(({ args, output, expected }: CallRecord<FgsmArgs, X>) => {
    const mistake = wrong(...args);
    return agreementWithMistake(output, mistake, expected, tolerance(mistake, args[1])) >= 0.95;
  });
}

export default defineAssignment({
  id: 'adversarial',
  title: 'Adversarial examples: FGSM and PGD',
  module: 'attack.ts',
  tensors: true,
  problems: [
    problem({
      export: 'crossEntropyGradient',
      title: 'The gradient of the loss with respect to the pixels',
      points: 6,
      timeoutMs: 20_000,
      reference: reference.crossEntropyGradient,
      output: tensor<X>({ rank: 4, dtype: 'float32' }),
      cases: [
        {
          name: 'digits-cnn, 16 test images, 4 of them misclassified',
          args: batchCase('digits-cnn', 16, 4),
        },
        {
          name: 'digits-cnn, 16 correctly classified test images',
          args: batchCase('digits-cnn', 16),
        },
        {
          name: 'digits04-cnn, 16 test images of 0–4, 2 misclassified',
          visibility: 'hidden',
          args: batchCase('digits04-cnn', 16, 2),
        },
      ],
      check: ({ output, expected }) => gradientMatches(output, expected),
      mistakes: [
        {
          id: 'gradient-wrong-label',
          hint: "Your gradient is the one of the loss of the model's own prediction (its argmax), not of the given label. Use `labels`: the attack must push the image away from its true class, also where the model already gets it wrong.",
          // Where the model predicts every label, the two gradients are the same: no hint.
          matches: ({ args: [model, x, labels], output, expected }) => {
            const wrong = gradientWrongLabel.crossEntropyGradient(model, x, labels);
            return gradientMatches(wrong, expected).score < 1 && gradientMatches(output, wrong).score === 1;
          },
        },
      ],
    }),
    problem({
      export: 'fgsm',
      title: 'The fast gradient sign method',
      points: 10,
      timeoutMs: 20_000,
      reference: reference.fgsm,
      output: tensor<X>({ rank: 4, dtype: 'float32' }),
      cases: [
        { ...costly, name: 'digits-cnn, ε = 0.1, 32 images', args: fgsmCase('digits-cnn', 0.1) },
        { ...costly, name: 'digits-cnn, ε = 0.2, 32 images', args: fgsmCase('digits-cnn', 0.2) },
        { ...costly, name: `accuracy against ε = ${SWEEP.join(', ')} on the same ${SWEEP_IMAGES} images`, seedGroup: 'sweep', calls: sweepCalls<FgsmArgs>((m, x, labels, e) => [m, x, labels, e]) },
        { name: 'digits04-cnn, ε = 0.2, 32 images of 0–4', visibility: 'hidden', args: fgsmCase('digits04-cnn', 0.2) },
        {
          name: 'digits-cnn, a random ε in [0.05, 0.25]',
          visibility: 'hidden',
          args: (rng) => {
            const epsilon = Math.round(rng.uniform(0.05, 0.25) * 1000) / 1000;
            return fgsmCase('digits-cnn', epsilon)(rng);
          },
        },
      ],
      check: checkFgsm,
      mistakes: [
        {
          id: 'fgsm-descends',
          hint: 'Your images lower the loss: you stepped against the gradient, x − ε·sign(∇ₓℓ). An attack climbs the loss: x + ε·sign(∇ₓℓ).',
          matches: (ctx) => likeFgsmMistake(ctx, fgsmDescends.fgsm, () => 1e-5),
        },
        {
          id: 'fgsm-no-clip',
          hint: 'Some of your pixels are outside [0, 1]: after x + ε·sign(∇ₓℓ), clip every pixel to [0, 1] so the result is still an image.',
          // Only the pixels the clip would change tell the two apart, so agreeing with the
          // mistake there means pixels outside [0, 1].
          matches: (ctx) => likeFgsmMistake(ctx, fgsmNoClip.fgsm, () => 1e-5),
        },
        {
          id: 'fgsm-raw-gradient',
          hint: 'Your perturbation is ε times the gradient itself, which is tiny. FGSM moves every pixel by the full ε in the direction of the gradient\'s sign: x + ε·sign(∇ₓℓ).',
          matches: (ctx) => likeFgsmMistake(ctx, fgsmRawGradient.fgsm, (mistake, x) => 1e-6 + 1e-3 * linf(mistake, x)),
        },
      ],
    }),
    problem({
      export: 'pgd',
      title: 'Projected gradient descent (ascent) in the L∞ ball',
      points: 12,
      timeoutMs: 60_000,
      reference: reference.pgd,
      output: tensor<X>({ rank: 4, dtype: 'float32' }),
      cases: [
        { ...costly, name: 'digits-cnn, ε = 0.1, 10 steps of ε/4, 32 images', args: pgdCase('digits-cnn', { epsilon: 0.1, stepSize: 0.025, steps: 10 }) },
        { ...costly, name: 'digits-cnn, ε = 0.03, 3 steps of 0.1 (a step larger than ε), 32 images', args: pgdCase('digits-cnn', { epsilon: 0.03, stepSize: 0.1, steps: 3 }) },
        {
          ...costly,
          name: `accuracy against ε = ${SWEEP.join(', ')} (10 steps of ε/4) on the same ${SWEEP_IMAGES} images`,
          seedGroup: 'sweep',
          calls: sweepCalls<PgdArgs>((m, x, labels, e) => [m, x, labels, { epsilon: e, stepSize: e / 4, steps: 10 }]),
        },
        { ...costly, name: 'digits04-cnn, ε = 0.2, 10 steps of 0.05, 32 images of 0–4', visibility: 'hidden', args: pgdCase('digits04-cnn', { epsilon: 0.2, stepSize: 0.05, steps: 10 }) },
        {
          ...costly,
          name: 'digits-cnn, a random ε in [0.08, 0.2], 10 steps of ε/5',
          visibility: 'hidden',
          args: (rng) => {
            const epsilon = Math.round(rng.uniform(0.08, 0.2) * 1000) / 1000;
            return pgdCase('digits-cnn', { epsilon, stepSize: epsilon / 5, steps: 10 })(rng);
          },
        },
      ],
      check: checkPgd,
      mistakes: [
        {
          id: 'pgd-projects-around-iterate',
          hint: 'Your perturbation grows past ε by ε at every step: you project onto the ε-ball around the previous iterate. Project onto the ball around the ORIGINAL image: clip x_adv to [x − ε, x + ε] (and to [0, 1]) with the x you were given.',
          matches: ({ calls }) =>
            calls.some(({ args: [, x, , { epsilon, stepSize, steps }], output }) => stepSize > epsilon + 1e-6 && beyondBall(output, x, epsilon) >= 0.05 && multiplesOf(output, x, epsilon, steps) >= 0.9),
        },
        {
          id: 'pgd-no-projection',
          hint: 'Your perturbation grows to steps × stepSize: after each step, project back onto the ε-ball around the original image (clip to [x − ε, x + ε]) and onto [0, 1].',
          matches: ({ calls }) =>
            calls.some(({ args: [, x, , { epsilon, stepSize, steps }], output }) => {
              if (stepSize <= epsilon + 1e-6) return false;
              // With steps larger than ε, every whole number of steps is outside the ball: 90 %
              // multiples imply far more than 5 % outside unless nearly every moved pixel is
              // clipped at 0 or 1, so the bound of 5 % is never the deciding one.
              // Stryker disable next-line EqualityOperator: see above
              const outside = beyondBall(output, x, epsilon) >= 0.05;
              return outside && multiplesOf(output, x, stepSize, steps) >= 0.9;
            }),
        },
        {
          id: 'pgd-single-step',
          hint: 'Every pixel you moved moved by exactly one stepSize: your PGD takes a single step. Repeat the step-and-project `steps` times, each time from the current adversarial image and with the gradient there.',
          matches: ({ calls }) =>
            calls.some(({ args: [, x, , { epsilon, stepSize, steps }], output }) => {
              const step = commonStep(output, x);
              // Stryker disable next-line ConditionalExpression: without a common step, |undefined − stepSize| below is NaN, never ≤ 1e-5
              if (step === undefined) return false;
              // Stryker disable next-line EqualityOperator: no float32 step lies exactly 1e-5 from stepSize
              const oneStep = Math.abs(step - stepSize) <= 1e-5;
              return steps > 1 && stepSize < epsilon - 1e-6 && oneStep;
            }),
        },
      ],
    }),
    problem({
      export: 'randomSignNoise',
      title: 'Random sign noise of the same size',
      points: 8,
      timeoutMs: 20_000,
      reference: reference.randomSignNoise,
      output: tensor<X>({ rank: 4, dtype: 'float32' }),
      cases: [
        noiseCase('digits-cnn, ε = 0.2, 64 images: a seed twice, then another', 'digits-cnn', noiseCalls('digits-cnn', 0.2, 64), costly),
        noiseCase('digits-cnn, ε = 0.1, 32 images: a seed twice, then the next', 'digits-cnn', noiseCalls('digits-cnn', 0.1, 32)),
        noiseCase(NOISE_SWEEP, 'digits-cnn', (rng) => {
          const { x } = sweepBatch(rng);
          const seed = seedOf(rng);
          return SWEEP.map((epsilon): NoiseArgs => [x, epsilon, seed]);
        }, { ...costly, seedGroup: 'sweep' }),
        noiseCase('digits04-cnn, ε = 0.2, 64 images of 0–4: a seed twice, then another', 'digits04-cnn', noiseCalls('digits04-cnn', 0.2, 64, 7), { ...costly, visibility: 'hidden' }),
      ],
      check: checkNoise,
      mistakes: [
        {
          id: 'noise-wrong-scale',
          hint: 'Every pixel of your noise moves by the same amount, but not by ε. Scale the random signs by ε itself: pixels are in [0, 1] and so is ε (no division by 255, no factor of 2).',
          matches: ({ calls }) =>
            calls.some(({ args: [x, epsilon], output }) => {
              const step = commonStep(output, x);
              // Stryker disable next-line ConditionalExpression: without a common step, |undefined − ε| below is NaN, never > 1e-6
              if (step === undefined) return false;
              // Stryker disable next-line EqualityOperator: no float32 step lies exactly 1e-6 from ε
              return Math.abs(step - epsilon) > 1e-6;
            }),
        },
      ],
    }),
    problem({
      export: 'accuracy',
      title: 'Accuracy',
      points: 4,
      timeoutMs: 20_000,
      reference: reference.accuracy,
      output: finiteNumber,
      cases: [
        {
          name: 'digits-cnn, 40 test images, 5 misclassified',
          args: batchCase('digits-cnn', 40, 5),
        },
        {
          name: "the reference's FGSM images at ε = 0.15, 50 images",
          args: (rng) => {
            const { x, labels } = testBatch(rng, 'digits-cnn', 50);
            return [zoo('digits-cnn'), reference.fgsm(zoo('digits-cnn'), x, labels, 0.15), labels];
          },
        },
        {
          name: 'digits04-cnn, 30 test images of 0–4, 2 misclassified',
          visibility: 'hidden',
          args: batchCase('digits04-cnn', 30, 2),
        },
      ],
      check: ({ args, output }) => checkAccuracy(args, output),
      mistakes: [
        {
          id: 'accuracy-counts',
          hint: 'You returned how many images are classified correctly; return the fraction, that count divided by the number of images.',
          matches: ({ args, output, expected }) => args[2].length > 1 && expected > 0 && Math.abs(output - expected * args[2].length) < 1e-9,
        },
      ],
    }),
    // mlgrade new-problem adds problems above this line.
  ],
});

/**
 * Accuracy is exact: k/N for the number k of images whose most probable class is the label.
 * An image whose top two probabilities are within TIE_GAP could be counted either way on
 * another backend or batch size, so k may be anything between the sure count and the sure
 * count plus such near-ties; the fraction may be rounded to float32 (≤ 6e-8 < 1/(2N)).
 */
export function checkAccuracy([model, x, labels]: [Model, X, number[]], output: number): Verdict {
  return accuracyVerdict(probabilities(model, x), labels, output);
}

/** checkAccuracy on the model's probabilities `p`, one row per image. */
export function accuracyVerdict(p: number[][], labels: number[], output: number): Verdict {
  let sure = 0;
  let ties = 0;
  p.forEach((row, i) => {
    const sorted = [...row].sort((a, b) => b - a);
    if (sorted[0] - sorted[1] < TIE_GAP && (row[labels[i]] === sorted[0] || row[labels[i]] === sorted[1])) ties++;
    else if (row[labels[i]] === sorted[0]) sure++;
  });
  const n = labels.length;
  const k = Math.round(output * n);
  // Stryker disable next-line EqualityOperator: a float32 k/N is never exactly 1e-7 from k/N in float64
  const exact = Math.abs(output - k / n) <= 1e-7;
  const ok = k >= sure && k <= sure + ties && exact;
  return ok
    ? pass(`accuracy ${output} (${k} of ${n} images)`)
    : fail(`your accuracy is ${output}, but the model classifies ${sure} of ${n} images correctly: ${sure / n}${ties ? ` (up to ${(sure + ties) / n} counting ${ties} near-ties)` : ''}`);
}
