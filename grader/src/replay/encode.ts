import { createHash, type Hash } from 'node:crypto';

/**
 * Recorded answers (see replay.ts) are stored as JSON. These functions turn the values the
 * course's reference and mistake functions take and return into a key (a hash of the
 * arguments) and into JSON, and back: numbers (with −0, NaN and ±∞), strings, booleans,
 * null, undefined, arrays, plain objects, typed arrays and tf.Tensors; arguments may also
 * hold tf.LayersModels, which are identified by their layers and weights.
 */

/** The slice of tfjs that decoding a tensor needs; tensor assignments pass their `tf`. */
export interface TensorFactory {
  // Loosely typed: tfjs's own signature is generic over ranks and dtypes.
  tensor: (...args: never[]) => unknown;
}

interface TensorLike {
  shape: number[];
  dtype: string;
  dataSync(): ArrayLike<number>;
}

interface ModelLike {
  layers: Array<{ getClassName(): string }>;
  getWeights(): TensorLike[];
  predict: unknown;
}

const TYPED_ARRAYS = { Float32Array, Float64Array, Int32Array, Uint8Array, Uint8ClampedArray, Int8Array, Int16Array, Uint16Array, Uint32Array } as const;
type TypedArrayName = keyof typeof TYPED_ARRAYS;

function isTensor(value: object): value is TensorLike {
  return typeof (value as Partial<TensorLike>).dataSync === 'function' && Array.isArray((value as Partial<TensorLike>).shape) && typeof (value as Partial<TensorLike>).dtype === 'string';
}

function isModel(value: object): value is ModelLike {
  return typeof (value as Partial<ModelLike>).getWeights === 'function' && typeof (value as Partial<ModelLike>).predict === 'function' && Array.isArray((value as Partial<ModelLike>).layers);
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

function typedArrayName(value: object): TypedArrayName | undefined {
  if (!ArrayBuffer.isView(value) || value instanceof DataView) return undefined;
  const name = value.constructor.name;
  return name in TYPED_ARRAYS ? (name as TypedArrayName) : undefined;
}

/** Thrown for a value the replay format cannot hold (a function, a Map, a class instance). */
export class UnrecordableError extends Error {
  override name = 'UnrecordableError';
}

function describe(value: unknown): string {
  if (typeof value !== 'object' || value === null) return typeof value;
  return (value.constructor as { name?: string } | undefined)?.name ?? 'object';
}

function bytesOf(view: ArrayBufferView): Buffer {
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength);
}

/** Feeds a canonical form of `value` into `hash`: equal values (to the bit) give equal streams. */
function feed(hash: Hash, value: unknown): void {
  if (value === undefined) return void hash.update('u;');
  if (value === null) return void hash.update('z;');
  switch (typeof value) {
    case 'number': {
      const bits = Buffer.alloc(8);
      bits.writeDoubleLE(value);
      hash.update('n');
      return void hash.update(bits);
    }
    case 'string':
      return void hash.update(`s${value.length}:${value}`);
    case 'boolean':
      return void hash.update(value ? 'T;' : 'F;');
    case 'object':
      break;
    default:
      throw new UnrecordableError(`a ${typeof value} cannot be part of a recorded call`);
  }
  if (Array.isArray(value)) {
    hash.update(`a${value.length}[`);
    for (const item of value) feed(hash, item);
    return void hash.update(']');
  }
  const typed = typedArrayName(value);
  if (typed) {
    hash.update(`${typed}${(value as ArrayBufferView).byteLength}:`);
    return void hash.update(bytesOf(value as ArrayBufferView));
  }
  if (isTensor(value)) {
    hash.update(`t${value.dtype}[${value.shape.join(',')}]`);
    return void hash.update(bytesOf(value.dataSync() as unknown as ArrayBufferView));
  }
  if (isModel(value)) {
    // Layer names come from global counters, so they are left out: a model is its layer
    // types and its weights.
    hash.update(`m${value.layers.map((layer) => layer.getClassName()).join(',')}(`);
    for (const weight of value.getWeights()) feed(hash, weight);
    return void hash.update(')');
  }
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort();
    hash.update(`o${keys.length}{`);
    for (const key of keys) {
      hash.update(`s${key.length}:${key}`);
      feed(hash, value[key]);
    }
    return void hash.update('}');
  }
  throw new UnrecordableError(`a ${describe(value)} cannot be part of a recorded call`);
}

/** The key of one call: which module and function, and a hash of the arguments. */
export function callKey(source: string, name: string, args: readonly unknown[]): string {
  const hash = createHash('sha256');
  feed(hash, args);
  return `${source}#${name}#${hash.digest('base64url')}`;
}

export type Encoded = null | boolean | number | string | Encoded[] | { $: string; [key: string]: unknown };

/** A JSON form of a returned value. Tensors are read out (dataSync), never kept. */
export function encodeValue(value: unknown): Encoded {
  if (value === undefined) return { $: 'undefined' };
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0) ? value : { $: 'number', v: Object.is(value, -0) ? '-0' : String(value) };
  if (typeof value !== 'object') throw new UnrecordableError(`a ${typeof value} cannot be recorded`);
  if (Array.isArray(value)) return value.map(encodeValue);
  const typed = typedArrayName(value);
  if (typed) return { $: 'typed', type: typed, data: bytesOf(value as ArrayBufferView).toString('base64') };
  if (isTensor(value)) {
    const data = value.dataSync() as unknown as ArrayBufferView;
    return { $: 'tensor', dtype: value.dtype, shape: [...value.shape], type: typedArrayName(data), data: bytesOf(data).toString('base64') };
  }
  if (isPlainObject(value)) return { $: 'object', v: Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeValue(v)])) };
  throw new UnrecordableError(`a ${describe(value)} cannot be recorded`);
}

function typedArray(type: unknown, base64: unknown): ArrayBufferView {
  if (typeof type !== 'string' || !(type in TYPED_ARRAYS) || typeof base64 !== 'string') throw new Error('a recorded typed array is malformed');
  const bytes = Buffer.from(base64, 'base64');
  // Copied into a fresh, aligned buffer: a Buffer may share a pool at any offset.
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  const Type = TYPED_ARRAYS[type as TypedArrayName];
  return new Type(copy);
}

/** Rebuilds a value from encodeValue's JSON: a fresh copy each time, tensors included. */
export function decodeValue(encoded: Encoded, tf?: TensorFactory): unknown {
  if (encoded === null || typeof encoded !== 'object') return encoded;
  if (Array.isArray(encoded)) return encoded.map((item) => decodeValue(item, tf));
  switch (encoded.$) {
    case 'undefined':
      return undefined;
    case 'number':
      return encoded.v === '-0' ? -0 : Number(encoded.v);
    case 'typed':
      return typedArray(encoded.type, encoded.data);
    case 'tensor':
      if (!tf) throw new Error('a recorded tensor needs tfjs to be rebuilt');
      return (tf.tensor as unknown as (values: ArrayBufferView, shape: number[], dtype: string) => unknown)(typedArray(encoded.type, encoded.data), encoded.shape as number[], encoded.dtype as string);
    case 'object':
      return Object.fromEntries(Object.entries(encoded.v as Record<string, Encoded>).map(([k, v]) => [k, decodeValue(v, tf)]));
    default:
      throw new Error(`a recorded value has an unknown tag "${String(encoded.$)}"`);
  }
}
