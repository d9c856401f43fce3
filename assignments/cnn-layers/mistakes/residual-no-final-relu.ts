// Mistake: the residual block returns x + relu(x·w1)·w2 and forgets the relu applied after the addition.
type Matrix = number[][];

function matmul(a: Matrix, b: Matrix): Matrix {
  return a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
}

export function residualForward(x: Matrix, w1: Matrix, w2: Matrix): Matrix {
  const hidden = matmul(x, w1).map((row) => row.map((v) => Math.max(0, v)));
  const branch = matmul(hidden, w2);
  return x.map((row, i) => row.map((v, j) => v + branch[i][j]));
}
