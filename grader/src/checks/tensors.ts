import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { describeValue } from './path.ts';

/**
 * Output schemas for tensor problems. By the time a check runs, tensors and models returned
 * by the student have been rebuilt in the grader's own backend from the data the sandbox sent.
 */
/** A tf.Tensor; give the static type to match the reference, e.g. `tensor<tf.Tensor2D>({ rank: 2 })`. */
export function tensor<T extends tf.Tensor = tf.Tensor>(options: { rank?: number; dtype?: 'float32' | 'int32' | 'bool' } = {}): z.ZodType<T> {
  const schema = z.custom<tf.Tensor>().superRefine((value, ctx) => {
    if (!(value instanceof tf.Tensor)) {
      ctx.addIssue(`expected a tf.Tensor, got ${describeValue(value)}`);
      return;
    }
    if (options.rank !== undefined && value.rank !== options.rank) {
      ctx.addIssue(`expected a rank-${options.rank} tensor, got shape [${value.shape.join(', ')}]`);
    }
    if (options.dtype && value.dtype !== options.dtype) ctx.addIssue(`expected dtype ${options.dtype}, got ${value.dtype}`);
    if (value.dtype === 'float32' && !(value.dataSync() as Float32Array).every(Number.isFinite)) {
      ctx.addIssue('contains NaN or Infinity');
    }
  });
  // The cast stays outside the refinement: StrykerJS does not mutate code inside an `as` expression.
  return schema as unknown as z.ZodType<T>;
}

export const layersModel = z.custom<tf.LayersModel>((value) => value instanceof tf.LayersModel, {
  error: (issue) => `expected a tf.LayersModel, got ${describeValue(issue.input)}`,
});
