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

/** Tensors still allocated beyond `before`: what a call left behind (after finishCall). */
export function leakedSince(before: number): number {
  return Math.max(0, tf.memory().numTensors - before);
}
