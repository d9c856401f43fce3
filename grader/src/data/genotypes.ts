import type { Rng } from '../cases/rng.ts';

/**
 * Synthetic genotypes in which "genes mirror geography" (Novembre et al., Nature 2008):
 * the first two principal components of a centred genotype matrix reproduce a map of where
 * people were born. Real genotype panels are large and have consent terms; this generator
 * gives the same phenomenon from a seed, with the true map available for checking.
 */
export interface Genotypes {
  /** individuals × loci, each entry the count of the reference allele: 0, 1 or 2. */
  genotypes: number[][];
  /** individuals × 2, the hidden birth place (x, y) on the map, in map units. */
  places: number[][];
}

export interface GenotypeOptions {
  /** Default 200. */
  individuals?: number;
  /** Default 500. */
  loci?: number;
}

/**
 * The map is a rectangle, 1.5 units wide and 1 high, centred at the origin. Not square, so
 * the two geographic components have distinct variances; not too elongated, so dropping
 * the north–south axis (as an uncentred PCA does, spending a component on the mean) is
 * clearly visible in the recovery score.
 */
const MAP_WIDTH = 1.5;
const MAP_HEIGHT = 1;
/** Spread of the allele-frequency gradients, in logits per map unit. Chosen by measurement (see the data tests). */
const GRADIENT_SD = 1.5;
/** Amplitude, in logits, of the smooth wiggle that keeps frequency maps from being pure ramps. */
const WIGGLE = 0.3;
/** Frequencies are kept away from 0 and 1, as in SNP panels filtered for minor-allele frequency. */
const MIN_FREQUENCY = 0.05;

const logistic = (t: number): number => 1 / (1 + Math.exp(-t));

/**
 * Individuals born uniformly on the map; each locus has an allele frequency that changes
 * smoothly over the map, logistic(a + b·place + wiggle(place)) clipped to [0.05, 0.95];
 * each genotype is Binomial(2, frequency at the birth place), i.e. two independent
 * alleles. All randomness comes from `rng`, in a fixed order.
 */
export function generateGenotypes(rng: Rng, options: GenotypeOptions = {}): Genotypes {
  const individuals = options.individuals ?? 200;
  const loci = options.loci ?? 500;
  for (const [name, value] of [['individuals', individuals], ['loci', loci]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`generateGenotypes: ${name} must be a positive integer (got ${value}).`);
  }
  const places = Array.from({ length: individuals }, () => [
    rng.uniform(-MAP_WIDTH / 2, MAP_WIDTH / 2),
    rng.uniform(-MAP_HEIGHT / 2, MAP_HEIGHT / 2),
  ]);
  const frequencyMaps = Array.from({ length: loci }, () => {
    const base = rng.normal(0, 1);
    const bx = rng.normal(0, GRADIENT_SD);
    const by = rng.normal(0, GRADIENT_SD);
    const wx = rng.normal(0, 3);
    const wy = rng.normal(0, 3);
    const phase = rng.uniform(0, 2 * Math.PI);
    return (x: number, y: number): number => {
      const logit = base + bx * x + by * y + WIGGLE * Math.sin(wx * x + wy * y + phase);
      return Math.min(1 - MIN_FREQUENCY, Math.max(MIN_FREQUENCY, logistic(logit)));
    };
  });
  const genotypes = places.map(([x, y]) =>
    frequencyMaps.map((frequency) => {
      const p = frequency(x, y);
      return (rng.next() < p ? 1 : 0) + (rng.next() < p ? 1 : 0);
    }),
  );
  return { genotypes, places };
}
