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
import type { TensorCase } from '../run/tensors.ts';
import { callKey } from '../replay/encode.ts';
import { observeAllClose, type ObservedComparison } from '../checks/allclose.ts';

/**
 * The grader's checks replayed in this process, without a sandbox: case inputs seeded
 * exactly as `gradeSubmission` seeds them, the reference's answers, the assignment's output
 * schema, its check and every declared mistake's detector — applied to a TRUSTED
 * implementation (the reference, a declared mistake, a fixture written by the staff). It
 * never runs student code. Tensors and models reach the implementation and come back from it
 * encoded and rebuilt, as they cross the sandbox in grading, each case in its own tfjs scope. What it is for: proving checks and hints right over many
 * student ids and wrong answers at the cost of a function call rather than a process
 * (tests, mutation testing, `mlgrade check`'s hint matrix).
 */

export type Implementation = Record<string, unknown>;

/** Where in a case a call's answer is: for ReplayOptions.transformOutput and observeTolerances. */
export interface CallPlace {
  caseName: string;
  /** The call's index in the case (a case may make several calls). */
  call: number;
}

/** A comparison a check made with allClose on part of an answer itself, as observeTolerances sees it. */
export interface StatedTolerance extends CallPlace {
  problem: string;
  /** Where the compared part is in the answer: object keys and array indices from its root. */
  path: Array<string | number>;
  comparison: ObservedComparison;
}

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
  /** Only the cases this takes. Default: all. */
  include?: (problem: ProblemSpec, c: CaseSpec<unknown[]>) => boolean;
  /**
   * Replaces what the implementation returned before it is validated, e.g. to build a wrong
   * answer from the reference's. Gets the case's problem, the call's arguments and place, and,
   * in a tensor assignment, the case's tfjs runtime (to build tensors that live as long as the case).
   */
  transformOutput?: (output: unknown, problem: ProblemSpec, args: unknown[], place: CallPlace, tensors?: TensorCase) => unknown;
  /**
   * Sees every allClose comparison a check makes on a part of the answer itself (the answer, a
   * field, a row, or what a tensor's arraySync gave), with the part's place and the stated
   * tolerance: what `mlgrade check` moves just beyond and well within that tolerance.
   * Comparisons of values a check derived from the answer are not seen.
   */
  observeTolerances?: (stated: StatedTolerance) => void;
  /**
   * What replays that share it remember: each implementation function's answers by
   * arguments (a deterministic implementation graded for many students then computes a case
   * that every student shares — a photo, a real data set — once), and each case's generated
   * inputs by case and seed (generators are deterministic functions of their seed, so replaying
   * several implementations for one student generates each case once). In a tensor assignment
   * both are kept encoded (tensors and models as data) and rebuilt for each use.
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

type AnyFn = (...args: unknown[]) => unknown;

/**
 * How values move between the replay and the functions it calls: plain data is copied (and
 * answers remembered by their arguments); in a tensor assignment, tensors and models are
 * encoded and rebuilt, as they cross the sandbox in grading, and answers are remembered
 * encoded.
 */
class Calls {
  constructor(
    private readonly memory: ReplayMemory | undefined,
    private readonly tensors: TensorCase | undefined,
  ) {}

  /**
   * What `fn` (a trusted implementation's function) answers to `args`, on a copy of them, as
   * call `call` of its case. Remembered by the call's place as well as its arguments: a case
   * that calls twice with the same arguments (the same seed twice) gets two answers, so a
   * function that ignores its seed is seen to.
   */
  async answer(fn: unknown, name: string, args: unknown[], call: number, reference?: AnyFn): Promise<unknown> {
    if (typeof fn !== 'function') throw new Error(`${name} is not a function`);
    // The reference answering its own case (it is the implementation replayed): a deterministic
    // function of its arguments, so its answer is the expected one, computed once for both.
    if (fn === reference) return this.reference(reference, args);
    const { tensors } = this;
    const placed = (key: string | undefined) => (key === undefined ? undefined : `${call}\u0000${key}`);
    if (!tensors) return this.remembered(fn, () => placed(argumentsKey(args)), () => Promise.resolve((fn as AnyFn)(...structuredClone(args))), structuredClone);
    return this.remembered(
      fn,
      () => placed(callKey('', name, args)),
      async () => {
        const raw = await (fn as AnyFn)(...((await tensors.decode(await tensors.encode(args))) as unknown[]));
        try {
          return (await tensors.encode([raw]))[0];
        } finally {
          tensors.release(raw);
        }
      },
      (encoded) => tensors.decode(structuredClone(encoded)),
    );
  }

