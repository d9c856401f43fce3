import { Matrix as MlMatrix, SVD as MlSvd } from 'ml-matrix';
import { createRng } from '../cases/rng.ts';
import { frobeniusNorm, type Matrix } from '../linalg/dense.ts';
import { svd } from '../linalg/svd.ts';
import { formatMs, median } from './stats.ts';

/**
 * The SVD section of `npm run bench`: the grader's own SVD against ml-matrix's (the reason
 * it exists), on the same seeded Gaussian matrices in this one process, with the
 * reconstruction error of each so that speed is never bought with accuracy.
 */

function timed<T>(repeats: number, run: () => T): { ms: number; result: T } {
  const times: number[] = [];
  let result!: T;
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    result = run();
    times.push(performance.now() - started);
  }
  return { ms: median(times), result };
}

/** ‖X − U·diag(S)·Vᵀ‖_F / ‖X‖_F, accumulated row by row without forming U·diag(S)·Vᵀ. */
function reconstructionError(X: Matrix, U: Matrix, S: number[], V: Matrix): number {
  let residual = 0;
  const scaled = new Float64Array(S.length);
  for (let i = 0; i < X.length; i++) {
    for (let l = 0; l < S.length; l++) scaled[l] = U[i][l] * S[l];
    for (let j = 0; j < V.length; j++) {
      const vj = V[j];
      let x = 0;
      for (let l = 0; l < S.length; l++) x += scaled[l] * vj[l];
      residual += (X[i][j] - x) ** 2;
    }
  }
  return Math.sqrt(residual) / frobeniusNorm(X);
}

export async function runSvdBench(options: { quick?: boolean }, out: NodeJS.WritableStream): Promise<void> {
  const sizes: Array<[number, number]> = options.quick ? [[100, 60], [200, 150]] : [[500, 300], [1000, 784]];
  out.write('\nsvd (float64, seeded Gaussian matrices; grader: grader/src/linalg/svd.ts, ml-matrix: new SVD(m, { autoTranspose: true }))\n');
  // Warm-up, so that neither side pays for JIT compilation inside a timed run.
  const warmUp = createRng('svd-bench-warm-up').matrix(40, 30);
  svd(warmUp);
  svd(warmUp, { vectors: false });
  new MlSvd(new MlMatrix(warmUp), { autoTranspose: true });
  for (const [rows, cols] of sizes) {
    const X = createRng(`svd-bench-${rows}x${cols}`).matrix(rows, cols);
    const label = `${rows}×${cols}`;
    const repeats = options.quick ? 1 : 3;
    const grader = timed(repeats, () => svd(X));
    const graderError = reconstructionError(X, grader.result.U, grader.result.S, grader.result.V);
    out.write(`  ${label} grader svd: ${formatMs(grader.ms)} (median of ${repeats}), reconstruction error ${graderError.toExponential(1)}\n`);
    const valuesOnly = timed(repeats, () => svd(X, { vectors: false }));
    out.write(`  ${label} grader singular values only: ${formatMs(valuesOnly.ms)} (median of ${repeats})\n`);
    // ml-matrix takes ~20 s for 1000×784 here; once is enough to see the ratio.
    const mlRepeats = rows * cols > 300_000 ? 1 : repeats;
    const ml = timed(mlRepeats, () => new MlSvd(new MlMatrix(X), { autoTranspose: true }));
    const mlError = reconstructionError(X, ml.result.leftSingularVectors.to2DArray(), ml.result.diagonal, ml.result.rightSingularVectors.to2DArray());
    out.write(`  ${label} ml-matrix svd: ${formatMs(ml.ms)} (median of ${mlRepeats}), reconstruction error ${mlError.toExponential(1)}\n`);
    out.write(`  ${label} ml-matrix / grader (full svd, same matrix): ${(ml.ms / grader.ms).toFixed(1)}×\n`);
    // Yield between sizes so a long run does not starve the event loop (progress output, signals).
    await new Promise((resolve) => setImmediate(resolve));
  }
}
