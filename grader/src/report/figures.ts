import { PNG } from 'pngjs';
import type { Figure } from '../result/schema.ts';

/**
 * Builders for the pictures that checks attach to visible cases (reconstructed images,
 * eigen-digits, spectra, projections). They are pure: the same input gives the same bytes,
 * so a Result with figures still serialises identically for the same submission and seed.
 * PNGs are 8-bit grayscale through pngjs; charts are self-contained SVG (no scripts, no
 * fonts beyond the generic `sans-serif`, no external references), and every piece of text
 * in them is XML-escaped, because titles and series names may come from student output.
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

function withCaption(figure: Omit<Figure, 'caption'>, caption: string | undefined): Figure {
  // Leaving the key out (rather than `caption: undefined`) keeps serialised Results identical.
  return caption === undefined ? figure : { ...figure, caption };
}

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

const WIDTH = 640;
const HEIGHT = 360;
const LEGEND_WIDTH = 140;
/** Series with at most this many points get a marker on every point. */
const MARKER_LIMIT = 40;
/** Okabe & Ito's colour-blind-safe palette, without its yellow (too faint on white). */
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'] as const;
/** Shapes change with the colour, so series stay apart in grayscale print too. */
const SHAPES = ['circle', 'square', 'triangle', 'diamond', 'triangle-down'] as const;
type Shape = (typeof SHAPES)[number];

/** Escapes text for XML content and attributes, replacing characters XML 1.0 forbids. */
export function escapeXml(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- these are exactly the characters XML 1.0 forbids
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

/** Coordinates with two decimals: compact, and immune to last-bit floating-point noise. */
function num(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return String(Object.is(rounded, -0) ? 0 : rounded);
}

function truncate(text: string, length: number): string {
  const chars = Array.from(text);
  return chars.length <= length ? text : `${chars.slice(0, length - 1).join('')}…`;
}

/** 1, 2 or 5 times a power of ten, near `rough` (Heckbert's "nice numbers"). */
function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / power;
  const nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
  return nice * power;
}

interface Axis {
  /** Domain in data units (for a log axis, in log10 units). */
  lo: number;
  hi: number;
  ticks: Array<{ at: number; label: string }>;
}

function formatTick(value: number, step: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e5 || abs < 1e-3) return value.toExponential(Math.max(0, Math.min(3, -Math.floor(Math.log10(step / abs))))).replace('e+', 'e');
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
  return value.toFixed(decimals);
}

/** Widens a degenerate range so a single value still gets an axis around it. */
function padRange(lo: number, hi: number): [number, number] {
  if (hi > lo) return [lo, hi];
  const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
  return [lo - pad, hi + pad];
}

/** A linear axis. With `exact` the domain is kept; otherwise it grows to whole ticks. */
function linearAxis(lo: number, hi: number, exact: boolean): Axis {
  [lo, hi] = padRange(lo, hi);
  const step = niceStep((hi - lo) / 5);
  const domain: [number, number] = exact
    ? [lo, hi]
    : [Math.floor(lo / step + 1e-9) * step, Math.ceil(hi / step - 1e-9) * step];
  const ticks: Axis['ticks'] = [];
  for (let i = Math.ceil(domain[0] / step - 1e-9); i <= Math.floor(domain[1] / step + 1e-9); i++) {
    const at = i * step;
    ticks.push({ at, label: formatTick(Object.is(at, -0) ? 0 : at, step) });
  }
  return { lo: domain[0], hi: domain[1], ticks };
}

function powerLabel(exponent: number): string {
  return Math.abs(exponent) <= 3 ? formatTick(10 ** exponent, 10 ** Math.min(0, exponent)) : `1e${exponent}`;
}

