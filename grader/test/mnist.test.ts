import { describe, expect, it } from 'vitest';
import {
  loadMnist,
  loadMnistSplit,
  MNIST_COUNT,
  MNIST_DIGIT_COUNTS,
  MNIST_PIXELS,
  mnistChecksum,
  mnistImage,
  mnistSplitIndices,
  mnistTrainCount,
  sampleMnist,
  selectMnist,
} from '../src/data/mnist.ts';
import { createRng } from '../src/cases/rng.ts';

/**
 * The data every neural-network assignment and model stands on. The checksums pin the exact
 * bytes (images as float32, then labels) of the whole set and of each part of the split, so a
 * changed package, parser or split fails here before any model card or grade can drift. They
 * were cross-checked with numpy from the package's JSON (float32 little-endian + uint8 labels).
 */
const CHECKSUMS = {
  all: 'c881aee9187d6e341bd30f5396110e732a436d0e0994af094b4a9b4a5b0c5f8d',
  train: '0c8fc9927ee2a3416e53e26f0ecde31c27567e403b1845a064879fe5eb4f7c47',
  test: 'f24c685a208a87cd731f7f9240b8b6cbd3e6c789491dbed9816c793a043c7bd8',
};

const countPerDigit = (labels: Uint8Array): number[] => {
  const counts = new Array<number>(10).fill(0);
  for (const label of labels) counts[label]++;
  return counts;
};

describe('loadMnist', () => {
  const all = loadMnist();

  it('has the 10,000 images of the package, digit by digit, with the pinned counts', () => {
    expect(all.count).toBe(10_000);
    expect(MNIST_COUNT).toBe(10_000);
    expect(all.images).toHaveLength(10_000 * 784);
    expect(countPerDigit(all.labels)).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    // Grouped by digit: labels never decrease.
    expect(all.labels.every((label, i) => i === 0 || label >= all.labels[i - 1])).toBe(true);
    expect(mnistChecksum(all)).toBe(CHECKSUMS.all);
  });

  it('looks like MNIST: values in [0, 1], about 13 % mean ink, an empty border', () => {
    let sum = 0;
    let border = 0;
    let outside = 0;
    for (let i = 0; i < all.images.length; i++) {
      const v = all.images[i];
      if (!(v >= 0 && v <= 1)) outside++;
      sum += v;
      const pixel = i % MNIST_PIXELS;
      const [r, c] = [Math.floor(pixel / 28), pixel % 28];
      if (r === 0 || c === 0 || r === 27 || c === 27) border += v;
    }
    expect(outside).toBe(0);
    // MNIST's well-known training-set mean is 0.1307.
    expect(sum / all.images.length).toBeCloseTo(0.1307, 2);
    expect(border / all.count).toBeLessThan(0.05);
  });

  it('returns fresh arrays, so no caller can change what the next one sees', () => {
    const first = loadMnist();
    first.images[100] = 42;
    first.labels[0] = 9;
    const second = loadMnist();
    expect(second.images[100]).toBe(all.images[100]);
    expect(second.labels[0]).toBe(0);
  });
});

