// Mistake: average pooling keeps the windows that run off the bottom/right edge, averaging only the entries that exist.
type Matrix = number[][];

export function avgPool2d(x: Matrix, size: number, stride = size): Matrix {
  const h = x.length;
  const w = x[0].length;
  // ceil((H − size) / stride) + 1 instead of floor(...) + 1
  const outH = Math.floor((h - size + stride - 1) / stride) + 1;
  const outW = Math.floor((w - size + stride - 1) / stride) + 1;
  const out: Matrix = [];
  for (let i = 0; i < outH; i++) {
    const row: number[] = [];
    for (let j = 0; j < outW; j++) {
      let sum = 0;
      let count = 0;
      for (let r = i * stride; r < Math.min(i * stride + size, h); r++) {
        for (let c = j * stride; c < Math.min(j * stride + size, w); c++) {
          sum += x[r][c];
          count++;
        }
      }
      row.push(sum / count);
    }
    out.push(row);
  }
  return out;
}