  /** The reference's answer to a call, on the copy grading gives it (tensors cloned). */
  async reference(fn: AnyFn, args: unknown[]): Promise<unknown> {
    const { tensors } = this;
    if (!tensors) return lazyReference(fn, args)();
    return this.remembered(
      fn,
      () => callKey('', fn.name, args),
      async () => (await tensors.encode([await fn(...tensors.forReference(args))]))[0],
      (encoded) => tensors.decode(structuredClone(encoded)),
    );
  }

  /**
   * `compute()`, remembered by `fn` and `key()` when the replay has a memory; `copy` makes what
   * the caller gets of a remembered value (without a memory, the value itself is returned).
   */
  private async remembered<T>(fn: object, key: () => string | undefined, compute: () => Promise<T>, copy: (value: T) => unknown): Promise<unknown> {
    const answers = this.memory ? this.memory.answers.get(fn) ?? new Map<string, unknown>() : undefined;
    const k = answers ? key() : undefined;
    if (!answers || k === undefined) return this.tensors ? copy(await compute()) : compute();
    this.memory!.answers.set(fn, answers);
    if (!answers.has(k)) answers.set(k, await compute());
    return copy(answers.get(k) as T);
  }
}

/**
 * The reference's answer, computed when a check first reads it: many checks never do (they
 * test invariants of the answer alone), and a reference can cost more than its check.
 * References of assignments without tensors are synchronous; an asynchronous one is an
 * error here, said plainly. (A tensor assignment's answers are awaited up front: Calls.reference.)
 */
function lazyReference(reference: AnyFn, args: unknown[]): () => unknown {
  let answer: { value: unknown } | undefined;
  return () => {
    if (answer) return answer.value;
    const copy = structuredClone(args);
    const memory = rememberedAnswer(reference, copy);
    if (memory?.found) return (answer = { value: memory.value }).value;
    const value: unknown = reference(...copy);
    if (value instanceof Promise) throw new Error(`replayChecks: the reference ${reference.name} is asynchronous, which replaying an assignment without tensors does not support`);
    memory?.remember(value);
    return (answer = { value }).value;
  };
}

/** Each array (and tensor) inside an answer, with its place: what observeTolerances recognises allClose's `got` by. */
function answerParts(value: unknown, path: Array<string | number>, parts: Map<object, Array<string | number>>): void {
  if (Array.isArray(value)) {
    parts.set(value, path);
    value.forEach((item, i) => answerParts(item, [...path, i], parts));
  } else if (value !== null && typeof value === 'object') {
    if (typeof (value as { arraySync?: unknown }).arraySync === 'function' && Array.isArray((value as { shape?: unknown }).shape)) {
      // A tensor: checks compare what its arraySync returns, so that array stands for it.
      const tensor = value as { arraySync: () => unknown };
      const arraySync = tensor.arraySync.bind(tensor);
      Object.defineProperty(tensor, 'arraySync', {
        configurable: true,
        value: () => {
          const array = arraySync();
          if (array !== null && typeof array === 'object') parts.set(array, path);
          return array;
        },
      });
    } else if (Object.getPrototypeOf(value) === Object.prototype) {
      for (const [key, item] of Object.entries(value)) answerParts(item, [...path, key], parts);
    }
  }
}

export async function replayChecks(options: ReplayOptions): Promise<ReplayedCase[]> {
  const { assignment } = options;
  const { spec } = assignment;
  const tensors = spec.tensors ? await import('../run/tensors.ts') : undefined;
  if (tensors) await tensors.startBackend();
  const replayed: ReplayedCase[] = [];
  const findings = new Map<string, unknown>();
  for (const problem of spec.problems) {
    if (options.problems && !options.problems.includes(problem.export)) continue;
    for (const c of problem.cases as Array<CaseSpec<unknown[]>>) {
      const visibility = c.visibility ?? 'visible';
      if (options.visibilities && !options.visibilities.includes(visibility)) continue;
      if (options.cases && !options.cases.includes(c.name)) continue;
      if (options.include && !options.include(problem, c)) continue;
      const tensorCase = tensors?.beginTensorCase();
      try {
        const result = await replayCase(options, problem, c, findings, tensorCase);
        if (result) replayed.push(result);
      } finally {
        tensorCase?.end();
      }
    }
  }
  return replayed;
}

