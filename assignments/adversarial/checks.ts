import * as tf from '@tensorflow/tfjs';
import { allClose } from '../../grader/src/checks/allclose.ts';
import { allOf, fail, invariant, pass, type Verdict } from '../../grader/src/checks/verdict.ts';
import type { Figure } from '../../grader/src/result/schema.ts';
import { imageGrid, lineChart } from '../../grader/src/report/figures.ts';

/**
 * The checks of the adversarial assignment. Everything here runs in the trusted grader on
 * what the student's functions returned: losses and accuracies are measured with the
 * grader's own copy of the model, in float64 from the model's float32 probabilities.
 */

export type PgdOptions = { epsilon: number; stepSize: number; steps: number };
export const SIDE = 28;
export const PIXELS = SIDE * SIDE;

/**
 * Keras's epsilon: a probability is floored at 1e-7 before its logarithm, so one image's
 * loss is at most −ln 1e-7 ≈ 16.1 and a mean is never infinite.
 */
export const PROBABILITY_FLOOR = 1e-7;

/**
 * Float32 slack on the constraint: |x_adv − x| ≤ ε + 1e-6 and every pixel in [−1e-6, 1 + 1e-6].
 * The reference's worst excess is 6e-8 (one float32 rounding of x ± ε near 1); a pixel one
 * step of 0.01 outside the ball is 10⁴ times larger than the slack.
 */
export const BALL_TOLERANCE = 1e-6;

/**
 * The student's attack must reach at least this fraction of the reference's mean loss.
 * Replaying every case for 10 student ids, two independent correct implementations reached
 * 0.997–1.001× the reference's FGSM loss and 0.991–1.011× its PGD loss (PGD's sign steps
 * amplify float32 differences in the gradient); every declared mistake stays far below.
 */
export const LOSS_RATIO = 0.98;

/**
 * The gradient's tolerance: |g − g_ref| ≤ GRADIENT_ATOL·max|g_ref| + GRADIENT_RTOL·|g_ref|.
 * Measured by replaying every crossEntropyGradient case for 10 student ids (wasm, 16 images
 * each, both models): a correct gradient through tf.metrics.categoricalCrossentropy (other
 * clipping, other order of float32 operations) differs from the reference by at most
 * 3.2e-5·max|g_ref|; one through an unclipped −log p[label] by at most 1.2e-6·max|g_ref|. The
 * scale-relative atol is 30× the worst case. Saturated images, whose gradient is exactly 0 in
 * every correct float32 implementation measured (~20 % of the pixels with digits-cnn), are
 * compared within it too. A wrong label, a sum instead of a mean (×N) or a missing minus sign
 * are off by about max|g_ref| itself.
 */
export const GRADIENT_ATOL = 1e-3;
export const GRADIENT_RTOL = 1e-3;

/**
 * "Random perturbations do not work", graded at ε = 0.2 only: the accuracy under random sign
 * noise must stay at least 0.1 above the accuracy under the reference's FGSM. Measured by
 * replaying the cases at ε = 0.2 for 10 student ids with three correct generators (30 draws
 * each): the gap was 0.34–0.55 (mean 0.44) on 64 digits-cnn images and 0.19–0.39 (mean 0.31)
 * on 64 digits04-cnn images, so 0.1 is about four standard deviations below the smaller mean.
 * At ε = 0.1 the gap is 0.06–0.25 on 32 images, too close to grade; at ε = 0.3 noise alone
 * costs ~25 % accuracy (the black background turns gray), so ε = 0.2 is where it is graded.
 */
export const RANDOM_MARGIN = 0.1;
export const RANDOM_MARGIN_EPSILON = 0.2;

/**
 * Two-sided binomial test of the noise's signs: a count of + signs more than 5 standard
 * deviations from n/2 fails. A fair generator fails with probability 5.7e-7 < 1e-6.
 */
export const SIGN_Z = 5;

/** An answer within this of 1 moves a pixel by exactly ±ε (float32 rounding of x ± ε is ≤ 6e-8). */
export const NOISE_TOLERANCE = 1e-6;

/** Top-two probability gaps below this are near-ties: either class counts as the prediction. */
export const TIE_GAP = 1e-5;

export function values(t: tf.Tensor): Float32Array {
  return t.dataSync() as Float32Array;
}

/** `[image, row, column, 0]` of a flat pixel index. */
export function where(index: number): string {
  const image = Math.floor(index / PIXELS);
  const within = index % PIXELS;
  return `[${image}, ${Math.floor(within / SIDE)}, ${within % SIDE}, 0]`;
}

