import { PNG } from 'pngjs';
import type { Figure } from '../result/schema.ts';
import { vegaLiteFigure, withCaption } from './charts.ts';

/**
 * Builders for the pictures that checks attach to visible cases (reconstructed images,
 * eigen-digits, spectra, projections). They are pure: the same input gives the same bytes,
 * so a Result with figures still serialises identically for the same submission and seed.
 * PNGs are 8-bit grayscale through pngjs; charts are Vega-Lite specs rendered to
 * self-contained SVG by vega (report/charts.ts: no scripts, no fonts beyond the generic
 * `sans-serif`, no external references, every piece of text escaped by vega's SVG renderer,
 * since titles and series names may come from student output).
 */

// ---------------------------------------------------------------------------------------
// Grayscale PNGs

/** Larger pictures would bloat the Result JSON (base64) without helping anyone read them. */
const MAX_PNG_PIXELS = 1 << 24;

export interface GrayscaleOptions {
  /** Values mapped to black and white; outside values are clamped. Default: the data's [min, max]. */
  range?: [number, number];
  /** Integer nearest-neighbour upscaling, so 16 × 16 digits are visible. Default 1. */
  scale?: number;
  caption?: string;
}

export interface ImageGridOptions {
  /** Images per row. Default: ceil(sqrt(count)), at most 10. */
  columns?: number;
  /** Light separator between images, in output pixels. Default 2. */
  gap?: number;
  /** Integer nearest-neighbour upscaling of every image. Default 1. */
  scale?: number;
  /**
   * `'each'` stretches every image to its own [min, max] (eigenvectors have arbitrary sign
   * and scale); a pair fixes one range for all. Default: the shared [min, max] of all images,
   * so their brightness can be compared.
   */
  range?: 'each' | [number, number];
  caption?: string;
}

/** Separator colour of image grids: light, so it reads as paper rather than as ink. */
const GAP_GRAY = 235;

function checkScale(scale: number, who: string): void {
  if (!Number.isInteger(scale) || scale < 1) throw new Error(`${who}: scale must be a positive integer (got ${scale}).`);
}

/** Checks that an image is a non-empty rectangle of finite numbers; returns [height, width]. */
function imageShape(pixels: readonly (readonly number[])[], who: string): [number, number] {
  const height = pixels.length;
  const width = height > 0 ? pixels[0].length : 0;
  if (height === 0 || width === 0) throw new Error(`${who}: the image is empty (${height} rows × ${width} columns).`);
  for (let r = 0; r < height; r++) {
    const row = pixels[r];
    if (row.length !== width) {
      throw new Error(`${who}: row ${r} has ${row.length} values but row 0 has ${width}; images must be rectangular.`);
    }
    for (let c = 0; c < width; c++) {
      if (!Number.isFinite(row[c])) throw new Error(`${who}: pixel [${r}][${c}] is ${row[c]}; figures need finite values.`);
    }
  }
  return [height, width];
}

function dataRange(images: readonly (readonly (readonly number[])[])[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const image of images) {
    for (const row of image) {
      for (const value of row) {
        if (value < lo) lo = value;
        if (value > hi) hi = value;
      }
    }
  }
  return [lo, hi];
}

function checkRange(range: [number, number], who: string): void {
  if (!Number.isFinite(range[0]) || !Number.isFinite(range[1]) || range[0] >= range[1]) {
    throw new Error(`${who}: range must be two finite numbers [low, high] with low < high (got [${range.join(', ')}]).`);
  }
}

/**
 * Linear map of [lo, hi] to 0–255 with clamping. A constant image (lo = hi) comes out mid
 * gray, not black: a zero eigen-image should not look like a dark one.
 */
function toByte(value: number, lo: number, hi: number): number {
  if (hi <= lo) return 128;
  return Math.min(255, Math.max(0, Math.round(((value - lo) / (hi - lo)) * 255)));
}

/** Copies one image into a grayscale canvas at (top, left), upscaled by `scale`. */
function paint(
  canvas: Uint8Array,
  canvasWidth: number,
  pixels: readonly (readonly number[])[],
  top: number,
  left: number,
  scale: number,
  [lo, hi]: [number, number],
): void {
  for (let r = 0; r < pixels.length; r++) {
    const row = pixels[r];
    for (let c = 0; c < row.length; c++) {
      const byte = toByte(row[c], lo, hi);
      for (let dr = 0; dr < scale; dr++) {
        const base = (top + r * scale + dr) * canvasWidth + left + c * scale;
        canvas.fill(byte, base, base + scale);
      }
    }
  }
}