async function replayCase(options: ReplayOptions, problem: ProblemSpec, c: CaseSpec<unknown[]>, findings: Map<string, unknown>, tensors: TensorCase | undefined): Promise<ReplayedCase | undefined> {
  const { spec } = options.assignment;
  const { implementation } = options;
  const student = options.student ?? 'anonymous';
  const seed = options.seed ?? '0';
  const visibility = c.visibility ?? 'visible';
  const base = { problem: problem.export, caseName: c.name, visibility };
  const caseSeedValue = caseSeed(visibility, { assignment: spec.id, problem: problem.export, caseName: c.name, group: c.seedGroup, student, seed, secret: options.secret });
  const calls = new Calls(options.memory, tensors);
  // By case as well as seed: the cases of a seed group share their seed, not their generator.
  // (A case's seed also fixes the student and the seed, and so the variant.)
  const inputsKey = `${problem.export}\u0000${c.name}\u0000${caseSeedValue}`;
  let generated = options.memory?.inputs.get(inputsKey);
  if (!generated) {
    generated = generateCalls(spec.id, problem, c, caseSeedValue, variantFor(spec, student, seed));
    // A tensor case's inputs are kept encoded: its tensors end with the case.
    if (tensors) generated = await tensors.encode(generated) as unknown[][];
    options.memory?.inputs.set(inputsKey, generated);
  }
  // Fresh tensors for the case from the encoded inputs; plain data as generated (a copy when remembered).
  const inputs = tensors ? ((await tensors.decode(generated)) as unknown[][]) : options.memory ? structuredClone(generated) : generated;
  if (options.skipSeenInputs) {
    const key = `${problem.export}\u0000${(tensors ? callKey('', problem.export, inputs) : argumentsKey(generated)) ?? caseSeedValue}`;
    if (options.skipSeenInputs.has(key)) return undefined;
    options.skipSeenInputs.add(key);
  }
  const records: Array<CallRecord<unknown[], unknown>> = [];
  const partsOfCall: Array<Map<object, Array<string | number>>> = [];
  for (const [index, args] of inputs.entries()) {
    const failed = (error: string): ReplayedCase => ({ ...base, score: 0, message: error, matches: [], error });
    let output: unknown;
    try {
      output = await calls.answer(implementation[problem.export], problem.export, args, index, problem.referenceUnused ? undefined : problem.reference);
    } catch (thrown) {
      return failed(`${problem.export} threw ${(thrown as Error).message}`);
    }
    if (options.transformOutput) output = options.transformOutput(output, problem, args, { caseName: c.name, call: index }, tensors);
    const validated = validateValue(problem.output, output, 'result');
    if (!validated.ok) return failed(`${problem.export} returned an invalid value: ${validated.message}`);
    // Plain references wait until a check reads their answer; tensor ones are awaited now.
    const expected = problem.referenceUnused ? () => undefined : tensors ? ((value: unknown) => () => value)(await calls.reference(problem.reference, args)) : lazyReference(problem.reference, args);
    const record: CallRecord<unknown[], unknown> = {
      args,
      output: validated.value,
      get expected() {
        return expected();
      },
    };
    if (problem.followUp) {
      const followUp = problem.followUp;
      const followArgs = followUp.args(args, validated.value);
      let answer: unknown;
      try {
        answer = await calls.answer(implementation[followUp.export], followUp.export, followArgs, index, problem.referenceUnused ? undefined : (followUp.reference as AnyFn));
      } catch (thrown) {
        return failed(`${followUp.export} threw ${(thrown as Error).message}`);
      }
      const checked = validateValue(followUp.output, answer, 'result');
      if (!checked.ok) return failed(`${followUp.export} returned an invalid value: ${checked.message}`);
      const followExpected = problem.referenceUnused ? undefined : await calls.reference(followUp.reference as AnyFn, followUp.args(args, expected()));
      record.followUp = { args: followArgs, output: checked.value, expected: followExpected };
    }
    if (options.observeTolerances) {
      const mine = new Map<object, Array<string | number>>();
      answerParts(validated.value, [], mine);
      partsOfCall.push(mine);
    }
    records.push(record);
  }
  const context = caseContext(records, c.name, visibility === 'visible', caseSeedValue, findings);
  const observe = options.observeTolerances;
  const verdict: Verdict = observe
    ? await observeAllClose(
        (comparison) => {
          // A part of an answer by identity; a number answer by value (numbers have no identity).
          const { got } = comparison;
          const call = typeof got === 'number' ? records.findIndex((r) => Object.is(r.output, got)) : partsOfCall.findIndex((mine) => mine.has(got));
          const path = typeof got === 'number' ? [] : partsOfCall[call]?.get(got);
          if (call >= 0 && path) observe({ problem: problem.export, caseName: c.name, call, path, comparison });
        },
        () => problem.check(context),
      )
    : await problem.check(context);
  const score = earnedScore(verdict);
  const matches = score < 1 ? matchingMistakes(problem, context).map((m) => m.id) : [];
  return { ...base, score, message: verdict.message, matches };
}
