import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { fail, pass, type Verdict } from '../../grader/src/checks/verdict.ts';
import { describeValue } from '../../grader/src/checks/path.ts';
import * as reference from '../../solutions/augmentation/augment.ts';
import type { AugmentOp, Image } from '../../solutions/augmentation/augment.ts';

/**
 * The augmentation checks' helpers: the image schema, exact comparison of images (the
 * geometric operations select pixels and compute nothing, so nothing rounds), the policy rules
 * of randomAugment, and the measurements of the experiment.
 */

export type Policy = { maxShift: number; maxRotation: number; flip: boolean; maxBrightness: number };

/** An array, or a typed array of numbers as a plain one; undefined for anything else. */
function listOf(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value as unknown[];
  return ArrayBuffer.isView(value) && !(value instanceof DataView) && !(value instanceof BigInt64Array) && !(value instanceof BigUint64Array) ? Array.from(value as unknown as ArrayLike<number>) : undefined;
}

/**
 * H rows of W pixels of C finite numbers, the same W and C throughout; validated and copied
 * in plain loops (zod's nested arrays took seconds for the data sets of augmentDataset).
 */
export const image = z.unknown().transform((value, ctx): Image => {
  const issue = (path: number[], message: string): never => {
    // Stryker disable next-line StringLiteral: zod's types need the code; validateValue reports only the message and the path
    ctx.addIssue({ code: 'custom', path, message });
    return z.NEVER;
  };
  const rows = listOf(value);
  if (!rows) return issue([], `expected an image (an array of rows), got ${describeValue(value)}`);
  const out: Image = [];
  let [width, channels] = [0, 0];
  for (let r = 0; r < rows.length; r++) {
    const row = listOf(rows[r]);
    if (!row) return issue([r], `expected a row (an array of pixels), got ${describeValue(rows[r])}`);
    if (r === 0) width = row.length;
    else if (row.length !== width) return issue([r], `row ${r} has ${row.length} pixels, but row 0 has ${width}`);
    const copied: number[][] = [];
    for (let c = 0; c < row.length; c++) {
      const pixel = listOf(row[c]);
      if (!pixel) return issue([r, c], `expected a pixel (an array of channel values), got ${describeValue(row[c])}`);
      if (r === 0 && c === 0) channels = pixel.length;
      else if (pixel.length !== channels) return issue([r, c], `this pixel has ${pixel.length} channels, but pixel [0][0] has ${channels}`);
      for (let ch = 0; ch < pixel.length; ch++) {
        const v = pixel[ch];
        if (!Number.isFinite(v)) return issue([r, c, ch], `expected a finite number, got ${describeValue(v)}`);
      }
      copied.push(pixel.slice() as number[]);
    }
    out.push(copied);
  }
  // No pixel [0][0] (no row, or a first row without pixels) leaves channels at 0 too.
  if (channels === 0) return issue([], 'the image is empty; an image has at least one row of one pixel of one channel');
  return out;
});

export function shapeOf(img: Image): [number, number, number] {
  return [img.length, img[0].length, img[0][0].length];
}

const shapeText = (img: Image): string => shapeOf(img).join(' × ');

function shapeProblem(output: Image, expected: Image, what: string): Verdict | undefined {
  return shapeText(output) === shapeText(expected) ? undefined : fail(`${what} is ${shapeText(output)} (rows × columns × channels); it should be ${shapeText(expected)}`);
}

/**
 * The output equals one of `accepted` at every pixel (all channels of a pixel from the same
 * one). Usually one image; for rotate, the reference turned by a hair more and less as well:
 * where a position lies within rounding of halfway between two pixels, Math.round may go either
 * way, and either is right.
 */