function encodeGrayscale(canvas: Uint8Array, width: number, height: number, who: string): string {
  if (width * height > MAX_PNG_PIXELS) {
    throw new Error(`${who}: the picture would be ${width} × ${height} pixels; keep it under ${MAX_PNG_PIXELS} (use a smaller scale).`);
  }
  const png = new PNG({ width, height, colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
  png.data = Buffer.from(canvas.buffer, canvas.byteOffset, canvas.byteLength);
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false }).toString('base64');
}

/** One grayscale image (`pixels[row][column]`) as a PNG figure. */
export function grayscaleImage(title: string, pixels: number[][], options: GrayscaleOptions = {}): Figure {
  const who = 'grayscaleImage';
  const [height, width] = imageShape(pixels, who);
  const scale = options.scale ?? 1;
  checkScale(scale, who);
  if (options.range) checkRange(options.range, who);
  const range = options.range ?? dataRange([pixels]);
  const canvas = new Uint8Array(width * scale * height * scale);
  paint(canvas, width * scale, pixels, 0, 0, scale, range);
  const data = encodeGrayscale(canvas, width * scale, height * scale, who);
  return withCaption({ title, mediaType: 'image/png', data }, options.caption);
}

/** Many equally sized images (`images[i][row][column]`) tiled row by row into one PNG. */
export function imageGrid(title: string, images: number[][][], options: ImageGridOptions = {}): Figure {
  const who = 'imageGrid';
  if (images.length === 0) throw new Error(`${who}: there are no images to show.`);
  const [height, width] = imageShape(images[0], `${who} (image 0)`);
  images.forEach((image, i) => {
    const [h, w] = imageShape(image, `${who} (image ${i})`);
    if (h !== height || w !== width) throw new Error(`${who}: image ${i} is ${h} × ${w} but image 0 is ${height} × ${width}; all must match.`);
  });
  const scale = options.scale ?? 1;
  checkScale(scale, who);
  const gap = options.gap ?? 2;
  if (!Number.isInteger(gap) || gap < 0) throw new Error(`${who}: gap must be a non-negative integer (got ${gap}).`);
  const columns = Math.min(images.length, options.columns ?? Math.min(10, Math.ceil(Math.sqrt(images.length))));
  if (!Number.isInteger(columns) || columns < 1) throw new Error(`${who}: columns must be a positive integer (got ${options.columns}).`);
  const rows = Math.ceil(images.length / columns);
  const range = options.range ?? dataRange(images);
  if (range !== 'each') checkRange(range, who);

  const cellWidth = width * scale;
  const cellHeight = height * scale;
  const canvasWidth = columns * cellWidth + (columns + 1) * gap;
  const canvasHeight = rows * cellHeight + (rows + 1) * gap;
  if (canvasWidth * canvasHeight > MAX_PNG_PIXELS) {
    throw new Error(`${who}: the grid would be ${canvasWidth} × ${canvasHeight} pixels; show fewer images or use a smaller scale.`);
  }
  const canvas = new Uint8Array(canvasWidth * canvasHeight).fill(GAP_GRAY);
  images.forEach((image, i) => {
    const top = gap + Math.floor(i / columns) * (cellHeight + gap);
    const left = gap + (i % columns) * (cellWidth + gap);
    paint(canvas, canvasWidth, image, top, left, scale, range === 'each' ? dataRange([image]) : range);
  });
  const data = encodeGrayscale(canvas, canvasWidth, canvasHeight, who);
  return withCaption({ title, mediaType: 'image/png', data }, options.caption);
}

// ---------------------------------------------------------------------------------------
// SVG charts

export interface LineSeries {
  name: string;
  /** [x, y] pairs, drawn in the given order. */
  points: Array<[number, number]>;
}

export interface LineChartOptions {
  xLabel?: string;
  yLabel?: string;
  /**
   * Logarithmic y axis (for spectra). Points with y ≤ 0 cannot be placed on it: they are
   * left out, the line is broken there, and a note under the chart says how many were
   * left out. A figure is an aid, and a trailing zero singular value should not cost the
   * student the whole picture.
   */
  logY?: boolean;
  /** Fixed y range; parts of the series outside it are clipped. Must be positive with logY. */
  yRange?: [number, number];
  caption?: string;
}

export interface ScatterPoint {
  x: number;
  y: number;
  group: string;
}

export interface ScatterOptions {
  xLabel?: string;
  yLabel?: string;
  caption?: string;
}

/** Plot area in pixels; the legend and axes come around it. */
const PLOT_WIDTH = 460;
const PLOT_HEIGHT = 280;
/** Series with at most this many points get a marker on every point. */
const MARKER_LIMIT = 40;
/** Pixels between the outermost points and the plot's edge, so edge markers show whole. */
const EDGE = 8;
/** Okabe & Ito's colour-blind-safe palette, without its yellow (too faint on white). */
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'] as const;
/** Shapes change with the colour, so series stay apart in grayscale print too. */
const SHAPES = ['circle', 'square', 'triangle-up', 'diamond', 'triangle-down'] as const;

