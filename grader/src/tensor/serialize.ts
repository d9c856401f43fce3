import * as tf from '@tensorflow/tfjs';

/**
 * Tensors and trained models cross the sandbox boundary as data: a tensor as
 * `{dtype, shape, data}`, a tf.LayersModel as tfjs artifacts (topology JSON + weights). Both
 * sides rebuild real tfjs objects, each on its own backend. A value read back from the child is
 * checked (dtype, shape, data length) before it becomes a tensor.
 */

export const TENSOR_DTYPES = ['float32', 'int32', 'bool'] as const;
type TensorDtype = (typeof TENSOR_DTYPES)[number];

export interface EncodedTensor {
  __mlgrade: 'tensor';
  dtype: TensorDtype;
  shape: number[];
  data: Float32Array | Int32Array | Uint8Array;
}

export interface EncodedModel {
  __mlgrade: 'model';
  artifacts: tf.io.ModelArtifacts;
}

export class TransferError extends Error {
  override name = 'TransferError';
}

/** What decoding created, so that it can be disposed when the case is over. */
export interface Created {
  tensors: tf.Tensor[];
  models: tf.LayersModel[];
}

export function createdNothing(): Created {
  return { tensors: [], models: [] };
}

export function disposeCreated(created: Created): void {
  for (const t of created.tensors) if (!t.isDisposed) t.dispose();
  for (const m of created.models) disposeModel(m);
  created.tensors.length = 0;
  created.models.length = 0;
}

export function disposeModel(model: tf.LayersModel): void {
  try {
    model.optimizer?.dispose();
    model.dispose();
  } catch {
    // Already disposed.
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

async function saveModel(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler((artifacts) => {
      saved = artifacts;
      return Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } });
    }),
  );
  if (!saved) throw new TransferError('the model could not be saved as tfjs artifacts');
  return saved;
}

/** What plainCopy returns for a value that holds something it must not copy as it is. */
const NOT_PLAIN = Symbol('not plain');

const isTfjsObject = (value: unknown): boolean => value instanceof tf.Tensor || value instanceof tf.LayersModel;
const isEncoding = (value: unknown): boolean => isPlainObject(value) && (value.__mlgrade === 'tensor' || value.__mlgrade === 'model');

/**
 * A copy of a value made of arrays, plain objects and other values (copied as they are),
 * made in one synchronous pass; NOT_PLAIN as soon as a value inside is `special` (a tensor
 * to encode, an encoding to decode), which the asynchronous paths below handle. Images as
 * nested number arrays are common and large: awaiting a promise per number made encoding
 * them most of a replay's time, in garbage collection. A value met again below itself is a
 * cycle (`ancestors`: the values above this one).
 */
function plainCopy(value: unknown, ancestors: Set<object>, special: (value: unknown) => boolean): unknown {
  if (special(value)) return NOT_PLAIN;
  if (!Array.isArray(value) && !isPlainObject(value)) return value;
  if (ancestors.has(value)) throw new TransferError('the value contains a cycle');
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      const copy: unknown[] = new Array<unknown>(value.length);
      for (let i = 0; i < value.length; i++) {
        const item = plainCopy(value[i], ancestors, special);
        if (item === NOT_PLAIN) return NOT_PLAIN;
        copy[i] = item;
      }
      return copy;
    }
    const entries: Array<[string, unknown]> = [];
    for (const [key, v] of Object.entries(value)) {
      const item = plainCopy(v, ancestors, special);
      if (item === NOT_PLAIN) return NOT_PLAIN;
      entries.push([key, item]);
    }
    return Object.fromEntries(entries);
  } finally {
    ancestors.delete(value);
  }
}

/** Replaces every tensor and layers model inside a value by its transferable encoding. */
export async function encodeValue(value: unknown, seen = new Set<object>()): Promise<unknown> {
  if (value instanceof tf.Tensor) return encodeTensor(value as tf.Tensor);
  if (value instanceof tf.LayersModel) {
    return { __mlgrade: 'model', artifacts: await saveModel(value) } satisfies EncodedModel;
  }
  if (Array.isArray(value) || isPlainObject(value)) {
    if (seen.has(value)) throw new TransferError('the value contains a cycle');
    const plain = plainCopy(value, new Set(seen), isTfjsObject);
    if (plain !== NOT_PLAIN) return plain;
    // The ancestors of each branch, their own set: branches are encoded concurrently, so one
    // shared set would take a value two branches share (not a cycle) for one.
    const ancestors = new Set(seen).add(value);
    return Array.isArray(value)
      ? await Promise.all(value.map((v) => encodeValue(v, ancestors)))
      : Object.fromEntries(await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await encodeValue(v, ancestors)] as const)));
  }
  return value;
}

