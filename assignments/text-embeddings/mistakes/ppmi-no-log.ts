type Matrix = number[][];

/** The ratio C·N/(row·col) itself, without its logarithm. */
export function ppmi(C: Matrix): Matrix {
  const rows = C.map((row) => row.reduce((a, b) => a + b, 0));
  const cols = C[0].map((_, j) => C.reduce((sum, row) => sum + row[j], 0));
  const total = rows.reduce((a, b) => a + b, 0);
  return C.map((row, i) => row.map((c, j) => (c > 0 ? Math.max(0, (c * total) / (rows[i] * cols[j])) : 0)));
}
