// Mistake: the max-pool gradient is assigned (=) rather than accumulated (+=), so overlapping windows overwrite each other.
type Matrix = number[][];

export function maxPool2dBackward(dout: Matrix, x: Matrix, size: number, stride = size): Matrix {
  const dx: Matrix = x.map((row) => row.map(() => 0));
  const outH = Math.floor((x.length - size) / stride) + 1;
  const outW = Math.floor((x[0].length - size) / stride) + 1;
  for (let i = 0; i < outH; i++) {
    for (let j = 0; j < outW; j++) {
      let bestRow = i * stride;
      let bestCol = j * stride;
      for (let a = 0; a < size; a++) {
        for (let b = 0; b < size; b++) {
          const r = i * stride + a;
          const c = j * stride + b;
          if (x[r][c] > x[bestRow][bestCol]) {
            bestRow = r;
            bestCol = c;
          }
        }
      }
      dx[bestRow][bestCol] = dout[i][j];
    }
  }
  return dx;
}
