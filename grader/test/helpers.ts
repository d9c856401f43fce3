import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { AssignmentSpec, CaseSpec, CheckContext, ProblemSpec } from '../src/assignment/define.ts';
import { type LoadedAssignment, PROJECT_ROOT } from '../src/assignment/load.ts';
import { caseContext, generateCalls } from '../src/cases/calls.ts';
import type { Result } from '../src/result/schema.ts';
import { gradeSubmission } from '../src/run/grade.ts';
import { SandboxSession, type SessionOptions } from '../src/sandbox/session.ts';

const created: string[] = [];
afterAll(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** A temporary folder with these files (paths relative to it); removed after the test file. */
export function tempDir(files: Record<string, string>, prefix = 'mlgrade-test-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

export async function openSession(submissionDir: string, overrides: Partial<SessionOptions> = {}): Promise<SandboxSession> {
  return SandboxSession.open({
    submissionDir,
    module: 'main.ts',
    allowedPackages: ['seedrandom'],
    packageDirs: [path.join(PROJECT_ROOT, 'node_modules')],
    memoryMb: 256,
    outputBytes: 2048,
    loadTimeoutMs: 5000,
    ...overrides,
  });
}

/**
 * A cnn-layers submission: the reference solution with some exports replaced by the given
 * source (appended after renaming the reference's versions away).
 */
export function cnnSubmission(overrides: Record<string, string>): string {
  const reference = readFileSync(path.join(PROJECT_ROOT, 'solutions/cnn-layers/layers.ts'), 'utf8');
  const names = Object.keys(overrides);
  const body = names.map((name) => overrides[name]).join('\n');
  return tempDir({
    '__reference__.ts': reference,
    'overrides.ts': body,
    'layers.ts': `export * from './__reference__.ts';\nexport { ${names.join(', ')} } from './overrides.ts';\n`,
  });
}

/** The backend `auto` picks on this machine: tfjs-node where it installed, else wasm. */
export const AUTO_BACKEND: 'node' | 'wasm' = (() => {
  try {
    import.meta.resolve('@tensorflow/tfjs-node');
    return 'node';
  } catch {
    return 'wasm';
  }
})();

/** The backend grading uses in this test run (MLGRADE_BACKEND, else auto). */
export const GRADING_BACKEND: string = process.env.MLGRADE_BACKEND || AUTO_BACKEND;

export { PROJECT_ROOT };

/** Per problem of a Result: name, score, maximum, and why each case that did not pass failed. */
export function scorecard(result: Result): Array<[string, number, number, string[]]> {
  return result.problems.map((p) => [p.name, p.score, p.maxScore, p.cases.filter((c) => c.status !== 'pass').map((c) => `${c.name} (${c.status}): ${c.message}`)]);
}

/** What scorecard gives for full marks. */
export function fullMarks(result: Result): Array<[string, number, number, string[]]> {
  return result.problems.map((p) => [p.name, p.maxScore, p.maxScore, []]);
}

/** The texts inside the mark groups `groups` matches in a chart's SVG, in document order. */
function textsIn(svg: string, groups: RegExp): string[] {
  return [...svg.matchAll(groups)].flatMap((group) => [...group[1].matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((t) => t[1]));
}

/** The texts of a chart's text-mark layers (heat-map cells, table rows), layer by layer. */
export function markTexts(svg: string): string[] {
  return textsIn(svg, /<g class="mark-text role-mark [^"]*"[^>]*>(.*?)<\/g>/gs);
}

/** The text of every text mark of one role in a chart's SVG (`legend-label`, `axis-title`, `title-text`, …), in document order. */
export function chartTexts(svg: string, role: string): string[] {
  return textsIn(svg, new RegExp(`<g class="mark-text role-${role}"[^>]*>(.*?)</g>`, 'gs'));
}

/**
 * An assignment's problems, cases and detectors for direct tests of its check code: `contextOf`
 * builds a case's check context as grading does (the case's calls, answered by `answer`, the
 * reference by default, beside the reference's answers).
 */
export function problemTools(spec: AssignmentSpec) {
  const problemOf = (name: string): ProblemSpec => spec.problems.find((p) => p.export === name)!;
  const caseOf = (problem: string, name: string): CaseSpec<unknown[]> => problemOf(problem).cases.find((c) => c.name.startsWith(name))! as CaseSpec<unknown[]>;
  const contextOf = async (problem: string, caseName: string, seed: string, answer?: (...args: unknown[]) => unknown, visible = true): Promise<CheckContext<unknown[], unknown>> => {
    const p = problemOf(problem);
    const c = caseOf(problem, caseName);
    const records = [];
    for (const args of generateCalls(spec.id, p, c, seed)) {
      const output: unknown = await (answer ?? p.reference)(...structuredClone(args));
      const expected: unknown = await p.reference(...structuredClone(args));
      records.push({ args, output, expected });
    }
    return caseContext(records, c.name, visible, seed);
  };
  const detector = (problem: string, id: string) => problemOf(problem).mistakes!.find((m) => m.id === id)!.matches;
  return { problemOf, caseOf, contextOf, detector };
}

/**
 * Grades fixture submissions of a tensor assignment (`<fixtures>/<folder>`, each as its
 * student, seed 0) one after the other, starting before the file's tests; the returned
 * function gives their Results, in order. One after the other: each tensor case runs in a
 * tfjs scope of the grader process (tf.engine().startScope/endScope), and scopes are global
 * to the process, so two tensor gradings interleaved in one process would dispose each
 * other's case inputs. A failed grading is reported by the tests that await it.
 */
export function gradedInTurn(assignment: LoadedAssignment, fixtures: string, submissions: ReadonlyArray<readonly [folder: string, student: string]>): () => Promise<Result[]> {
  let gradings: Promise<Result[]> | undefined;
  beforeAll(() => {
    gradings = (async () => {
      const results: Result[] = [];
      for (const [folder, student] of submissions) results.push(await gradeSubmission({ assignment, submissionDir: path.join(fixtures, folder), student, seed: '0', secret: 'test-secret' }));
      return results;
    })();
    gradings.catch(() => undefined);
  });
  return () => gradings!;
}
