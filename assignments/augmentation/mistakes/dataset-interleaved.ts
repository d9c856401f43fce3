// Puts each image's copies right after it (image 0, its copies, image 1, its copies, …).
import { randomAugment } from '../../../solutions/augmentation/augment.ts';

export function augmentDataset(images: number[][][][], labels: number[], copies: number, seed: number): { images: number[][][][]; labels: number[] } {
  const out: { images: number[][][][]; labels: number[] } = { images: [], labels: [] };
  images.forEach((img, i) => {
    out.images.push(img);
    out.labels.push(labels[i]);
    for (let copy = 1; copy <= copies; copy++) {
      out.images.push(randomAugment(img, seed * 1_000_003 + i * 101 + copy, { maxShift: 2, maxRotation: 15, flip: false, maxBrightness: 0.1 }).image);
      out.labels.push(labels[i]);
    }
  });
  return out;
}
