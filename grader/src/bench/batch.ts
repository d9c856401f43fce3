import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadAssignment } from '../assignment/load.ts';
import { runBatch, submissionsIn } from '../batch/batch.ts';
import { formatDuration } from '../report/format.ts';

/** CPU time the whole machine has spent busy (not idle), in ms, over all cores. */
function machineBusyMs(): number {
  return os.cpus().reduce((sum, { times }) => sum + times.user + times.nice + times.sys + times.irq, 0);
}

/**
 * The batch section of `npm run bench`: `mlgrade batch` on copies of a reference solution
 * with 1 worker and then with 2, side by side in this run, and the ratio (the goal is ≥ 1.8×
 * on two cores for an assignment without training). Every grading is done afresh (`force`).
 * Each run also shows how many cores the machine kept busy meanwhile (run it on an idle
 * machine): a grading starts its problems' sandboxed processes ahead while the current one
 * works, so one worker can keep more than one core busy, and 2 workers can then gain at most
 * the cores over what one worker used.
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
    const busy: number[] = [];
    for (const workers of [1, 2]) {
      const started = performance.now();
      const busyBefore = machineBusyMs();
      const { summary } = await runBatch({ assignment, entries, out: path.join(dir, `out-${workers}`), seed: '0', secret: 'bench-secret', workers, force: true });
      const ms = performance.now() - started;
      seconds.push(ms);
      busy.push((machineBusyMs() - busyBefore) / ms);
      out.write(`  ${workers} worker${workers === 1 ? ' ' : 's'}: ${formatDuration(ms)} (${formatDuration(ms / count)} per submission; mean score ${summary.mean}/${summary.maxScore}; cores busy: ${busy.at(-1)!.toFixed(2)})\n`);
    }
    const cores = os.availableParallelism();
    out.write(`  2 workers / 1 worker: ${(seconds[0] / seconds[1]).toFixed(2)}× faster (${cores} cores; one worker kept ${busy[0].toFixed(2)} busy, so 2 workers could gain at most ${(Math.min(cores, 2 * busy[0]) / busy[0]).toFixed(2)}×)\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