/** A log10 axis on whole decades, thinned to at most ~8 labels, with 2 and 5 in between for short ranges. */
function logAxis(lo: number, hi: number, exact: boolean): Axis {
  const logLo = Math.log10(lo);
  const logHi = Math.log10(hi);
  let domainLo = exact ? logLo : Math.floor(logLo + 1e-9);
  let domainHi = exact ? logHi : Math.ceil(logHi - 1e-9);
  if (domainHi <= domainLo) {
    domainLo -= exact ? 0.5 : 1;
    domainHi += exact ? 0.5 : 1;
  }
  const decades = Math.ceil(domainHi - 1e-9) - Math.floor(domainLo + 1e-9);
  const every = Math.max(1, Math.ceil(decades / 8));
  const ticks: Axis['ticks'] = [];
  for (let e = Math.ceil(domainLo - 1e-9); e <= Math.floor(domainHi + 1e-9); e++) {
    if (e % every === 0) ticks.push({ at: e, label: powerLabel(e) });
    if (decades <= 2) {
      for (const m of [2, 5]) {
        const at = e + Math.log10(m);
        if (at <= domainHi + 1e-9 && at >= domainLo - 1e-9) ticks.push({ at, label: formatTick(m * 10 ** e, 10 ** e) });
      }
    }
  }
  ticks.sort((a, b) => a.at - b.at);
  return { lo: domainLo, hi: domainHi, ticks };
}

interface Frame {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

function plotFrame(legend: boolean): Frame {
  return { left: 70, top: 40, right: WIDTH - (legend ? LEGEND_WIDTH + 10 : 20), bottom: HEIGHT - 50 };
}

function marker(shape: Shape, x: number, y: number, size: number, className = 'marker'): string {
  const s = size;
  const c = `class="${className}"`;
  switch (shape) {
    case 'circle':
      return `<circle ${c} cx="${num(x)}" cy="${num(y)}" r="${num(s)}"/>`;
    case 'square':
      return `<rect ${c} x="${num(x - s)}" y="${num(y - s)}" width="${num(2 * s)}" height="${num(2 * s)}"/>`;
    case 'triangle':
      return `<path ${c} d="M${num(x)} ${num(y - 1.2 * s)}L${num(x + 1.1 * s)} ${num(y + 0.8 * s)}H${num(x - 1.1 * s)}Z"/>`;
    case 'triangle-down':
      return `<path ${c} d="M${num(x)} ${num(y + 1.2 * s)}L${num(x + 1.1 * s)} ${num(y - 0.8 * s)}H${num(x - 1.1 * s)}Z"/>`;
    case 'diamond':
      return `<path ${c} d="M${num(x)} ${num(y - 1.3 * s)}L${num(x + 1.3 * s)} ${num(y)}L${num(x)} ${num(y + 1.3 * s)}L${num(x - 1.3 * s)} ${num(y)}Z"/>`;
  }
}

function style(index: number): { color: string; shape: Shape } {
  return { color: PALETTE[index % PALETTE.length], shape: SHAPES[index % SHAPES.length] };
}

/** Title, axes with ticks and grid lines, axis labels; the plot itself goes in between. */
function chartShell(title: string, frame: Frame, x: Axis, y: Axis, xLabel: string | undefined, yLabel: string | undefined): { open: string; sx: (v: number) => number; sy: (v: number) => number } {
  const sx = (v: number): number => frame.left + ((v - x.lo) / (x.hi - x.lo)) * (frame.right - frame.left);
  const sy = (v: number): number => frame.bottom - ((v - y.lo) / (y.hi - y.lo)) * (frame.bottom - frame.top);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeXml(title)}" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(truncate(title, 80))}</text>`,
    `<g class="grid" stroke="#e4e4e4" stroke-width="1">`,
  ];
  for (const tick of x.ticks) parts.push(`<line x1="${num(sx(tick.at))}" x2="${num(sx(tick.at))}" y1="${frame.top}" y2="${frame.bottom}"/>`);
  for (const tick of y.ticks) parts.push(`<line x1="${frame.left}" x2="${frame.right}" y1="${num(sy(tick.at))}" y2="${num(sy(tick.at))}"/>`);
  parts.push('</g>', `<g class="axes" stroke="#333333" stroke-width="1" fill="none">`);
  parts.push(`<path d="M${frame.left} ${frame.top}V${frame.bottom}H${frame.right}"/>`);
  for (const tick of x.ticks) parts.push(`<line x1="${num(sx(tick.at))}" x2="${num(sx(tick.at))}" y1="${frame.bottom}" y2="${frame.bottom + 5}"/>`);
  for (const tick of y.ticks) parts.push(`<line x1="${frame.left - 5}" x2="${frame.left}" y1="${num(sy(tick.at))}" y2="${num(sy(tick.at))}"/>`);
  parts.push('</g>', `<g class="tick-labels" fill="#333333">`);
  for (const tick of x.ticks) parts.push(`<text x="${num(sx(tick.at))}" y="${frame.bottom + 18}" text-anchor="middle">${escapeXml(tick.label)}</text>`);
  for (const tick of y.ticks) parts.push(`<text x="${frame.left - 8}" y="${num(sy(tick.at) + 4)}" text-anchor="end">${escapeXml(tick.label)}</text>`);
  parts.push('</g>');
  if (xLabel) parts.push(`<text x="${num((frame.left + frame.right) / 2)}" y="${HEIGHT - 14}" text-anchor="middle" font-size="12">${escapeXml(truncate(xLabel, 80))}</text>`);
  if (yLabel) {
    const cy = num((frame.top + frame.bottom) / 2);
    parts.push(`<text x="16" y="${cy}" transform="rotate(-90 16 ${cy})" text-anchor="middle" font-size="12">${escapeXml(truncate(yLabel, 50))}</text>`);
  }
  return { open: parts.join('\n'), sx, sy };
}

