// Mistake: the max-pool gradient goes to every position that ties for the window's maximum, not only the first one.
type Matrix = number[][];

export function maxPool2dBackward(dout: Matrix, x: Matrix, size: number, stride = size): Matrix {
  const dx: Matrix = x.map((row) => row.map(() => 0));
  const outH = Math.floor((x.length - size) / stride) + 1;
  const outW = Math.floor((x[0].length - size) / stride) + 1;
  for (let i = 0; i < outH; i++) {
    for (let j = 0; j < outW; j++) {
      let best = -Infinity;
      for (let a = 0; a < size; a++) {
        for (let b = 0; b < size; b++) best = Math.max(best, x[i * stride + a][j * stride + b]);
      }
      for (let a = 0; a < size; a++) {
        for (let b = 0; b < size; b++) {
          if (x[i * stride + a][j * stride + b] === best) dx[i * stride + a][j * stride + b] += dout[i][j];
        }
      }
    }
  }
  return dx;
}
