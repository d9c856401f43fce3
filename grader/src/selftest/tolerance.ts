import type { ProblemSpec } from '../assignment/define.ts';
import type { LoadedAssignment } from '../assignment/load.ts';
import type { ObservedComparison } from '../checks/allclose.ts';
import type { TensorCase } from '../run/tensors.ts';
import { hasNumbers, moveBy, nudgeAnswer, scrambleAnswer } from './perturb.ts';
import { type CallPlace, referenceImplementation, replayChecks, type ReplayMemory, replayMemory, type StatedTolerance } from './replay.ts';

/**
 * `mlgrade check`'s tolerance sanity. The reference's answers are replayed through each
 * problem's output schema and check in this process (selftest/replay.ts), every case, visible
 * and hidden, moved four ways:
 *
 * - nudged at rounding level: full marks must stay (a correct answer never loses points to rounding);
 * - scrambled: every problem must lose points somewhere (a check that does not accepts everything);
 * - moved just beyond the tolerance its check states (every allClose on part of the answer
 *   itself): the case must lose points;
 * - moved well within that tolerance: full marks must stay.
 */

/** Adds a row of the table; `warning` marks a row that holds but needs the instructor's eye. */
export type AddRow = (check: string, ok: boolean, detail: string, warning?: boolean) => void;

/** How far mlgrade check moves the reference's answers to stand for rounding: about 450 units in the last place. */
export const ROUNDING_LEVEL = 1e-13;
/** The same for float32 numbers (tensors): about 8 units in the last place of a float32. */
export const FLOAT32_ROUNDING_LEVEL = 1e-6;
/** "Just beyond" a stated tolerance: every number this many tolerances from the expected one. */
export const BEYOND = 1.5;
/** "Well within" a stated tolerance. */
export const WITHIN = 0.1;

/** "1 problem", "3 problems". */
const counted = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

const caseKey = (problem: string, caseName: string): string => `${problem}\u0000${caseName}`;

type Nested = ObservedComparison['expected'];
type Path = Array<string | number>;

/** One part of one call's answer that a check compared with allClose, and every such comparison. */
interface StatedPart {
  call: number;
  path: Path;
  comparisons: ObservedComparison[];
}

/** The number at `index` inside a nested array, or undefined where the shapes differ. */
function leafAt(value: Nested, index: readonly number[]): number | undefined {
  let node: Nested | undefined = value;
  for (const i of index) node = Array.isArray(node) ? (node as readonly Nested[])[i] : undefined;
  return typeof node === 'number' ? node : undefined;
}

/**
 * The part's expected values (its first comparison's) moved `factor` times the tolerance: the
 * largest any comparison of the part states when moving beyond, the smallest when within.
 */
function movedPart(part: StatedPart, factor: number, float32: boolean): Nested {
  const [first] = part.comparisons;
  const walk = (e: Nested, index: number[]): Nested => {
    if (Array.isArray(e)) return (e as readonly Nested[]).map((item, i) => walk(item, [...index, i]));
    const tolerances = part.comparisons.flatMap((c) => {
      const centre = leafAt(c.expected, index);
      return centre === undefined ? [] : [c.atol + c.rtol * Math.abs(centre)];
    });
    return moveBy(e as number, factor > 1 ? Math.max(...tolerances) : Math.min(...tolerances), factor, float32);
  };
  return walk(first.expected, []);
}

function flatten(value: Nested, into: number[] = []): number[] {
  if (Array.isArray(value)) for (const item of value as readonly Nested[]) flatten(item, into);
  else into.push(value as number);
  return into;
}

const isTensor = (value: unknown): value is { dtype: string } => value !== null && typeof value === 'object' && typeof (value as { dataSync?: unknown }).dataSync === 'function';

/** `value` with the part at `path` replaced (copies along the path; the rest is shared). */
function replaced(value: unknown, path: Path, replace: (part: unknown) => unknown): unknown {
  if (path.length === 0) return replace(value);
  const [key, ...rest] = path;
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    const copy = Array.from(value as ArrayLike<unknown>);
    copy[key as number] = replaced(copy[key as number], rest, replace);
    return copy;
  }
  const record = value as Record<string, unknown>;
  return { ...record, [key]: replaced(record[key], rest, replace) };
}

/** An answer with its stated parts moved `factor` tolerances from their expected values (tensors rebuilt in the case's scope). */
function moveParts(output: unknown, parts: readonly StatedPart[], factor: number, tensors: TensorCase | undefined): unknown {
  let moved = output;
  // Outer parts first, so a part inside one is moved by its own comparison.
  for (const part of [...parts].sort((a, b) => a.path.length - b.path.length)) {
    moved = replaced(moved, part.path, (current) => {
      if (isTensor(current)) {
        const values = flatten(movedPart(part, factor, current.dtype === 'float32'));
        let i = 0;
        return tensors?.mapFloats(current, () => values[i++]) ?? current;
      }
      return movedPart(part, factor, current instanceof Float32Array);
    });
  }
  return moved;
}

