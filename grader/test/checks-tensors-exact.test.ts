/**
 * The output schemas of tensor problems (checks/tensors.ts). Apart from checks-exact.test.ts
 * because tfjs takes seconds to import: a mutation run re-imports a test file for every
 * mutant it tests, so only the mutants of tensors.ts should pay for it.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layersModel, tensor } from '../src/checks/tensors.ts';
import { validateValue } from '../src/checks/values.ts';

describe('tensor schemas', () => {
  const made: tf.Tensor[] = [];
  const keep = <T extends tf.Tensor>(t: T): T => {
    made.push(t);
    return t;
  };
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  afterAll(() => {
    for (const t of made) t.dispose();
  });

  it('accepts any finite tensor when no rank or dtype is asked for', () => {
    const t = keep(tf.tensor1d([1, 2, 3]));
    const result = validateValue(tensor(), t);
    expect(result).toEqual({ ok: true, value: t });
    expect(validateValue(tensor(), keep(tf.tensor2d([[1, 2]], [1, 2], 'int32'))).ok).toBe(true);
  });

  it('rejects what is not a tensor, and says what it is', () => {
    expect(validateValue(tensor({ rank: 2, dtype: 'float32' }), [[1, 2]], 'out')).toEqual({ ok: false, message: 'out: expected a tf.Tensor, got an array of length 1', path: 'out' });
    expect(validateValue(tensor(), 5)).toEqual({ ok: false, message: 'result: expected a tf.Tensor, got 5', path: 'result' });
  });

  it('checks the rank', () => {
    expect(validateValue(tensor({ rank: 1 }), keep(tf.tensor1d([1, 2]))).ok).toBe(true);
    expect(validateValue(tensor({ rank: 2 }), keep(tf.tensor1d([1, 2, 3])))).toEqual({ ok: false, message: 'result: expected a rank-2 tensor, got shape [3]', path: 'result' });
    expect(validateValue(tensor({ rank: 0 }), keep(tf.tensor2d([[1, 2]])))).toEqual({ ok: false, message: 'result: expected a rank-0 tensor, got shape [1, 2]', path: 'result' });
    expect(validateValue(tensor({ rank: 0 }), keep(tf.scalar(1))).ok).toBe(true);
  });

  it('checks the dtype', () => {
    expect(validateValue(tensor({ dtype: 'int32' }), keep(tf.tensor1d([1, 2], 'int32'))).ok).toBe(true);
    expect(validateValue(tensor({ dtype: 'int32' }), keep(tf.tensor1d([1, 2])))).toEqual({ ok: false, message: 'result: expected dtype int32, got float32', path: 'result' });
    expect(validateValue(tensor({ dtype: 'float32' }), keep(tf.tensor1d([true], 'bool')))).toEqual({ ok: false, message: 'result: expected dtype float32, got bool', path: 'result' });
    // A string tensor is reported for its dtype; it has no numbers to be NaN.
    expect(validateValue(tensor({ dtype: 'float32' }), keep(tf.tensor1d(['a'])))).toEqual({ ok: false, message: 'result: expected dtype float32, got string', path: 'result' });
  });

  it('rejects a float tensor holding NaN or Infinity, and lists every problem', () => {
    expect(validateValue(tensor(), keep(tf.tensor1d([1, NaN])))).toEqual({ ok: false, message: 'result: contains NaN or Infinity', path: 'result' });
    expect(validateValue(tensor(), keep(tf.tensor1d([1, -Infinity])))).toEqual({ ok: false, message: 'result: contains NaN or Infinity', path: 'result' });
    expect(validateValue(tensor({ rank: 2, dtype: 'int32' }), keep(tf.tensor1d([NaN])))).toEqual({
      ok: false,
      message: 'result: expected a rank-2 tensor, got shape [1] (and 2 more invalid entries)',
      path: 'result',
    });
  });

  it('layersModel accepts a model and nothing else', () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
    try {
      expect(validateValue(layersModel, model)).toEqual({ ok: true, value: model });
      expect(validateValue(layersModel, { predict: () => 0 }, 'model')).toEqual({ ok: false, message: 'model: expected a tf.LayersModel, got an object', path: 'model' });
      expect(validateValue(layersModel, keep(tf.scalar(1)))).toMatchObject({ ok: false, message: 'result: expected a tf.LayersModel, got an object' });
    } finally {
      model.dispose();
    }
  });
});
