import * as tf from '@tensorflow/tfjs';
import { type BackendReport, initTensorBackend, tfjsNodeUrl } from '../tensor/backend.ts';

export { tfjsNodeUrl };
import { cloneForReference, type Created, createdNothing, decodeValue, disposeCreated, encodeValue } from '../tensor/serialize.ts';

/**
 * The grader's side of tensor problems, loaded only for assignments with `tensors: true`
 * (importing tfjs costs ~0.3 s). Each case runs in its own tfjs scope, so the tensors its
 * generator, reference, check and decoded results create are freed when it ends.
 */
export interface TensorCase {
  /** What crosses into the sandbox: tensors and models encoded as data. */
  encode(args: unknown[]): Promise<unknown[]>;
  /** What the reference gets: tensors cloned, so it may dispose its inputs. */
  forReference(args: unknown[]): unknown[];
  /** Rebuilds the student's returned tensors and models in the grader's own backend. */
  decode(value: unknown): Promise<unknown>;
  end(): void;
}

export function startBackend(): Promise<BackendReport> {
  return initTensorBackend();
}

export function beginTensorCase(): TensorCase {
  tf.engine().startScope();
  const created: Created = createdNothing();
  return {
    encode: async (args) => (await encodeValue(args)) as unknown[],
    forReference: (args) => cloneForReference(args),
    decode: (value) => decodeValue(value, created),
    end: () => {
      disposeCreated(created);
      tf.engine().endScope();
    },
  };
}
