/**
 * The check code of assignments/augmentation, called directly on contexts built like grading
 * builds them: every check passes the reference and the two independent alternatives, fails
 * the declared mistakes with their own hints only, and fails answers that only it rejects.
 * The experiment's check is fed networks trained once per process (see trainedPair).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import assignment from '../../assignments/augmentation/assignment.ts';
import { experimentVerdict } from '../../assignments/augmentation/assignment.ts';
import {
  accuracy,
  architecture,
  classifierProblem,
  digitBatch,
  image,
  opProblem,
  opSpread,
  reapply,
  sameImage,
  shapeOf,
  spreadProblems,
  wholeNumber,
} from '../../assignments/augmentation/checks.ts';
import { COLOUR_RANGES, digitImage, heldOutDigits, mnistDigits, randomImage, warpDigit } from '../../assignments/augmentation/data.ts';
import * as brightnessNoClamp from '../../assignments/augmentation/mistakes/brightness-no-clamp.ts';
import * as colorshiftNoClamp from '../../assignments/augmentation/mistakes/colorshift-no-clamp.ts';
import * as contrastGlobalMean from '../../assignments/augmentation/mistakes/contrast-global-mean.ts';
import * as datasetInterleaved from '../../assignments/augmentation/mistakes/dataset-interleaved.ts';
import * as flipVerticalForHorizontal from '../../assignments/augmentation/mistakes/flip-vertical-for-horizontal.ts';
import * as randomIgnoresSeed from '../../assignments/augmentation/mistakes/random-ignores-seed.ts';
import * as rotate90Clockwise from '../../assignments/augmentation/mistakes/rotate90-clockwise.ts';
import * as rotateAboutCorner from '../../assignments/augmentation/mistakes/rotate-about-corner.ts';
import * as rotateClockwise from '../../assignments/augmentation/mistakes/rotate-clockwise.ts';
import * as shiftReversed from '../../assignments/augmentation/mistakes/shift-reversed.ts';
import * as shiftWraps from '../../assignments/augmentation/mistakes/shift-wraps.ts';
import * as verticalFlipsColumns from '../../assignments/augmentation/mistakes/vertical-flips-columns.ts';
import * as reference from '../../solutions/augmentation/augment.ts';
import type { AnyFunction, CheckContext } from '../src/assignment/define.ts';
import { caseContext, generateCalls } from '../src/cases/calls.ts';
import { createRng } from '../src/cases/rng.ts';
import { validateValue } from '../src/checks/values.ts';
import type { Verdict } from '../src/checks/verdict.ts';
import { imageGrid } from '../src/report/figures.ts';
import { initTensorBackend } from '../src/tensor/backend.ts';
import * as arrays from './fixtures/augmentation-alternatives/arrays/augment.ts';
import * as typed from './fixtures/augmentation-alternatives/typed/augment.ts';
import { problemTools } from './helpers.ts';

type Image = number[][][];
type Ctx = CheckContext<unknown[], unknown>;
const { problemOf, caseOf, contextOf, detector } = problemTools(assignment);
const IMPLEMENTATIONS: Record<string, Record<string, unknown>> = { reference, arrays, typed };

async function verdict(problem: string, caseName: string, seed: string, answer?: AnyFunction, visible = true): Promise<Verdict> {
  return await problemOf(problem).check(await contextOf(problem, caseName, seed, answer, visible));
}

/** The reference and both alternatives get full marks on every case of a problem, for each seed. */
async function expectAllPass(problem: string, seeds = ['a']): Promise<void> {
  for (const c of problemOf(problem).cases) {
    for (const [name, impl] of Object.entries(IMPLEMENTATIONS)) {
      for (const seed of seeds) {
        const v = await verdict(problem, c.name, seed, impl[problem] as AnyFunction);
        expect(v.score, `${name}, ${c.name} (seed ${seed}): ${v.message}`).toBe(1);
      }
    }
  }
}

/** Which of a problem's detectors fire on a context. */
function firing(problem: string, ctx: Ctx): string[] {
  return (problemOf(problem).mistakes ?? []).filter((m) => m.matches(ctx)).map((m) => m.id);
}

const EXACT_PROBLEMS = ['flipHorizontal', 'flipVertical', 'rotate90', 'shift', 'rotate'];
const VALUE_PROBLEMS = ['adjustBrightness', 'adjustContrast', 'colorShift'];
const MISTAKES: Array<[problem: string, id: string, fn: AnyFunction]> = [
  ['flipHorizontal', 'flip-vertical-for-horizontal', flipVerticalForHorizontal.flipHorizontal],
  ['flipVertical', 'vertical-flips-columns', verticalFlipsColumns.flipVertical],
  ['rotate90', 'rotate90-clockwise', rotate90Clockwise.rotate90],
  ['shift', 'shift-reversed', shiftReversed.shift],
  ['shift', 'shift-wraps', shiftWraps.shift],
  ['rotate', 'rotate-about-corner', rotateAboutCorner.rotate],
  ['rotate', 'rotate-clockwise', rotateClockwise.rotate],
  ['adjustBrightness', 'brightness-no-clamp', brightnessNoClamp.adjustBrightness],
  ['adjustContrast', 'contrast-global-mean', contrastGlobalMean.adjustContrast],
  ['colorShift', 'colorshift-no-clamp', colorshiftNoClamp.colorShift],
  ['randomAugment', 'random-ignores-seed', randomIgnoresSeed.randomAugment],
  ['augmentDataset', 'dataset-interleaved', datasetInterleaved.augmentDataset],
];

beforeAll(async () => {
  await initTensorBackend();
}, 60_000);

describe('the inputs', () => {
  it('makes digits, pictures of given ranges and a held-out set the same way for one seed', () => {
    const { images, labels } = mnistDigits(createRng('m'), 3, 'test');
    expect(images.map(shapeOf)).toEqual([[28, 28, 1], [28, 28, 1], [28, 28, 1]]);
    expect(labels).toHaveLength(3);
    const picture = randomImage(createRng('p'), 40, 30, COLOUR_RANGES);
    expect(shapeOf(picture)).toEqual([40, 30, 3]);
    COLOUR_RANGES.forEach(([low, high], ch) => {
      const values = picture.flat().map((pixel) => pixel[ch]);
      expect(Math.min(...values)).toBeGreaterThanOrEqual(low);
      expect(Math.max(...values)).toBeLessThanOrEqual(high);
      expect(Math.max(...values) - Math.min(...values)).toBeGreaterThan(0.9 * (high - low));
    });
    const held = heldOutDigits(createRng('h'), 5, 3, 20);
    expect(held.pixels).toHaveLength(5 * 784);
    expect(heldOutDigits(createRng('h'), 5, 3, 20)).toEqual(held);
    expect(Math.max(...held.pixels)).toBeLessThanOrEqual(1);
  });

  it('warps a digit: nothing for 0° and (0, 0); whole moves and quarter turns land on pixels exactly', () => {
    const { images } = mnistDigits(createRng('w'), 1, 'test');
    const flat = images[0].flat(2);
    expect(warpDigit(flat, 0, 0, 0)).toEqual(flat);
    const close = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]) < 1e-9);
    expect(close(warpDigit(flat, 0, 2, -1), reference.shift(images[0], 2, -1).flat(2))).toBe(true);
    expect(close(warpDigit(flat, 90, 0, 0), reference.rotate90(images[0], 1).flat(2))).toBe(true);
    expect(close(warpDigit(flat, -90, 1, 2), reference.shift(reference.rotate90(images[0], -1), 1, 2).flat(2))).toBe(true);
    // Between pixels it blends: half a pixel to the right is the mean of neighbours.
    const half = warpDigit(flat, 0, 0.5, 0);
    expect(half[14 * 28 + 14]).toBeCloseTo((flat[14 * 28 + 14] + flat[14 * 28 + 13]) / 2, 12);
    expect(digitImage(flat)).toEqual(images[0]);
  });
});

