import type { Rng } from '../../grader/src/cases/rng.ts';
import { MNIST_PIXELS, MNIST_SIDE, type MnistPart, sampleMnist } from '../../grader/src/data/mnist.ts';

/**
 * The inputs of the augmentation cases: real MNIST digits as H×W×1 images, generated pictures
 * of any size (one or three channels), and the held-out set of the augmentation experiment —
 * MNIST test digits moved and turned by the grader's own warp (bilinear, unlike the
 * nearest-pixel operations students write), which the students' networks never see.
 */

export type Image = number[][][];

export const SIDE = MNIST_SIDE;

/** The policy for digits (augmentDataset, trainWithAugmentation): no flips, a mirrored 2 is not a 2. */
export const DIGIT_POLICY = { maxShift: 2, maxRotation: 15, flip: false, maxBrightness: 0.1 };

/** A flat 784-pixel digit as a 28×28×1 image. */
export function digitImage(flat: ArrayLike<number>): Image {
  return Array.from({ length: SIDE }, (_, r) => Array.from({ length: SIDE }, (_, c) => [flat[r * SIDE + c]]));
}

/** `count` distinct MNIST digits of one part, drawn by `rng`, as images, with their labels. */
export function mnistDigits(rng: Rng, count: number, part: MnistPart): { images: Image[]; labels: number[] } {
  const { images, labels } = sampleMnist(rng, count, part);
  return { images: images.map(digitImage), labels };
}

/** One MNIST test digit drawn by `rng`. */
export function oneDigit(rng: Rng): Image {
  return mnistDigits(rng, 1, 'test').images[0];
}

/**
 * An H×W×C picture whose channel ch has values drawn uniformly from ranges[ch] (default [0, 1]
 * for every channel). Different ranges give channels different means.
 */
export function randomImage(rng: Rng, height: number, width: number, ranges: Array<[number, number]>): Image {
  return Array.from({ length: height }, () => Array.from({ length: width }, () => ranges.map(([low, high]) => low + (high - low) * rng.next())));
}

/** Three channels of clearly different means: a reddish picture, and a global mean that is none of them. */
export const COLOUR_RANGES: Array<[number, number]> = [[0.5, 1], [0, 0.4], [0.1, 0.7]];
export const GREY_RANGE: Array<[number, number]> = [[0, 1]];

/**
 * A digit turned by `degrees` counter-clockwise about its centre and moved (dx, dy), sampled
 * bilinearly (zero outside): the grader's own perturbation for the held-out set.
 */
export function warpDigit(flat: ArrayLike<number>, degrees: number, dx: number, dy: number): number[] {
  const centre = (SIDE - 1) / 2;
  const radians = degrees * (Math.PI / 180);
  const cos = Math.cos(radians);
  const sin = Math.sin(radians);
  const at = (r: number, c: number): number => (r >= 0 && r < SIDE && c >= 0 && c < SIDE ? flat[r * SIDE + c] : 0);
  const out = new Array<number>(MNIST_PIXELS);
  for (let r = 0; r < SIDE; r++) {
    for (let c = 0; c < SIDE; c++) {
      // Undo the move, then the turn (x to the right, y up from the centre).
      const [x, y] = [c - dx - centre, centre - (r - dy)];
      const [sx, sy] = [centre + x * cos + y * sin, centre - (-x * sin + y * cos)];
      const [r0, c0] = [Math.floor(sy), Math.floor(sx)];
      const [fr, fc] = [sy - r0, sx - c0];
      out[r * SIDE + c] = (1 - fr) * ((1 - fc) * at(r0, c0) + fc * at(r0, c0 + 1)) + fr * ((1 - fc) * at(r0 + 1, c0) + fc * at(r0 + 1, c0 + 1));
    }
  }
  return out;
}

/** The held-out set: `count` test digits, each moved by whole (dx, dy) in [−maxShift, maxShift] and turned by up to ±maxRotation degrees. */
export function heldOutDigits(rng: Rng, count: number, maxShift: number, maxRotation: number): { pixels: Float32Array; labels: number[] } {
  const { images, labels } = sampleMnist(rng, count, 'test');
  const pixels = new Float32Array(count * MNIST_PIXELS);
  images.forEach((flat, i) => pixels.set(warpDigit(flat, (2 * rng.next() - 1) * maxRotation, rng.int(-maxShift, maxShift), rng.int(-maxShift, maxShift)), i * MNIST_PIXELS));
  return { pixels, labels };
}