export async function checkTolerances(assignment: LoadedAssignment, add: AddRow, options: { only?: readonly string[]; student: string; secret: string; memory?: ReplayMemory }): Promise<void> {
  const { spec } = assignment;
  const implementation = await referenceImplementation(assignment);
  const memory = options.memory ?? replayMemory();
  type Transform = (output: unknown, problem: ProblemSpec, args: unknown[], place: CallPlace, tensors?: TensorCase) => unknown;
  const replay = (transformOutput: Transform, observeTolerances?: (stated: StatedTolerance) => void, include?: (problem: ProblemSpec, c: { name: string }) => boolean) =>
    replayChecks({ assignment, implementation, student: options.student, secret: options.secret, memory, transformOutput, observeTolerances, problems: options.only, include });
  const exact = new Set(spec.problems.flatMap((p) => p.cases.filter((c) => c.exact).map((c) => caseKey(p.export, c.name))));
  const problems = options.only ?? spec.problems.map((p) => p.export);

  // Nudged at rounding level; the tolerances the checks state are learnt on the way.
  const stated = new Map<string, Map<string, StatedPart>>();
  const learn = ({ problem, caseName, call, path, comparison }: StatedTolerance): void => {
    const key = caseKey(problem, caseName);
    const parts = stated.get(key) ?? new Map<string, StatedPart>();
    stated.set(key, parts);
    const where = `${call}\u0000${path.join('\u0000')}`;
    const part = parts.get(where) ?? { call, path, comparisons: [] };
    parts.set(where, part);
    part.comparisons.push(comparison);
  };
  const nudged = (await replay((output, _p, _a, _place, tensors) => nudgeAnswer(output, ROUNDING_LEVEL, FLOAT32_ROUNDING_LEVEL, tensors?.mapFloats), learn)).filter(
    (c) => c.score < 1 && !exact.has(caseKey(c.problem, c.caseName)),
  );
  add(
    'answers nudged at rounding level keep full marks',
    nudged.length === 0,
    `${nudged.length === 0 ? `every case${exact.size > 0 ? ` but the ${exact.size} declared exact` : ''}` : nudged.map((c) => `${c.problem} / ${c.caseName}: ${c.message.split('\n')[0]}`).join('; ')} (moved by ${ROUNDING_LEVEL}${spec.tensors ? `, float32 by ${FLOAT32_ROUNDING_LEVEL.toExponential()}` : ''})`,
  );

  // Scrambled.
  const numeric = new Set<string>();
  const scrambled = await replay((output, problem, _a, _place, tensors) => {
    if (hasNumbers(output, tensors?.mapFloats)) numeric.add(problem.export);
    return scrambleAnswer(output, tensors?.mapFloats);
  });
  const accepting = problems.filter((p) => numeric.has(p) && scrambled.filter((c) => c.problem === p).every((c) => c.score >= 1));
  const unjudged = problems.filter((p) => !numeric.has(p));
  add(
    'every check rejects scrambled answers',
    accepting.length === 0,
    [
      accepting.length === 0 ? counted(problems.length - unjudged.length, 'problem') : accepting.map((p) => `${p} gave full marks on every case to the reference's answers with their numbers scrambled: its check accepts everything`).join('; '),
      unjudged.length > 0 ? `no number in the answers of ${unjudged.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; '),
  );

  // Just beyond, and well within, the stated tolerances.
  const move = (factor: number): Transform => (output, problem, _a, { caseName, call }, tensors) => {
    const parts = [...(stated.get(caseKey(problem.export, caseName))?.values() ?? [])].filter((p) => p.call === call);
    return parts.length === 0 ? output : moveParts(output, parts, factor, tensors);
  };
  // Only the cases with stated tolerances are replayed moved.
  const withStated = (problem: ProblemSpec, c: { name: string }): boolean => stated.has(caseKey(problem.export, c.name));
  const describeParts = (problem: string, caseName: string): string =>
    [...stated.get(caseKey(problem, caseName))!.values()]
      .map(({ path, comparisons: [c] }) => `${['result', ...path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`))].join('').replace(/^result\./, '')} (rtol ${c.rtol}, atol ${c.atol.toPrecision(3)})`)
      .join(', ');
  const beyond = (await replay(move(BEYOND), undefined, withStated)).filter((c) => c.score >= 1);
  const statedProblems = problems.filter((p) => [...stated.keys()].some((k) => k.startsWith(`${p}\u0000`)));
  const invariantsOnly = problems.filter((p) => !statedProblems.includes(p));
  add(
    `answers moved ${BEYOND}× their stated tolerance lose points`,
    beyond.length === 0,
    beyond.length === 0
      ? `${counted(stated.size, 'case')} of ${counted(statedProblems.length, 'problem')}${invariantsOnly.length > 0 ? `; no tolerance stated on the answer itself (judged by invariants, or exactly): ${invariantsOnly.join(', ')}` : ''}`
      : beyond.map((c) => `${c.problem} / ${c.caseName} kept full marks with ${describeParts(c.problem, c.caseName)} moved ${BEYOND}× the tolerance its check states: the check does not hold the answer to it`).join('; '),
  );
  const within = (await replay(move(WITHIN), undefined, withStated)).filter((c) => c.score < 1 && !exact.has(caseKey(c.problem, c.caseName)));
  add(
    `answers moved ${WITHIN}× their stated tolerance keep full marks`,
    within.length === 0,
    within.length === 0 ? `${counted(stated.size, 'case')}` : within.map((c) => `${c.problem} / ${c.caseName} lost points with ${describeParts(c.problem, c.caseName)} moved ${WITHIN}× the stated tolerance: ${c.message.split('\n')[0]}`).join('; '),
  );
}