export function probabilities(model: tf.LayersModel, x: tf.Tensor4D): number[][] {
  return tf.tidy(() => (model.predict(x) as tf.Tensor).arraySync() as number[][]);
}

/** Mean categorical cross-entropy against `labels`, in float64 from the float32 probabilities. */
export function meanLoss(model: tf.LayersModel, x: tf.Tensor4D, labels: number[]): number {
  const p = probabilities(model, x);
  let sum = 0;
  for (let i = 0; i < labels.length; i++) sum -= Math.log(Math.max(p[i][labels[i]], PROBABILITY_FLOOR));
  return sum / labels.length;
}

/** The index of the largest entry; the first of tied ones. */
export function argmax(row: number[]): number {
  let best = 0;
  // Stryker disable next-line EqualityOperator: k = row.length reads undefined, which is never larger
  for (let k = 1; k < row.length; k++) {
    if (row[k] > row[best]) best = k;
  }
  return best;
}

export function accuracyOf(model: tf.LayersModel, x: tf.Tensor4D, labels: number[]): number {
  const p = probabilities(model, x);
  return p.filter((row, i) => argmax(row) === labels[i]).length / labels.length;
}

export function sameShape(output: tf.Tensor, x: tf.Tensor, name: string): Verdict {
  return invariant(output.shape.join() === x.shape.join(), `${name} has shape [${output.shape.join(', ')}], expected [${x.shape.join(', ')}] (the shape of x)`);
}

/** ‖x_adv − x‖∞ ≤ ε and every pixel in [0, 1], each with BALL_TOLERANCE. */
export function constraint(xAdv: tf.Tensor4D, x: tf.Tensor4D, epsilon: number, name: string): Verdict {
  const got = values(xAdv);
  const original = values(x);
  let far = 0;
  for (let i = 1; i < got.length; i++) if (Math.abs(got[i] - original[i]) > Math.abs(got[far] - original[far])) far = i;
  let outside = -1;
  for (let i = 0; i < got.length && outside < 0; i++) {
    // Stryker disable next-line EqualityOperator: no float32 pixel equals −1e-6 or 1 + 1e-6, so < and ≤ (> and ≥) agree
    if (got[i] < -BALL_TOLERANCE || got[i] > 1 + BALL_TOLERANCE) outside = i;
  }
  const distance = Math.abs(got[far] - original[far]);
  const verdicts = [
    invariant(
      // Stryker disable next-line EqualityOperator: a difference of two float32 pixels never equals ε + 1e-6 exactly
      distance <= epsilon + BALL_TOLERANCE,
      `${name} leaves the ε-ball around the original image: ‖${name} − x‖∞ = ${distance.toPrecision(4)} at ${where(far)} (x = ${original[far].toPrecision(4)}, yours ${got[far].toPrecision(4)}), but ε = ${epsilon}`,
      { linf: distance },
    ),
  ];
  if (outside >= 0) verdicts.push(fail(`${name}${where(outside)} = ${got[outside].toPrecision(4)} is not a valid pixel: every pixel must stay in [0, 1]`));
  return allOf(verdicts);
}

export function format(value: number): string {
  return value.toFixed(3);
}

/** The loss at the student's point must exceed the clean loss and reach LOSS_RATIO of the reference's. */
export function lossReached(attack: string, loss: number, clean: number, referenceLoss: number): Verdict {
  return allOf([
    invariant(loss > clean, `the mean cross-entropy at your ${attack} images is ${format(loss)}, not above the clean images' ${format(clean)}: an attack must increase the loss`, { loss, clean }),
    invariant(
      loss >= LOSS_RATIO * referenceLoss,
      `the mean cross-entropy at your ${attack} images is ${format(loss)}, but the reference's ${attack} reaches ${format(referenceLoss)} at the same ε (at least ${LOSS_RATIO} × that, ${format(LOSS_RATIO * referenceLoss)}, is required)`,
      { loss, referenceLoss },
    ),
  ]);
}

/** The gradient against the reference's, with the float32 tolerance above. */
export function gradientMatches(output: tf.Tensor4D, expected: tf.Tensor4D): Verdict {
  const shape = sameShape(output, expected, 'the gradient');
  if (shape.score < 1) return shape;
  const scale = tf.tidy(() => expected.abs().max().dataSync()[0]);
  return allClose(output.arraySync(), expected.arraySync(), { name: 'gradient', rtol: GRADIENT_RTOL, atol: GRADIENT_ATOL * scale });
}