export function sameImage(output: Image, accepted: Image[], what = 'your image'): Verdict {
  const wrongShape = shapeProblem(output, accepted[0], what);
  if (wrongShape) return wrongShape;
  const same = (a: number[], b: number[]) => a.every((v, ch) => v === b[ch]);
  const wrong: Array<[number, number]> = [];
  output.forEach((row, r) => row.forEach((pixel, c) => {
    if (!accepted.some((img) => same(pixel, img[r][c]))) wrong.push([r, c]);
  }));
  if (wrong.length === 0) return pass();
  const [r, c] = wrong[0];
  const pixels = output.length * output[0].length;
  return fail(`${what}: ${wrong.length} of ${pixels} pixels differ; the first is row ${r}, column ${c}: yours is [${output[r][c].join(', ')}], it should be [${accepted[0][r][c].join(', ')}]`, { wrongPixels: wrong.length });
}

/** How far a number may be from a whole number and count as one (rounding in the student's arithmetic). */
const WHOLE_SLACK = 1e-9;
export const wholeNumber = (x: number): number | undefined => (Math.abs(x - Math.round(x)) <= WHOLE_SLACK ? Math.round(x) : undefined);

/** The first way `op` breaks the policy, or undefined. A shift's offsets are whole numbers. */
export function opProblem(op: AugmentOp, policy: Policy): string | undefined {
  switch (op.op) {
    case 'flipHorizontal':
      return policy.flip ? undefined : 'flipHorizontal, but this policy has flip: false';
    case 'shift': {
      const [dx, dy] = [wholeNumber(op.dx), wholeNumber(op.dy)];
      if (dx === undefined || dy === undefined) return `shift by (${op.dx}, ${op.dy}): shifts are by whole pixels`;
      return Math.abs(dx) <= policy.maxShift && Math.abs(dy) <= policy.maxShift ? undefined : `shift by (${dx}, ${dy}), but maxShift is ${policy.maxShift}`;
    }
    case 'rotate':
      return Math.abs(op.degrees) <= policy.maxRotation ? undefined : `rotate by ${op.degrees}°, but maxRotation is ${policy.maxRotation}`;
    case 'brightness':
      return Math.abs(op.delta) <= policy.maxBrightness ? undefined : `brightness ${op.delta}, but maxBrightness is ${policy.maxBrightness}`;
  }
}

/** The operations applied in order with the reference's functions (shift and rotate with fill 0). */
export function reapply(img: Image, applied: readonly AugmentOp[]): Image {
  return applied.reduce((current, op) => {
    switch (op.op) {
      case 'flipHorizontal':
        return reference.flipHorizontal(current);
      case 'shift':
        return reference.shift(current, wholeNumber(op.dx)!, wholeNumber(op.dy)!);
      case 'rotate':
        return reference.rotate(current, op.degrees);
      case 'brightness':
        return reference.adjustBrightness(current, op.delta);
    }
  }, img);
}

/** What many randomAugment calls drew: how often each operation, and the range of each parameter. */
export interface OpSpread {
  calls: number;
  flips: number;
  shifts: number;
  rotations: number;
  brightness: number;
  dx: [number, number];
  dy: [number, number];
  degrees: [number, number];
  delta: [number, number];
}

export function opSpread(lists: ReadonlyArray<readonly AugmentOp[]>): OpSpread {
  const spread: OpSpread = { calls: lists.length, flips: 0, shifts: 0, rotations: 0, brightness: 0, dx: [0, 0], dy: [0, 0], degrees: [0, 0], delta: [0, 0] };
  const widen = (range: [number, number], v: number) => {
    range[0] = Math.min(range[0], v);
    range[1] = Math.max(range[1], v);
  };
  for (const op of lists.flat()) {
    if (op.op === 'flipHorizontal') spread.flips++;
    else if (op.op === 'shift') {
      spread.shifts++;
      widen(spread.dx, op.dx);
      widen(spread.dy, op.dy);
    } else if (op.op === 'rotate') {
      spread.rotations++;
      widen(spread.degrees, op.degrees);
    } else {
      spread.brightness++;
      widen(spread.delta, op.delta);
    }
  }
  return spread;
}

