import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { grayscaleImage, heatMap, imageGrid, lineChart, scatterPlot, textTable } from '../src/report/figures.ts';
import { figureSchema, type Figure } from '../src/result/schema.ts';
import { chartTexts, markTexts } from './helpers.ts';

/** Decodes a PNG figure to its gray levels (pngjs reads into RGBA; for gray R = G = B). */
function decode(figure: Figure): { width: number; height: number; gray: number[][] } {
  expect(figure.mediaType).toBe('image/png');
  const png = PNG.sync.read(Buffer.from(figure.data, 'base64'));
  const gray = Array.from({ length: png.height }, (_, r) =>
    Array.from({ length: png.width }, (_, c) => {
      const i = 4 * (r * png.width + c);
      expect(png.data[i + 1]).toBe(png.data[i]);
      expect(png.data[i + 3]).toBe(255);
      return png.data[i];
    }),
  );
  return { width: png.width, height: png.height, gray };
}

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

describe('grayscaleImage', () => {
  it('round-trips pixels through PNG with a fixed range, clamping outside values', () => {
    const pixels = [
      [0, 51, 102, 153],
      [204, 255, -20, 300],
      [10, 20, 30, 40],
    ];
    const figure = grayscaleImage('t', pixels, { range: [0, 255], caption: 'c' });
    expect(figureSchema.parse(figure)).toEqual(figure);
    expect(figure.caption).toBe('c');
    const { width, height, gray } = decode(figure);
    expect([width, height]).toEqual([4, 3]);
    expect(gray).toEqual([
      [0, 51, 102, 153],
      [204, 255, 0, 255],
      [10, 20, 30, 40],
    ]);
  });

  it('stretches [min, max] of the data to black–white by default, and a constant image to mid gray', () => {
    expect(decode(grayscaleImage('t', [[-1, 0, 1]])).gray).toEqual([[0, 128, 255]]);
    expect(decode(grayscaleImage('t', [[7, 7]])).gray).toEqual([[128, 128]]);
  });

  it('upscales by whole pixels (nearest neighbour)', () => {
    const { width, height, gray } = decode(grayscaleImage('t', [[0, 255]], { range: [0, 255], scale: 3 }));
    expect([width, height]).toEqual([6, 3]);
    for (const row of gray) expect(row).toEqual([0, 0, 0, 255, 255, 255]);
  });

  it('gives the same bytes for the same input and leaves the caption key out when there is none', () => {
    const pixels = [[0.1, 0.5], [0.9, 0.3]];
    expect(grayscaleImage('t', pixels, { scale: 2 })).toEqual(grayscaleImage('t', pixels, { scale: 2 }));
    expect(Object.keys(grayscaleImage('t', pixels))).toEqual(['title', 'mediaType', 'data']);
  });

  it('says what is wrong with bad input', () => {
    expect(() => grayscaleImage('t', [])).toThrow(/empty/);
    expect(() => grayscaleImage('t', [[1, 2], [3]])).toThrow(/row 1 has 1 values but row 0 has 2/);
    expect(() => grayscaleImage('t', [[1, NaN]])).toThrow(/pixel \[0\]\[1\] is NaN/);
    expect(() => grayscaleImage('t', [[1]], { scale: 1.5 })).toThrow(/scale must be a positive integer/);
    expect(() => grayscaleImage('t', [[1]], { range: [2, 1] })).toThrow(/low < high/);
  });
});

describe('imageGrid', () => {
  const a = [[0, 1], [2, 3]];
  const b = [[-3, -2], [-1, 0]];
  const c = [[5, 5], [5, 5]];

  it('tiles images row by row with a light gap', () => {
    const { width, height, gray } = decode(imageGrid('grid', [a, b, c], { columns: 2, gap: 1, range: [-3, 3] }));
    expect([width, height]).toEqual([2 * 2 + 3, 2 * 2 + 3]);
    expect(gray[0]).toEqual(new Array(7).fill(235));
    expect(gray.map((row) => row[0])).toEqual(new Array(7).fill(235));
    // a at (1, 1), b at (1, 4), c at (4, 1) clamped to white; the empty cell stays gap-coloured.
    expect([gray[1][1], gray[1][2], gray[2][1], gray[2][2]]).toEqual([128, 170, 213, 255]);
    expect([gray[1][4], gray[2][5]]).toEqual([0, 128]);
    expect(gray[4][1]).toBe(255);
    expect(gray[4][4]).toBe(235);
  });

  it("normalises each image to its own range with 'each', and shares one range by default", () => {
    const each = decode(imageGrid('g', [a, b], { range: 'each', gap: 0, columns: 2 })).gray;
    expect(each[0]).toEqual([0, 85, 0, 85]);
    expect(each[1]).toEqual([170, 255, 170, 255]);
    const shared = decode(imageGrid('g', [a, b], { gap: 0, columns: 2 })).gray;
    expect(shared[0]).toEqual([128, 170, 0, 43]);
  });

  it('upscales, is deterministic, and rejects images of different sizes', () => {
    const figure = imageGrid('g', [a, b, c, a], { scale: 2, gap: 2 });
    const { width, height } = decode(figure);
    expect([width, height]).toEqual([2 * 4 + 3 * 2, 2 * 4 + 3 * 2]);
    expect(imageGrid('g', [a, b, c, a], { scale: 2, gap: 2 }).data).toBe(figure.data);
    expect(() => imageGrid('g', [a, [[1]]])).toThrow(/image 1 is 1 × 1 but image 0 is 2 × 2/);
    expect(() => imageGrid('g', [])).toThrow(/no images/);
  });
});

