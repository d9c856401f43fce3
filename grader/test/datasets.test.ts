import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { DATASETS, selectDatasets, writePreviews } from '../src/data/catalog.ts';
import { tempDir } from './helpers.ts';

describe('the data set catalogue', () => {
  it('names every data set once, each with its origin', () => {
    const names = DATASETS.map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(['mnist-train', 'mnist-test', 'generated-digits', 'photo', 'boston', 'iris', 'genotypes', 'karate-club', 'les-miserables', 'sotu']);
    for (const d of DATASETS) expect(d.description.length).toBeGreaterThan(40);
  });

  it('selects by name, all by default, and refuses unknown names listing the known ones', () => {
    expect(selectDatasets([]).map((d) => d.name)).toEqual(DATASETS.map((d) => d.name));
    expect(selectDatasets(['iris', 'boston']).map((d) => d.name)).toEqual(['boston', 'iris']);
    expect(() => selectDatasets(['iris', 'cifar'])).toThrow('unknown data set "cifar"; known: mnist-train, mnist-test, generated-digits, photo, boston, iris, genotypes');
  });

  it('writes a readable contact sheet of each data set, of the size its layout gives', () => {
    const dir = tempDir({});
    const written: string[] = [];
    const files = writePreviews(DATASETS, dir, (file) => written.push(file));
    expect(written).toEqual(files);
    const sizes = Object.fromEntries(
      files.map((file) => {
        const png = PNG.sync.read(readFileSync(file));
        return [file.slice(dir.length + 1, -4), [png.width, png.height]];
      }),
    );
    // MNIST: 12 columns × 10 rows of 56-pixel cells with 2-pixel gaps.
    const mnist = [12 * 56 + 13 * 2, 10 * 56 + 11 * 2];
    expect(sizes).toEqual({
      'mnist-train': mnist,
      'mnist-test': mnist,
      'generated-digits': [10 * 48 + 11 * 2, 6 * 48 + 7 * 2],
      photo: [512, 409],
      boston: [12 * 16 * 2, 506 * 2],
      iris: [4 * 16 * 2, 150 * 2],
      genotypes: [120 * 2, 200 * 2],
      // Adjacency matrices, 4 pixels a node.
      'karate-club': [34 * 4, 34 * 4],
      'les-miserables': [77 * 4, 77 * 4],
      // 100 words × 233 addresses, 2 pixels each.
      sotu: [100 * 2, 233 * 2],
    });
  });
});