/**
 * Random sign noise, one call: every pixel is clip(x + ε) or clip(x − ε) (NOISE_TOLERANCE),
 * and the + signs pass a two-sided binomial test (SIGN_Z).
 */
export function noiseCall(output: tf.Tensor4D, x: tf.Tensor4D, epsilon: number, label: string): Verdict {
  const shape = sameShape(output, x, `${label}the noisy images`);
  if (shape.score < 1) return shape;
  const got = values(output);
  const original = values(x);
  let plus = 0;
  let bad = -1;
  // Stryker disable next-line EqualityOperator: i = got.length reads undefined, which matches neither bound
  for (let i = 0; i < got.length; i++) {
    const up = Math.min(1, original[i] + epsilon);
    const down = Math.max(0, original[i] - epsilon);
    // Stryker disable next-line EqualityOperator: a float32 pixel is never exactly 1e-6 from x ± ε
    if (Math.abs(got[i] - up) <= NOISE_TOLERANCE) plus++;
    // Stryker disable next-line EqualityOperator: as above
    else if (Math.abs(got[i] - down) > NOISE_TOLERANCE) bad = bad < 0 ? i : bad;
  }
  if (bad >= 0) {
    const moved = got[bad] - original[bad];
    return fail(
      `${label}pixel ${where(bad)} moved from ${original[bad].toPrecision(4)} to ${got[bad].toPrecision(4)} (by ${moved.toPrecision(4)}); every pixel must move by exactly +ε or −ε (ε = ${epsilon}), then be clipped to [0, 1]`,
      { moved },
    );
  }
  const n = got.length;
  const sd = Math.sqrt(n) / 2;
  const low = n / 2 - SIGN_Z * sd;
  const high = n / 2 + SIGN_Z * sd;
  return invariant(
    plus >= low && plus <= high,
    `${label}${plus} of ${n} pixels moved by +ε (${(plus / n).toFixed(3)}); each sign must be + or − with probability ½, so expected between ${Math.ceil(low)} and ${Math.floor(high)}`,
    { plus, n },
  );
}

// ---------------------------------------------------------------------------------------
// Detectors' measurements

/** The perturbation x_adv − x, pixel by pixel, in float64. */
export function perturbation(xAdv: tf.Tensor4D, x: tf.Tensor4D): Float64Array {
  const got = values(xAdv);
  const original = values(x);
  return Float64Array.from(got, (v, i) => v - original[i]);
}

/**
 * Of the pixels where the mistake's answer differs from the correct one by more than `tol`
 * (the pixels that tell the two apart), the fraction where the student's answer is within
 * `tol` of the mistake's; 0 when fewer than 1 % of the pixels tell them apart.
 */
export function agreementWithMistake(student: tf.Tensor, mistake: tf.Tensor, correct: tf.Tensor, tol: number): number {
  if (student.shape.join() !== mistake.shape.join()) return 0;
  const s = values(student);
  const m = values(mistake);
  const c = values(correct);
  let telling = 0;
  let agreeing = 0;
  // Stryker disable next-line EqualityOperator: i = m.length reads undefined, which tells nothing apart
  for (let i = 0; i < m.length; i++) {
    if (Math.abs(m[i] - c[i]) > tol) {
      telling++;
      if (Math.abs(s[i] - m[i]) <= tol) agreeing++;
    }
  }
  return telling >= 0.01 * m.length ? agreeing / telling : 0;
}

/**
 * Of the pixels that moved (|δ| > 1e-6) and ended strictly inside (0, 1), the fraction whose
 * |δ| is k·unit (within 1e-5) for a whole k in 1…maxK; 0 when fewer than 100 pixels moved.
 */
export function multiplesOf(xAdv: tf.Tensor4D, x: tf.Tensor4D, unit: number, maxK: number): number {
  const got = values(xAdv);
  const delta = perturbation(xAdv, x);
  let moved = 0;
  let multiple = 0;
  for (let i = 0; i < delta.length; i++) {
    const size = Math.abs(delta[i]);
    // Stryker disable next-line EqualityOperator: |δ| of float32 pixels is never exactly 1e-6
    if (size <= 1e-6) continue;
    if (got[i] <= 0 || got[i] >= 1) continue;
    moved++;
    const k = Math.round(size / unit);
    // Stryker disable next-line EqualityOperator: |δ| − k·unit is never exactly 1e-5 for float32 pixels
    if (Math.abs(size - k * unit) <= 1e-5 && k >= 1 && k <= maxK) multiple++;
  }
  return moved >= 100 ? multiple / moved : 0;
}

