// Mistake: max pooling ignores the stride argument and always slides the window by 1.
type Matrix = number[][];

// eslint-disable-next-line @typescript-eslint/no-unused-vars -- ignoring this argument is the mistake
export function maxPool2d(x: Matrix, size: number, stride = size): Matrix {
  const outH = x.length - size + 1;
  const outW = x[0].length - size + 1;
  const out: Matrix = [];
  for (let i = 0; i < outH; i++) {
    const row: number[] = [];
    for (let j = 0; j < outW; j++) {
      let best = -Infinity;
      for (let a = 0; a < size; a++) {
        for (let b = 0; b < size; b++) best = Math.max(best, x[i + a][j + b]);
      }
      row.push(best);
    }
    out.push(row);
  }
  return out;
}
