/**
 * `npm run mutation [-- [--engine] [<assignment...>]]`: StrykerJS over the check code (see
 * scope.ts), then the score of every file, the total and the time taken. Without arguments it
 * runs two passes (the engine, then the assignments' check code; see `mutationPasses`); with
 * ids only the second, limited to those assignments, for quick work on one assignment; with
 * `--engine` the first (CI runs the passes as separate jobs).
 *
 * Do not run it in a working tree that someone else is using: Stryker mutates the source
 * files in place while it runs (they are restored when it ends).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Stryker } from '@stryker-mutator/core';
import { AssignmentError, PROJECT_ROOT } from '../assignment/load.ts';
import { type MutationPass, mutationPasses } from './scope.ts';
import { fileScores, formatScoreTable, mergeReports, type MutationReport, undetectedMutants } from './summary.ts';

const REPORT_DIR = 'reports/mutation';
/** The bar of the issue: a lower total score fails the run (exit code 1). */
export const MUTATION_BAR = 90;

const USAGE = `usage: npm run mutation [-- [--engine] [<assignment...>]]

Mutation testing of the check code with StrykerJS. Without arguments: grader/src/checks/,
grader/src/linalg/{dense,subspace}.ts and every assignment's check code; with assignment ids:
only those assignments' checks.ts and the check and mistake-detector functions in their
assignment.ts; with --engine: the engine's part (and the given assignments' after it). Reports go to ${REPORT_DIR}/: mutation.json (all files), undetected.txt (every
surviving or uncovered mutant), and one HTML report per pass (engine.html, assignments.html).
Exits 1 when the total score is under ${MUTATION_BAR} %.`;

function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

async function runPass(pass: MutationPass): Promise<MutationReport> {
  // Read by vitest.mutation.config.ts in Stryker's test-runner processes, which inherit it.
  process.env.MLGRADE_MUTATION_PASS = pass.name;
  const json = path.join(REPORT_DIR, `${pass.name}.json`);
  await new Stryker({
    configFile: 'stryker.config.mjs',
    mutate: pass.mutate,
    jsonReporter: { fileName: json },
    htmlReporter: { fileName: path.join(REPORT_DIR, `${pass.name}.html`) },
  }).runMutationTest();
  return JSON.parse(readFileSync(json, 'utf8')) as MutationReport;
}

async function main(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const unknown = args.filter((a) => a.startsWith('-') && a !== '--engine');
  if (unknown.length > 0) {
    console.error(`unknown option ${unknown.join(', ')}\n\n${USAGE}`);
    return 2;
  }
  const ids = args.filter((a) => !a.startsWith('-'));
  const engine = args.includes('--engine');
  process.chdir(PROJECT_ROOT);
  let passes: MutationPass[];
  try {
    passes = mutationPasses(PROJECT_ROOT, ids, { engine });
  } catch (error) {
    if (error instanceof AssignmentError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  rmSync(REPORT_DIR, { recursive: true, force: true });
  mkdirSync(REPORT_DIR, { recursive: true });

  const started = performance.now();
  const reports: MutationReport[] = [];
  const times: string[] = [];
  for (const pass of passes) {
    const passStarted = performance.now();
    console.log(`\n=== mutation testing: ${pass.name} (${pass.mutate.length} mutate entr${pass.mutate.length === 1 ? 'y' : 'ies'}) ===\n`);
    try {
      reports.push(await runPass(pass));
    } catch (error) {
      // Stryker has logged the cause (e.g. a test that fails without mutants) and restored the sources.
      console.error(`\nmutation testing stopped: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    }
    times.push(`${pass.name} ${formatDuration(performance.now() - passStarted)}`);
  }
  const elapsed = performance.now() - started;

  const report = mergeReports(reports);
  writeFileSync(path.join(REPORT_DIR, 'mutation.json'), JSON.stringify(report));
  const undetectedFile = path.join(REPORT_DIR, 'undetected.txt');
  writeFileSync(undetectedFile, `${undetectedMutants(report) || 'none'}\n`);
  const scores = fileScores(report);
  console.log(`\nMutation score per file (${args.length > 0 ? [...(engine ? ['engine'] : []), ...ids].join(', ') : 'whole scope'}):\n`);
  console.log(formatScoreTable(scores));
  console.log(`\nsurviving and uncovered mutants: ${undetectedFile}`);
  console.log(`reports: ${REPORT_DIR}/mutation.json, ${passes.map((p) => `${REPORT_DIR}/${p.name}.html`).join(', ')}`);
  console.log(`elapsed: ${formatDuration(elapsed)}${passes.length > 1 ? ` (${times.join(', ')})` : ''}`);
  if (!(scores.total.score >= MUTATION_BAR)) {
    console.log(`\nThe total score ${Number.isNaN(scores.total.score) ? 'n/a' : scores.total.score.toFixed(2)} % is under the bar of ${MUTATION_BAR} %.`);
    return 1;
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
