// augmentation — your implementation goes here.
//
// Rules of the game:
//   • An Image is number[][][]: H rows of W pixels of C channel values (C = 1 for MNIST digits,
//     3 for colour pictures), every value in [0, 1]. img[r][c][ch] is row r (rows grow
//     downwards), column c (columns grow to the right), channel ch.
//   • Never change the image you are given; return a new one.
//   • Rows, columns and offsets are whole numbers.
//   • You may import `@tensorflow/tfjs`, `seedrandom` and `ml-matrix`.
//   • Keep the signatures exactly as they are.
// Run `npm run grade -- augmentation` to check your work.
import * as tf from '@tensorflow/tfjs';

export type Image = number[][][];

/** The mirror image left to right: column c becomes column W − 1 − c. */
export function flipHorizontal(img: Image): Image {
  throw new Error('not implemented: flipHorizontal');
}

/** The mirror image top to bottom: row r becomes row H − 1 − r. */
export function flipVertical(img: Image): Image {
  throw new Error('not implemented: flipVertical');
}

/**
 * The image turned by `times` quarter turns counter-clockwise, as seen on screen (the top-right
 * corner moves to the top left); `times` may be negative (clockwise) or beyond 4. An H×W image
 * becomes W×H after an odd number of turns.
 */
export function rotate90(img: Image, times: number): Image {
  throw new Error('not implemented: rotate90');
}

/**
 * The content moved dx columns to the right and dy rows down (negative: left, up). Pixels that
 * move off the image are lost; pixels with nothing to move into them get `fill` in every
 * channel. The size stays H×W.
 */
export function shift(img: Image, dx: number, dy: number, fill?: number): Image {
  throw new Error('not implemented: shift');
}

/**
 * The image rotated by `degrees` counter-clockwise (as seen on screen, rows growing downwards)
 * about its centre ((H − 1)/2, (W − 1)/2), keeping its size. Each output pixel takes the input
 * pixel at its inverse-rotated position, the row and the column each rounded with Math.round;
 * where that position is outside the image, the output pixel gets `fill` (default 0).
 */
export function rotate(img: Image, degrees: number, fill?: number): Image {
  throw new Error('not implemented: rotate');
}

/** Every value plus delta, clamped to [0, 1]. */
export function adjustBrightness(img: Image, delta: number): Image {
  throw new Error('not implemented: adjustBrightness');
}

/**
 * Contrast scaled by `factor` about each channel's own mean m (over all H×W pixels):
 * m + factor·(v − m), clamped to [0, 1].
 */
export function adjustContrast(img: Image, factor: number): Image {
  throw new Error('not implemented: adjustContrast');
}

/** Channel ch plus shifts[ch] (one shift per channel), clamped to [0, 1]. */
export function colorShift(img: Image, shifts: number[]): Image {
  throw new Error('not implemented: colorShift');
}

/** One operation of randomAugment: shift offsets are whole pixels. */
export type AugmentOp =
  | { op: 'flipHorizontal' } | { op: 'shift'; dx: number; dy: number }
  | { op: 'rotate'; degrees: number } | { op: 'brightness'; delta: number };

/**
 * A random augmentation of `img`, drawn from a generator seeded with `seed` (the same seed gives
 * the same result): a horizontal flip (only if policy.flip), a shift by whole pixels with |dx|,
 * |dy| ≤ maxShift, a rotation with |degrees| ≤ maxRotation and a brightness change with
 * |delta| ≤ maxBrightness, each parameter spread over its whole range. Returns the augmented
 * image and the operations applied to it, in the order applied: applying them one after the
 * other with the functions above (shift and rotate with fill 0) must give the image.
 */
export function randomAugment(img: Image, seed: number,
  policy: { maxShift: number; maxRotation: number; flip: boolean; maxBrightness: number }):
  { image: Image; applied: AugmentOp[] } {
  throw new Error('not implemented: randomAugment');
}

/**
 * The data set grown by `copies` augmented copies of every image, each by randomAugment with
 * the digit policy { maxShift: 2, maxRotation: 15, flip: false, maxBrightness: 0.1 } (a mirrored
 * digit is not the same digit), all drawn from `seed`. Order: the originals, then copy 1 of
 * every image, then copy 2 of every image, and so on; labels follow their images. (An augmented
 * copy may happen to equal its original.)
 */
export function augmentDataset(images: Image[], labels: number[], copies: number, seed: number):
  { images: Image[]; labels: number[] } {
  throw new Error('not implemented: augmentDataset');
}

/**
 * A small CNN (input 28×28×1, a 10-way softmax out) trained on the 28×28×1 digit images with
 * their labels (0–9) for `epochs` passes over the data. With augment, every pass sees freshly
 * augmented versions of the images (the digit policy); without it, the images themselves.
 * Everything random is drawn from `seed`: the same call gives the same model.
 */
export function trainWithAugmentation(images: Image[], labels: number[],
  options: { augment: boolean; epochs: number; seed: number }): Promise<tf.LayersModel> {
  throw new Error('not implemented: trainWithAugmentation');
}
