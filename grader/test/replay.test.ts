import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { gzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { callKey, decodeValue, type Encoded, encodeValue, UnrecordableError } from '../src/replay/encode.ts';
import { isNotRecorded } from '../src/replay/not-recorded.ts';
import { replayCall, setRecorder } from '../src/replay/replay.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mlgrade-replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('recorded answers: keys and values', () => {
  it('values survive the JSON round trip exactly, as fresh copies', () => {
    const value = { a: [1, -0, NaN, Infinity, -Infinity, 0.1 + 0.2], b: { c: 'text', d: null, e: undefined, f: true }, g: new Float32Array([1.5, -2]), h: new Uint8Array([0, 255]), i: 1e-320 };
    const encoded = JSON.parse(JSON.stringify(encodeValue(value))) as Encoded;
    const decoded = decodeValue(encoded) as typeof value;
    expect(decoded).toEqual(value);
    expect(Object.is(decoded.a[1], -0)).toBe(true);
    expect(decoded.g).toBeInstanceOf(Float32Array);
    expect(decoded.h).toBeInstanceOf(Uint8Array);
    expect(decoded).not.toBe(decodeValue(encoded));
  });

  it('tensors are stored as their dtype, shape and bytes, and rebuilt with the tf given', () => {
    const t = tf.tensor2d([[1, 2.5], [3, -4]]);
    const encoded = JSON.parse(JSON.stringify(encodeValue({ t }))) as Encoded;
    const rebuilt = (decodeValue(encoded, tf) as { t: tf.Tensor }).t;
    expect(rebuilt.shape).toEqual([2, 2]);
    expect(rebuilt.dtype).toBe('float32');
    expect(Array.from(rebuilt.dataSync())).toEqual([1, 2.5, 3, -4]);
    expect(() => decodeValue(encoded)).toThrow(/needs tfjs/);
    tf.dispose([t, rebuilt]);
  });

  it('keys: equal arguments (to the bit) give equal keys, whatever the order of object keys; anything else differs', () => {
    const key = (args: unknown[]) => callKey('solution', 'f', args);
    expect(key([{ a: 1, b: [2, 3] }])).toBe(key([{ b: [2, 3], a: 1 }]));
    const variants = [[0], [-0], [1e-300], [[0]], ['0'], [{ a: 0 }], [new Float32Array([0])], [new Float64Array([0])], [undefined], [null], [], [0, 0]];
    expect(new Set(variants.map(key)).size).toBe(variants.length);
    expect(callKey('solution', 'g', [0])).not.toBe(key([0]));
    expect(callKey('mistakes/m', 'f', [0])).not.toBe(key([0]));
    const t = tf.tensor1d([1, 2]);
    expect(key([t])).toBe(key([tf.tensor1d([1, 2])]));
    expect(key([t])).not.toBe(key([tf.tensor1d([1, 2.0000003])]));
    expect(key([t])).not.toBe(key([tf.tensor2d([[1, 2]])]));
  });

  it('models are identified by their layer types and weights, not their (counter-made) names', () => {
    const build = (value: number) => {
      const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2], kernelInitializer: tf.initializers.constant({ value }) })] });
      return model;
    };
    const key = (m: tf.LayersModel) => callKey('solution', 'f', [{ model: m }]);
    expect(key(build(1))).toBe(key(build(1)));
    expect(key(build(1))).not.toBe(key(build(2)));
  });

  it('a value it cannot hold is refused, not stored wrongly', () => {
    expect(() => encodeValue(() => 1)).toThrow(UnrecordableError);
    expect(() => encodeValue(new Map())).toThrow(/Map cannot be recorded/);
    expect(() => callKey('solution', 'f', [new Set([1])])).toThrow(/Set cannot be part of a recorded call/);
  });
});

describe('replayCall', () => {
  const table = path.join(dir, 'answers.json.gz');
  const answers = { version: 1, answers: { [callKey('solution', 'add', [1, 2])]: { value: 3 }, [callKey('solution', 'later', [1])]: { value: { $: 'object', v: { x: 1 } }, async: true } } };
  writeFileSync(table, gzipSync(new TextEncoder().encode(JSON.stringify(answers))));

  it('answers a recorded call, a promise for an asynchronous function, and throws NotRecordedError for anything else', async () => {
    expect(replayCall(table, 'solution', 'add', [1, 2])).toBe(3);
    await expect(replayCall(table, 'solution', 'later', [1])).resolves.toEqual({ x: 1 });
    let error: unknown;
    try {
      replayCall(table, 'solution', 'add', [2, 1]);
    } catch (e) {
      error = e;
    }
    expect(isNotRecorded(error)).toBe(true);
    expect((error as Error).message).toBe('add was not recorded for these arguments');
    expect(isNotRecorded(new Error('other'))).toBe(false);
  });

  it('while a recorder is set, every call goes to it', () => {
    const seen: unknown[] = [];
    setRecorder({ call: (source, name, args) => (seen.push([source, name, args]), 'recorded') });
    try {
      expect(replayCall(table, 'mistakes/m', 'f', [7])).toBe('recorded');
    } finally {
      setRecorder(undefined);
    }
    expect(seen).toEqual([['mistakes/m', 'f', [7]]]);
    expect(() => replayCall(table, 'mistakes/m', 'f', [7])).toThrow(/not recorded/);
  });
});
