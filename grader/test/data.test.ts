import { describe, expect, it } from 'vitest';
import { createRng } from '../src/cases/rng.ts';
import { loadBoston } from '../src/data/boston.ts';
import { generateDigits } from '../src/data/digits.ts';
import { generateGenotypes } from '../src/data/genotypes.ts';
import { loadIris } from '../src/data/iris.ts';
import { loadPhoto } from '../src/data/photo.ts';
import { centerColumns } from '../src/linalg/dense.ts';
import { procrustes } from '../src/linalg/subspace.ts';
import { svd } from '../src/linalg/svd.ts';

function countBy<T>(items: readonly T[]): Map<T, number> {
  const counts = new Map<T, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
}

describe('loadBoston', () => {
  it('has 506 tracts and 12 features, without b (dropped on purpose) and without the target medv', () => {
    const { columns, X, target, targetName } = loadBoston();
    expect(columns).toEqual(['crim', 'zn', 'indus', 'chas', 'nox', 'rm', 'age', 'dis', 'rad', 'tax', 'ptratio', 'lstat']);
    expect(targetName).toBe('medv');
    expect(X).toHaveLength(506);
    expect(X.every((row) => row.length === 12 && row.every(Number.isFinite))).toBe(true);
    expect(target).toHaveLength(506);
    // The first tract, as printed in Harrison and Rubinfeld's data.
    expect(X[0]).toEqual([0.00632, 18, 2.31, 0, 0.538, 6.575, 65.2, 4.09, 1, 296, 15.3, 4.98]);
    expect(target[0]).toBe(24);
    // medv is censored at 50 (16 tracts), a known flaw of the data.
    expect(Math.max(...target)).toBe(50);
    expect(target.filter((v) => v === 50)).toHaveLength(16);
  });

  it('returns fresh copies, so one caller cannot change what the next one sees', () => {
    const first = loadBoston();
    first.X[0][0] = -1;
    first.target[0] = -1;
    first.columns[0] = 'changed';
    const second = loadBoston();
    expect(second.X[0][0]).toBe(0.00632);
    expect(second.target[0]).toBe(24);
    expect(second.columns[0]).toBe('crim');
  });
});

describe('loadIris', () => {
  it('has 150 flowers × 4 measurements, 50 of each species', () => {
    const { columns, X, species } = loadIris();
    expect(columns).toEqual(['sepalLength', 'sepalWidth', 'petalLength', 'petalWidth']);
    expect(X).toHaveLength(150);
    expect(X.every((row) => row.length === 4)).toBe(true);
    expect(X[0]).toEqual([5.1, 3.5, 1.4, 0.2]);
    expect(countBy(species)).toEqual(new Map([['setosa', 50], ['versicolor', 50], ['virginica', 50]]));
    X[0][0] = -1;
    expect(loadIris().X[0][0]).toBe(5.1);
  });
});

