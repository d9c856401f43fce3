/**
 * The tensor half of the sandboxed child, bundled separately and loaded only for assignments
 * that use tensors (tfjs takes ~0.3 s to import). It starts the same backend as the grader,
 * turns encoded arguments into tensors and models, and encodes what the student returns.
 */
import * as tf from '@tensorflow/tfjs';
import { importTfjsNodeFrom, initTensorBackend, type BackendName } from './backend.ts';
import { collectTensors, createdNothing, decodeValue, disposeCreated, encodeValue, type Created } from './serialize.ts';

export async function start(backend: BackendName, tfjsNodeUrl?: string): Promise<string> {
  if (tfjsNodeUrl) importTfjsNodeFrom(tfjsNodeUrl);
  const report = await initTensorBackend(backend);
  return report.name;
}

export function numTensors(): number {
  return tf.memory().numTensors;
}

export async function decodeArguments(args: unknown): Promise<{ args: unknown; created: Created }> {
  const created = createdNothing();
  return { args: await decodeValue(args, created), created };
}

/** Encodes the result, then frees the call's inputs and whatever it returned. */
export async function finishCall(value: unknown, created: Created): Promise<unknown> {
  const returned = collectTensors(value, createdNothing());
  try {
    return await encodeValue(value);
  } finally {
    disposeCreated(created);
    disposeCreated(returned);
  }
}

export { disposeCreated };

/**
 * A value with every tensor and model replaced by a marker: the part of a call's arguments
 * that the call could change in place (tensors themselves are immutable), for the child to
 * copy before the call and compare after it.
 */
export function plainView(value: unknown): unknown {
  if (value instanceof tf.Tensor) return '<tensor>';
  if (value instanceof tf.LayersModel) return '<model>';
  if (Array.isArray(value)) return value.map(plainView);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainView(v)]));
  }
  return value;
}

/** Tensors still allocated beyond `before`: what a call left behind (after finishCall). */
export function leakedSince(before: number): number {
  return Math.max(0, tf.memory().numTensors - before);
}
