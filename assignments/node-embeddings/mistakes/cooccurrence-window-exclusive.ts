type Matrix = number[][];

/** Distances 1 … window − 1: the window's last position is left out. */
export function walkCooccurrence(walks: number[][], n: number, window: number): Matrix {
  const C: Matrix = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (const walk of walks) {
    for (let i = 0; i < walk.length; i++) {
      for (let j = Math.max(0, i - window + 1); j < Math.min(walk.length, i + window); j++) {
        if (j !== i) C[walk[i]][walk[j]] += 1;
      }
    }
  }
  return C;
}
