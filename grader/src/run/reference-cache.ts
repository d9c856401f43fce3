import { createHash, type Hash } from 'node:crypto';
import type { AnyFunction } from '../assignment/define.ts';

/**
 * Reference answers by reference function and arguments. References are deterministic
 * functions of their arguments (they run on a copy, in the trusted process), so an answer
 * computed for one submission is the answer for every other: `mlgrade check` and batch
 * grading then pay once for cases that every student shares (a photo, a real data set).
 * Bounded, oldest first out. The grader does not use it for tensor assignments (their values
 * live in tfjs; keeping them encoded was tried, and made `mlgrade export adversarial
 * autoencoders`, which grades every declared mistake, no faster: 63.5 s and 62.3 s).
 */
const referenceCache = new WeakMap<AnyFunction, Map<string, { value: unknown }>>();
/** Per reference function; the oldest answer makes room for a new one. */
const REFERENCE_CACHE_ENTRIES = 64;

class Uncacheable extends Error {}

/**
 * Feeds a value to the hash in an encoding that tells apart everything the grader's inputs
 * hold: each part is tagged, strings and containers carry their lengths, and numbers go in as
 * their 8 bytes (so −0, NaN and ±Infinity are kept apart, and an array of numbers is one
 * update). Maps, sets, class instances, functions, bigints, symbols and cycles cannot be keys.
 * It replaced JSON.stringify with a replacer, whose call per number took 8.7 s of a
 * `mlgrade check pca` and 11 s of a `mlgrade check text-embeddings` (measured by profiling).
 */
function feed(hash: Hash, value: unknown, within: Set<object>): void {
  if (value === undefined) hash.update('u');
  else if (value === null) hash.update('n');
  else if (typeof value === 'boolean') hash.update(value ? 't' : 'f');
  else if (typeof value === 'number') hash.update('d').update(new Uint8Array(Float64Array.of(value).buffer));
  else if (typeof value === 'string') hash.update(`s${value.length}:`).update(value, 'utf16le');
  else if (typeof value !== 'object') throw new Uncacheable(); // bigint, function, symbol
  else if (ArrayBuffer.isView(value) && !(value instanceof DataView)) hash.update(`v${value.constructor.name}:${value.byteLength}:`).update(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
  else if (within.has(value)) throw new Uncacheable();
  else if (Array.isArray(value)) {
    let numbers = true;
    for (let i = 0; i < value.length && numbers; i++) numbers = typeof value[i] === 'number'; // a hole is not a number
    if (numbers) {
      hash.update(`D${value.length}:`).update(new Uint8Array(Float64Array.from(value as number[]).buffer));
      return;
    }
    within.add(value);
    hash.update(`a${value.length}:`);
    for (const v of value as unknown[]) feed(hash, v, within);
    within.delete(value);
  } else if (Object.getPrototypeOf(value) === Object.prototype) {
    within.add(value);
    const keys = Object.keys(value);
    hash.update(`o${keys.length}:`);
    for (const key of keys) {
      hash.update(`${key.length}:`).update(key, 'utf16le');
      feed(hash, (value as Record<string, unknown>)[key], within);
    }
    within.delete(value);
  } else throw new Uncacheable();
}

/** The cache key of a call, or undefined for arguments that cannot be told apart by content (Maps, class instances, …). */
export function argumentsKey(args: unknown[]): string | undefined {
  const hash = createHash('sha256');
  try {
    feed(hash, args, new Set());
  } catch (error) {
    if (error instanceof Uncacheable) return undefined;
    throw error;
  }
  return hash.digest('hex');
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
