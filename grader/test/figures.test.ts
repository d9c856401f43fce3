import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { escapeXml, grayscaleImage, imageGrid, lineChart, scatterPlot } from '../src/report/figures.ts';
import { figureSchema, type Figure } from '../src/result/schema.ts';

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

describe('lineChart', () => {
  const series = [
    { name: 'train', points: [[1, 0.5], [2, 0.3], [3, 0.2], [4, 0.15], [5, 0.12]] as Array<[number, number]> },
    { name: 'test', points: [[1, 0.6], [2, 0.4], [3, 0.33], [4, 0.31], [5, 0.3]] as Array<[number, number]> },
  ];

  it('draws one line per series, a marker per point of short series, and a legend entry each', () => {
    const figure = lineChart('Error against k', series, { xLabel: 'k', yLabel: 'error', caption: 'c' });
    expect(figureSchema.parse(figure)).toEqual(figure);
    const svg = figure.data;
    expect(figure.mediaType).toBe('image/svg+xml');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 360"')).toBe(true);
    expect(svg).toContain('<title>Error against k</title>');
    expect(count(svg, /class="series"/g)).toBe(2);
    expect(count(svg, /<polyline /g)).toBe(2);
    expect(count(svg, /class="marker"/g)).toBe(10);
    expect(count(svg, /class="legend-entry"/g)).toBe(2);
    expect(svg).toContain('>train</text>');
    expect(svg).toContain('>k</text>');
    // Two distinct colours, and nice tick labels on the y axis.
    expect(svg).toContain('stroke="#0072B2"');
    expect(svg).toContain('stroke="#D55E00"');
    expect(svg).toMatch(/>0\.1<\/text>/);
    expect(svg).toMatch(/>0\.6<\/text>/);
    // Coordinates have at most two decimals.
    expect(svg).not.toMatch(/\d\.\d{3}/);
  });

  it('leaves markers off long series, and is deterministic', () => {
    const long = [{ name: 'spectrum', points: Array.from({ length: 100 }, (_, i): [number, number] => [i + 1, 1 / (i + 1)]) }];
    const svg = lineChart('s', long).data;
    expect(count(svg, /class="marker"/g)).toBe(0);
    expect(count(svg, /<polyline /g)).toBe(1);
    expect(lineChart('s', long).data).toBe(svg);
  });

  it('on a log axis leaves out y ≤ 0, breaks the line there, and says so on the chart', () => {
    const points: Array<[number, number]> = [[1, 100], [2, 10], [3, 0], [4, 1], [5, 0.1], [6, -1]];
    const svg = lineChart('spectrum', [{ name: 'σ', points }], { logY: true }).data;
    expect(count(svg, /class="marker"/g)).toBe(4);
    expect(count(svg, /<polyline /g)).toBe(2);
    expect(svg).toContain('2 points left out (not finite or ≤ 0, so not on the log axis)');
    expect(svg).toMatch(/>100<\/text>/);
    expect(svg).toMatch(/>0\.1<\/text>/);
    expect(() => lineChart('s', series, { logY: true, yRange: [0, 1] })).toThrow(/log y axis needs a positive yRange/);
    expect(() => lineChart('s', series, { yRange: [1, 1] })).toThrow(/low < high/);
  });

  it('clips to a fixed yRange inside a nested viewport', () => {
    const svg = lineChart('s', series, { yRange: [0, 0.4] }).data;
    expect(svg).toMatch(/<svg x="\d+" y="\d+" width="\d+" height="\d+" viewBox="[^"]+" overflow="hidden">/);
  });

  it('still draws axes with no data', () => {
    const svg = lineChart('empty', []).data;
    expect(svg).toContain('class="axes"');
    expect(count(svg, /class="legend-entry"/g)).toBe(0);
  });
});

describe('scatterPlot', () => {
  it('colours points by group with a legend in order of first appearance', () => {
    const points = [
      { x: 1, y: 2, group: 'setosa' },
      { x: -1, y: 0.5, group: 'virginica' },
      { x: 0, y: 0, group: 'versicolor' },
      { x: 2, y: -1, group: 'setosa' },
      { x: NaN, y: 1, group: 'setosa' },
    ];
    const figure = scatterPlot('Iris PCA', points, { xLabel: 'PC1', yLabel: 'PC2' });
    const svg = figure.data;
    expect(count(svg, /class="group"/g)).toBe(3);
    expect(count(svg, /class="marker"/g)).toBe(4);
    expect(count(svg, /class="legend-entry"/g)).toBe(3);
    expect(svg.indexOf('>setosa<')).toBeLessThan(svg.indexOf('>virginica<'));
    expect(svg.indexOf('>virginica<')).toBeLessThan(svg.indexOf('>versicolor<'));
    expect(svg).toContain('1 point left out (not finite)');
    expect(scatterPlot('Iris PCA', points, { xLabel: 'PC1', yLabel: 'PC2' })).toEqual(figure);
  });
});

describe('SVG safety', () => {
  const hostile = '<script>alert("x")</script> & \'q\' \u0000';

  it('escapes every piece of text, so hostile titles, labels and names stay inert', () => {
    const charts = [
      lineChart(hostile, [{ name: hostile, points: [[0, 1], [1, 2]] }], { xLabel: hostile, yLabel: hostile }).data,
      scatterPlot(hostile, [{ x: 0, y: 0, group: hostile }], { xLabel: hostile, yLabel: hostile }).data,
    ];
    for (const svg of charts) {
      expect(svg).not.toMatch(/<script/i);
      expect(svg).not.toContain('\u0000');
      expect(svg).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;q&apos;');
      // Self-contained: nothing fetched, nothing run.
      expect(svg).not.toMatch(/href|url\(|@import|<foreignObject|\son\w+=/i);
    }
    expect(escapeXml('a<b>&"\'')).toBe('a&lt;b&gt;&amp;&quot;&apos;');
  });
});