describe('image helpers', () => {
  it('accepts rectangular images and names what is wrong with others', () => {
    expect(validateValue(image, [[[0.5]]]).ok).toBe(true);
    const message = (value: unknown) => {
      const v = validateValue(image, value);
      return v.ok ? 'ok' : v.message;
    };
    expect(message([])).toBe('result: the image is empty; an image has at least one row of one pixel of one channel');
    expect(message([[]])).toMatch(/the image is empty/);
    expect(message([[[]]])).toMatch(/the image is empty/);
    expect(message([[[0, 1], [0, 1]], [[0, 1]]])).toBe('result[1]: row 1 has 1 pixels, but row 0 has 2');
    expect(message([[[0, 1], [0, 1]], [[0, 1], [1]]])).toBe('result[1][1]: this pixel has 1 channels, but pixel [0][0] has 2');
    // Pixel [0][0] alone sets the channels: a later pixel of row 0 or of column 0 is held to it.
    expect(message([[[0, 1], [1]]])).toBe('result[0][1]: this pixel has 1 channels, but pixel [0][0] has 2');
    expect(message([[[0, 1]], [[1]]])).toBe('result[1][0]: this pixel has 1 channels, but pixel [0][0] has 2');
    expect(message([[[0, 1], [0, 1]], [[0, 1], 1]])).toBe('result[1][1]: expected a pixel (an array of channel values), got 1');
    expect(message([[[0, 1], [0, 1]], 'row'])).toBe('result[1]: expected a row (an array of pixels), got a string ("row")');
    expect(message([[[0, 1], [0, NaN]]])).toBe('result[0][1][1]: expected a finite number, got NaN');
    expect(message([[[0, 1], [0, '1']]])).toBe('result[0][1][1]: expected a finite number, got a string ("1")');
    expect(message('picture')).toBe('result: expected an image (an array of rows), got a string ("picture")');
    // Typed arrays are numbers too, copied into plain arrays; nothing is shared with the answer.
    const answer = [[Float32Array.of(0.5), new Float64Array([0.25])]];
    const copied = validateValue(image, answer);
    expect(copied).toEqual({ ok: true, value: [[[0.5], [0.25]]] });
    expect(copied.ok && copied.value[0][0]).not.toBe(answer[0][0]);
    const plain = [[[0.5]]];
    const again = validateValue(image, plain);
    expect(again.ok && again.value[0][0]).not.toBe(plain[0][0]);
  });

  it('compares images pixel for pixel, with any of several accepted at each pixel', () => {
    const a = [[[0, 1], [0.5, 0.5]], [[1, 1], [0, 0]]];
    const b = structuredClone(a);
    b[1][0][1] = 0.75;
    expect(sameImage(a, [a]).score).toBe(1);
    expect(sameImage(b, [a]).message).toBe('your image: 1 of 4 pixels differ; the first is row 1, column 0: yours is [1, 0.75], it should be [1, 1]');
    expect(sameImage(b, [a]).details).toEqual({ wrongPixels: 1 });
    expect(sameImage(b, [a, b]).score).toBe(1);
    // All channels of a pixel from the same accepted image.
    const c = structuredClone(a);
    c[1][0] = [0.75, 1];
    expect(sameImage(c, [a, b]).score).toBe(0);
    expect(sameImage([[[0, 1]]], [a], 'call 2: your image').message).toBe('call 2: your image is 1 × 1 × 2 (rows × columns × channels); it should be 2 × 2 × 2');
    expect(sameImage([[[0], [1]], [[1], [0]]], [a]).message).toMatch(/is 2 × 2 × 1/);
  });

  it('takes numbers within 1e-9 of a whole number as it', () => {
    expect(wholeNumber(2)).toBe(2);
    expect(wholeNumber(-3 + 1e-10)).toBe(-3);
    expect(wholeNumber(1.5)).toBeUndefined();
    expect(wholeNumber(2 + 1e-8)).toBeUndefined();
    expect(wholeNumber(1e-9)).toBe(0);
  });
});

describe('randomAugment helpers', () => {
  const policy = { maxShift: 2, maxRotation: 15, flip: false, maxBrightness: 0.1 };
  it('holds each operation to the policy', () => {
    expect(opProblem({ op: 'flipHorizontal' }, policy)).toBe('flipHorizontal, but this policy has flip: false');
    expect(opProblem({ op: 'flipHorizontal' }, { ...policy, flip: true })).toBeUndefined();
    expect(opProblem({ op: 'shift', dx: 2, dy: -2 }, policy)).toBeUndefined();
    expect(opProblem({ op: 'shift', dx: 2 + 1e-12, dy: 0 }, policy)).toBeUndefined();
    expect(opProblem({ op: 'shift', dx: 1.5, dy: 0 }, policy)).toBe('shift by (1.5, 0): shifts are by whole pixels');
    expect(opProblem({ op: 'shift', dx: 0, dy: 0.5 }, policy)).toBe('shift by (0, 0.5): shifts are by whole pixels');
    expect(opProblem({ op: 'shift', dx: 3, dy: 0 }, policy)).toBe('shift by (3, 0), but maxShift is 2');
    expect(opProblem({ op: 'shift', dx: 0, dy: -3 }, policy)).toBe('shift by (0, -3), but maxShift is 2');
    expect(opProblem({ op: 'rotate', degrees: -15 }, policy)).toBeUndefined();
    expect(opProblem({ op: 'rotate', degrees: 15.5 }, policy)).toBe('rotate by 15.5°, but maxRotation is 15');
    expect(opProblem({ op: 'brightness', delta: -0.1 }, policy)).toBeUndefined();
    expect(opProblem({ op: 'brightness', delta: -0.11 }, policy)).toBe('brightness -0.11, but maxBrightness is 0.1');
  });

  it('re-applies a list of operations with the reference, in order', () => {
    const img = randomImage(createRng('r'), 6, 5, COLOUR_RANGES);
    expect(reapply(img, [])).toEqual(img);
    const ops = [{ op: 'rotate', degrees: 10 }, { op: 'shift', dx: 1 + 1e-12, dy: -1 }, { op: 'flipHorizontal' }, { op: 'brightness', delta: 0.05 }] as const;
    expect(reapply(img, [...ops])).toEqual(reference.adjustBrightness(reference.flipHorizontal(reference.shift(reference.rotate(img, 10), 1, -1)), 0.05));
  });

  it('summarises the draws, and says which operation or range falls short', () => {
    const wide = { maxShift: 2, maxRotation: 20, flip: true, maxBrightness: 0.2 };
    const spread = opSpread([
      [{ op: 'flipHorizontal' }, { op: 'shift', dx: -1, dy: 2 }, { op: 'rotate', degrees: 12 }],
      [{ op: 'shift', dx: 1, dy: -1 }, { op: 'rotate', degrees: -10 }, { op: 'brightness', delta: 0.1 }, { op: 'brightness', delta: -0.15 }],
    ]);
    expect(spread).toEqual({ calls: 2, flips: 1, shifts: 2, rotations: 2, brightness: 2, dx: [-1, 1], dy: [-1, 2], degrees: [-10, 12], delta: [-0.15, 0.1] });
    expect(spreadProblems(spread, wide)).toEqual([]);
    expect(spreadProblems({ ...spread, flips: 0 }, wide)).toEqual(['no call flipped, but the policy allows flips']);
    expect(spreadProblems({ ...spread, flips: 0 }, { ...wide, flip: false })).toEqual([]);
    expect(spreadProblems({ ...spread, shifts: 0 }, wide)).toEqual(['no call shifted']);
    expect(spreadProblems({ ...spread, dx: [0, 1] }, wide)).toEqual(['the shifts went dx from 0 to 1 and dy from -1 to 2; each should reach at least ±1 (maxShift 2)']);
    expect(spreadProblems({ ...spread, dy: [-1, 0.5] }, wide)).toHaveLength(1);
    expect(spreadProblems({ ...spread, dx: [-0.5, 1] }, wide)).toHaveLength(1);
    expect(spreadProblems({ ...spread, dy: [-0.5, 2] }, wide)).toHaveLength(1);
    expect(spreadProblems({ ...spread, rotations: 0 }, wide)).toEqual(['no call rotated']);
    expect(spreadProblems({ ...spread, degrees: [-9.9, 12] }, wide)).toEqual(['the rotations went from -9.9 to 12°; they should reach at least ±10° (maxRotation 20)']);
    expect(spreadProblems({ ...spread, degrees: [-12, 9.9] }, wide)).toHaveLength(1);
    expect(spreadProblems({ ...spread, brightness: 0 }, wide)).toEqual(['no call changed the brightness']);
    expect(spreadProblems({ ...spread, delta: [-0.05, 0.1] }, wide)).toEqual(['the brightness changes went from -0.05 to 0.1; they should reach at least ±0.1 (maxBrightness 0.2)']);
    expect(spreadProblems({ ...spread, delta: [-0.1, 0.09] }, wide)).toHaveLength(1);
  });
});

