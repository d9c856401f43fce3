/**
 * Pictures of a student's answers for the Markdown and HTML reports. They are drawn from
 * what the student returned, only for visible cases, and never change a score: a picture
 * that cannot be drawn (e.g. from an answer of the wrong shape) is left out.
 */
import type { Matrix } from '../../grader/src/linalg/dense.ts';
import { procrustes } from '../../grader/src/linalg/subspace.ts';
import { imageGrid, lineChart, scatterPlot } from '../../grader/src/report/figures.ts';
import type { Figure } from '../../grader/src/result/schema.ts';
import { rankKStorage } from './checks.ts';

/** Runs a figure builder; a picture that cannot be drawn is simply not shown. */
export function drawn(build: () => Figure[]): Figure[] {
  try {
    return build();
  } catch {
    return [];
  }
}

/** The spectrum on a log scale and the cumulative share of Σσ², from the student's S. */
export function spectrumFigures(S: number[], what: string): Figure[] {
  const total = S.reduce((sum, s) => sum + s * s, 0);
  let running = 0;
  const cumulative = S.map((s, i): [number, number] => {
    running += s * s;
    return [i + 1, total > 0 ? running / total : 0];
  });
  return [
    lineChart(`Singular values of ${what}`, [{ name: 'σᵢ (your S)', points: S.map((s, i): [number, number] => [i + 1, s]) }], {
      xLabel: 'i',
      yLabel: 'σᵢ',
      logY: true,
      caption: 'The spectrum: how much of the data lies along each singular direction.',
    }),
    lineChart(`Cumulative explained variance of ${what}`, [{ name: 'cumulative share', points: cumulative }], {
      xLabel: 'number of components k',
      yLabel: 'share of Σσ²',
      yRange: [0, 1],
      caption: 'The share of ‖X‖²_F kept by the best rank-k approximation; 1 minus it is the Eckart–Young error as a share.',
    }),
  ];
}

/** Each component's explained-variance ratio and their running total, from the student's ratios. */
export function explainedVarianceFigure(ratios: number[], what: string): Figure {
  let running = 0;
  const cumulative = ratios.map((r, i): [number, number] => [i + 1, (running += r)]);
  return lineChart(`Explained variance of ${what}`, [
    { name: 'ratio of component i', points: ratios.map((r, i): [number, number] => [i + 1, r]) },
    { name: 'cumulative', points: cumulative },
  ], { xLabel: 'component i', yLabel: 'share of the variance', yRange: [0, 1], caption: 'From your explainedVarianceRatio. Strongly correlated columns let a few components carry most of the variance.' });
}

export interface PhotoApproximation {
  k: number;
  pixels: Matrix;
  psnr: number;
}

export function photoFigure(original: Matrix, approximations: PhotoApproximation[], credit: string): Figure {
  const n = original.length;
  const d = original[0].length;
  const labels = approximations.map((a) => {
    const stored = rankKStorage(a.k, n, d);
    return `k = ${a.k}: PSNR ${a.psnr.toFixed(1)} dB, ${stored} numbers (${((100 * stored) / (n * d)).toFixed(1)} % of ${n * d})`;
  });
  return imageGrid('The photo and your rank-k approximations', [original, ...approximations.map((a) => a.pixels)], {
    columns: 2,
    range: [0, 255],
    caption: `Left to right, top to bottom: the original (${n}×${d}); ${labels.join('; ')}. ${credit}`,
  });
}

export function irisScatter(loadings: Matrix, species: string[]): Figure {
  return scatterPlot(
    'Iris flowers on their first two loading variables',
    loadings.map((z, i) => ({ x: z[0], y: z[1], group: species[i] })),
    { xLabel: 'z₁ (your first loading)', yLabel: 'z₂ (your second loading)', caption: 'Each point is one flower, placed by your PCA loadings; the colours are species your PCA never saw.' },
  );
}

export function eigenDigits(components: Matrix, size: number): Figure {
  const images = components.map((c) => Array.from({ length: size }, (_, r) => c.slice(r * size, (r + 1) * size)));
  return imageGrid('Your top principal components of the digit images ("eigen-digits")', images, {
    columns: Math.min(images.length, 4),
    range: 'each',
    scale: 4,
    caption: 'Each component reshaped to an image, each scaled to its own range (the sign of a component is arbitrary).',
  });
}

export function digitReconstructions(originals: Matrix, rebuilt: Matrix, size: number, k: number): Figure {
  const image = (row: number[]): Matrix => Array.from({ length: size }, (_, r) => row.slice(r * size, (r + 1) * size));
  const shown = Math.min(originals.length, 8);
  return imageGrid(`Digits and your reconstructions from k = ${k} loadings`, [...originals.slice(0, shown).map(image), ...rebuilt.slice(0, shown).map(image)], {
    columns: shown,
    range: [0, 1],
    scale: 4,
    caption: 'Top row: the originals. Bottom row: reconstruct(loadings, components, mean, scale).',
  });
}

export function genesMap(places: Matrix, loadings: Matrix, correlation: number): Figure {
  const { aligned } = procrustes(places, loadings);
  const band = (x: number): string => (x < -0.25 ? 'born in the west' : x > 0.25 ? 'born in the east' : 'born in the centre');
  return scatterPlot('Your 2-D loadings, rotated and scaled onto the map', aligned.map((z, i) => ({ x: z[0], y: z[1], group: band(places[i][0]) })), {
    xLabel: 'west – east',
    yLabel: 'south – north',
    caption: `Each point is one individual; colours are where they were really born. Procrustes correlation with the true places: ${correlation.toFixed(3)}.`,
  });
}

export function lossCurve(losses: number[], optimum: number): Figure {
  const points = losses.map((l, t): [number, number] => [t, l]);
  return lineChart('Your autoencoder\'s training loss', [
    { name: 'your losses[t]', points },
    { name: 'PCA optimum', points: [[0, optimum], [Math.max(losses.length - 1, 1), optimum]] },
  ], { xLabel: 'step t', yLabel: 'mean squared error', logY: true, caption: 'Gradient descent on a linear autoencoder approaches the Eckart–Young optimum that PCA attains directly.' });
}