/**
 * The one size |δ| by which every moved pixel strictly inside (0, 1) moved, when they all
 * moved by the same size (within NOISE_TOLERANCE) and at least 100 did; otherwise undefined.
 */
export function commonStep(xAdv: tf.Tensor4D, x: tf.Tensor4D): number | undefined {
  const got = values(xAdv);
  const delta = perturbation(xAdv, x);
  let size: number | undefined;
  let count = 0;
  for (let i = 0; i < delta.length; i++) {
    const s = Math.abs(delta[i]);
    // Stryker disable next-line EqualityOperator: |δ| of float32 pixels is never exactly 1e-7
    if (s <= 1e-7) continue;
    if (got[i] <= 0 || got[i] >= 1) continue;
    if (size === undefined) size = s;
    // Stryker disable next-line EqualityOperator: two such sizes never differ by exactly 1e-6
    else if (Math.abs(s - size) > NOISE_TOLERANCE) return undefined;
    count++;
  }
  return count >= 100 ? size : undefined;
}

/** The fraction of the moved pixels (|δ| > 1e-6) that lie outside the ε-ball (BALL_TOLERANCE); 0 when none moved. */
export function beyondBall(xAdv: tf.Tensor4D, x: tf.Tensor4D, epsilon: number): number {
  const delta = perturbation(xAdv, x);
  let moved = 0;
  let beyond = 0;
  for (const d of delta) {
    // Stryker disable next-line EqualityOperator: |δ| of float32 pixels is never exactly 1e-6
    if (Math.abs(d) <= 1e-6) continue;
    moved++;
    // Stryker disable next-line EqualityOperator: nor exactly ε + 1e-6
    if (Math.abs(d) > epsilon + BALL_TOLERANCE) beyond++;
  }
  return moved > 0 ? beyond / moved : 0;
}

export function linf(xAdv: tf.Tensor4D, x: tf.Tensor4D): number {
  return perturbation(xAdv, x).reduce((worst, d) => Math.max(worst, Math.abs(d)), 0);
}

// ---------------------------------------------------------------------------------------
// Pictures

/** Image `index` of a batch of 28×28 images, as rows. */
export function image(data: Float32Array | Float64Array, index: number): number[][] {
  return Array.from({ length: SIDE }, (_, r) => Array.from(data.subarray(index * PIXELS + r * SIDE, index * PIXELS + (r + 1) * SIDE)));
}

function prediction(p: number[]): string {
  const k = argmax(p);
  return `${k} (${(100 * p[k]).toFixed(1)} %)`;
}

/**
 * Up to `count` examples, each a row of original / perturbation / adversarial, preferring
 * images whose predicted class the attack changed. The perturbation is stretched to its own
 * range (mid-gray is 0), so a perturbation of ±0.1 is visible.
 */
export function exampleRows(model: tf.LayersModel, x: tf.Tensor4D, xAdv: tf.Tensor4D, attack: string, count = 2): Figure[] {
  const clean = probabilities(model, x);
  const attacked = probabilities(model, xAdv);
  const order = clean.map((_, i) => i).sort((a, b) => Number(argmax(attacked[b]) !== argmax(clean[b])) - Number(argmax(attacked[a]) !== argmax(clean[a])) || a - b);
  const original = values(x);
  const adversarial = values(xAdv);
  const delta = perturbation(xAdv, x);
  return order.slice(0, count).map((i, n) => {
    const d = image(delta, i);
    const size = Math.max(1e-12, ...d.flat().map(Math.abs));
    // −size … +size onto 0 … 1, so that mid-gray is no change whatever the signs present.
    const centred = d.map((row) => row.map((v) => 0.5 + v / (2 * size)));
    return imageGrid(`Example ${n + 1} (image ${i}): original / perturbation / ${attack}`, [image(original, i), centred, image(adversarial, i)], {
      columns: 3,
      scale: 4,
      range: [0, 1],
      caption: `original: predicted ${prediction(clean[i])} · perturbation x_adv − x, largest |δ| ${size.toFixed(3)}, stretched to full contrast (mid-gray = 0) · ${attack}: predicted ${prediction(attacked[i])}`,
    });
  });
}

export function accuracyChart(title: string, series: Array<{ name: string; points: Array<[number, number]> }>, caption: string): Figure {
  return lineChart(title, series, { xLabel: 'ε', yLabel: 'accuracy', yRange: [0, 1], caption });
}

export { pass };
