import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../assignment/load.ts';
import { SandboxSession } from '../sandbox/session.ts';
import { formatMs, median } from './stats.ts';

const TRIVIAL = 'export function identity(x: number): number { return x; }\n';

/**
 * `npm run bench`: what the sandbox costs, then the grader's SVD against ml-matrix's, then the
 * tensor workloads. Times are medians over many runs, measured in this one process, so the
 * ratios compare like with like on whatever machine runs it.
 */
export async function runBench(options: { rounds: number; starts?: number; svd?: boolean; charts?: boolean; grading?: boolean; batch?: boolean; tensors?: boolean; text?: boolean; quick?: boolean }, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mlgrade-bench-'));
  writeFileSync(path.join(dir, 'bench.ts'), TRIVIAL);
  const session = await SandboxSession.open({
    submissionDir: dir,
    module: 'bench.ts',
    allowedPackages: [],
    packageDirs: [path.join(PROJECT_ROOT, 'node_modules')],
    memoryMb: 512,
    outputBytes: 4096,
    loadTimeoutMs: 10_000,
  });
  try {
    if (session.loadFailure) throw new Error(session.loadFailure.message);
    const roundTrips: number[] = [];
    for (let i = 0; i < options.rounds; i++) {
      const started = performance.now();
      await session.call('identity', [i], 5000);
      roundTrips.push(performance.now() - started);
    }
    const identity = (x: number): number => x;
    const direct: number[] = [];
    for (let i = 0; i < options.rounds; i++) {
      const started = performance.now();
      identity(i);
      direct.push(performance.now() - started);
    }
    const starts = options.starts ?? 10;
    for (let i = 0; i < starts; i++) {
      // No spare: each start-up is timed alone, not while another child loads beside it.
      session.recycle({ prepareNext: false });
      await session.call('identity', [i], 5000);
    }
    const startup = median(session.startups.slice(1));
    const roundTrip = median(roundTrips);
    out.write('sandbox\n');
    out.write(`  child start-up (spawn + load submission), median of ${starts}: ${formatMs(startup)}\n`);
    out.write(`  round trip for a trivial function, median of ${options.rounds}: ${formatMs(roundTrip)}\n`);
    out.write(`  in-process call of the same function, median: ${formatMs(median(direct))}\n`);
    out.write(`  start-up / round trip: ${(startup / roundTrip).toFixed(0)}×\n`);
  } finally {
    session.close();
    rmSync(dir, { recursive: true, force: true });
  }
  if (options.charts ?? true) {
    const { runChartBench } = await import('./charts.ts');
    runChartBench({ renders: options.quick ? 5 : 30 }, out);
  }
  if (options.svd ?? true) {
    const { runSvdBench } = await import('./svd.ts');
    await runSvdBench({ quick: options.quick }, out);
  }
  if (options.text ?? true) {
    const { runTextBench } = await import('./text.ts');
    runTextBench(out);
  }
  if (options.grading ?? true) {
    const { runGradingBench } = await import('./grading.ts');
    await runGradingBench(out);
  }
  if (options.batch ?? true) {
    const { runBatchBench } = await import('./batch.ts');
    await runBatchBench({ submissions: options.quick ? 8 : 40 }, out);
  }
  if (options.tensors ?? true) {
    const { runTensorBench } = await import('./tensor.ts');
    await runTensorBench({ quick: options.quick }, out);
  }
  return 0;
}