describe('the fixed train/test split', () => {
  it('puts the first 80 % of each digit (rounded down) in train and the rest in test', () => {
    expect(MNIST_DIGIT_COUNTS.map((_, d) => mnistTrainCount(d))).toEqual([800, 901, 792, 825, 784, 690, 811, 856, 755, 782]);
    const train = loadMnistSplit('train');
    const test = loadMnistSplit('test');
    expect(train.count).toBe(7996);
    expect(test.count).toBe(2004);
    expect(countPerDigit(train.labels)).toEqual([800, 901, 792, 825, 784, 690, 811, 856, 755, 782]);
    expect(countPerDigit(test.labels)).toEqual([201, 226, 199, 207, 196, 173, 203, 214, 189, 196]);
    expect(mnistChecksum(train)).toBe(CHECKSUMS.train);
    expect(mnistChecksum(test)).toBe(CHECKSUMS.test);
  });

  it('is a partition of all images, each part in increasing order', () => {
    const train = mnistSplitIndices('train');
    const test = mnistSplitIndices('test');
    const seen = new Set([...train, ...test]);
    expect(seen.size).toBe(10_000);
    expect(train.length + test.length).toBe(10_000);
    expect([...seen].every((i) => Number.isInteger(i) && i >= 0 && i < 10_000)).toBe(true);
    for (const part of [train, test]) expect(part.every((v, i) => i === 0 || v > part[i - 1])).toBe(true);
    // The last 0 of train is image 799, the first 0 of test is image 800, the first 1 of train is 1001.
    expect(train.slice(799, 801)).toEqual([799, 1001]);
    expect(test.slice(0, 2)).toEqual([800, 801]);
  });

  it('selects the same bytes as indexing the whole set', () => {
    const all = loadMnist();
    const test = loadMnistSplit('test');
    const indices = mnistSplitIndices('test');
    for (const i of [0, 1, 1000, 2003]) {
      expect(test.labels[i]).toBe(all.labels[indices[i]]);
      expect(mnistImage(test, i)).toEqual(mnistImage(all, indices[i]));
    }
  });
});

describe('selectMnist and mnistImage', () => {
  const all = loadMnist();

  it('select images in the given order', () => {
    const picked = selectMnist(all, [5000, 3]);
    expect(picked.count).toBe(2);
    expect(Array.from(picked.labels)).toEqual([all.labels[5000], all.labels[3]]);
    expect(Array.from(picked.images.subarray(0, 784))).toEqual(Array.from(all.images.subarray(5000 * 784, 5001 * 784)));
  });

  it('give a 28 × 28 image, row-major', () => {
    const image = mnistImage(all, 1);
    expect(image).toHaveLength(28);
    expect(image.every((row) => row.length === 28)).toBe(true);
    expect(image[3][5]).toBe(all.images[784 + 3 * 28 + 5]);
  });

  it('refuse indices outside the data, naming the range', () => {
    expect(() => selectMnist(all, [10_000])).toThrow('selectMnist: index 10000 is outside 0…9999.');
    expect(() => selectMnist(all, [-1])).toThrow(/outside/);
    expect(() => selectMnist(all, [0.5])).toThrow(/outside/);
    expect(() => mnistImage(all, 10_000)).toThrow('mnistImage: index 10000 is outside 0…9999.');
  });
});

describe('sampleMnist', () => {
  const all = loadMnist();
  const indexOf = (image: number[]): number => {
    for (let i = 0; i < all.count; i++) if (all.images.subarray(i * 784, (i + 1) * 784).every((v, k) => v === image[k])) return i;
    return -1;
  };

  it('draws distinct images of the chosen part, with their labels, the same for the same seed', () => {
    const a = sampleMnist(createRng('s'), 20, 'test');
    expect(a.images).toHaveLength(20);
    expect(a.images.every((image) => image.length === 784)).toBe(true);
    const indices = a.images.map(indexOf);
    const test = new Set(mnistSplitIndices('test'));
    expect(new Set(indices).size).toBe(20);
    expect(indices.every((i) => test.has(i))).toBe(true);
    expect(a.labels).toEqual(indices.map((i) => all.labels[i]));
    expect(sampleMnist(createRng('s'), 20, 'test')).toEqual(a);
    expect(sampleMnist(createRng('t'), 20, 'test').labels).not.toEqual(a.labels);
  });

  it('draws from every digit over all 10,000 images, and can take a whole part', () => {
    const { labels } = sampleMnist(createRng('all'), 300);
    expect(new Set(labels).size).toBe(10);
    expect(sampleMnist(createRng('whole'), 2004, 'test').labels.filter((d) => d === 5)).toHaveLength(173);
    expect(() => sampleMnist(createRng('x'), 2005, 'test')).toThrow('sampleMnist: count must be an integer in 0…2004 (got 2005).');
  });
});
