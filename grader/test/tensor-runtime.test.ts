import { Writable } from 'node:stream';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { doctor } from '../src/cli/doctor.ts';
import { plainView } from '../src/tensor/child-runtime.ts';
import { BackendError, initTensorBackend, requestedBackend } from '../src/tensor/backend.ts';
import { AUTO_BACKEND } from './helpers.ts';
import { cloneForReference, collectTensors, createdNothing, decodeValue, disposeCreated, encodeValue, TransferError } from '../src/tensor/serialize.ts';

function capture(): { out: Writable; text: () => string } {
  let text = '';
  const out = new Writable({ write: (chunk: Buffer, _enc, done) => { text += chunk.toString(); done(); } });
  return { out, text: () => text };
}

describe('backend choice', () => {
  it('validates MLGRADE_BACKEND', () => {
    expect(requestedBackend({})).toBeUndefined();
    expect(requestedBackend({ MLGRADE_BACKEND: 'cpu' })).toBe('cpu');
    expect(() => requestedBackend({ MLGRADE_BACKEND: 'gpu' })).toThrow(new BackendError('MLGRADE_BACKEND must be one of node, wasm, cpu, not "gpu"'));
  });

  it('uses tfjs-node where installed, else wasm saying why, and cpu when forced', async () => {
    const auto = await initTensorBackend('auto');
    expect(auto.name).toBe(AUTO_BACKEND);
    if (AUTO_BACKEND === 'wasm') {
      expect(auto.reason).toBe('chosen because node is not available');
      expect(auto.unavailable[0]).toMatchObject({ name: 'node', why: expect.stringContaining('@tensorflow/tfjs-node is not installed') as string });
      expect(auto.patchedKernels).toContain('Conv2DBackpropFilter');
    }
    const cpu = await initTensorBackend('cpu');
    expect(cpu).toMatchObject({ name: 'cpu', reason: 'forced by MLGRADE_BACKEND=cpu' });
    expect(tf.getBackend()).toBe('cpu');
    if (AUTO_BACKEND === 'wasm') await expect(initTensorBackend('node')).rejects.toThrow(/no tensor backend could be started: node: /);
    await initTensorBackend('auto');
    expect(tf.getBackend()).toBe(AUTO_BACKEND === 'node' ? 'tensorflow' : 'wasm');
  });

  it('doctor prints Node, npm, the backend and why', async () => {
    if (process.env.MLGRADE_BACKEND || AUTO_BACKEND !== 'wasm') return;
    const { out, text } = capture();
    expect(await doctor(out)).toBe(0);
    expect(text()).toMatch(/^mlgrade \S+\nnode {4}v20\.\S+ \(\S+\)\nnpm {5}\S+\nbackend wasm — chosen because node is not available\n {2}not available: node: /);
    expect(text()).toContain('kernels patched by mlgrade: Conv2DBackpropFilter');
  });
});

