import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { BASE_CONFIG, renderVegaLite, vegaLiteFigure } from '../src/report/charts.ts';
import { figureSchema } from '../src/result/schema.ts';

const values = Array.from({ length: 30 }, (_, i) => ({ k: i + 1, s: Math.exp(-i / 4), series: i % 2 ? 'odd' : 'even' }));
const SPECS: Record<string, TopLevelSpec> = {
  'a line on a log scale with a legend': {
    title: 'Singular values',
    width: 300,
    height: 200,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: { x: { field: 'k', type: 'quantitative' }, y: { field: 's', type: 'quantitative', scale: { type: 'log' } }, color: { field: 'series', type: 'nominal' } },
  },
  'layers with clipping and a subtitle': {
    title: { text: 'Clipped', subtitle: 'a note' },
    data: { values },
    layer: [
      { mark: { type: 'line', clip: true }, encoding: { x: { field: 'k', type: 'quantitative' }, y: { field: 's', type: 'quantitative', scale: { domain: [0, 0.5] } } } },
      { mark: { type: 'point', clip: true }, encoding: { x: { field: 'k', type: 'quantitative' }, y: { field: 's', type: 'quantitative' } } },
    ],
  },
  'bars': { data: { values }, mark: 'bar', encoding: { x: { field: 'series', type: 'nominal' }, y: { aggregate: 'sum', field: 's', type: 'quantitative' } } },
};

/** vega's own headless SVG, the way `vega` documents it (asynchronous). */
async function officialSvg(spec: TopLevelSpec): Promise<string> {
  (vega as unknown as { resetSVGDefIds: () => void }).resetSVGDefIds();
  const view = new vega.View(vega.parse(compile({ ...spec, config: BASE_CONFIG }).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

describe('renderVegaLite', () => {
  it.each(Object.keys(SPECS))("renders %s synchronously to exactly the bytes of vega's own toSVG()", async (name) => {
    expect(renderVegaLite(SPECS[name])).toBe(await officialSvg(SPECS[name]));
  });

  it('gives the same bytes every time (clip ids restart in every chart)', () => {
    const first = renderVegaLite(SPECS['layers with clipping and a subtitle']);
    renderVegaLite(SPECS['a line on a log scale with a legend']);
    expect(renderVegaLite(SPECS['layers with clipping and a subtitle'])).toBe(first);
    expect(first).toContain('id="clip1"');
  });

  it('refuses a spec that would load anything', () => {
    expect(() => renderVegaLite({ data: { url: 'https://example.com/data.json' }, mark: 'point' })).toThrow('renderVegaLite: spec.data.url: charts carry their data inline');
    expect(() => renderVegaLite({ data: { values: [{ u: 'x' }] }, mark: 'image', encoding: { url: { field: 'u', type: 'nominal' } } })).toThrow(/spec\.encoding\.url/);
  });

  it('makes a report figure, the spec titled by the figure unless it has a title of its own', () => {
    const figure = vegaLiteFigure('Bars', SPECS.bars, 'a caption');
    expect(figureSchema.parse(figure)).toEqual(figure);
    expect(figure).toMatchObject({ title: 'Bars', caption: 'a caption', mediaType: 'image/svg+xml' });
    expect(figure.data).toContain('>Bars</text>');
    expect(vegaLiteFigure('Figure title', SPECS['a line on a log scale with a legend']).data).toContain('>Singular values</text>');
    expect('caption' in vegaLiteFigure('Bars', SPECS.bars)).toBe(false);
  });
});
