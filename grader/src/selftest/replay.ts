import { pathToFileURL } from 'node:url';
import path from 'node:path';
import type { CallRecord, CaseSpec, ProblemSpec, Visibility } from '../assignment/define.ts';
import type { LoadedAssignment } from '../assignment/load.ts';
import { validateValue } from '../checks/values.ts';
import { earnedScore, type Verdict } from '../checks/verdict.ts';
import { caseContext, generateCalls } from '../cases/calls.ts';
import { variantFor } from '../cases/variant.ts';
import { matchingMistakes } from '../checks/mistakes.ts';
import { caseSeed } from '../run/seeds.ts';
import { argumentsKey, rememberedAnswer } from '../run/reference-cache.ts';

/**
 * The grader's checks replayed in this process, without a sandbox: case inputs seeded
 * exactly as `gradeSubmission` seeds them, the reference's answers, the assignment's output
 * schema, its check and every declared mistake's detector — applied to a TRUSTED
 * implementation (the reference, a declared mistake, a fixture written by the staff). It
 * never runs student code. What it is for: proving checks and hints right over many
 * student ids and wrong answers at the cost of a function call rather than a process
 * (tests, mutation testing, `mlgrade check`'s hint matrix).
 */

export type Implementation = Record<string, unknown>;

export interface ReplayOptions {
  assignment: LoadedAssignment;
  implementation: Implementation;
  student?: string;
  seed?: string;
  secret: string;
  /** Only these problems (export names). Default: all. */
  problems?: readonly string[];
  /** Only the cases of these names. Default: all. */
  cases?: readonly string[];
  /** Only cases of these visibilities. Default: all. */
  visibilities?: readonly Visibility[];
  /**
   * Replaces what the implementation returned before it is validated, e.g. to build a wrong
   * answer from the reference's. Gets the case's problem and arguments.
   */
  transformOutput?: (output: unknown, problem: ProblemSpec, args: unknown[]) => unknown;
  /**
   * What replays that share it remember: each implementation function's answers by
   * arguments (a deterministic implementation graded for many students then computes a case
   * that every student shares — a photo, a real data set — once), and each case's generated
   * inputs by case and seed (generators are deterministic functions of their seed, so replaying
   * several implementations for one student generates each case once).
   */
  memory?: ReplayMemory;
  /**
   * Cases whose inputs are in this set (by problem and arguments) are skipped; replayed ones
   * are added. For one deterministic implementation over many students, a case every student
   * shares (a photo, a real data set) then runs once, for the first student.
   */
  skipSeenInputs?: Set<string>;
}

export interface ReplayMemory {
  answers: WeakMap<object, Map<string, unknown>>;
  inputs: Map<string, unknown[][]>;
}

export function replayMemory(): ReplayMemory {
  return { answers: new WeakMap(), inputs: new Map() };
}

export interface ReplayedCase {
  problem: string;
  caseName: string;
  visibility: Visibility;
  score: number;
  message: string;
  /** Every declared mistake of the problem whose detector matches (consulted only when score < 1, as in grading). */
  matches: string[];
  /** The implementation threw, or returned a value the output schema refused. */
  error?: string;
}

export async function referenceImplementation(assignment: LoadedAssignment): Promise<Implementation> {
  return (await import(pathToFileURL(path.join(assignment.solutionDir, assignment.spec.module)).href)) as Implementation;
}

/** The functions a declared mistake's file exports: the ones it replaces in the reference. */
export async function mistakeFunctions(assignment: LoadedAssignment, mistakeId: string): Promise<Implementation> {
  const mistake = (await import(pathToFileURL(path.join(assignment.mistakesDir, `${mistakeId}.ts`)).href)) as Implementation;
  return Object.fromEntries(Object.entries(mistake).filter(([, value]) => typeof value === 'function'));
}

/** The reference, with a declared mistake's functions in place of its own (like `buildMistakeSubmission`). */
export async function mistakeImplementation(assignment: LoadedAssignment, mistakeId: string): Promise<Implementation> {
  return { ...(await referenceImplementation(assignment)), ...(await mistakeFunctions(assignment, mistakeId)) };
}

/**
 * The reference's answer, computed when a check first reads it: many checks never do (they
 * test invariants of the answer alone), and a reference can cost more than its check.
 * References of assignments without tensors are synchronous; an asynchronous one is an
 * error here, said plainly.
 */
