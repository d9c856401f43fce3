import { loadAssignment } from '../assignment/load.ts';
import { gradeSubmission } from '../run/grade.ts';
import { formatDuration } from '../report/format.ts';
/**
 * The assignments the grading section times, one after the other in this process. The CLI's
 * help names them in words (the student copy's CLI has no bench folder to import this from);
 * bench.test.ts checks the two agree.
 */
export const BENCH_GRADINGS = ['pca', 'adversarial', 'autoencoders', 'transfer', 'understanding-layers', 'augmentation', 'generalization'];

/**
 * The grading section of `npm run bench`: one whole run of each assignment against its
 * reference solution (targets: `pca` under 15 s on two cores, photo included; `adversarial`
 * under 60 s on wasm; `autoencoders` under 120 s on wasm, training included; `transfer`,
 * `understanding-layers`, `augmentation` and `generalization` under 60 s on wasm, training included), each split into the time spent in the submission's code and the rest
 * (the grader's inputs, reference answers and checks, and starting the sandboxed processes),
 * then each whole run as a ratio to the first's, measured side by side in this run.
 */
export async function runGradingBench(out: NodeJS.WritableStream, assignmentIds: readonly string[] = BENCH_GRADINGS): Promise<void> {
  const times: number[] = [];
  for (const id of assignmentIds) {
    const assignment = await loadAssignment(id);
    out.write(`\ngrading (${id}, reference solution, one run)\n`);
    const result = await gradeSubmission({ assignment, submissionDir: assignment.solutionDir, student: 'bench', seed: '0', secret: 'bench-secret' });
    const inSubmission = result.problems.reduce((sum, p) => sum + p.cases.reduce((s, c) => s + c.durationMs, 0), 0);
    times.push(result.executionTimeMs);
    out.write(`  whole run: ${formatDuration(result.executionTimeMs)} (score ${result.score}/${result.maxScore}${result.backend === 'none' ? '' : `, tensor backend ${result.backend}`})\n`);
    out.write(`  in the submission's functions: ${formatDuration(inSubmission)}\n`);
    out.write(`  grader (inputs, reference answers, checks, pictures, process start-up): ${formatDuration(result.executionTimeMs - inSubmission)}\n`);
    const slowest = result.problems
      .map((p) => ({ name: p.name, ms: p.cases.reduce((s, c) => s + c.durationMs, 0) }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 3);
    out.write(`  slowest problems in the submission: ${slowest.map((p) => `${p.name} ${formatDuration(p.ms)}`).join(', ')}\n`);
  }
  if (assignmentIds.length < 2) return;
  const [first] = assignmentIds;
  const ratios = assignmentIds.slice(1).map((id, i) => `${id} ${(times[i + 1] / times[0]).toFixed(2)}×`);
  out.write(`\ngrading, whole runs relative to ${first}'s: ${ratios.join(', ')}\n`);
}
