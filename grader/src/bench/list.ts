/**
 * The assignments `npm run bench` times a whole grading of (grading.ts), one after the other.
 * A module of its own so that the CLI's help can name them without loading the grader.
 */
export const BENCH_GRADINGS = ['pca', 'adversarial', 'autoencoders', 'transfer', 'understanding-layers'];
