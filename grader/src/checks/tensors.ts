import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { describeValue } from './path.ts';

/**
 * Output schemas for tensor problems. By the time a check runs, tensors and models returned
 * by the student have been rebuilt in the grader's own backend from the data the sandbox sent.
 */
/** A tf.Tensor; give the static type to match the reference, e.g. `tensor<tf.Tensor2D>({ rank: 2 })`. */
export function tensor<T extends tf.Tensor = tf.Tensor>(options: { rank?: number; dtype?: 'float32' | 'int32' | 'bool' } = {}) {
  return z.custom<tf.Tensor>().superRefine((value, ctx) => {
    if (!(value instanceof tf.Tensor)) {
      ctx.addIssue({ code: 'custom', message: `expected a tf.Tensor, got ${describeValue(value)}` });
      return;
    }
    if (options.rank !== undefined && value.rank !== options.rank) {
      ctx.addIssue({ code: 'custom', message: `expected a rank-${options.rank} tensor, got shape [${value.shape.join(', ')}]` });
    }
    if (options.dtype && value.dtype !== options.dtype) ctx.addIssue({ code: 'custom', message: `expected dtype ${options.dtype}, got ${value.dtype}` });
    if (value.dtype === 'float32' && !(value.dataSync() as Float32Array).every(Number.isFinite)) {
      ctx.addIssue({ code: 'custom', message: 'contains NaN or Infinity' });
    }
  }) as unknown as z.ZodType<T>;
}

export const layersModel = z.custom<tf.LayersModel>((value) => value instanceof tf.LayersModel, {
  error: (issue) => `expected a tf.LayersModel, got ${describeValue(issue.input)}`,
});