describe('loadPhoto', () => {
  it('is 819 rows (height) × 1024 columns (width) of luminance in [0, 255] at full size', () => {
    const photo = loadPhoto();
    expect(photo.height).toBe(819);
    expect(photo.width).toBe(1024);
    expect(photo.pixels).toHaveLength(819);
    expect(photo.pixels.every((row) => row.length === 1024)).toBe(true);
    let lo = Infinity;
    let hi = -Infinity;
    for (const row of photo.pixels) {
      for (const v of row) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThanOrEqual(255);
    // A real photograph, not a blank: it uses most of the range.
    expect(hi - lo).toBeGreaterThan(150);
    expect(photo.credit).toMatch(/Beato/);
    expect(photo.credit).toMatch(/CC0/);
  });

  it('downscales by box averaging, dropping rows and columns that do not fill a block', () => {
    const full = loadPhoto().pixels;
    const small = loadPhoto({ downscale: 3 });
    expect([small.height, small.width]).toEqual([273, 341]);
    expect(small.pixels).toHaveLength(273);
    expect(small.pixels[0]).toHaveLength(341);
    let sum = 0;
    for (let r = 30; r < 33; r++) for (let c = 60; c < 63; c++) sum += full[r][c];
    expect(small.pixels[10][20]).toBeCloseTo(sum / 9, 10);
    expect([loadPhoto({ downscale: 4 }).height, loadPhoto({ downscale: 4 }).width]).toEqual([204, 256]);
    expect(() => loadPhoto({ downscale: 1.5 })).toThrow(/positive integer/);
    expect(() => loadPhoto({ downscale: 0 })).toThrow(/positive integer/);
  });
});

/** Nearest-class-mean classifier: the simplest test that the classes have distinct shapes. */
function nearestMeanAccuracy(train: { images: number[][]; labels: number[] }, test: { images: number[][]; labels: number[] }): number {
  const dim = train.images[0].length;
  const means = Array.from({ length: 10 }, () => new Array<number>(dim).fill(0));
  const counts = new Array<number>(10).fill(0);
  train.images.forEach((image, i) => {
    counts[train.labels[i]]++;
    image.forEach((v, j) => (means[train.labels[i]][j] += v));
  });
  means.forEach((mean, k) => mean.forEach((_, j) => (mean[j] /= counts[k])));
  let correct = 0;
  test.images.forEach((image, i) => {
    let best = -1;
    let bestDistance = Infinity;
    means.forEach((mean, k) => {
      const distance = mean.reduce((s, m, j) => s + (m - image[j]) ** 2, 0);
      if (distance < bestDistance) [best, bestDistance] = [k, distance];
    });
    if (best === test.labels[i]) correct++;
  });
  return correct / test.images.length;
}

describe('generateDigits', () => {
  it('is a function of the seed, with values in [0, 1] and size² pixels', () => {
    const a = generateDigits(createRng('digits'), 30);
    expect(generateDigits(createRng('digits'), 30)).toEqual(a);
    expect(generateDigits(createRng('other'), 30).images).not.toEqual(a.images);
    expect(a.size).toBe(16);
    expect(a.images).toHaveLength(30);
    for (const image of a.images) {
      expect(image).toHaveLength(256);
      expect(image.every((v) => v >= 0 && v <= 1)).toBe(true);
      // Every digit has ink, and most of the image is background.
      const ink = image.reduce((s, v) => s + v, 0);
      expect(ink).toBeGreaterThan(10);
      expect(ink).toBeLessThan(128);
    }
    const large = generateDigits(createRng('digits'), 3, { size: 28 });
    expect(large.images.every((image) => image.length === 784)).toBe(true);
  });

  it('balances the labels to within one', () => {
    expect([...countBy(generateDigits(createRng('b'), 100).labels).values()]).toEqual(new Array(10).fill(10));
    const counts = countBy(generateDigits(createRng('b'), 57).labels);
    expect(counts.size).toBe(10);
    expect(Math.min(...counts.values())).toBe(5);
    expect(Math.max(...counts.values())).toBe(6);
  });

  it('draws digits whose classes differ in shape: nearest class mean gets ≥ 80 % of unseen ones right', () => {
    const train = generateDigits(createRng('train'), 500);
    const test = generateDigits(createRng('test'), 500);
    expect(nearestMeanAccuracy(train, test)).toBeGreaterThanOrEqual(0.8);
  });

  it('rejects a bad count or size', () => {
    expect(() => generateDigits(createRng('x'), -1)).toThrow(/count/);
    expect(() => generateDigits(createRng('x'), 5, { size: 4 })).toThrow(/size/);
  });
});

/** The first k principal-component scores U_k Σ_k of the rows of X. */
function pcaScores(X: number[][], k: number): number[][] {
  const { U, S } = svd(X);
  return U.map((row) => row.slice(0, k).map((u, j) => u * S[j]));
}

const procrustesCorrelation = (Y: number[][], Z: number[][]): number => procrustes(Y, Z).correlation;

describe('generateGenotypes', () => {
  it('gives 200 × 500 allele counts in {0, 1, 2} and 200 places, as a function of the seed', () => {
    const a = generateGenotypes(createRng('g'));
    expect(a.genotypes).toHaveLength(200);
    expect(a.places).toHaveLength(200);
    expect(a.genotypes.every((row) => row.length === 500 && row.every((v) => v === 0 || v === 1 || v === 2))).toBe(true);
    expect(a.places.every((p) => p.length === 2 && Math.abs(p[0]) <= 0.75 && Math.abs(p[1]) <= 0.5)).toBe(true);
    expect(generateGenotypes(createRng('g'))).toEqual(a);
    expect(generateGenotypes(createRng('h')).genotypes).not.toEqual(a.genotypes);
    const small = generateGenotypes(createRng('g'), { individuals: 7, loci: 3 });
    expect([small.genotypes.length, small.genotypes[0].length]).toEqual([7, 3]);
  });

  it('checks the Procrustes correlation itself: 1 for a rotated, reflected, scaled copy', () => {
    const { places } = generateGenotypes(createRng('p'), { individuals: 50, loci: 1 });
    const moved = places.map(([x, y]) => [3 * (0.6 * x + 0.8 * y) + 5, 3 * (0.8 * x - 0.6 * y) - 2]);
    expect(procrustesCorrelation(places, moved)).toBeCloseTo(1, 10);
  });

  it('lets PCA with k = 2 on centred genotypes recover the map; skipping centring clearly does worse', () => {
    // Measured over 30 seeds when the defaults were chosen: centred 0.986–0.991,
    // uncentred 0.80–0.87 (its first component is spent on the mean genotype).
    for (const seed of ['map-1', 'map-2', 'map-3']) {
      const { genotypes, places } = generateGenotypes(createRng(seed));
      const good = procrustesCorrelation(places, pcaScores(centerColumns(genotypes).centered, 2));
      const uncentred = procrustesCorrelation(places, pcaScores(genotypes, 2));
      expect(good).toBeGreaterThanOrEqual(0.95);
      expect(uncentred).toBeLessThan(good - 0.05);
    }
  });
});