describe('the exact operations', () => {
  it.each(EXACT_PROBLEMS)('%s: the reference and both alternatives pass every case', async (problem) => {
    await expectAllPass(problem, ['a', 'b']);
  });

  it('rotate accepts either pixel where a position is halfway within rounding, and nowhere else', async () => {
    // 30° on a 5 × 5 picture: cos 30° · 1 + sin 30° · 1 … land exactly halfway; sin 30° is 0.49999999999999994 in floating point.
    const ctx = await contextOf('rotate', 'a 5 × 5 picture by 30°', 'a');
    const [img, degrees] = ctx.args as [Image, number];
    const turned = (d: number) => reference.rotate(img, d);
    const other = [turned(degrees + 1e-7), turned(degrees - 1e-7)].find((x) => sameImage(x, [ctx.expected as Image]).score < 1)!;
    expect(other).toBeDefined();
    expect((await problemOf('rotate').check({ ...ctx, output: other, calls: [{ ...ctx.calls[0], output: other }] })).score).toBe(1);
    // A pixel moved elsewhere fails.
    const moved = structuredClone(ctx.expected as Image);
    moved[2][2] = moved[0][0][0] === moved[2][2][0] ? [1 - moved[2][2][0]] : moved[0][0];
    expect((await problemOf('rotate').check({ ...ctx, output: moved, calls: [{ ...ctx.calls[0], output: moved }] })).score).toBe(0);
  });

  it('fails a transposed, shifted or wrongly sized image with the place of the first wrong pixel', async () => {
    const wrong = await verdict('flipHorizontal', 'a 5 × 7 colour picture', 'a', (img: Image) => reference.flipVertical(reference.flipHorizontal(img)));
    expect(wrong.message).toMatch(/^your image: \d+ of 35 pixels differ; the first is row 0, column 0: yours is \[/);
    const small = await verdict('rotate90', 'a 4 × 6 colour picture', 'a', (img: Image) => img);
    expect(small.message).toBe('your image is 4 × 6 × 3 (rows × columns × channels); it should be 6 × 4 × 3');
    const calls = await verdict('rotate90', 'a 5 × 3 picture turned', 'a', (img: Image, times: number) => (times === 4 ? reference.rotate90(img, 2) : reference.rotate90(img, times)));
    expect(calls.message).toMatch(/^call 2: your image: \d+ of 15 pixels differ; the first is row 0, column 0/);
  });

  it('says a flip of the flip, or a shift moved back, gives the picture back', async () => {
    const flip = await verdict('flipHorizontal', 'an MNIST digit, and its flip', 'a');
    expect(flip.message).toBe('flipping your flip gives the picture back');
    const back = await verdict('shift', 'an MNIST digit moved (2, 3) and back', 'a');
    expect(back.message).toBe('moving your shift back gives the picture back');
    expect((await verdict('flipVertical', 'an MNIST digit, and its flip', 'a')).message).toBe('flipping your flip gives the picture back');
  });

  it('draws the digit beside the answer on visible digit cases only, when the answer is right', async () => {
    const figures = async (problem: string, caseName: string, answer?: AnyFunction, visible = true) => (await verdict(problem, caseName, 'a', answer, visible)).figures ?? [];
    expect((await figures('shift', 'an MNIST digit, 3 right'))[0]).toMatchObject({ title: 'shift by (3, -2)', mediaType: 'image/png', caption: 'The digit, then your answer.' });
    expect((await figures('rotate90', 'an MNIST digit, times = −1'))[0].title).toBe('rotate90, times = -1');
    expect((await figures('rotate', 'an MNIST digit by 90°'))[0].title).toBe('rotate by 90°');
    expect((await figures('flipVertical', 'a 6 × 4 colour picture'))).toEqual([]);
    expect(await figures('shift', 'an MNIST digit, 3 right', undefined, false)).toEqual([]);
    expect(await figures('shift', 'an MNIST digit, 3 right', shiftReversed.shift)).toEqual([]);
  });
});

describe('the value operations', () => {
  it.each(VALUE_PROBLEMS)('%s: the reference and both alternatives pass every case', async (problem) => {
    await expectAllPass(problem);
  });

  it('allows 1e-9 and no more, and names values outside [0, 1]', async () => {
    const moved = (by: number) => (img: Image, delta: number) => reference.adjustBrightness(img, delta).map((row) => row.map((pixel) => pixel.map((v) => v + by)));
    expect((await verdict('adjustBrightness', 'a 5 × 5 colour picture', 'a', moved(0.9e-9))).score).toBe(1);
    const beyond = await verdict('adjustBrightness', 'a 5 × 5 colour picture', 'a', moved(1.5e-9));
    expect(beyond.score).toBe(0);
    // Rounding-level excursions past 1 are not what the note is about.
    expect(beyond.message).not.toMatch(/every value must stay/);
    const over = await verdict('adjustBrightness', 'an MNIST digit', 'a', brightnessNoClamp.adjustBrightness as AnyFunction);
    expect(over.message).toMatch(/\nyour values range from 0\.3 to 1\.3; every value must stay in \[0, 1\]$/);
    const inside = await verdict('adjustContrast', 'a 6 × 6 colour picture', 'a', (img: Image) => img);
    expect(inside.score).toBe(0);
    expect(inside.message).not.toMatch(/every value must stay/);
    const below = await verdict('colorShift', 'a 5 × 6 colour picture', 'a', (img: Image) => img.map((row) => row.map((pixel) => pixel.map(() => -0.5))));
    expect(below.message).toMatch(/your values range from -0\.5 to -0\.5; every value must stay in \[0, 1\]$/);
    const shape = await verdict('colorShift', 'a 5 × 6 colour picture', 'a', (img: Image) => img.slice(1));
    expect(shape.message).toBe('your image is 4 × 6 × 3 (rows × columns × channels); it should be 5 × 6 × 3');
  });
});

describe('the declared mistakes', () => {
  it.each(MISTAKES)('%s / %s: loses points on a visible case with its own hint, and fires on no correct answer', async (problem, id, fn) => {
    let caught = false;
    for (const c of problemOf(problem).cases) {
      const ctx = await contextOf(problem, c.name, 'a', fn);
      const v = await problemOf(problem).check(ctx);
      const fired = firing(problem, ctx);
      expect(fired.filter((f) => f !== id), c.name).toEqual([]);
      if (v.score < 1 && (c.visibility ?? 'visible') === 'visible') {
        expect(fired, `${c.name}: ${v.message}`).toEqual([id]);
        caught = true;
      }
      for (const [name, impl] of Object.entries(IMPLEMENTATIONS)) expect(firing(problem, await contextOf(problem, c.name, 'a', impl[problem] as AnyFunction)), `${name} on ${c.name}`).toEqual([]);
    }
    expect(caught).toBe(true);
  });

  it('the rotation detectors want the wrong rotation at all but 1 % of pixels, where it differs from the right one at more than 3 × as many', async () => {
    const ctx = await contextOf('rotate', 'an MNIST digit by 90°', 'a', rotateClockwise.rotate as AnyFunction);
    const wrong = ctx.output as Image;
    const spoiled = structuredClone(wrong);
    for (let c = 0; c < 7; c++) spoiled[0][c] = [0.123];
    expect(firing('rotate', ctx)).toEqual(['rotate-clockwise']);
    expect(firing('rotate', { ...ctx, output: spoiled })).toEqual(['rotate-clockwise']);
    spoiled[0][7] = [0.123];
    expect(firing('rotate', { ...ctx, output: spoiled })).toEqual([]);
    expect(firing('rotate', { ...ctx, output: wrong.slice(1) })).toEqual([]);
    // A right answer never: the wrong rotation must differ from it.
    const right = await contextOf('rotate', 'an MNIST digit by 90°', 'a');
    expect(firing('rotate', right)).toEqual([]);
    // Two pixels apart is not enough to tell: 3 × 0 + a margin of 3.
    const near = structuredClone(right.expected as Image);
    near[0][0] = [0.5];
    near[0][1] = [0.5];
    const clockwiseLike = (problemOf('rotate').mistakes!.find((m) => m.id === 'rotate-clockwise')!.matches);
    expect(clockwiseLike({ ...right, output: near, args: right.args } as never)).toBe(false);
  });
});

describe('randomAugment', () => {
  it('passes the reference and both alternatives on every case, and draws their augmentations of a digit', async () => {
    await expectAllPass('randomAugment', ['a', 'b']);
    const digit = await verdict('randomAugment', 'an MNIST digit', 'a');
    expect(digit.message).toMatch(/^seed \d+: .*shift|rotate/);
    expect(digit.figures?.map((f) => f.title)).toEqual(['Your random augmentations of one digit']);
    expect((await verdict('randomAugment', 'an MNIST digit', 'a', undefined, false)).figures).toBeUndefined();
    expect((await verdict('randomAugment', 'an 8 × 8 colour picture', 'a')).figures).toBeUndefined();
    expect((await verdict('randomAugment', 'a 6 × 6 picture', 'a')).message).toBe('200 seeds: every operation the policy allows was used, and the parameters spread over their ranges');
  });

  it('fails operations outside the policy, a list that does not give the image, one seed twice different or two seeds the same', async () => {
    const policyBroken = await verdict('randomAugment', 'an MNIST digit', 'a', (img: Image) => ({ image: reference.flipHorizontal(img), applied: [{ op: 'flipHorizontal' }] }));
    expect(policyBroken.message).toMatch(/^call 1 \(seed \d+\): flipHorizontal, but this policy has flip: false/);
    const unreported = await verdict('randomAugment', 'an MNIST digit', 'a', (img: Image, seed: number, policy: never) => ({ ...reference.randomAugment(img, seed, policy), applied: [] }));
    expect(unreported.message).toMatch(/^call 1 \(seed \d+\) reports nothing, but applying those in order does not give your image:\n/);
    const constant = await verdict('randomAugment', 'an MNIST digit', 'a', (img: Image) => ({ image: reference.rotate(img, 5), applied: [{ op: 'rotate', degrees: 5 }] }));
    expect(constant.message).toMatch(/^seed \d+ and 8 other seeds all gave the same augmentation \(rotate 5°\): the seed should change the draws$/);
    // One other seed that differs is enough (two correct augmentations may both apply nothing).
    let count = 0;
    const rarely = await verdict('randomAugment', 'an MNIST digit', 'a', (img: Image, seed: number, policy: never) => (count++ === 9 ? reference.randomAugment(img, seed, policy) : { image: img, applied: [] }));
    expect(rarely.score).toBe(1);
    expect(rarely.figures).toHaveLength(1);
    expect(rarely.message).toMatch(/^seed \d+: nothing; seed \d+: /);
    const unseeded = await verdict('randomAugment', 'an MNIST digit', 'a', (img: Image, seed: number, policy: never) => reference.randomAugment(img, seed + Math.random(), policy));
    expect(unseeded.message).toMatch(/^the same seed \(\d+\) gave two different augmentations \((shift|rotate)/);
    expect(firing('randomAugment', await contextOf('randomAugment', 'an MNIST digit', 'a', randomIgnoresSeed.randomAugment as AnyFunction))).toEqual(['random-ignores-seed']);
    const narrow = await verdict('randomAugment', 'a 6 × 6 picture', 'a', (img: Image, seed: number, policy: { maxRotation: number }) => reference.randomAugment(img, seed, { ...(policy as never as object), maxRotation: policy.maxRotation / 4 } as never));
    expect(narrow.message).toMatch(/^over 200 seeds: the rotations went from -[\d.]+ to [\d.]+°; they should reach at least ±10° \(maxRotation 20\)$/);
  });
});

describe('augmentDataset', () => {
  it('passes the reference and both alternatives, and draws the originals above their copies', async () => {
    await expectAllPass('augmentDataset');
    const v = await verdict('augmentDataset', '10 MNIST', 'a');
    expect(v.message).toMatch(/^20 copies, (0\.\d+|1) of them recognised by digits-cnn as their labels$/);
    expect(v.figures?.[0]).toMatchObject({ title: 'Your augmented data set', mediaType: 'image/png' });
    expect(v.figures?.[0].caption).toMatch(/^The first 8 originals \(top row, labels \d, \d, \d, \d, \d, \d, \d, \d\), then copy 1 of each, then copy 2\.$/);
    expect((await verdict('augmentDataset', '10 MNIST', 'a', undefined, false)).figures).toBeUndefined();
  });

  type Args = [Image[], number[], number, number];
  const wrapped = (change: (out: { images: Image[]; labels: number[] }, args: Args) => { images: Image[]; labels: number[] }) => (...args: Args) => change(reference.augmentDataset(...args), args);

  it('fails wrong sizes, originals out of place, labels that do not follow, copies out of range or unchanged, and unseeded or seed-blind copies', async () => {
    const message = async (answer: AnyFunction) => (await verdict('augmentDataset', '10 MNIST', 'a', answer)).message;
    expect(await message(wrapped((out) => ({ images: out.images.slice(1), labels: out.labels })))).toMatch(/^call 1: 29 images and 30 labels; 10 images with 2 copies each make 30 of each/);
    expect(await message(wrapped((out) => ({ images: out.images, labels: out.labels.slice(1) })))).toMatch(/^call 1: 30 images and 29 labels/);
    expect(await message(wrapped((out) => ({ images: [out.images[1], out.images[0], ...out.images.slice(2)], labels: out.labels })))).toMatch(/^call 1: the first 10 images must be the originals, in their order$/m);
    expect(await message(wrapped((out) => ({ images: out.images, labels: out.labels.map((l, i) => (i === 12 ? (l + 1) % 10 : l)) })))).toMatch(/^call 1: 1 labels do not follow their images/m);
    expect(await message(wrapped((out) => ({ images: out.images.map((img) => img.slice(1)), labels: out.labels })))).toMatch(/every copy must be a 28 × 28 × 1 image like the originals/);
    expect(await message(wrapped((out) => ({ images: out.images.map((img, i) => (i >= 10 ? brightnessNoClamp.adjustBrightness(img, 0.3) : img)), labels: out.labels })))).toMatch(/^call 1: some values are outside \[0, 1\]$/m);
    expect(await message(wrapped((out, [images]) => ({ images: [...images, ...images, ...images], labels: out.labels })))).toMatch(/^call 1: only 0 of the 20 copies differ from their originals$/m);
    expect(await message(wrapped((out, [images]) => ({ images: [...images, ...images, images[0], ...out.images.slice(21)], labels: out.labels })))).toMatch(/^call 1: only 9 of the 20 copies differ/m);
    // Half changed is enough.
    expect(await message(wrapped((out, [images]) => ({ images: [...images, ...images, ...out.images.slice(20)], labels: out.labels })))).not.toMatch(/copies differ/);
    expect(await message(wrapped((out) => out))).toBe((await verdict('augmentDataset', '10 MNIST', 'a')).message);
    let calls = 0;
    expect(await message((images: Image[], labels: number[], copies: number, seed: number) => reference.augmentDataset(images, labels, copies, seed + calls++))).toMatch(/twice gave two different data sets: draw every copy from seed$/m);
    expect(await message((images: Image[], labels: number[], copies: number) => reference.augmentDataset(images, labels, copies, 7))).toMatch(/^seeds \d+ and \d+ gave the same copies: the seed should change them$/m);
    expect(await message(wrapped((out) => ({ images: out.images.map((img, i) => (i >= 10 ? reference.flipHorizontal(img) : img)), labels: out.labels })))).toMatch(/^the trained digits-cnn recognises only 0\.\d+ of your copies as their labels \(at least 0\.7 is expected/);
  });

  it('the interleaving detector wants each original followed by its copies, not the blocks', async () => {
    const ctx = await contextOf('augmentDataset', '10 MNIST', 'a', datasetInterleaved.augmentDataset as AnyFunction);
    expect(firing('augmentDataset', ctx)).toEqual(['dataset-interleaved']);
    const blocks = await contextOf('augmentDataset', '10 MNIST', 'a');
    expect(firing('augmentDataset', blocks)).toEqual([]);
    const out = ctx.output as { images: Image[]; labels: number[] };
    expect(firing('augmentDataset', { ...ctx, output: { ...out, labels: out.labels.map((l) => (l + 1) % 10) } })).toEqual([]);
    expect(firing('augmentDataset', { ...ctx, output: { ...out, images: out.images.slice(1) } })).toEqual([]);
  });
});

describe('the experiment', () => {
  /**
   * The reference's two networks for the visible case's digits (seed a), trained once per
   * process and kept as JSON and weights on globalThis: `npm run mutation` reruns this file for
   * every mutant it reaches, and four trainings take ~15 s.
   */
  async function trainedPair(): Promise<tf.LayersModel[]> {
    const store = globalThis as { __augmentationPair?: Array<{ json: string; weights: Float32Array[]; shapes: number[][] }> };
    if (!store.__augmentationPair) {
      const pair = [];
      for (const args of trainingCalls()) {
        const model = await reference.trainWithAugmentation(...args);
        pair.push({ json: JSON.stringify(model.toJSON(undefined, false)), weights: model.getWeights().map((w) => w.dataSync() as Float32Array), shapes: model.getWeights().map((w) => w.shape) });
      }
      store.__augmentationPair = pair;
    }
    return Promise.all(store.__augmentationPair.map(async ({ json, weights, shapes }) => {
      const model = await tf.models.modelFromJSON(JSON.parse(json) as tf.io.ModelJSON['modelTopology']);
      model.setWeights(weights.map((w, i) => tf.tensor(w, shapes[i])));
      return model;
    }));
  }

  /** The visible case's two calls (seed a); the check never reads the reference's answer, so none is computed. */
  const trainingCalls = () => generateCalls(assignment.id, problemOf('trainWithAugmentation'), caseOf('trainWithAugmentation', '300 MNIST'), 'a') as Array<Parameters<typeof reference.trainWithAugmentation>>;

  function experimentContext(outputs: tf.LayersModel[], visible = true): Ctx {
    return caseContext(trainingCalls().map((args, i) => ({ args, output: outputs[i], expected: undefined })), caseOf('trainWithAugmentation', '300 MNIST').name, visible, 'a');
  }

  async function experiment(outputs: tf.LayersModel[], visible = true): Promise<Verdict> {
    return await problemOf('trainWithAugmentation').check(experimentContext(outputs, visible));
  }

  it('passes the reference\'s pair and measures both networks itself; fails them swapped, or the same network twice', async () => {
    const [plain, augmented] = await trainedPair();
    const tensors = tf.memory().numTensors;
    const v = await experiment([plain, augmented]);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(v.message).toMatch(/^on 1000 held-out digits moved by up to ±3 pixels and turned by up to ±20°, your network scores 0\.\d+ trained on the 300 digits as they are and 0\.\d+ trained with augmentation \(12 epochs each\)$/);
    expect(v.score).toBe(1);
    expect(v.figures?.map((f) => [f.title, f.mediaType])).toEqual([['Your experiment', 'image/svg+xml']]);
    expect((await experiment([plain, augmented], false)).figures).toBeUndefined();
    const swapped = await experiment([augmented, plain]);
    expect(swapped.score).toBe(0);
    expect(swapped.message).toMatch(/: augmentation should win by at least 0\.05$/);
    expect(swapped.figures).toHaveLength(1);
    expect((await experiment([plain, plain])).score).toBe(0);
  }, 120_000);

  it('fails a network that does not take digits, does not give 10 probabilities, differs between the two trainings, or never learned', async () => {
    const [plain, augmented] = await trainedPair();
    const dense = (inputShape: number[], units: number, activation: 'softmax' | 'linear') => tf.sequential({ layers: [tf.layers.flatten({ inputShape }), tf.layers.dense({ units, activation, kernelInitializer: 'zeros' })] });
    expect((await experiment([dense([28, 28], 10, 'softmax'), augmented])).message).toBe('your network (augment: false) takes inputs of shape [28, 28] per example; it should take 28 × 28 × 1 digits');
    expect((await experiment([plain, dense([28, 28, 1], 5, 'softmax')])).message).toBe('your network (augment: true) gives outputs of shape [5] per example; it should give 10 class probabilities (a softmax)');
    expect((await experiment([plain, dense([28, 28, 1], 10, 'linear')])).message).toBe("your network (augment: true)'s outputs are not probabilities (non-negative, summing to 1): end it with a 10-way softmax");
    const other = dense([28, 28, 1], 10, 'softmax');
    expect((await experiment([other, augmented])).message).toMatch(/^the two trainings returned different networks \(Flatten\(\) → Dense\(784×10,10\); then Conv2D/);
    // Untrained: the same architecture, its weights all zero, guesses one class.
    const blank = await tf.models.modelFromJSON(plain.toJSON(undefined, false) as never);
    blank.setWeights(blank.getWeights().map((w) => tf.zerosLike(w)));
    const v = await experiment([blank, augmented]);
    expect(v.message).toMatch(/^trained without augmentation, your network recognises only 0\.\d+ of 1000 unmoved test digits \(at least 0\.6 is expected\): it has not learned the digits$/);
  }, 120_000);

  it('the ignored-augment detector wants identical weights', async () => {
    const [plain, augmented] = await trainedPair();
    const ctx = (outputs: tf.LayersModel[]) => experimentContext(outputs);
    expect(firing('trainWithAugmentation', ctx([plain, plain]))).toEqual(['train-augment-ignored']);
    expect(firing('trainWithAugmentation', ctx([plain, augmented]))).toEqual([]);
    const [again] = await trainedPair();
    again.setWeights(again.getWeights().map((w, i) => (i === 0 ? tf.add(w, 1e-3) : w)));
    expect(firing('trainWithAugmentation', ctx([plain, again]))).toEqual([]);
    const small = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 10, activation: 'softmax' })] });
    expect(firing('trainWithAugmentation', ctx([plain, small]))).toEqual([]);
  }, 120_000);

  it('the hidden repeat: one call twice must give the same network', async () => {
    const c = caseOf('trainWithAugmentation', '60 training digits');
    const calls = generateCalls(assignment.id, problemOf('trainWithAugmentation'), c, 'a') as Array<Parameters<typeof reference.trainWithAugmentation>>;
    expect(calls[0][2]).toEqual(calls[1][2]);
    expect(calls[0][2]).toMatchObject({ augment: true, epochs: 2 });
    const [first, again] = [await reference.trainWithAugmentation(...calls[0]), await reference.trainWithAugmentation(...calls[1])];
    const other = await reference.trainWithAugmentation(calls[0][0], calls[0][1], { ...calls[0][2], seed: calls[0][2].seed + 1 });
    const check = async (outputs: tf.LayersModel[]) => await problemOf('trainWithAugmentation').check(caseContext(calls.map((args, i) => ({ args, output: outputs[i], expected: undefined })), c.name, false, 'a'));
    expect(await check([first, again])).toEqual({ score: 1, message: 'correct' });
    const differs = await check([first, other]);
    expect(differs.message).toMatch(/^the same call with seed \d+, made twice, gave two different networks \(their class probabilities differ by up to 0\.\d+\): draw everything random from the seed/);
    // Within float32 reordering of the arithmetic: 1e-4 of a probability.
    const nudged = await tf.models.modelFromJSON(again.toJSON(undefined, false) as never);
    nudged.setWeights(again.getWeights().map((w, i) => (i === again.getWeights().length - 1 ? tf.add(w, 1e-6) : w)));
    expect((await check([first, nudged])).score).toBe(1);
    const small = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 10, activation: 'softmax' })] });
    expect((await check([first, small])).message).toMatch(/^one call made twice returned two different networks \(Conv2D/);
    const flat = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28] }), tf.layers.dense({ units: 10, activation: 'softmax' })] });
    expect((await check([flat, first])).message).toBe('your network takes inputs of shape [28, 28] per example; it should take 28 × 28 × 1 digits');
    expect((await check([small, tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28] }), tf.layers.dense({ units: 10, activation: 'softmax' })] })])).message).toBe('your network (the second call) takes inputs of shape [28, 28] per example; it should take 28 × 28 × 1 digits');
    // The same network twice is right here, and is not the ignored-augment mistake.
    expect(firing('trainWithAugmentation', caseContext(calls.map((args) => ({ args, output: first, expected: undefined })), c.name, false, 'a'))).toEqual([]);
  }, 120_000);

  it('measures accuracy, the architecture, and digits as a batch', async () => {
    const [plain] = await trainedPair();
    const { images, labels } = mnistDigits(createRng('acc'), 50, 'test');
    const x = digitBatch(images);
    expect(x.shape).toEqual([50, 28, 28, 1]);
    const predicted = Array.from((plain.predict(x) as tf.Tensor).argMax(-1).dataSync());
    expect(accuracy(plain, x, labels)).toBe(predicted.filter((p, i) => p === labels[i]).length / 50);
    x.dispose();
    expect(architecture(plain)).toBe('Conv2D(3×3×1×8,8) → MaxPooling2D() → Conv2D(3×3×8×16,16) → MaxPooling2D() → Flatten() → Dense(400×10,10)');
    expect(classifierProblem(plain, 'it')).toBeUndefined();
  });
});