/**
 * The plot area as a nested <svg>: it clips what falls outside (a fixed yRange) without a
 * clipPath, whose id could clash when several charts are inlined in one HTML page.
 */
function plotArea(frame: Frame, body: string[]): string {
  const w = frame.right - frame.left;
  const h = frame.bottom - frame.top;
  // Markers on the frame's edge are allowed to show in full: the viewport is 6 px larger.
  return [
    `<svg x="${frame.left - 6}" y="${frame.top - 6}" width="${w + 12}" height="${h + 12}" viewBox="${frame.left - 6} ${frame.top - 6} ${w + 12} ${h + 12}" overflow="hidden">`,
    ...body,
    '</svg>',
  ].join('\n');
}

function legend(frame: Frame, entries: Array<{ name: string; color: string; shape: Shape; line: boolean }>): string {
  const x = frame.right + 16;
  const parts: string[] = ['<g class="legend">'];
  entries.forEach((entry, i) => {
    const y = frame.top + 8 + i * 18;
    parts.push(`<g class="legend-entry" fill="${entry.color}" stroke="${entry.color}">`);
    if (entry.line) parts.push(`<line x1="${x}" x2="${x + 20}" y1="${y}" y2="${y}" stroke-width="2"/>`);
    parts.push(marker(entry.shape, x + 10, y, 3.5, 'legend-marker'));
    parts.push(`<text x="${x + 28}" y="${y + 4}" stroke="none" fill="#333333">${escapeXml(truncate(entry.name, 18))}</text>`, '</g>');
  });
  parts.push('</g>');
  return parts.join('\n');
}

function svgFigure(title: string, svg: string, caption: string | undefined): Figure {
  return withCaption({ title, mediaType: 'image/svg+xml', data: `${svg}\n` }, caption);
}

/**
 * Lines over x (reconstruction error against k, a spectrum, a loss curve), with a legend.
 * Short series (≤ 40 points) get a marker on every point. Non-finite points, and with
 * `logY` points with y ≤ 0, are left out and counted in a note on the chart.
 */