describe('tensors and models as data', () => {
  it('round-trips tensors of every dtype inside nested values', async () => {
    const value = { a: [tf.tensor2d([[1.5, -2], [3, 4]]), 7], b: tf.tensor1d([1, 2, 3], 'int32'), c: tf.tensor1d([true, false], 'bool') };
    const encoded = await encodeValue(value);
    expect(collectTensors(encoded, createdNothing())).toEqual({ tensors: [], models: [] });
    expect(collectTensors(value, createdNothing()).tensors).toHaveLength(3);
    const copy = structuredClone(encoded);
    const created = createdNothing();
    const decoded = (await decodeValue(copy, created)) as { a: [tf.Tensor, number]; b: tf.Tensor; c: tf.Tensor };
    expect(decoded.a[0].arraySync()).toEqual([[1.5, -2], [3, 4]]);
    expect(decoded.a[1]).toBe(7);
    expect(decoded.b.dtype).toBe('int32');
    expect(decoded.c.arraySync()).toEqual([1, 0]);
    expect(created.tensors).toHaveLength(3);
    disposeCreated(created);
    expect(decoded.b.isDisposed).toBe(true);
    tf.dispose([value.a[0], value.b, value.c]);
  });

  it('round-trips a layers model with its weights', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3], kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) })] });
    const created = createdNothing();
    const rebuilt = (await decodeValue(structuredClone(await encodeValue(model)), created)) as tf.LayersModel;
    const x = tf.tensor2d([[1, 2, 3]]);
    expect((rebuilt.predict(x) as tf.Tensor).arraySync()).toEqual((model.predict(x) as tf.Tensor).arraySync());
    disposeCreated(created);
    model.dispose();
    x.dispose();
  });

  it('refuses forged or broken encodings with a reason', async () => {
    const bad = async (value: unknown) => decodeValue(value, createdNothing());
    await expect(bad({ __mlgrade: 'tensor', dtype: 'complex64', shape: [1], data: new Float32Array(1) })).rejects.toThrow('a tensor has an unsupported dtype (complex64)');
    await expect(bad({ __mlgrade: 'tensor', dtype: 'float32', shape: [2, -1], data: new Float32Array(2) })).rejects.toThrow('a tensor has an invalid shape');
    await expect(bad({ __mlgrade: 'tensor', dtype: 'float32', shape: [3], data: new Float32Array(2) })).rejects.toThrow('a tensor of shape [3] must have 3 values');
    await expect(bad({ __mlgrade: 'tensor', dtype: 'int32', shape: [1], data: new Float32Array(1) })).rejects.toThrow('a int32 tensor must carry a Int32Array');
    await expect(bad({ __mlgrade: 'model', artifacts: { modelTopology: { class_name: 'Nonsense' } } })).rejects.toThrow(TransferError);
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    await expect(encodeValue(cyclic)).rejects.toThrow('the value contains a cycle');
    // A part that two branches share is not a cycle, though the branches are encoded side by side.
    const shared = { labels: [1, 2] };
    const t = tf.scalar(3);
    expect(await encodeValue([[t, shared], [t, shared]])).toMatchObject([[{ __mlgrade: 'tensor' }, shared], [{ __mlgrade: 'tensor' }, shared]]);
    t.dispose();
    // Values without tensors are copied in one pass (plainCopy), with the same rules: a cycle
    // fails, a shared part does not, and what comes back is a copy, own keys and all.
    const deep = { image: [[[0.5], [1]], [[0], [0.25]]] as number[][][], loop: undefined as unknown };
    expect(await encodeValue([deep, deep])).toEqual([deep, deep]);
    const copied = (await encodeValue(deep)) as typeof deep;
    expect(copied.image).not.toBe(deep.image);
    expect(copied.image[0][0]).not.toBe(deep.image[0][0]);
    deep.loop = [deep];
    await expect(encodeValue(deep)).rejects.toThrow('the value contains a cycle');
    await expect(bad([deep])).rejects.toThrow('the value contains a cycle');
    await expect(bad([deep, { __mlgrade: 'tensor', dtype: 'float32', shape: [1], data: new Float32Array(1) }])).rejects.toThrow('the value contains a cycle');
    const proto = JSON.parse('{"__proto__": [1], "x": [2]}') as Record<string, unknown>;
    const again = (await encodeValue(proto)) as Record<string, unknown>;
    expect(Object.getPrototypeOf(again)).toBe(Object.prototype);
    expect(Object.keys(again)).toEqual(['__proto__', 'x']);
    expect(await bad([[1, 2], { a: [3] }])).toEqual([[1, 2], { a: [3] }]);
    const disposed = tf.scalar(1);
    disposed.dispose();
    await expect(encodeValue(disposed)).rejects.toThrow('a returned tensor was already disposed');
  });

  it('shows the child the plain part of arguments, tensors and models as markers, to compare before and after a call', () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
    const args = [tf.ones([2]), { labels: [1, 2], model }, 0.5, Float32Array.of(1)];
    expect(plainView(args)).toEqual(['<tensor>', { labels: [1, 2], model: '<model>' }, 0.5, Float32Array.of(1)]);
    // The view is a copy: changing it changes nothing in the arguments.
    ((plainView(args) as unknown[])[1] as { labels: number[] }).labels[0] = 9;
    expect(args[1]).toMatchObject({ labels: [1, 2] });
    tf.dispose(args[0] as tf.Tensor);
    model.dispose();
  });

  it('gives the reference clones of tensors, so disposing them leaves the originals', () => {
    const t = tf.tensor1d([1, 2]);
    const [copy] = cloneForReference([t]);
    (copy as tf.Tensor).dispose();
    expect(t.isDisposed).toBe(false);
    expect(t.arraySync()).toEqual([1, 2]);
    t.dispose();
  });
});