function referenceAnswer(problem: ProblemSpec, args: unknown[]): () => unknown {
  let answer: { value: unknown } | undefined;
  return () => {
    if (answer) return answer.value;
    const copy = structuredClone(args);
    const memory = rememberedAnswer(problem.reference, copy);
    if (memory?.found) return (answer = { value: memory.value }).value;
    const value: unknown = problem.reference(...copy);
    if (value instanceof Promise) throw new Error(`replayChecks: the reference of ${problem.export} is asynchronous, which replaying does not support`);
    memory?.remember(value);
    return (answer = { value }).value;
  };
}

async function answerOf(fn: unknown, name: string, args: unknown[], memory: ReplayMemory | undefined): Promise<unknown> {
  if (typeof fn !== 'function') throw new Error(`${name} is not a function`);
  const key = memory ? argumentsKey(args) : undefined;
  let answers: Map<string, unknown> | undefined;
  if (memory && key !== undefined) {
    answers = memory.answers.get(fn);
    if (!answers) memory.answers.set(fn, (answers = new Map<string, unknown>()));
    if (answers.has(key)) return structuredClone(answers.get(key));
  }
  const output: unknown = await (fn as (...a: unknown[]) => unknown)(...structuredClone(args));
  answers?.set(key!, structuredClone(output));
  return output;
}

export async function replayChecks(options: ReplayOptions): Promise<ReplayedCase[]> {
  const { assignment, implementation } = options;
  const { spec } = assignment;
  if (spec.tensors) throw new Error(`replayChecks: ${spec.id} passes tensors, which replaying in one process does not support yet`);
  const student = options.student ?? 'anonymous';
  const seed = options.seed ?? '0';
  const variant = variantFor(spec, student, seed);
  const replayed: ReplayedCase[] = [];
  const findings = new Map<string, unknown>();
  for (const problem of spec.problems) {
    if (options.problems && !options.problems.includes(problem.export)) continue;
    const fn = implementation[problem.export];
    for (const c of problem.cases as Array<CaseSpec<unknown[]>>) {
      const visibility = c.visibility ?? 'visible';
      if (options.visibilities && !options.visibilities.includes(visibility)) continue;
      if (options.cases && !options.cases.includes(c.name)) continue;
      const base = { problem: problem.export, caseName: c.name, visibility };
      const caseSeedValue = caseSeed(visibility, { assignment: spec.id, problem: problem.export, caseName: c.name, group: c.seedGroup, student, seed, secret: options.secret });
      const records: Array<CallRecord<unknown[], unknown>> = [];
      let error: string | undefined;
      // By case as well as seed: the cases of a seed group share their seed, not their generator.
      // (A case's seed also fixes the student and the seed, and so the variant.)
      const inputsKey = `${problem.export}\u0000${c.name}\u0000${caseSeedValue}`;
      let calls = options.memory?.inputs.get(inputsKey);
      if (!calls) {
        calls = generateCalls(spec.id, problem, c, caseSeedValue, variant);
        options.memory?.inputs.set(inputsKey, calls);
      }
      if (options.skipSeenInputs) {
        const key = `${problem.export}\u0000${argumentsKey(calls) ?? caseSeedValue}`;
        if (options.skipSeenInputs.has(key)) continue;
        options.skipSeenInputs.add(key);
      }
      for (const original of calls) {
        const args = options.memory ? structuredClone(original) : original;
        const expected = referenceAnswer(problem, args);
        let output: unknown;
        try {
          output = await answerOf(fn, problem.export, args, options.memory);
        } catch (thrown) {
          error = `${problem.export} threw ${(thrown as Error).message}`;
          break;
        }
        if (options.transformOutput) output = options.transformOutput(output, problem, args);
        const validated = validateValue(problem.output, output, 'result');
        if (!validated.ok) {
          error = `${problem.export} returned an invalid value: ${validated.message}`;
          break;
        }
        records.push({
          args,
          output: validated.value,
          get expected() {
            return expected();
          },
        });
      }
      if (error !== undefined) {
        replayed.push({ ...base, score: 0, message: error, matches: [], error });
        continue;
      }
      const context = caseContext(records, c.name, visibility === 'visible', caseSeedValue, findings);
      const verdict: Verdict = await problem.check(context);
      const score = earnedScore(verdict);
      const matches = score < 1 ? matchingMistakes(problem, context).map((m) => m.id) : [];
      replayed.push({ ...base, score, message: verdict.message, matches });
    }
  }
  return replayed;
}