async function encodeTensor(value: tf.Tensor): Promise<EncodedTensor> {
  if (value.isDisposed) throw new TransferError('a returned tensor was already disposed');
  if (!(TENSOR_DTYPES as readonly string[]).includes(value.dtype)) throw new TransferError(`tensors of dtype ${value.dtype} cannot be transferred`);
  const data = await value.data<'float32' | 'int32' | 'bool'>();
  return { __mlgrade: 'tensor', dtype: value.dtype as TensorDtype, shape: value.shape.slice(), data: data.slice() };
}

function expectedArray(dtype: TensorDtype): string {
  return dtype === 'float32' ? 'Float32Array' : dtype === 'int32' ? 'Int32Array' : 'Uint8Array';
}

function decodeTensor(encoded: Record<string, unknown>, created: Created): tf.Tensor {
  const { dtype, shape, data } = encoded;
  if (typeof dtype !== 'string' || !(TENSOR_DTYPES as readonly string[]).includes(dtype)) throw new TransferError(`a tensor has an unsupported dtype (${String(dtype)})`);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) throw new TransferError('a tensor has an invalid shape');
  const size = (shape as number[]).reduce((a, b) => a * b, 1);
  const arrayType = expectedArray(dtype as TensorDtype);
  if (!ArrayBuffer.isView(data) || Object.prototype.toString.call(data) !== `[object ${arrayType}]`) throw new TransferError(`a ${dtype} tensor must carry a ${arrayType}`);
  if ((data as unknown as ArrayLike<number>).length !== size) throw new TransferError(`a tensor of shape [${(shape as number[]).join(', ')}] must have ${size} values`);
  const tensor = tf.tensor(data as Float32Array, shape as number[], dtype as TensorDtype);
  created.tensors.push(tensor);
  return tensor;
}

async function decodeModel(encoded: Record<string, unknown>, created: Created): Promise<tf.LayersModel> {
  try {
    const model = await tf.loadLayersModel(tf.io.fromMemory(encoded.artifacts as tf.io.ModelArtifacts));
    created.models.push(model);
    return model;
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    const unknown = /Unknown layer: (\w+)/.exec(message);
    throw new TransferError(
      unknown
        ? `the model uses a layer the grader cannot rebuild (${unknown[1]}); use only built-in tf.layers, without custom layers or code`
        : `the model could not be rebuilt from its artifacts: ${message}`,
    );
  }
}

/** Rebuilds tensors and models from their encodings; everything it creates is listed in `created`. */
export async function decodeValue(value: unknown, created: Created, seen = new Set<object>()): Promise<unknown> {
  if (Array.isArray(value) || isPlainObject(value)) {
    const plain = plainCopy(value, new Set(seen), isEncoding);
    if (plain !== NOT_PLAIN) return plain;
    if (seen.has(value)) throw new TransferError('the value contains a cycle');
    seen = new Set(seen).add(value);
  }
  if (Array.isArray(value)) return Promise.all(value.map((v) => decodeValue(v, created, seen)));
  if (isPlainObject(value)) {
    if (value.__mlgrade === 'tensor') return decodeTensor(value, created);
    if (value.__mlgrade === 'model') return decodeModel(value, created);
    return Object.fromEntries(await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await decodeValue(v, created, seen)] as const)));
  }
  return value;
}

/** Adds every tensor and layers model found inside a value (arrays and plain objects) to `into`. */
export function collectTensors(value: unknown, into: Created, seen = new Set<object>()): Created {
  if (value instanceof tf.Tensor) into.tensors.push(value as tf.Tensor);
  else if (value instanceof tf.LayersModel) into.models.push(value);
  else if (Array.isArray(value) || isPlainObject(value)) {
    if (seen.has(value)) return into;
    seen.add(value);
    for (const v of Array.isArray(value) ? value : Object.values(value)) collectTensors(v, into, seen);
  }
  return into;
}

/** A copy for the trusted reference: tensors cloned (the reference may dispose its inputs), models shared. */
export function cloneForReference<T>(value: T): T {
  if (value instanceof tf.Tensor) return value.clone() as T;
  if (value instanceof tf.LayersModel) return value;
  if (Array.isArray(value)) return value.map((v: unknown) => cloneForReference(v)) as T;
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cloneForReference(v)])) as T;
  return structuredClone(value);
}
