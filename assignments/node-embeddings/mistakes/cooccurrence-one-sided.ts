type Matrix = number[][];

/** Only the nodes after each position are counted: C is not symmetric. */
export function walkCooccurrence(walks: number[][], n: number, window: number): Matrix {
  const C: Matrix = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (const walk of walks) {
    for (let i = 0; i < walk.length; i++) {
      for (let j = i + 1; j <= Math.min(walk.length - 1, i + window); j++) C[walk[i]][walk[j]] += 1;
    }
  }
  return C;
}
