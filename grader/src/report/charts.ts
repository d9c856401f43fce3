import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Figure } from '../result/schema.ts';

/**
 * Charts as data: an assignment describes a chart as a Vega-Lite spec (the field's standard
 * grammar of graphics, https://vega.github.io/vega-lite/) and the engine renders it to static
 * SVG in this process, with `vega` — no browser and no canvas. Rendering is synchronous (a
 * check can draw without awaiting) and deterministic: the same spec gives the same bytes, so
 * Results stay byte-identical.
 *
 * Only inline data (`data: { values: [...] }`): the loader refuses every URL and file, so a
 * spec can never fetch anything. Vega-Lite 6.4 is pinned (6.5 declares Node ≥ 22).
 */

/** The look every chart shares, merged under a spec's own `config`. */
export const BASE_CONFIG = {
  font: 'sans-serif',
  background: '#ffffff',
  view: { stroke: '#cccccc' },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#eeeeee' },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 220 },
  title: { fontSize: 14, anchor: 'start', subtitleFontSize: 11, subtitleColor: '#666666' },
} as const;

/** A loader that loads nothing: specs carry their data inline. */
const noLoading = vega.loader();
noLoading.load = (uri: string) => Promise.reject(new Error(`charts carry their data inline; refusing to load ${uri}`));
noLoading.sanitize = (uri: string) => Promise.reject(new Error(`charts carry their data inline; refusing to load ${uri}`));

/** vega's SVG string renderer, which its type declarations leave out. */
interface StringRenderer {
  initialize(el: null, width: number, height: number, origin: [number, number], scaleFactor: number): StringRenderer;
  background(color: unknown): StringRenderer;
  render(scene: unknown): StringRenderer;
  svg(): string;
}
const SVGStringRenderer = (vega as unknown as { SVGStringRenderer: new (loader: unknown) => StringRenderer }).SVGStringRenderer;

/** Throws on anything in a spec that would load a resource (`url` in data, an image mark's `url`). */
function refuseLoading(value: unknown, where: string): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => refuseLoading(item, `${where}[${i}]`));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'url') throw new Error(`renderVegaLite: ${where}.url: charts carry their data inline (data: { values: [...] }); nothing is loaded`);
      refuseLoading(item, `${where}.${key}`);
    }
  }
}

/** What vega's own headless rendering reads off a view (vega-view's render-headless.js). */
interface ViewSize {
  _viewWidth?: number;
  _viewHeight?: number;
  _origin?: [number, number];
}

/**
 * The SVG of a Vega-Lite spec. It does what `view.toSVG()` does, without awaiting: a view of
 * inline data evaluates synchronously (`run`), and the SVG string renderer draws synchronously
 * when no image has to load. charts.test.ts checks the bytes equal `toSVG()`'s.
 */
export function renderVegaLite(spec: TopLevelSpec): string {
  refuseLoading(spec, 'spec');
  const compiled = compile({ ...spec, config: { ...BASE_CONFIG, ...spec.config } }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', loader: noLoading });
  try {
    view.run();
    const { _viewWidth: width, _viewHeight: height, _origin: origin } = view as unknown as ViewSize;
    if (width === undefined || height === undefined || origin === undefined) throw new Error('renderVegaLite: this version of vega does not expose the view size it renders with');
    const padding = view.padding() as { top: number; bottom: number; left: number; right: number };
    // Clip-path and gradient ids count up across renders in vega; from 1 in every chart, the
    // same spec gives the same bytes. (Rendering is synchronous: no other render interleaves.)
    (vega as unknown as { resetSVGDefIds: () => void }).resetSVGDefIds();
    const renderer = new SVGStringRenderer(view.loader())
      .initialize(null, Math.max(0, width + padding.left + padding.right), Math.max(0, height + padding.top + padding.bottom), [padding.left + origin[0], padding.top + origin[1]], 1)
      .background(view.background());
    renderer.render((view.scenegraph() as unknown as { root: unknown }).root);
    // vega escapes markup in text, but passes on characters XML 1.0 forbids (NUL, other
    // controls), which would make the file unreadable: they become U+FFFD.
    // eslint-disable-next-line no-control-regex -- these are exactly the characters XML 1.0 forbids
    return renderer.svg().replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd');
  } finally {
    view.finalize();
  }
}

/** A figure with its caption, if any (report/figures.ts builds its PNGs with it too). */
export function withCaption(figure: Omit<Figure, 'caption'>, caption: string | undefined): Figure {
  // Leaving the key out (rather than `caption: undefined`) keeps serialised Results identical.
  return caption === undefined ? figure : { ...figure, caption };
}

/** A report figure from a Vega-Lite spec (its own `title` field is the figure's title unless the spec has one). */
export function vegaLiteFigure(title: string, spec: TopLevelSpec, caption?: string): Figure {
  return withCaption({ title, mediaType: 'image/svg+xml', data: `${renderVegaLite({ title, ...spec })}\n` }, caption);
}