/** `names` as given, a repeated name numbered, so each series or group keeps a legend entry of its own. */
function distinct(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name} (${count})`;
  });
}

/** Colour and shape scales over these legend entries, in their order, with the palette and shapes cycled. */
function categories(domain: string[]) {
  const cycle = <T>(values: readonly T[]): T[] => domain.map((_, i) => values[i % values.length]);
  return {
    color: { field: 'group', type: 'nominal' as const, scale: { domain, range: cycle(PALETTE) }, legend: { title: null } },
    shape: { field: 'group', type: 'nominal' as const, scale: { domain, range: cycle(SHAPES) }, legend: { title: null } },
  };
}

/** "3 points left out (not finite)", or undefined. */
function leftOutNote(count: number, why: string): string | undefined {
  return count > 0 ? `${count} point${count === 1 ? '' : 's'} left out (${why})` : undefined;
}

/**
 * Lines over x (reconstruction error against k, a spectrum, a loss curve), with a legend, as
 * a Vega-Lite chart (report/charts.ts). Short series (≤ 40 points) get a marker on every
 * point. Non-finite points, and with `logY` points with y ≤ 0, are left out, break the line
 * there, and are counted in a note under the title.
 */
export function lineChart(title: string, series: LineSeries[], options: LineChartOptions = {}): Figure {
  const logY = options.logY ?? false;
  if (options.yRange) {
    checkRange(options.yRange, 'lineChart (yRange)');
    if (logY && options.yRange[0] <= 0) throw new Error(`lineChart: a log y axis needs a positive yRange (got [${options.yRange.join(', ')}]).`);
  }
  const names = distinct(series.map((s) => s.name));
  let skipped = 0;
  const rows: Array<{ group: string; x: number; y: number; piece: string; order: number; marker: boolean }> = [];
  series.forEach((s, i) => {
    // A left-out point starts a new piece: the line breaks rather than bridging the gap.
    let piece = 0;
    s.points.forEach(([x, y], order) => {
      if (Number.isFinite(x) && Number.isFinite(y) && (!logY || y > 0)) {
        rows.push({ group: names[i], x, y, piece: `${i}:${piece}`, order, marker: s.points.length <= MARKER_LIMIT });
      } else {
        skipped++;
        piece++;
      }
    });
  });
  const { color, shape } = categories(names);
  // With nothing to draw, the axes still show (over a unit range).
  const empty = rows.length === 0;
  const x = { field: 'x', type: 'quantitative' as const, title: options.xLabel ?? null, scale: { zero: false, nice: false, padding: EDGE, ...(empty ? { domain: [0, 1] } : {}) } };
  const yDomain = options.yRange ?? (empty ? (logY ? [1, 10] : [0, 1]) : undefined);
  const y = {
    field: 'y',
    type: 'quantitative' as const,
    title: options.yLabel ?? null,
    scale: { ...(logY ? { type: 'log' as const } : { zero: false }), ...(yDomain ? { domain: yDomain, nice: false } : { padding: EDGE }) },
  };
  const note = leftOutNote(skipped, logY ? 'not finite or ≤ 0, so not on the log axis' : 'not finite');
  return vegaLiteFigure(
    title,
    {
      title: note ? { text: title, subtitle: note } : title,
      width: PLOT_WIDTH,
      height: PLOT_HEIGHT,
      data: { values: rows },
      layer: [
        { mark: { type: 'line', strokeWidth: 2, clip: true }, encoding: { x, y, color, detail: { field: 'piece' }, order: { field: 'order' } } },
        { transform: [{ filter: 'datum.marker' }], mark: { type: 'point', filled: true, opacity: 1, size: 30, clip: true }, encoding: { x, y, color, shape } },
      ],
    },
    options.caption,
  );
}

/**
 * Points coloured (and shaped) by group, with a legend in order of first appearance, e.g.
 * a two-component PCA projection of the iris flowers, as a Vega-Lite chart. Non-finite
 * points are left out and counted in a note under the title.
 */
export function scatterPlot(title: string, points: ScatterPoint[], options: ScatterOptions = {}): Figure {
  const groups = [...new Set(points.map((p) => p.group))];
  const drawn = points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const note = leftOutNote(points.length - drawn.length, 'not finite');
  const { color, shape } = categories(groups);
  return vegaLiteFigure(
    title,
    {
      title: note ? { text: title, subtitle: note } : title,
      width: PLOT_WIDTH,
      height: PLOT_HEIGHT,
      data: { values: drawn.map((p) => ({ x: p.x, y: p.y, group: p.group })) },
      mark: { type: 'point', filled: true, opacity: 0.8, size: 36, stroke: '#ffffff', strokeWidth: 0.5 },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: options.xLabel ?? null, scale: { zero: false, padding: EDGE, ...(drawn.length === 0 ? { domain: [0, 1] } : {}) } },
        y: { field: 'y', type: 'quantitative', title: options.yLabel ?? null, scale: { zero: false, padding: EDGE, ...(drawn.length === 0 ? { domain: [0, 1] } : {}) } },
        color,
        shape,
      },
    },
    options.caption,
  );
}

export interface HeatMapOptions {
  caption?: string;
}

/**
 * A matrix as coloured cells with its value written in each (e.g. co-occurrence counts), rows
 * and columns labelled, as a Vega-Lite chart. For small matrices: at most 30×30 cells.
 */
export function heatMap(title: string, values: number[][], rowLabels: string[], columnLabels: string[], options: HeatMapOptions = {}): Figure {
  if (values.length !== rowLabels.length || values.some((row) => row.length !== columnLabels.length)) {
    throw new Error(`heatMap: expected ${rowLabels.length}×${columnLabels.length} values (one per row and column label).`);
  }
  if (rowLabels.length > 30 || columnLabels.length > 30) throw new Error(`heatMap: at most 30×30 cells (got ${rowLabels.length}×${columnLabels.length}).`);
  const rows = distinct(rowLabels);
  const columns = distinct(columnLabels);
  const cells = values.flatMap((row, i) => row.map((value, j) => ({ row: rows[i], column: columns[j], value, text: Number.isFinite(value) ? formatCell(value) : '–' })));
  const finite = cells.filter((c) => Number.isFinite(c.value));
  const top = Math.max(0, ...finite.map((c) => c.value));
  const size = Math.min(48, Math.floor(PLOT_WIDTH / Math.max(1, columns.length)));
  const x = { field: 'column', type: 'nominal' as const, sort: columns, title: null, axis: { orient: 'top' as const, labelAngle: 0 } };
  const y = { field: 'row', type: 'nominal' as const, sort: rows, title: null };
  return vegaLiteFigure(
    title,
    {
      width: size * columns.length,
      height: size * rows.length,
      data: { values: cells },
      layer: [
        { transform: [{ filter: 'isFinite(datum.value)' }], mark: { type: 'rect', stroke: '#ffffff' }, encoding: { x, y, color: { field: 'value', type: 'quantitative', scale: { scheme: 'blues' }, legend: { title: null } } } },
        {
          mark: { type: 'text', fontSize: 12 },
          encoding: { x, y, text: { field: 'text' }, color: { condition: { test: `datum.value > ${top / 2}`, value: '#ffffff' }, value: '#000000' } },
        },
      ],
    },
    options.caption,
  );
}

/** A cell's value in at most 4 significant digits. */
function formatCell(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}

export interface TextTableOptions {
  caption?: string;
}

/** A table of text (e.g. the nearest neighbours of a few words), a header row first, as a Vega-Lite chart. At most 40 rows. */
export function textTable(title: string, header: string[], rows: string[][], options: TextTableOptions = {}): Figure {
  if (rows.some((row) => row.length !== header.length)) throw new Error(`textTable: every row needs ${header.length} cells, one per header.`);
  if (rows.length > 40) throw new Error(`textTable: at most 40 rows (got ${rows.length}).`);
  const ROW_HEIGHT = 22;
  // Each column is as wide as its longest text, at about 7 pixels a character.
  const widths = header.map((h, j) => 16 + 7 * Math.max(h.length, ...rows.map((row) => row[j].length)));
  const starts = widths.map((_, j) => widths.slice(0, j).reduce((a, b) => a + b, 0));
  const cells = [header, ...rows].flatMap((row, i) => row.map((text, j) => ({ x: starts[j] + 8, y: i * ROW_HEIGHT + ROW_HEIGHT / 2, text, head: i === 0 })));
  const width = widths.reduce((a, b) => a + b, 0);
  const height = (rows.length + 1) * ROW_HEIGHT;
  const axis = (extent: number) => ({ scale: { domain: [0, extent], nice: false, zero: true }, axis: null });
  return vegaLiteFigure(
    title,
    {
      width,
      height,
      data: { values: cells },
      layer: [true, false].map((head) => ({
        transform: [{ filter: head ? 'datum.head' : '!datum.head' }],
        mark: { type: 'text' as const, align: 'left' as const, baseline: 'middle' as const, fontSize: 13, fontWeight: head ? ('bold' as const) : ('normal' as const) },
        encoding: {
          x: { field: 'x', type: 'quantitative' as const, ...axis(width) },
          y: { field: 'y', type: 'quantitative' as const, axis: null, scale: { domain: [height, 0], nice: false, zero: false } },
          text: { field: 'text' },
        },
      })),
      config: { view: { stroke: null } },
    },
    options.caption,
  );
}
