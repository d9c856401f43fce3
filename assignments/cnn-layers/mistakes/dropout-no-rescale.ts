// Mistake: dropout zeroes entries but does not scale the survivors by 1/(1 − p), so the mask is 0/1.
type Matrix = number[][];

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function dropoutForward(
  x: Matrix,
  p: number,
  train: boolean,
  seed: number,
): { out: Matrix; mask: Matrix } {
  if (!train) return { out: x.map((row) => [...row]), mask: x.map((row) => row.map(() => 1)) };
  const random = mulberry32(seed);
  const mask = x.map((row) => row.map(() => (random() < p ? 0 : 1)));
  const out = x.map((row, i) => row.map((v, j) => v * mask[i][j]));
  return { out, mask };
}
