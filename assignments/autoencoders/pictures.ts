import * as tf from '@tensorflow/tfjs';
import { drawFigures, type Verdict } from '../../grader/src/checks/verdict.ts';
import type { Figure } from '../../grader/src/result/schema.ts';
import { imageGrid, lineChart } from '../../grader/src/report/figures.ts';
import { PIXELS, SIDE } from './checks.ts';

/**
 * The autoencoders report's pictures, drawn from what the grader measured on the student's
 * models and outputs. Pictures are an aid: drawing them never costs points, and only visible,
 * passing cases get them.
 */

/** How many examples a picture shows. */
export const EXAMPLES = 6;

/** Image `index` of a batch of 28×28 images, as rows. */
export function image(t: tf.Tensor, index: number): number[][] {
  const data = t.dataSync();
  return Array.from({ length: SIDE }, (_, r) => Array.from(data.subarray(index * PIXELS + r * SIDE, index * PIXELS + (r + 1) * SIDE)));
}

/**
 * One grid with a row per example: for each example image i, the i-th image of every batch
 * in `columns` (e.g. original, reconstruction, PCA's).
 */
export function rows(title: string, columns: Array<[string, tf.Tensor]>, count: number, caption: string): Figure {
  const images: number[][][] = [];
  for (let i = 0; i < count; i++) for (const [, batch] of columns) images.push(image(batch, i));
  return imageGrid(title, images, { columns: columns.length, scale: 3, range: [0, 1], caption: `${caption} Columns: ${columns.map(([name]) => name).join(' / ')}.` });
}

export function lossChart(losses: number[]): Figure {
  return lineChart('Training loss per epoch', [{ name: 'your loss', points: losses.map((l, i) => [i + 1, l]) }], { xLabel: 'epoch', yLabel: 'mean batch loss', caption: 'The loss your trainAutoencoder reported, one value per epoch (its values are not graded: the loss is your choice).' });
}

export function sampleGrid(samples: tf.Tensor, count: number): Figure {
  return imageGrid(
    'Your samples',
    Array.from({ length: count }, (_, i) => image(samples, i)),
    { columns: 8, scale: 3, range: [0, 1], caption: `The first ${count} images of your sampleImages's first call: decoded codes drawn from the Gaussian fitted to the training digits' codes.` },
  );
}

/** Pictures are an aid: drawing them never costs points, and only visible, passing cases get them. */
export function drawn(verdict: Verdict, visible: boolean, draw: () => Figure[]): Verdict {
  return !visible || verdict.score < 1 ? verdict : drawFigures(verdict, draw);
}
