import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadAssignment } from '../assignment/load.ts';
import { runBatch, submissionsIn } from '../batch/batch.ts';
import { formatDuration } from '../report/format.ts';

/**
 * The batch section of `npm run bench`: `mlgrade batch` on copies of a reference solution
 * with 1 worker and then with 2, side by side in this run, and the ratio (the goal is ≥ 1.8×
 * on two cores for an assignment without training). Every grading is done afresh (`force`).
 */
export async function runBatchBench(options: { assignment?: string; root?: string; submissions?: number } = {}, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const assignment = await loadAssignment(options.assignment ?? 'cnn-layers', options.root);
  const count = options.submissions ?? 40;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mlgrade-bench-batch-'));
  try {
    for (let i = 1; i <= count; i++) cpSync(assignment.solutionDir, path.join(dir, 'class', `student-${String(i).padStart(3, '0')}`), { recursive: true });
    const entries = submissionsIn(path.join(dir, 'class'));
    out.write(`\nbatch (${assignment.spec.id}, ${count} copies of the reference)\n`);
    const seconds: number[] = [];
    for (const workers of [1, 2]) {
      const started = performance.now();
      const { summary } = await runBatch({ assignment, entries, out: path.join(dir, `out-${workers}`), seed: '0', secret: 'bench-secret', workers, force: true });
      const ms = performance.now() - started;
      seconds.push(ms);
      out.write(`  ${workers} worker${workers === 1 ? ' ' : 's'}: ${formatDuration(ms)} (${formatDuration(ms / count)} per submission; mean score ${summary.mean}/${summary.maxScore})\n`);
    }
    out.write(`  2 workers / 1 worker: ${(seconds[0] / seconds[1]).toFixed(2)}× faster (${os.availableParallelism()} cores)\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