/** A parameter drawn over [−max, max] reaches at least this share of max on each side over the distribution case's calls. */
export const SPREAD_SHARE = 0.5;

/** What is wrong with the spread of the draws, or an empty list. */
export function spreadProblems(spread: OpSpread, policy: Policy): string[] {
  const problems: string[] = [];
  const reaches = (range: [number, number], max: number) => range[0] <= -SPREAD_SHARE * max && range[1] >= SPREAD_SHARE * max;
  const span = (range: [number, number]) => `from ${range[0]} to ${range[1]}`;
  if (policy.flip && spread.flips === 0) problems.push(`no call flipped, but the policy allows flips`);
  if (spread.shifts === 0) problems.push('no call shifted');
  else if (!reaches(spread.dx, policy.maxShift) || !reaches(spread.dy, policy.maxShift)) problems.push(`the shifts went dx ${span(spread.dx)} and dy ${span(spread.dy)}; each should reach at least ±${SPREAD_SHARE * policy.maxShift} (maxShift ${policy.maxShift})`);
  if (spread.rotations === 0) problems.push('no call rotated');
  else if (!reaches(spread.degrees, policy.maxRotation)) problems.push(`the rotations went ${span(spread.degrees)}°; they should reach at least ±${SPREAD_SHARE * policy.maxRotation}° (maxRotation ${policy.maxRotation})`);
  if (spread.brightness === 0) problems.push('no call changed the brightness');
  else if (!reaches(spread.delta, policy.maxBrightness)) problems.push(`the brightness changes went ${span(spread.delta)}; they should reach at least ±${SPREAD_SHARE * policy.maxBrightness} (maxBrightness ${policy.maxBrightness})`);
  return problems;
}

/** The images as one [N, 28, 28, 1] tensor. */
export function digitBatch(images: readonly Image[]): tf.Tensor4D {
  return tf.tensor4d(Float32Array.from(images.flatMap((img) => img.flat(2))), [images.length, 28, 28, 1]);
}

/** The share of images the model labels right (its largest output). */
export function accuracy(model: tf.LayersModel, x: tf.Tensor4D, labels: readonly number[]): number {
  const output = model.predict(x) as tf.Tensor;
  const rows = output.arraySync() as number[][];
  output.dispose();
  return rows.filter((row, i) => row.indexOf(Math.max(...row)) === labels[i]).length / labels.length;
}

/** A model that takes [N, 28, 28, 1] and gives N rows of 10 probabilities; otherwise what it does instead. */
export function classifierProblem(model: tf.LayersModel, what: string): string | undefined {
  const input = model.inputs[0].shape.slice(1).join(', ');
  if (input !== '28, 28, 1') return `${what} takes inputs of shape [${input}] per example; it should take 28 × 28 × 1 digits`;
  const rows = tf.tidy(() => {
    const out = model.predict(tf.zeros([1, 28, 28, 1])) as tf.Tensor;
    return out.rank === 2 && out.shape[1] === 10 ? (out.arraySync() as number[][]) : out.shape;
  });
  if (!Array.isArray(rows[0])) return `${what} gives outputs of shape [${(rows as number[]).slice(1).join(', ')}] per example; it should give 10 class probabilities (a softmax)`;
  const row = rows[0];
  // Stryker disable next-line EqualityOperator: a sum of float32 outputs minus 1 is a multiple of 2^-53 and 1e-3 is not, so the two are never equal
  const probabilities = row.every((p) => p >= 0) && Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-3;
  return probabilities ? undefined : `${what}'s outputs are not probabilities (non-negative, summing to 1): end it with a 10-way softmax`;
}

/** The layers and weight shapes of a model, for telling whether two are the same network. */
export function architecture(model: tf.LayersModel): string {
  return model.layers.map((layer) => `${layer.getClassName()}(${layer.getWeights().map((w) => w.shape.join('×')).join(',')})`).join(' → ');
}
