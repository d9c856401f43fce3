// Shuffles the old labels instead of drawing new ones: the class counts stay exactly as they were.
import seedrandom from 'seedrandom';

export function randomLabels(labels: number[], numClasses: number, seed: number): number[] {
  const random = seedrandom(String(seed));
  const out = [...labels];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
