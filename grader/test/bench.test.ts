import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { runBatchBench } from '../src/bench/batch.ts';
import { runBench } from '../src/bench/bench.ts';
import { BENCH_GRADINGS, runGradingBench } from '../src/bench/grading.ts';
import { runSvdBench } from '../src/bench/svd.ts';
import { formatMs, median } from '../src/bench/stats.ts';
import { PROJECT_ROOT } from './helpers.ts';

describe('bench', () => {
  it('median and formatting', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNaN();
    expect(formatMs(0.2)).toBe('200.0 µs');
    expect(formatMs(65.014)).toBe('65.01 ms');
  });

  it('measures start-up and round trip and prints them as medians', async () => {
    let text = '';
    const out = new Writable({ write: (chunk: Buffer, _enc, done) => { text += chunk.toString(); done(); } });
    expect(await runBench({ rounds: 5, starts: 2, svd: false, charts: false, text: false, grading: false, batch: false, tensors: false }, out)).toBe(0);
    expect(text).toMatch(/child start-up \(spawn \+ load submission\), median of 2: [\d.]+ ms/);
    expect(text).toMatch(/round trip for a trivial function, median of 5: [\d.]+ (ms|µs)/);
    expect(text).toMatch(/start-up \/ round trip: \d+×/);
  });

  it('times the State of the Union pipeline of text-embeddings, with the SVDs side by side', async () => {
    const { runTextBench } = await import('../src/bench/text.ts');
    let text = '';
    const out = new Writable({ write: (chunk: Buffer, _enc, done) => { text += chunk.toString(); done(); } });
    runTextBench(out);
    expect(text).toMatch(/tokenize 233 addresses \(\d+ tokens without stop words\): [\d.]+ (ms|s)\n/);
    expect(text).toMatch(/co-occurrence, 502 words, window 5: [\d.]+ (ms|s)\n {2}PPMI: [\d.]+ (ms|s)\n/);
    expect(text).toMatch(/502×502 SVD: ml-matrix \(U only\) [\d.]+ (ms|s), grader [\d.]+ (ms|s), grader values only [\d.]+ (ms|s); ml-matrix \/ grader [\d.]+×\n/);
    expect(text).toMatch(/233×1006 SVD: ml-matrix [\d.]+ (ms|s), grader [\d.]+ (ms|s); ml-matrix \/ grader [\d.]+×\n$/);
  }, 60_000);

  it('times chart rendering and says whether every render gave the same bytes', async () => {
    const { runChartBench } = await import('../src/bench/charts.ts');
    let text = '';
    const out = new Writable({ write: (chunk: Buffer, _enc, done) => { text += chunk.toString(); done(); } });
    runChartBench({ renders: 2 }, out);
    expect(text).toMatch(/^\ncharts \(Vega-Lite rendered to SVG by vega, in this process\)\n {2}line chart \(40 points, log y, legend\), median of 2: [\d.]+ (ms|µs); [\d.]+ kB; byte-identical every time\n {2}scatter plot \(150 points, 3 groups\), median of 2: [\d.]+ (ms|µs); [\d.]+ kB; byte-identical every time\n$/);
  });

  it('times a batch with 1 and 2 workers side by side and prints the ratio', async () => {
    let text = '';
    const out = new Writable({ write: (chunk: Buffer, _enc, done) => { text += chunk.toString(); done(); } });
    await runBatchBench({ assignment: 'diag', root: path.join(PROJECT_ROOT, 'grader/test/fixtures/diagnose-project'), submissions: 3 }, out);
    expect(text).toMatch(
      /^\nbatch \(diag, 3 copies of the reference\)\n {2}1 worker : [\d.]+ m?s \([\d.]+ m?s per submission; mean score 3\/3; cores busy: [\d.]+\)\n {2}2 workers: [\d.]+ m?s \([\d.]+ m?s per submission; mean score 3\/3; cores busy: [\d.]+\)\n {2}2 workers \/ 1 worker: [\d.]+× faster \(\d+ cores; one worker kept [\d.]+ busy, so 2 workers could gain at most [\d.]+×\)\n$/,
    );
  }, 120_000);

  it('times the grader SVD against ml-matrix on the same matrices and prints times, ratios and errors', async () => {
    let text = '';
    const out = new Writable({ write: (chunk: Buffer, _enc, done) => { text += chunk.toString(); done(); } });
    await runSvdBench({ quick: true }, out);
    expect(text).toMatch(/^\nsvd \(float64, seeded Gaussian matrices; grader: .*, ml-matrix: .*\)\n/);
    for (const size of ['100×60', '200×150']) {
      expect(text).toMatch(new RegExp(`  ${size} grader svd: [\\d.]+ (ms|µs) \\(median of 1\\), reconstruction error \\d\\.\\de-1[3-6]\\n`));
      expect(text).toMatch(new RegExp(`  ${size} grader singular values only: [\\d.]+ (ms|µs) \\(median of 1\\)\\n`));
      expect(text).toMatch(new RegExp(`  ${size} ml-matrix svd: [\\d.]+ (ms|µs) \\(median of 1\\), reconstruction error \\d\\.\\de-1[3-6]\\n`));
      expect(text).toMatch(new RegExp(`  ${size} ml-matrix / grader \\(full svd, same matrix\\): [\\d.]+×\\n`));
    }
    expect(text.trim().split('\n')).toHaveLength(1 + 2 * 4);
  });

  it('times whole grading runs, splits each into the submission and the grader, and compares them side by side', async () => {
    let text = '';
    const out = new Writable({ write: (chunk: Buffer, _enc, done) => { text += chunk.toString(); done(); } });
    await runGradingBench(out, ['cnn-layers', 'cnn-layers']);
    expect(text).toMatch(/^\ngrading \(cnn-layers, reference solution, one run\)\n {2}whole run: [\d.]+ (ms|s) \(score 84\/84\)\n/);
    expect(text).toMatch(/ {2}in the submission's functions: [\d.]+ (ms|µs|s)\n/);
    expect(text).toMatch(/ {2}slowest problems in the submission: \w+ [\d.]+ (ms|µs|s), \w+ /);
    expect(text.match(/^grading \(cnn-layers/gm)).toHaveLength(2);
    expect(text).toMatch(/\ngrading, whole runs relative to cnn-layers's: cnn-layers \d+\.\d\d×\n$/);
  });

  it('names in its help exactly the assignments it times', () => {
    const help = spawnSync(process.execPath, ['bin/mlgrade.js', 'bench', '--help'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
    const names = BENCH_GRADINGS.join(', ');
    expect(help).toContain(`whole grading runs of ${names}, a batch`);
    expect(help).toContain(`skip the timed grading runs (${names})`);
  });
});