/** The SVG parses as XML (libxml2, compiled to wasm). */
async function wellFormed(svg: string): Promise<boolean> {
  const { valid } = await validateXML({ xml: [{ fileName: 'chart.svg', contents: svg }], normalization: 'format' });
  return valid;
}

/** The points a chart's point layer draws (one path each). */
function markers(svg: string): number {
  // An empty layer is a self-closing <g …/>.
  const layer = /<g class="mark-symbol role-mark [^"]*"[^>]*?(?:\/>|>(.*?)<\/g>)/s.exec(svg)?.[1] ?? '';
  return count(layer, /<path /g);
}

const texts = chartTexts;

describe('lineChart (a Vega-Lite chart)', () => {
  const series = [
    { name: 'train', points: [[1, 0.5], [2, 0.3], [3, 0.2], [4, 0.15], [5, 0.12]] as Array<[number, number]> },
    { name: 'test', points: [[1, 0.6], [2, 0.4], [3, 0.33], [4, 0.31], [5, 0.3]] as Array<[number, number]> },
  ];

  it('draws one line per series, a marker per point of short series, and a legend entry each, with axis titles', async () => {
    const figure = lineChart('Error against k', series, { xLabel: 'k', yLabel: 'error', caption: 'c' });
    expect(figureSchema.parse(figure)).toEqual(figure);
    expect(figure).toMatchObject({ title: 'Error against k', caption: 'c', mediaType: 'image/svg+xml' });
    const svg = figure.data;
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(await wellFormed(svg)).toBe(true);
    expect(count(svg, /class="mark-line role-mark/g)).toBe(2);
    expect(markers(svg)).toBe(10);
    expect(texts(svg, 'legend-label')).toEqual(['train', 'test']);
    expect(texts(svg, 'axis-title')).toEqual(['k', 'error']);
    expect(texts(svg, 'title-text')).toEqual(['Error against k']);
    // Two distinct colours from the palette, and nice tick labels on the y axis.
    expect(svg).toContain('stroke="#0072B2"');
    expect(svg).toContain('stroke="#D55E00"');
    expect(texts(svg, 'axis-label')).toEqual(expect.arrayContaining(['0.2', '0.6']));
  });

  it('leaves markers off long series, and gives the same bytes every time', () => {
    const long = [{ name: 'spectrum', points: Array.from({ length: 100 }, (_, i): [number, number] => [i + 1, 1 / (i + 1)]) }];
    const svg = lineChart('s', long).data;
    expect(markers(svg)).toBe(0);
    expect(count(svg, /class="mark-line role-mark/g)).toBe(1);
    expect(lineChart('s', long).data).toBe(svg);
  });

  it('on a log axis leaves out y ≤ 0, breaks the line there, and says so under the title', () => {
    const points: Array<[number, number]> = [[1, 100], [2, 10], [3, 0], [4, 1], [5, 0.1], [6, -1]];
    const svg = lineChart('spectrum', [{ name: 'σ', points }], { logY: true }).data;
    expect(markers(svg)).toBe(4);
    expect(count(svg, /class="mark-line role-mark/g)).toBe(2);
    expect(texts(svg, 'title-subtitle')).toEqual(['2 points left out (not finite or ≤ 0, so not on the log axis)']);
    expect(texts(svg, 'axis-label')).toEqual(expect.arrayContaining(['100', '0.1']));
    expect(() => lineChart('s', series, { logY: true, yRange: [0, 1] })).toThrow(/log y axis needs a positive yRange/);
    expect(() => lineChart('s', series, { yRange: [1, 1] })).toThrow(/low < high/);
  });

  it('takes a fixed yRange as its axis and clips what lies outside it', () => {
    const svg = lineChart('s', series, { yRange: [0, 0.4] }).data;
    const labels = texts(svg, 'axis-label');
    expect(labels).toContain('0.00');
    expect(labels).toContain('0.40');
    expect(labels).not.toContain('0.60');
    expect(svg).toMatch(/<clipPath id="clip\d+">/);
  });

  it('still draws axes with no data', () => {
    const svg = lineChart('empty', []).data;
    expect(count(svg, /class="mark-group role-axis"/g)).toBeGreaterThanOrEqual(2);
    expect(texts(svg, 'legend-label')).toEqual([]);
  });
});

describe('scatterPlot (a Vega-Lite chart)', () => {
  it('colours points by group with a legend in order of first appearance', async () => {
    const points = [
      { x: 1, y: 2, group: 'setosa' },
      { x: -1, y: 0.5, group: 'virginica' },
      { x: 0, y: 0, group: 'versicolor' },
      { x: 2, y: -1, group: 'setosa' },
      { x: NaN, y: 1, group: 'setosa' },
    ];
    const figure = scatterPlot('Iris PCA', points, { xLabel: 'PC1', yLabel: 'PC2' });
    const svg = figure.data;
    expect(await wellFormed(svg)).toBe(true);
    expect(markers(svg)).toBe(4);
    expect(texts(svg, 'legend-label')).toEqual(['setosa', 'virginica', 'versicolor']);
    expect(texts(svg, 'title-subtitle')).toEqual(['1 point left out (not finite)']);
    expect(scatterPlot('Iris PCA', points, { xLabel: 'PC1', yLabel: 'PC2' })).toEqual(figure);
  });
});

describe('heatMap and textTable (Vega-Lite charts)', () => {
  it('heatMap writes every value in its cell, labels rows and columns, and refuses a mismatch', async () => {
    const figure = heatMap('Counts', [[0, 2.5], [12, 1 / 3]], ['dog', 'park'], ['dog', 'park'], { caption: 'c' });
    expect(figure.caption).toBe('c');
    expect(await wellFormed(figure.data)).toBe(true);
    expect(markTexts(figure.data)).toEqual(['0', '2.5', '12', '0.3333']);
    expect(count(figure.data, /<g class="mark-rect role-mark /g)).toBe(1);
    expect(texts(figure.data, 'axis-label')).toEqual(['dog', 'park', 'dog', 'park']);
    expect(() => heatMap('x', [[1, 2]], ['a'], ['b'])).toThrow('heatMap: expected 1×1 values (one per row and column label).');
    expect(() => heatMap('x', [[1], [2]], ['a'], ['b'])).toThrow('heatMap: expected 1×1 values');
    const big = Array.from({ length: 31 }, () => [1]);
    expect(() => heatMap('x', big, big.map((_, i) => `w${i}`), ['b'])).toThrow('heatMap: at most 30×30 cells (got 31×1).');
    expect(() => heatMap('x', [big.map(() => 1)], ['a'], big.map((_, i) => `w${i}`))).toThrow('heatMap: at most 30×30 cells (got 1×31).');
    expect(heatMap('x', [[NaN]], ['a'], ['b']).data).toContain('–');
  });

  it('textTable writes a header and rows, and refuses a ragged row', async () => {
    const figure = textTable('Neighbours', ['word', 'nearest'], [['war', 'peace, army'], ['tax', '<b>&']]);
    expect(await wellFormed(figure.data)).toBe(true);
    expect(markTexts(figure.data)).toEqual(['word', 'nearest', 'war', 'peace, army', 'tax', '&lt;b&gt;&amp;']);
    expect(figure.data).toContain('font-weight="bold"');
    expect(() => textTable('x', ['a', 'b'], [['only one']])).toThrow('textTable: every row needs 2 cells, one per header.');
    expect(() => textTable('x', ['a'], Array.from({ length: 41 }, () => ['r']))).toThrow('textTable: at most 40 rows (got 41).');
  });
});

describe('SVG safety', () => {
  const hostile = '<script>alert("x")</script> & \'q\' \u0000';

  it('escapes every piece of text, so hostile titles, labels and names stay inert, and the file stays XML', async () => {
    const charts = [
      lineChart(hostile, [{ name: hostile, points: [[0, 1], [1, 2]] }], { xLabel: hostile, yLabel: hostile }).data,
      scatterPlot(hostile, [{ x: 0, y: 0, group: hostile }], { xLabel: hostile, yLabel: hostile }).data,
    ];
    for (const svg of charts) {
      expect(svg).not.toMatch(/<script/i);
      expect(svg).not.toContain('\u0000');
      expect(svg).toContain('&lt;script&gt;alert("x")&lt;/script&gt; &amp; \'q\' \ufffd');
      expect(await wellFormed(svg)).toBe(true);
      // Self-contained: nothing fetched, nothing run (clip paths refer to the file itself).
      expect(svg).not.toMatch(/href|url\((?!#)|@import|<foreignObject|\son\w+=/i);
    }
  });
});
