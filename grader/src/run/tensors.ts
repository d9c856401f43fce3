import * as tf from '@tensorflow/tfjs';
import { type BackendReport, initTensorBackend, tfjsNodeUrl } from '../tensor/backend.ts';

export { tfjsNodeUrl };
import { cloneForReference, collectTensors, type Created, createdNothing, decodeValue, disposeCreated, encodeValue } from '../tensor/serialize.ts';

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
  /**
   * Frees every tensor and model inside a value now (a trusted function's answer once it has
   * been encoded, in selftest/replay.ts), not only when the case ends: models hold variables,
   * which no scope frees.
   */
  release(value: unknown): void;
  /**
   * A copy of a float32 tensor with `move` applied to each value, freed when the case ends; a
   * layers model with `move` applied to each of its float32 weights, in place (the model is the
   * case's own copy), when `models`; any other value, undefined (selftest/perturb.ts moves the
   * numbers of answers).
   */
  mapFloats: (value: unknown, move: (x: number) => number, models?: boolean) => tf.Tensor | tf.LayersModel | undefined;
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
    release: (value) => disposeCreated(collectTensors(value, createdNothing())),
    mapFloats: (value, move, models = false) => {
      const moved = (tensor: tf.Tensor): tf.Tensor => {
        if (tensor.dtype !== 'float32') return tensor;
        const copy = tf.tensor(Float32Array.from(tensor.dataSync(), move), tensor.shape, 'float32');
        created.tensors.push(copy);
        return copy;
      };
      if (value instanceof tf.Tensor) return (value as tf.Tensor).dtype === 'float32' ? moved(value as tf.Tensor) : undefined;
      if (!models || !(value instanceof tf.LayersModel)) return undefined;
      value.setWeights(value.getWeights().map(moved));
      return value;
    },
    end: () => {
      disposeCreated(created);
      tf.engine().endScope();
    },
  };
}