export function lineChart(title: string, series: LineSeries[], options: LineChartOptions = {}): Figure {
  const logY = options.logY ?? false;
  if (options.yRange) {
    checkRange(options.yRange, 'lineChart (yRange)');
    if (logY && options.yRange[0] <= 0) throw new Error(`lineChart: a log y axis needs a positive yRange (got [${options.yRange.join(', ')}]).`);
  }
  let skipped = 0;
  // Runs of drawable points; a left-out point breaks the line rather than bridging the gap.
  const runs = series.map((s) => {
    const pieces: Array<Array<[number, number]>> = [[]];
    for (const [x, y] of s.points) {
      if (Number.isFinite(x) && Number.isFinite(y) && (!logY || y > 0)) {
        pieces[pieces.length - 1].push([x, logY ? Math.log10(y) : y]);
      } else {
        skipped++;
        if (pieces[pieces.length - 1].length > 0) pieces.push([]);
      }
    }
    return pieces.filter((piece) => piece.length > 0);
  });
  const drawn = runs.flat(2);
  const xs = drawn.map(([x]) => x);
  const ys = drawn.map(([, y]) => y);
  const xAxis = linearAxis(xs.length ? Math.min(...xs) : 0, xs.length ? Math.max(...xs) : 1, false);
  let yAxis: Axis;
  if (logY) {
    const [lo, hi] = options.yRange ?? (ys.length ? [10 ** Math.min(...ys), 10 ** Math.max(...ys)] : [1, 10]);
    yAxis = logAxis(lo, hi, options.yRange !== undefined);
  } else {
    const [lo, hi] = options.yRange ?? (ys.length ? [Math.min(...ys), Math.max(...ys)] : [0, 1]);
    yAxis = linearAxis(lo, hi, options.yRange !== undefined);
  }

  const frame = plotFrame(series.length > 0);
  const shell = chartShell(title, frame, xAxis, yAxis, options.xLabel, options.yLabel);
  const body: string[] = [];
  runs.forEach((pieces, i) => {
    const { color, shape } = style(i);
    body.push(`<g class="series" stroke="${color}" fill="${color}">`);
    for (const piece of pieces) {
      const points = piece.map(([x, y]) => `${num(shell.sx(x))},${num(shell.sy(y))}`).join(' ');
      body.push(`<polyline fill="none" stroke-width="2" stroke-linejoin="round" points="${points}"/>`);
    }
    if (series[i].points.length <= MARKER_LIMIT) {
      for (const piece of pieces) for (const [x, y] of piece) body.push(marker(shape, shell.sx(x), shell.sy(y), 3));
    }
    body.push('</g>');
  });
  const parts = [shell.open, plotArea(frame, body)];
  if (series.length > 0) {
    parts.push(legend(frame, series.map((s, i) => ({ name: s.name, ...style(i), line: true }))));
  }
  if (skipped > 0) {
    const why = logY ? 'not finite or ≤ 0, so not on the log axis' : 'not finite';
    parts.push(`<text class="note" x="${frame.right}" y="${HEIGHT - 4}" text-anchor="end" font-size="10" fill="#666666">${skipped} point${skipped === 1 ? '' : 's'} left out (${why})</text>`);
  }
  parts.push('</svg>');
  return svgFigure(title, parts.join('\n'), options.caption);
}

/**
 * Points coloured (and shaped) by group, with a legend in order of first appearance, e.g.
 * a two-component PCA projection of the iris flowers. Non-finite points are left out and
 * counted in a note.
 */
export function scatterPlot(title: string, points: ScatterPoint[], options: ScatterOptions = {}): Figure {
  const groups: string[] = [];
  const groupIndex = new Map<string, number>();
  for (const p of points) {
    if (!groupIndex.has(p.group)) {
      groupIndex.set(p.group, groups.length);
      groups.push(p.group);
    }
  }
  const drawn = points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const skipped = points.length - drawn.length;
  const xs = drawn.map((p) => p.x);
  const ys = drawn.map((p) => p.y);
  const xAxis = linearAxis(xs.length ? Math.min(...xs) : 0, xs.length ? Math.max(...xs) : 1, false);
  const yAxis = linearAxis(ys.length ? Math.min(...ys) : 0, ys.length ? Math.max(...ys) : 1, false);
  const frame = plotFrame(groups.length > 0);
  const shell = chartShell(title, frame, xAxis, yAxis, options.xLabel, options.yLabel);
  const body: string[] = [];
  groups.forEach((group, i) => {
    const { color, shape } = style(i);
    body.push(`<g class="group" fill="${color}" fill-opacity="0.8" stroke="#ffffff" stroke-width="0.5">`);
    for (const p of drawn) if (p.group === group) body.push(marker(shape, shell.sx(p.x), shell.sy(p.y), 3));
    body.push('</g>');
  });
  const parts = [shell.open, plotArea(frame, body)];
  if (groups.length > 0) parts.push(legend(frame, groups.map((name, i) => ({ name, ...style(i), line: false }))));
  if (skipped > 0) {
    parts.push(`<text class="note" x="${frame.right}" y="${HEIGHT - 4}" text-anchor="end" font-size="10" fill="#666666">${skipped} point${skipped === 1 ? '' : 's'} left out (not finite)</text>`);
  }
  parts.push('</svg>');
  return svgFigure(title, parts.join('\n'), options.caption);
}
