/**
 * Numerical gradients in float64, as CS231n checks backward passes: central differences
 * and a relative error that is scale-free.
 */

export type Matrix = number[][];

/**
 * Gradient of a scalar function of a matrix by the fourth-order central difference
 * (f(x−2h) − 8f(x−h) + 8f(x+h) − f(x+2h)) / 12h. Its truncation error is O(h⁴) rather than
 * the two-point formula's O(h²), which lets a check demand relative errors near 1e-8
 * without false failures. The step may differ per entry (`step(i, j)`): it must be small
 * against the scale on which f changes in that entry, e.g. a column's spread.
 */
export function numericalGradient(f: (x: Matrix) => number, x: Matrix, step: number | ((i: number, j: number) => number) = 1e-3): Matrix {
  const probe = x.map((row) => [...row]);
  const at = (i: number, j: number, value: number): number => {
    probe[i][j] = value;
    return f(probe);
  };
  return x.map((row, i) =>
    row.map((value, j) => {
      const h = typeof step === 'number' ? step : step(i, j);
      const g = (at(i, j, value - 2 * h) - 8 * at(i, j, value - h) + 8 * at(i, j, value + h) - at(i, j, value + 2 * h)) / (12 * h);
      probe[i][j] = value;
      return g;
    }),
  );
}

/** Central-difference gradient of a scalar function of a vector. */
export function numericalGradientVector(f: (x: number[]) => number, x: number[], h = 1e-3): number[] {
  return numericalGradient((m) => f(m[0]), [x], h)[0];
}

/** The entries of a vector or matrix, in order. */
function entries(a: ReadonlyArray<number> | ReadonlyArray<ReadonlyArray<number>>): number[] {
  return (a as ReadonlyArray<number | ReadonlyArray<number>>).flat();
}

/**
 * ‖a − b‖ / max(1e−8, ‖a‖ + ‖b‖) (Euclidean norms over all entries); NaN if any entry is NaN.
 * Unlike the entry-wise relativeError it is not thrown by an entry that is nearly zero, whose
 * own relative error is rounding noise over a tiny number.
 */
export function normRelativeError(a: ReadonlyArray<number> | ReadonlyArray<ReadonlyArray<number>>, b: typeof a): number {
  const flatA = entries(a);
  const flatB = entries(b);
  if (flatA.length !== flatB.length) throw new Error(`normRelativeError: sizes differ (${flatA.length} vs ${flatB.length})`);
  let difference = 0;
  let sizeA = 0;
  let sizeB = 0;
  for (let i = 0; i < flatA.length; i++) {
    difference += (flatA[i] - flatB[i]) ** 2;
    sizeA += flatA[i] ** 2;
    sizeB += flatB[i] ** 2;
  }
  return Math.sqrt(difference) / Math.max(1e-8, Math.sqrt(sizeA) + Math.sqrt(sizeB));
}

/** max |a − b| / max(1e−8, |a| + |b|) over all entries (CS231n's rel_error); NaN if any entry is NaN. */
export function relativeError(a: ReadonlyArray<number> | ReadonlyArray<ReadonlyArray<number>>, b: typeof a): number {
  const flatA = entries(a);
  const flatB = entries(b);
  if (flatA.length !== flatB.length) throw new Error(`relativeError: sizes differ (${flatA.length} vs ${flatB.length})`);
  let worst = 0;
  for (let i = 0; i < flatA.length; i++) {
    const err = Math.abs(flatA[i] - flatB[i]) / Math.max(1e-8, Math.abs(flatA[i]) + Math.abs(flatB[i]));
    // Math.max rather than `>`: a NaN entry makes the result NaN, which fails every threshold.
    worst = Math.max(worst, err);
  }
  return worst;
}
