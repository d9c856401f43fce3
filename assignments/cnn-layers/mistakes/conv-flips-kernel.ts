// Mistake: computes a true convolution (kernel rotated by 180°) instead of the cross-correlation deep-learning libraries use.
type Matrix = number[][];

export function conv2d(x: Matrix, kernel: Matrix, stride = 1, padding = 0): Matrix {
  const h = x.length;
  const w = x[0].length;
  const kh = kernel.length;
  const kw = kernel[0].length;
  const outH = Math.floor((h + 2 * padding - kh) / stride) + 1;
  const outW = Math.floor((w + 2 * padding - kw) / stride) + 1;
  const out: Matrix = [];
  for (let i = 0; i < outH; i++) {
    const row: number[] = [];
    for (let j = 0; j < outW; j++) {
      let sum = 0;
      for (let a = 0; a < kh; a++) {
        const r = i * stride + a - padding;
        if (r < 0 || r >= h) continue;
        for (let b = 0; b < kw; b++) {
          const c = j * stride + b - padding;
          if (c < 0 || c >= w) continue;
          sum += x[r][c] * kernel[kh - 1 - a][kw - 1 - b];
        }
      }
      row.push(sum);
    }
    out.push(row);
  }
  return out;
}
