import { createHash } from 'node:crypto';
import type { AnyFunction } from '../assignment/define.ts';

/**
 * Reference answers by reference function and arguments. References are deterministic
 * functions of their arguments (they run on a copy, in the trusted process), so an answer
 * computed for one submission is the answer for every other: `mlgrade check` and batch
 * grading then pay once for cases that every student shares (a photo, a real data set).
 * Bounded, oldest first out. The grader does not use it for tensor assignments (their values
 * live in tfjs).
 */
const referenceCache = new WeakMap<AnyFunction, Map<string, { value: unknown }>>();
/** Per reference function; the oldest answer makes room for a new one. */
const REFERENCE_CACHE_ENTRIES = 64;

/** JSON would make NaN, ±Infinity and undefined all `null`, and -0 plain 0: keep them apart. */
function keyPart(_key: string, value: unknown): unknown {
  if (value === undefined) return '\u0000undefined';
  if (typeof value === 'number' && (!Number.isFinite(value) || Object.is(value, -0))) return `\u0000${Object.is(value, -0) ? '-0' : String(value)}`;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return { [value.constructor.name]: Array.from(value as unknown as ArrayLike<number | bigint>, String) };
  if (typeof value === 'bigint' || typeof value === 'function' || typeof value === 'symbol') throw new Uncacheable();
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.getPrototypeOf(value) !== Object.prototype) throw new Uncacheable();
  return value;
}

class Uncacheable extends Error {}

/** The cache key of a call, or undefined for arguments JSON cannot tell apart (Maps, class instances, …). */
export function argumentsKey(args: unknown[]): string | undefined {
  let text: string;
  try {
    text = JSON.stringify(args, keyPart);
  } catch (error) {
    if (error instanceof Uncacheable) return undefined;
    throw error;
  }
  return createHash('sha256').update(text).digest('hex');
}

function answersOf(reference: AnyFunction): Map<string, { value: unknown }> {
  let answers = referenceCache.get(reference);
  if (!answers) referenceCache.set(reference, (answers = new Map<string, { value: unknown }>()));
  return answers;
}

function rememberReference(answers: Map<string, { value: unknown }>, key: string, value: unknown): void {
  let copy: unknown;
  try {
    copy = structuredClone(value);
  } catch {
    return; // an answer that cannot be copied (e.g. holding a function) is simply not remembered
  }
  if (answers.size >= REFERENCE_CACHE_ENTRIES) answers.delete(answers.keys().next().value!);
  answers.set(key, { value: copy });
}

/**
 * What is remembered for one call of a reference: its answer (a fresh copy) if this
 * reference has answered these arguments before, and a way to remember a new answer.
 * Undefined for arguments that cannot serve as a key.
 */
export function rememberedAnswer(reference: AnyFunction, args: unknown[]): { found: boolean; value?: unknown; remember: (value: unknown) => void } | undefined {
  const key = argumentsKey(args);
  if (key === undefined) return undefined;
  const answers = answersOf(reference);
  const remembered = answers.get(key);
  return {
    found: remembered !== undefined,
    value: remembered === undefined ? undefined : structuredClone(remembered.value),
    remember: (value) => rememberReference(answers, key, value),
  };
}
