type Matrix = number[][];

/** PMI, not clipped at 0: negative values stay. */
export function ppmi(C: Matrix): Matrix {
  const rows = C.map((row) => row.reduce((a, b) => a + b, 0));
  const cols = C[0].map((_, j) => C.reduce((sum, row) => sum + row[j], 0));
  const total = rows.reduce((a, b) => a + b, 0);
  return C.map((row, i) => row.map((c, j) => (c > 0 ? Math.log((c * total) / (rows[i] * cols[j])) : 0)));
}
