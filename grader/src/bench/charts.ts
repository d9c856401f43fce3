import { lineChart, scatterPlot } from '../report/figures.ts';
import { formatMs, median } from './stats.ts';

/**
 * The charts section of `npm run bench`: the time to render a report chart (a Vega-Lite spec,
 * rendered to SVG by vega in this process; report/charts.ts), median of `renders`, after one
 * render that loads and warms vega.
 */
export function runChartBench(options: { renders: number }, out: NodeJS.WritableStream = process.stdout): void {
  const spectrum = Array.from({ length: 40 }, (_, i): [number, number] => [i + 1, Math.exp(-i / 6)]);
  const cloud = Array.from({ length: 150 }, (_, i) => ({ x: Math.cos(i), y: Math.sin(1.7 * i), group: ['setosa', 'versicolor', 'virginica'][i % 3] }));
  const charts = {
    'line chart (40 points, log y, legend)': () => lineChart('Singular values', [{ name: 'σᵢ', points: spectrum }], { xLabel: 'i', yLabel: 'σᵢ', logY: true }),
    'scatter plot (150 points, 3 groups)': () => scatterPlot('Iris', cloud, { xLabel: 'z₁', yLabel: 'z₂' }),
  };
  out.write('\ncharts (Vega-Lite rendered to SVG by vega, in this process)\n');
  for (const [name, draw] of Object.entries(charts)) {
    const first = draw().data;
    const times: number[] = [];
    let identical = true;
    for (let i = 0; i < options.renders; i++) {
      const started = performance.now();
      identical &&= draw().data === first;
      times.push(performance.now() - started);
    }
    out.write(`  ${name}, median of ${options.renders}: ${formatMs(median(times))}; ${(first.length / 1e3).toFixed(1)} kB; ${identical ? 'byte-identical every time' : 'NOT byte-identical'}\n`);
  }
}