/**
 * What `npm run mutation -- augmentation` found untested: the edges of the checks' comparisons,
 * the words of their messages, their figures, and the detectors' guards.
 */
describe('edges, messages and figures', () => {
  const grey = (img: Image) => img.map((row) => row.map((pixel) => pixel[0]));
  const trainingCallsOf = (caseName: string) => generateCalls(assignment.id, problemOf('trainWithAugmentation'), caseOf('trainWithAugmentation', caseName), 'a');

  it('a wrong answer to the flip-twice case fails on its pixels; digit figures are titled with the operation', async () => {
    const flip = await verdict('flipHorizontal', 'an MNIST digit, and its flip', 'a', (img: Image) => img);
    expect(flip.score).toBe(0);
    expect(flip.message).toMatch(/^call 1: your image: \d+ of 784 pixels differ/);
    expect((await verdict('flipHorizontal', 'a single row of 9 grey pixels', 'a')).figures?.[0].title).toBe('flipHorizontal');
    expect((await verdict('flipVertical', 'a single column of 7 grey pixels', 'a')).figures?.[0].title).toBe('flipVertical');
  });

  it('rotate accepts the pixel a hair less turned, too', async () => {
    const ctx = await contextOf('rotate', 'a 5 × 5 picture by 30°', 'a');
    const img = ctx.args[0] as Image;
    // An angle where turning a hair less lands a halfway position on a pixel that neither the
    // reference nor a hair more gives.
    const angle = Array.from({ length: 721 }, (_, i) => i / 2 - 180).find((d) => {
      const [at, more, less] = [d, d + 1e-7, d - 1e-7].map((x) => reference.rotate(img, x));
      return sameImage(less, [at, more]).score < 1;
    });
    expect(angle).toBeDefined();
    const less = reference.rotate(img, angle! - 1e-7);
    const at = reference.rotate(img, angle!);
    const turned = { ...ctx, args: [img, angle], output: less, expected: at, calls: [{ args: [img, angle], output: less, expected: at }] };
    expect((await problemOf('rotate').check(turned)).score).toBe(1);
  });

  it('the rotation detectors: at most 1 % of pixels off, and the wrong rotation apart from the right one by more than 3 × that + 2', async () => {
    const right = await contextOf('rotate', 'an MNIST digit by 90°', 'a');
    const img = randomImage(createRng('ten'), 10, 10, [[0, 1]]);
    const wrong = rotateClockwise.rotate(img, 90);
    const spoil = (x: Image, count: number) => {
      const y = structuredClone(x);
      for (let i = 0; i < count; i++) y[9][i] = [y[9][i][0] + 2];
      return y;
    };
    const matches = (output: Image, expected: Image) => detector('rotate', 'rotate-clockwise')({ ...right, args: [img, 90], output, expected } as never);
    // 100 pixels: 1 off is 1 %.
    expect(matches(spoil(wrong, 1), reference.rotate(img, 90))).toBe(true);
    expect(matches(spoil(wrong, 2), reference.rotate(img, 90))).toBe(false);
    // The wrong rotation 2 pixels from the right answer: not enough to tell them apart.
    expect(matches(wrong, spoil(wrong, 2))).toBe(false);
    expect(matches(wrong, spoil(wrong, 3))).toBe(true);
  });

  it('values: no relative tolerance; the range note from 1e-6 outside [0, 1]', async () => {
    const scaled = await verdict('adjustBrightness', 'a 5 × 5 colour picture', 'a', (img: Image, delta: number) => reference.adjustBrightness(img, delta).map((row) => row.map((pixel) => pixel.map((v) => v * (1 + 1e-7)))));
    expect(scaled.score).toBe(0);
    expect(scaled.message).toMatch(/^your image\[0\]\[0\]\[0\]: expected .*\n.*\(rtol 0, atol 1e-9\)/);
    const filled = (value: number, at: number) => (img: Image) => img.map((row, r) => row.map((pixel) => pixel.map((v, ch) => (r === 0 && ch === 0 ? value : at))));
    const note = /every value must stay in \[0, 1\]/;
    for (const [value, noted] of [[1, false], [1 + 1e-6, false], [-1e-6, false], [1 + 2e-6, true], [-2e-6, true]] as const) {
      const v = await verdict('adjustContrast', 'a 6 × 6 colour picture', 'a', filled(value, 0.5));
      expect(v.score, String(value)).toBe(0);
      expect(note.test(v.message), String(value)).toBe(noted);
    }
  });

  it('randomAugment: names the operations reported, every one outside the policy, and the two lists of one seed', async () => {
    const colourCase = 'an 8 × 8 colour picture';
    const reported = await verdict('randomAugment', colourCase, 'a', (img: Image) => ({ image: img, applied: [{ op: 'flipHorizontal' }, { op: 'brightness', delta: 0.05 }] }));
    expect(reported.message).toMatch(/^call 1 \(seed \d+\) reports flip, brightness 0\.05, but applying those in order does not give your image:\ncall 1: your image\[0\]\[0\]\[0\]: expected .*\n.*\(rtol 0, atol 1e-9\)/);
    const outside = await verdict('randomAugment', 'an MNIST digit', 'a', (img: Image) => ({ image: img, applied: [{ op: 'shift', dx: 9, dy: 0 }, { op: 'rotate', degrees: 90 }] }));
    expect(outside.message).toMatch(/^call 1 \(seed \d+\): shift by \(9, 0\), but maxShift is 2; rotate by 90°, but maxRotation is 15/);
    const scaled = await verdict('randomAugment', colourCase, 'a', (img: Image, seed: number, policy: never) => {
      const r = reference.randomAugment(img, seed, policy);
      return { ...r, image: r.image.map((row) => row.map((pixel) => pixel.map((v) => v * (1 + 1e-7)))) };
    });
    expect(scaled.score).toBe(0);
    // One seed twice: the same image, but reported as nothing and then as a shift by (0, 0).
    let call = 0;
    const twoLists = await verdict('randomAugment', 'an MNIST digit', 'a', (img: Image, seed: number, policy: never) => {
      call++;
      if (call === 1) return { image: img, applied: [] };
      if (call === 2) return { image: img, applied: [{ op: 'shift', dx: 0, dy: 0 }] };
      return reference.randomAugment(img, seed, policy);
    });
    expect(twoLists.message).toMatch(/^the same seed \(\d+\) gave two different augmentations \(nothing; then shift \(0, 0\)\)/);
    // Over 200 seeds, every operation missing: each named, one after the other.
    const idle = await verdict('randomAugment', 'a 6 × 6 picture', 'a', (img: Image) => ({ image: img, applied: [] }));
    expect(idle.message).toBe('over 200 seeds: no call flipped, but the policy allows flips; no call shifted; no call rotated; no call changed the brightness');
  });

  it('randomAugment draws the digit and two seeds\' augmentations, three across', async () => {
    const ctx = await contextOf('randomAugment', 'an MNIST digit', 'a');
    const v = await problemOf('randomAugment').check(ctx);
    const outputs = ctx.calls.map((c) => c.output as { image: Image; applied: unknown[] });
    const other = outputs.slice(2).findIndex((o) => JSON.stringify(o) !== JSON.stringify(outputs[0])) + 2;
    const [seed, otherSeed] = [ctx.calls[0].args[1], ctx.calls[other].args[1]] as number[];
    const figure = v.figures![0];
    expect(figure.caption).toMatch(new RegExp(`^The digit; seed ${seed} \\(.+\\); seed ${otherSeed} \\(.+\\)\\.$`));
    const drawn = imageGrid('Your random augmentations of one digit', [ctx.args[0] as Image, outputs[0].image, outputs[other].image].map(grey), { columns: 3, scale: 4, range: [0, 1], caption: figure.caption });
    expect(figure.data).toBe(drawn.data);
  });

  it('the seed detector compares other seeds only, and needs at least one', async () => {
    const ctx = await contextOf('randomAugment', 'an MNIST digit', 'a', randomIgnoresSeed.randomAugment as AnyFunction);
    const fires = (change: (calls: Ctx['calls']) => Ctx['calls']) => detector('randomAugment', 'random-ignores-seed')({ ...ctx, calls: change(ctx.calls) } as never);
    const moved = (c: Ctx['calls'][number]) => ({ ...c, output: { ...(c.output as object), applied: [{ op: 'shift', dx: 1, dy: 0 }] } });
    expect(fires((calls) => calls)).toBe(true);
    // The same seed's second answer is not another seed's.
    expect(fires((calls) => calls.map((c, i) => (i === 1 ? moved(c) : c)))).toBe(true);
    // Some other seeds differ: the seed does something.
    expect(fires((calls) => calls.map((c, i) => (i >= 6 ? moved(c) : c)))).toBe(false);
    // No other seed at all: nothing to tell.
    expect(fires((calls) => calls.map((c) => ({ ...c, args: [c.args[0], ctx.calls[0].args[1], c.args[2]] })))).toBe(false);
  });

  it('augmentDataset: a size that is wrong for both, one copy of another shape, values below 0; no tensor left behind; the figure shows each block', async () => {
    type Args = [Image[], number[], number, number];
    const wrapped = (change: (out: { images: Image[]; labels: number[] }) => { images: Image[]; labels: number[] }) => (...args: Args) => change(reference.augmentDataset(...args));
    const message = async (answer: AnyFunction) => (await verdict('augmentDataset', '10 MNIST', 'a', answer)).message;
    expect(await message(wrapped((out) => ({ images: out.images.slice(1), labels: out.labels.slice(1) })))).toMatch(/^call 1: 29 images and 29 labels; 10 images with 2 copies each make 30 of each/);
    expect(await message(wrapped((out) => ({ images: out.images.map((img, i) => (i === 15 ? img.slice(1) : img)), labels: out.labels })))).toMatch(/^call 1: every copy must be a 28 × 28 × 1 image like the originals$/m);
    expect(await message(wrapped((out) => ({ images: out.images.map((img, i) => (i >= 10 ? brightnessNoClamp.adjustBrightness(img, -0.3) : img)), labels: out.labels })))).toMatch(/^call 1: some values are outside \[0, 1\]$/m);
    const ctx = await contextOf('augmentDataset', '10 MNIST', 'a');
    await problemOf('augmentDataset').check(ctx); // loads digits-cnn
    const before = tf.memory().numTensors;
    const v = await problemOf('augmentDataset').check(ctx);
    expect(tf.memory().numTensors).toBe(before);
    const first = ctx.calls[0].output as { images: Image[] };
    const blocks = [0, 1, 2].flatMap((block) => first.images.slice(block * 10, block * 10 + 8));
    expect(v.figures![0].data).toBe(imageGrid('Your augmented data set', blocks.map(grey), { columns: 8, scale: 2, range: [0, 1], caption: v.figures![0].caption }).data);
  });

  it('the interleaving detector: all originals in place, the size right, and not the blocks (one image is both)', async () => {
    const ctx = await contextOf('augmentDataset', '10 MNIST', 'a', datasetInterleaved.augmentDataset as AnyFunction);
    const out = ctx.output as { images: Image[]; labels: number[] };
    const fires = (output: unknown, args = ctx.args) => detector('augmentDataset', 'dataset-interleaved')({ ...ctx, args, output } as never);
    expect(fires(out)).toBe(true);
    expect(fires({ images: [...out.images, out.images[1]], labels: [...out.labels, out.labels[1]] })).toBe(false);
    expect(fires({ ...out, images: out.images.map((img, i) => (i === 3 ? out.images[0] : img)) })).toBe(false);
    const [images, labels, copies, seed] = ctx.args as [Image[], number[], number, number];
    const one: [Image[], number[], number, number] = [images.slice(0, 1), labels.slice(0, 1), copies, seed];
    expect(fires(reference.augmentDataset(...one), one)).toBe(false);
  });

  it('the experiment\'s verdict: at least 0.6 on unmoved digits and a margin of at least 0.05, both inclusive; its table', () => {
    const scores = { plainHeld: 0.5, augmentedHeld: 0.55, plainClean: 0.6, augmentedClean: 0.65 };
    const passed = experimentVerdict(scores, 300, 12, false);
    expect(passed).toEqual({ score: 1, message: 'on 1000 held-out digits moved by up to ±3 pixels and turned by up to ±20°, your network scores 0.5 trained on the 300 digits as they are and 0.55 trained with augmentation (12 epochs each)' });
    expect(experimentVerdict({ ...scores, augmentedHeld: 0.549 }, 300, 12, false).score).toBe(0);
    expect(experimentVerdict({ ...scores, plainClean: 0.599 }, 300, 12, false).message).toBe('trained without augmentation, your network recognises only 0.599 of 1000 unmoved test digits (at least 0.6 is expected): it has not learned the digits');
    const shown = experimentVerdict(scores, 300, 12, true);
    expect(shown.message).toBe(passed.message);
    const [table] = shown.figures!;
    expect(table.caption).toBe('The accuracy of the two networks your trainWithAugmentation returned, measured by the grader; augmentation must win on the moved digits by at least 0.05.');
    for (const text of ['trained', 'moved and turned digits (1000)', 'unmoved digits', 'as they are', 'with augmentation', '0.65']) expect(table.data, text).toContain(`>${text}<`);
    const failed = experimentVerdict({ ...scores, augmentedHeld: 0.5 }, 300, 12, true);
    expect(failed.score).toBe(0);
    expect(failed.message).toMatch(/augmentation should win by at least 0\.05$/);
    expect(failed.figures).toHaveLength(1);
  });

  it('the ignored-augment detector wants the same number of weights, of the same sizes, all equal', () => {
    const fake = (...weights: number[][]) => ({ getWeights: () => weights.map((w) => tf.tensor1d(w)) }) as unknown as tf.LayersModel;
    const calls = trainingCallsOf('300 MNIST');
    const fires = (plain: tf.LayersModel, augmented: tf.LayersModel) => detector('trainWithAugmentation', 'train-augment-ignored')(caseContext([{ args: calls[0], output: plain, expected: undefined }, { args: calls[1], output: augmented, expected: undefined }], '300 MNIST', true, 'a') as never);
    expect(fires(fake([1, 2], [3]), fake([1, 2], [3]))).toBe(true);
    expect(fires(fake([1, 2], [3]), fake([1, 2], [3], [4]))).toBe(false);
    expect(fires(fake([1, 2]), fake([1, 2, 5]))).toBe(false);
    expect(fires(fake([1, 2]), fake([1, 3]))).toBe(false);
  });

  it('classifierProblem: names an output of another shape, and wants non-negative outputs summing to 1 (zeros allowed)', () => {
    const linear = (bias: number[]) => {
      const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: bias.length })] });
      model.setWeights([tf.zeros([784, bias.length]), tf.tensor1d(bias)]);
      return model;
    };
    const reshaped = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 20 }), tf.layers.reshape({ targetShape: [10, 2] })] });
    expect(classifierProblem(reshaped, 'it')).toBe('it gives outputs of shape [10, 2] per example; it should give 10 class probabilities (a softmax)');
    expect(classifierProblem(linear([-0.5, 1.5, 0, 0, 0, 0, 0, 0, 0, 0]), 'it')).toBe("it's outputs are not probabilities (non-negative, summing to 1): end it with a 10-way softmax");
    expect(classifierProblem(linear([1, 0, 0, 0, 0, 0, 0, 0, 0, 0]), 'it')).toBeUndefined();
  });
});
