import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../src/cases/rng.ts';
import { registerWasmKernelPatches, shippedWasmKernel } from '../src/tensor/wasm-kernels.ts';

// Registered before any backend is active, as the project's start-up may do.
const backendAtRegistration: string | undefined = tf.engine().backendName;
const patched = registerWasmKernelPatches();

beforeAll(async () => {
  expect(await tf.setBackend('cpu')).toBe(true);
  expect(await tf.setBackend('wasm')).toBe(true);
});

const TOLERANCE = 1e-5;

type Backend = 'cpu' | 'wasm';
type Attrs = Record<string, unknown>;

/** Data made once and turned into a tensor on whichever backend is running. */
interface Data {
  values: Float32Array | Int32Array;
  shape: number[];
  dtype: 'float32' | 'int32';
}

interface Output {
  values: ArrayLike<number>;
  shape: number[];
  dtype: tf.DataType;
}

const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);
const floats = (shape: number[], draw: () => number): Data => ({ values: Float32Array.from({ length: size(shape) }, draw), shape, dtype: 'float32' });
const ints = (shape: number[], draw: () => number): Data => ({ values: Int32Array.from({ length: size(shape) }, draw), shape, dtype: 'int32' });
const normal = (rng: Rng, shape: number[]): Data => floats(shape, () => rng.normal());

/** max|a − b| / max(1, max|b|); matching infinities and NaNs count as equal. */
function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let worst = 0;
  let scale = 1;
  for (let i = 0; i < expected.length; i++) {
    const [a, b] = [actual[i], expected[i]];
    if (Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b))) continue;
    worst = Math.max(worst, Number.isFinite(a - b) ? Math.abs(a - b) : Infinity);
    if (Number.isFinite(b)) scale = Math.max(scale, Math.abs(b));
  }
  return worst / scale;
}

function memoryUse() {
  const { numTensors, numDataBuffers } = tf.memory();
  return { numTensors, numDataBuffers, backendBuffers: tf.backend().numDataIds() };
}

async function use(backend: Backend): Promise<void> {
  if (tf.getBackend() !== backend) expect(await tf.setBackend(backend)).toBe(true);
}

/** Runs `fn` on `backend` with the data as tensors; checks it leaves no tensor or buffer behind. */
async function runOn(backend: Backend, inputs: Record<string, Data>, fn: (t: Record<string, tf.Tensor>) => tf.Tensor | tf.Tensor[]): Promise<Output[]> {
  await use(backend);
  const tensors = Object.fromEntries(Object.entries(inputs).map(([name, d]) => [name, tf.tensor(d.values, d.shape, d.dtype)]));
  const before = memoryUse();
  // IS_TEST makes the engine throw if a kernel leaves behind a buffer that is not one of its
  // outputs. Only here: with the tape on it also flags the copies customGrad ops save (wasm's
  // clone copies), so it cannot stay on for training.
  const wasTest = tf.env().getBool('IS_TEST');
  tf.env().set('IS_TEST', true);
  let out: tf.Tensor | tf.Tensor[];
  try {
    out = fn(tensors);
  } finally {
    tf.env().set('IS_TEST', wasTest);
  }
  const outputs = (Array.isArray(out) ? out : [out]).map((t) => ({ values: t.dataSync(), shape: t.shape, dtype: t.dtype }));
  tf.dispose(out);
  expect(memoryUse(), `${backend} left tensors or buffers behind`).toEqual(before);
  tf.dispose(Object.values(tensors));
  return outputs;
}

function expectClose(label: string, actual: Output[], expected: Output[]): void {
  expect(actual.length, label).toBe(expected.length);
  actual.forEach((a, i) => {
    expect(a.shape, `${label}: shape of output ${i}`).toEqual(expected[i].shape);
    expect(a.dtype, `${label}: dtype of output ${i}`).toBe(expected[i].dtype);
    if (a.dtype === 'int32') expect(Array.from(a.values), `${label}: output ${i}`).toEqual(Array.from(expected[i].values));
    else expect(relativeError(a.values, expected[i].values), `${label}: output ${i}`).toBeLessThanOrEqual(TOLERANCE);
  });
}

/** The patched wasm result must match cpu's. */
async function expectWasmMatchesCpu(label: string, inputs: Record<string, Data>, fn: (t: Record<string, tf.Tensor>) => tf.Tensor | tf.Tensor[]): Promise<void> {
  const cpu = await runOn('cpu', inputs, fn);
  const wasm = await runOn('wasm', inputs, fn);
  expectClose(label, wasm, cpu);
}

function runKernel(name: string, inputs: Record<string, tf.Tensor>, attrs: Attrs): tf.Tensor | tf.Tensor[] {
  return tf.engine().runKernel(name, inputs, attrs as unknown as tf.NamedAttrMap);
}

/** Runs `fn` with the kernel as @tensorflow/tfjs-backend-wasm shipped it. */
async function withShippedKernel<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const shipped = shippedWasmKernel(name);
  const patch = tf.getKernel(name, 'wasm');
  if (!shipped || !patch) throw new Error(`${name} was not replaced`);
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel(shipped);
  try {
    return await fn();
  } finally {
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(patch);
  }
}

type Pad = 'same' | 'valid' | number | number[][];
const conv2DInfo = (x: number[], f: number[], s: number | number[], pad: Pad, opts: { dilations?: number | number[]; rounding?: 'floor' | 'round' | 'ceil'; depthwise?: boolean; format?: 'channelsFirst' | 'channelsLast' } = {}) =>
  tf.backend_util.computeConv2DInfo(
    x as [number, number, number, number],
    f as [number, number, number, number],
    s as [number, number],
    (opts.dilations ?? 1) as [number, number],
    pad as tf.backend_util.ExplicitPadding,
    opts.rounding,
    opts.depthwise ?? false,
    opts.format,
  );

type Shape5 = [number, number, number, number, number];

/** A direct 3-D max-pool gradient with cpu's rule (`>=` from −∞: the last tied maximum wins). */
function maxPool3DGradReference(x: Data, dy: Data, info: tf.backend_util.Conv3DInfo): Float32Array {
  const dx = new Float32Array(x.values.length);
  const [, D, H, W, C] = x.shape;
  const { front, top, left } = info.padInfo;
  let o = 0;
  for (let b = 0; b < info.batchSize; b++)
    for (let od = 0; od < info.outDepth; od++)
      for (let oh = 0; oh < info.outHeight; oh++)
        for (let ow = 0; ow < info.outWidth; ow++)
          for (let ch = 0; ch < C; ch++, o++) {
            let [best, at] = [-Infinity, -1];
            for (let kd = 0; kd < info.filterDepth; kd++)
              for (let kh = 0; kh < info.filterHeight; kh++)
                for (let kw = 0; kw < info.filterWidth; kw++) {
                  const [d, h, w] = [od * info.strideDepth - front + kd, oh * info.strideHeight - top + kh, ow * info.strideWidth - left + kw];
                  if (d < 0 || d >= D || h < 0 || h >= H || w < 0 || w >= W) continue;
                  const k = (((b * D + d) * H + h) * W + w) * C + ch;
                  if (x.values[k] >= best) [best, at] = [x.values[k], k];
                }
            if (at >= 0) dx[at] += dy.values[o];
          }
  return dx;
}

// Value patterns for pooling: negative values (the FLT_MIN fault), all-negative windows, ties
// (small integers, as after ReLU or quantization), and −∞/NaN, which cpu never picks.
const POOL_DATA: Record<string, (rng: Rng, shape: number[]) => Data> = {
  normal: (rng, shape) => normal(rng, shape),
  'all negative': (rng, shape) => floats(shape, () => -Math.abs(rng.normal()) - 0.01),
  ties: (rng, shape) => floats(shape, () => rng.int(-2, 1)),
  'with -Infinity and NaN': (rng, shape) => floats(shape, () => (rng.next() < 0.3 ? -Infinity : rng.next() < 0.1 ? NaN : rng.normal())),
  'all -Infinity': (_rng, shape) => floats(shape, () => -Infinity),
};

describe('registering the wasm kernel patches', () => {
  it('registers the missing kernels and replaces the wrong and slow ones, once', () => {
    expect(backendAtRegistration).toBeUndefined();
    expect(patched).toEqual([
      'Conv2DBackpropFilter', 'Conv2DBackpropInput', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput',
      'Conv3DBackpropFilterV2', 'Conv3DBackpropInputV2', 'MaxPoolGrad', 'MaxPoolWithArgmax', 'MaxPool3D', 'MaxPool3DGrad',
      'UnsortedSegmentSum', 'Einsum', 'OneHot', 'BatchMatMul', '_FusedMatMul',
    ]);
    const configs = patched.map((name) => tf.getKernel(name, 'wasm'));
    expect(registerWasmKernelPatches()).toEqual(patched);
    expect(patched.map((name) => tf.getKernel(name, 'wasm'))).toEqual(configs);
    for (const name of ['Conv2DBackpropFilter', 'UnsortedSegmentSum', 'Einsum']) expect(shippedWasmKernel(name), name).toBeUndefined();
    for (const name of ['MaxPoolGrad', 'BatchMatMul', 'OneHot']) expect(shippedWasmKernel(name), name).toBeDefined();
  });

  it('leaves only kernels no training needs missing on wasm (complex numbers, FFT, ragged and string ops, canvas drawing)', () => {
    const wasm = new Set(tf.getKernelsForBackend('wasm').map((k) => k.kernelName));
    const missing = tf.getKernelsForBackend('cpu').map((k) => k.kernelName).filter((name) => !wasm.has(name)).sort();
    expect(missing).toEqual(['Complex', 'ComplexAbs', 'Draw', 'FFT', 'IFFT', 'Imag', 'RaggedGather', 'RaggedRange', 'RaggedTensorToTensor', 'Real', 'StaticRegexReplace']);
  });
});

describe('faults of the shipped wasm kernels, kept visible', () => {
  // One window of all-negative values: the shipped kernel's running maximum starts at FLT_MIN
  // (1.18e-38), which no value ≤ 0 beats, so it never records where the maximum is.
  const x: Data = floats([1, 2, 2, 1], () => 0);
  x.values.set([-3, -1, -2, -4]);
  const dy: Data = floats([1, 1, 1, 1], () => 1);
  const gradient = (t: Record<string, tf.Tensor>) => runKernel('MaxPoolGrad', { dy: t.dy, input: t.x, output: t.dy }, { filterSize: 2, strides: 2, pad: 'valid' });

  it('MaxPoolGrad: the gradient of an all-negative window does not reach its maximum', async () => {
    const [cpu] = await runOn('cpu', { x, dy }, gradient);
    expect(Array.from(cpu.values)).toEqual([0, 1, 0, 0]);
    const [shipped] = await withShippedKernel('MaxPoolGrad', () => runOn('wasm', { x, dy }, gradient));
    expect(Array.from(shipped.values)).toEqual([1, 0, 0, 0]);
    const [fixed] = await runOn('wasm', { x, dy }, gradient);
    expect(Array.from(fixed.values)).toEqual([0, 1, 0, 0]);
  });

  it('MaxPoolGrad: on U(−1, 1) data exactly the windows whose maximum is ≤ 0 (1 in 16) get a wrong gradient', async () => {
    const rng = createRng('shipped-maxpoolgrad');
    const inputs = { x: floats([4, 8, 8, 8], () => rng.uniform(-1, 1)), dy: floats([4, 4, 4, 8], () => rng.uniform(-1, 1)) };
    const [cpu, maxima] = await runOn('cpu', inputs, (t) => [gradient(t) as tf.Tensor, tf.maxPool(t.x as tf.Tensor4D, 2, 2, 'valid')]);
    const [shipped] = await withShippedKernel('MaxPoolGrad', () => runOn('wasm', inputs, gradient));
    // 2×2 windows with stride 2 do not overlap, so each dx element belongs to one window.
    const windowOf = (k: number): number => {
      const [b, h, w, c] = [Math.floor(k / 512), Math.floor(k / 64) % 8, Math.floor(k / 8) % 8, k % 8];
      return ((b * 4 + (h >> 1)) * 4 + (w >> 1)) * 8 + c;
    };
    const indices = (n: number): number[] => Array.from({ length: n }, (_, k) => k);
    const wrong = new Set(indices(cpu.values.length).filter((k) => shipped.values[k] !== cpu.values[k]).map(windowOf));
    const nonPositive = new Set(indices(maxima.values.length).filter((o) => maxima.values[o] <= 0));
    expect(nonPositive.size).toBeGreaterThan(10);
    expect([...wrong].sort((a, b) => a - b)).toEqual([...nonPositive].sort((a, b) => a - b));
    expectClose('patched MaxPoolGrad', await runOn('wasm', inputs, gradient), [cpu]);
  });

  it('MaxPoolWithArgmax: an all-negative window pools to FLT_MIN', async () => {
    const pool = (t: Record<string, tf.Tensor>) => runKernel('MaxPoolWithArgmax', { x: t.x }, { filterSize: 2, strides: 2, pad: 'valid', includeBatchInIndex: false });
    const [pooled] = await withShippedKernel('MaxPoolWithArgmax', () => runOn('wasm', { x }, pool));
    expect(pooled.values[0]).toBeCloseTo(1.1754943508222875e-38, 45);
    const fixed = await runOn('wasm', { x }, pool);
    expect([fixed[0].values[0], fixed[1].values[0]]).toEqual([-1, 1]);
  });

  it('OneHot: float32 output holds the int32 bit patterns (1 reads as 1.4e-45)', async () => {
    const indices = ints([2], () => 1);
    const oneHot = (t: Record<string, tf.Tensor>) => tf.oneHot(t.indices, 3, 1, 0, 'float32');
    const [shipped] = await withShippedKernel('OneHot', () => runOn('wasm', { indices }, oneHot));
    expect(shipped.values[1]).toBeCloseTo(1.401298464324817e-45, 50);
    expect(Array.from((await runOn('wasm', { indices }, oneHot))[0].values)).toEqual([0, 1, 0, 0, 1, 0]);
  });
});

describe('patched wasm kernels match the cpu backend', () => {
  const CONV2D: Array<{ x: number[]; f: number[]; s: number | number[]; pad: Pad; rounding?: 'floor' | 'round' | 'ceil'; format?: 'NHWC' | 'NCHW' }> = [
    { x: [2, 7, 7, 3], f: [3, 3, 3, 4], s: 1, pad: 'same' },
    { x: [2, 8, 8, 3], f: [3, 3, 3, 2], s: 2, pad: 'same' },
    { x: [1, 9, 7, 2], f: [2, 3, 2, 3], s: [2, 3], pad: 'valid' },
    { x: [3, 6, 6, 1], f: [1, 1, 1, 2], s: 1, pad: 'valid' },
    { x: [2, 5, 5, 2], f: [3, 3, 2, 2], s: 3, pad: 'same' },
    { x: [1, 4, 4, 2], f: [4, 4, 2, 3], s: 1, pad: 'valid' },
    { x: [2, 7, 6, 3], f: [3, 3, 3, 4], s: 2, pad: [[0, 0], [1, 2], [0, 3], [0, 0]] },
    { x: [2, 7, 7, 2], f: [5, 5, 2, 2], s: 1, pad: 2 },
    { x: [2, 8, 8, 2], f: [3, 3, 2, 2], s: 2, pad: 1, rounding: 'ceil' },
    { x: [2, 3, 6, 6], f: [3, 3, 3, 2], s: 1, pad: 'same', format: 'NCHW' },
    { x: [2, 2, 5, 7], f: [2, 2, 2, 3], s: 2, pad: 'valid', format: 'NCHW' },
  ];

  it('Conv2DBackpropFilter and Conv2DBackpropInput over strides, paddings, filter shapes and layouts', async () => {
    for (const [i, c] of CONV2D.entries()) {
      const format = c.format ?? 'NHWC';
      const info = conv2DInfo(c.x, c.f, c.s, c.pad, { rounding: c.rounding, format: format === 'NHWC' ? 'channelsLast' : 'channelsFirst' });
      const rng = createRng(`conv2d-${i}`);
      const inputs = { x: normal(rng, c.x), filter: normal(rng, c.f), dy: normal(rng, info.outShape) };
      const attrs = { strides: c.s, pad: c.pad, dataFormat: format, dimRoundingMode: c.rounding };
      const label = JSON.stringify(c);
      await expectWasmMatchesCpu(`Conv2DBackpropFilter ${label}`, inputs, (t) => runKernel('Conv2DBackpropFilter', { x: t.x, dy: t.dy }, { ...attrs, filterShape: c.f }));
      await expectWasmMatchesCpu(`Conv2DBackpropInput ${label}`, inputs, (t) => runKernel('Conv2DBackpropInput', { dy: t.dy, filter: t.filter }, { ...attrs, inputShape: c.x }));
    }
  });

  const DEPTHWISE: Array<{ x: number[]; f: number[]; s: number | number[]; pad: Pad }> = [
    { x: [2, 7, 7, 3], f: [3, 3, 3, 2], s: 1, pad: 'same' },
    { x: [2, 8, 8, 2], f: [3, 3, 2, 1], s: 2, pad: 'same' },
    { x: [1, 9, 7, 3], f: [2, 3, 3, 3], s: [2, 1], pad: 'valid' },
    { x: [2, 6, 6, 1], f: [5, 5, 1, 2], s: 1, pad: 2 },
    { x: [3, 5, 6, 2], f: [2, 2, 2, 1], s: 1, pad: [[0, 0], [1, 0], [2, 1], [0, 0]] },
  ];

  it('DepthwiseConv2dNativeBackpropFilter and ...BackpropInput over strides, paddings and channel multipliers', async () => {
    for (const [i, c] of DEPTHWISE.entries()) {
      const info = conv2DInfo(c.x, c.f, c.s, c.pad, { depthwise: true });
      const rng = createRng(`depthwise-${i}`);
      const inputs = { x: normal(rng, c.x), filter: normal(rng, c.f), dy: normal(rng, info.outShape) };
      const attrs = { strides: c.s, dilations: 1, pad: c.pad };
      const label = JSON.stringify(c);
      await expectWasmMatchesCpu(`DepthwiseConv2dNativeBackpropFilter ${label}`, inputs, (t) => runKernel('DepthwiseConv2dNativeBackpropFilter', { x: t.x, dy: t.dy }, { ...attrs, filterShape: c.f }));
      await expectWasmMatchesCpu(`DepthwiseConv2dNativeBackpropInput ${label}`, inputs, (t) => runKernel('DepthwiseConv2dNativeBackpropInput', { dy: t.dy, filter: t.filter }, { ...attrs, inputShape: c.x }));
    }
  });

  it('depthwise backprops with dilations are the adjoints of the forward conv (cpu ignores dilations there, so it cannot be the reference)', async () => {
    for (const [i, c] of [
      { x: [2, 9, 9, 3], f: [3, 3, 3, 2], dilations: 2, pad: 'same' as Pad },
      { x: [1, 8, 7, 2], f: [2, 3, 2, 1], dilations: [2, 3], pad: 'valid' as Pad },
    ].entries()) {
      const info = conv2DInfo(c.x, c.f, 1, c.pad, { depthwise: true, dilations: c.dilations });
      const rng = createRng(`depthwise-dilated-${i}`);
      const inputs = { x: normal(rng, c.x), filter: normal(rng, c.f), dy: normal(rng, info.outShape) };
      const attrs = { strides: 1, dilations: c.dilations, pad: c.pad };
      const [y, dx, dw] = await runOn('wasm', inputs, (t) => [
        tf.depthwiseConv2d(t.x as tf.Tensor4D, t.filter as tf.Tensor4D, 1, c.pad as 'same', 'NHWC', c.dilations as [number, number]),
        runKernel('DepthwiseConv2dNativeBackpropInput', { dy: t.dy, filter: t.filter }, { ...attrs, inputShape: c.x }) as tf.Tensor,
        runKernel('DepthwiseConv2dNativeBackpropFilter', { x: t.x, dy: t.dy }, { ...attrs, filterShape: c.f }) as tf.Tensor,
      ]);
      const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((sum, v, k) => sum + v * b[k], 0);
      const reference = dot(y.values, inputs.dy.values); // <conv(x, w), dy>
      expect(Math.abs(dot(inputs.x.values, dx.values) - reference) / Math.max(1, Math.abs(reference)), `<x, dx> ${JSON.stringify(c)}`).toBeLessThan(TOLERANCE);
      expect(Math.abs(dot(inputs.filter.values, dw.values) - reference) / Math.max(1, Math.abs(reference)), `<w, dw> ${JSON.stringify(c)}`).toBeLessThan(TOLERANCE);
    }
  });

  it('Conv3DBackpropFilterV2 and Conv3DBackpropInputV2', async () => {
    const cases: Array<{ x: number[]; f: number[]; s: number | number[]; pad: 'same' | 'valid' }> = [
      { x: [1, 4, 5, 5, 2], f: [2, 2, 2, 2, 3], s: 1, pad: 'same' },
      { x: [2, 4, 4, 4, 1], f: [2, 2, 2, 1, 2], s: 2, pad: 'valid' },
      { x: [1, 5, 4, 6, 2], f: [3, 3, 3, 2, 2], s: [1, 2, 2], pad: 'same' },
      { x: [2, 3, 3, 3, 2], f: [1, 2, 2, 2, 1], s: 1, pad: 'valid' },
    ];
    for (const [i, c] of cases.entries()) {
      const info = tf.backend_util.computeConv3DInfo(c.x as [number, number, number, number, number], c.f as [number, number, number, number, number], c.s as number, 1, c.pad);
      const rng = createRng(`conv3d-${i}`);
      const inputs = { x: normal(rng, c.x), filter: normal(rng, c.f), dy: normal(rng, info.outShape) };
      const label = JSON.stringify(c);
      await expectWasmMatchesCpu(`Conv3DBackpropFilterV2 ${label}`, inputs, (t) => runKernel('Conv3DBackpropFilterV2', { x: t.x, dy: t.dy }, { strides: c.s, pad: c.pad, filterShape: c.f }));
      await expectWasmMatchesCpu(`Conv3DBackpropInputV2 ${label}`, inputs, (t) => runKernel('Conv3DBackpropInputV2', { dy: t.dy, filter: t.filter }, { strides: c.s, pad: c.pad, inputShape: c.x }));
    }
  });

  const POOL2D: Array<{ x: number[]; f: number | number[]; s: number | number[]; pad: Pad; rounding?: 'floor' | 'round' | 'ceil' }> = [
    { x: [2, 6, 6, 3], f: 2, s: 2, pad: 'valid' },
    { x: [2, 7, 7, 3], f: 3, s: 2, pad: 'same' },
    { x: [1, 7, 5, 2], f: [2, 3], s: [2, 1], pad: 'same' },
    { x: [3, 5, 5, 1], f: 3, s: 1, pad: 'valid' },
    { x: [2, 6, 7, 2], f: 2, s: 3, pad: 'valid' },
    { x: [2, 7, 7, 2], f: 3, s: 2, pad: 1 },
    { x: [2, 8, 8, 2], f: 3, s: 2, pad: 1, rounding: 'ceil' },
    { x: [1, 5, 6, 2], f: 2, s: 2, pad: [[0, 0], [1, 0], [0, 2], [0, 0]] },
  ];

  it('MaxPoolGrad over window shapes, strides, paddings, negative values, ties, −∞ and NaN', async () => {
    for (const [i, c] of POOL2D.entries()) {
      const info = tf.backend_util.computePool2DInfo(c.x as [number, number, number, number], c.f as number, c.s as number, 1, c.pad as 'same', c.rounding);
      for (const [pattern, make] of Object.entries(POOL_DATA)) {
        const rng = createRng(`maxpoolgrad-${i}-${pattern}`);
        const inputs = { x: make(rng, c.x), dy: normal(rng, info.outShape) };
        await expectWasmMatchesCpu(`MaxPoolGrad ${JSON.stringify(c)} ${pattern}`, inputs, (t) =>
          runKernel('MaxPoolGrad', { dy: t.dy, input: t.x, output: t.dy }, { filterSize: c.f, strides: c.s, pad: c.pad, dimRoundingMode: c.rounding }),
        );
      }
    }
  });

  it('MaxPoolWithArgmax, with and without the batch in the index', async () => {
    const patterns = { ...POOL_DATA, int32: (rng: Rng, shape: number[]) => ints(shape, () => rng.int(-3, 2)) };
    for (const [i, c] of POOL2D.filter((p) => typeof p.pad !== 'object' && !p.rounding).entries()) {
      for (const [pattern, make] of Object.entries(patterns)) {
        for (const includeBatchInIndex of [false, true]) {
          const rng = createRng(`argmax-${i}-${pattern}`);
          await expectWasmMatchesCpu(`MaxPoolWithArgmax ${JSON.stringify(c)} ${pattern} includeBatchInIndex=${includeBatchInIndex}`, { x: make(rng, c.x) }, (t) =>
            runKernel('MaxPoolWithArgmax', { x: t.x }, { filterSize: c.f, strides: c.s, pad: c.pad, includeBatchInIndex }),
          );
        }
      }
    }
  });

  it('MaxPool3D and MaxPool3DGrad (where cpu keeps the last of tied maxima)', async () => {
    const cases: Array<{ x: number[]; f: number | number[]; s: number | number[]; pad: 'same' | 'valid' | number }> = [
      { x: [1, 4, 5, 5, 2], f: 2, s: 1, pad: 'same' },
      { x: [2, 4, 4, 4, 1], f: [2, 3, 3], s: [1, 2, 1], pad: 'valid' },
      { x: [1, 5, 5, 5, 2], f: 3, s: 2, pad: 'same' },
      { x: [2, 4, 5, 6, 2], f: [2, 2, 3], s: [2, 1, 2], pad: 'same' },
    ];
    for (const [i, c] of cases.entries()) {
      const info = tf.backend_util.computePool3DInfo(c.x as Shape5, c.f as number, c.s as number, 1, c.pad);
      for (const [pattern, make] of Object.entries(POOL_DATA)) {
        const rng = createRng(`maxpool3d-${i}-${pattern}`);
        const inputs = { x: make(rng, c.x), dy: normal(rng, info.outShape) };
        const attrs = { filterSize: c.f, strides: c.s, pad: c.pad };
        const label = `${JSON.stringify(c)} ${pattern}`;
        const gradient = (t: Record<string, tf.Tensor>) => runKernel('MaxPool3DGrad', { dy: t.dy, input: t.x, output: t.dy }, attrs);
        await expectWasmMatchesCpu(`MaxPool3D ${label}`, inputs, (t) => runKernel('MaxPool3D', { x: t.x }, { ...attrs, dataFormat: 'NDHWC' }));
        if (info.filterHeight === info.filterWidth) {
          await expectWasmMatchesCpu(`MaxPool3DGrad ${label}`, inputs, gradient);
        } else {
          // cpu's maxPool3dPositions encodes a window position as wRow * filterHeight + wCol,
          // the height where the width belongs, so its gradient is wrong for these windows.
          const expected = { values: maxPool3DGradReference(inputs.x, inputs.dy, info), shape: c.x, dtype: 'float32' as const };
          expectClose(`MaxPool3DGrad ${label} (direct reference)`, await runOn('wasm', inputs, gradient), [expected]);
        }
      }
    }
  });

  it('UnsortedSegmentSum, with repeated and out-of-range segment ids', async () => {
    const cases = [
      { x: [6, 4], ids: [6], segments: 4 },
      { x: [5, 4, 2], ids: [5], segments: 7 },
      { x: [7], ids: [7], segments: 3 },
      { x: [9, 3], ids: [9], segments: 1 },
    ];
    for (const [i, c] of cases.entries()) {
      const rng = createRng(`segment-sum-${i}`);
      const inputs = { x: normal(rng, c.x), ids: ints(c.ids, () => rng.int(-1, c.segments)) };
      await expectWasmMatchesCpu(`UnsortedSegmentSum ${JSON.stringify(c)}`, inputs, (t) => tf.unsortedSegmentSum(t.x, t.ids as tf.Tensor1D, c.segments));
    }
  });

  it('Einsum', async () => {
    const cases: Array<[string, number[][]]> = [
      ['ij,jk->ik', [[3, 4], [4, 5]]],
      ['bij,bjk->bik', [[2, 3, 4], [2, 4, 5]]],
      ['i,i->', [[7], [7]]],
      ['ij->ji', [[3, 4]]],
      ['ij,ij->ij', [[3, 4], [3, 4]]],
      ['i,j->ij', [[3], [4]]],
      ['bij,bkj->bik', [[2, 3, 4], [2, 5, 4]]],
    ];
    for (const [i, [equation, shapes]] of cases.entries()) {
      const rng = createRng(`einsum-${i}`);
      const inputs = Object.fromEntries(shapes.map((shape, k) => [`t${k}`, normal(rng, shape)]));
      await expectWasmMatchesCpu(`einsum ${equation}`, inputs, (t) => tf.einsum(equation, ...shapes.map((_, k) => t[`t${k}`])));
    }
  });

  it('OneHot, float32 and int32, with out-of-range indices', async () => {
    const rng = createRng('one-hot');
    const indices = ints([3, 4], () => rng.int(-1, 5));
    for (const [dtype, on, off] of [['float32', 1, 0], ['float32', 5, -1], ['float32', 0.9, 0.025], ['int32', 1, 0], ['int32', 3, -2]] as const) {
      await expectWasmMatchesCpu(`oneHot ${dtype} on=${on} off=${off}`, { indices }, (t) => tf.oneHot(t.indices, 5, on, off, dtype));
    }
  });

  it('BatchMatMul and _FusedMatMul with every combination of transposes, batches and broadcasting', async () => {
    const cases: Array<{ a: number[]; b: number[] }> = [
      { a: [5, 4], b: [4, 6] },
      { a: [2, 3, 5], b: [2, 5, 4] },
      { a: [1, 3, 4], b: [3, 4, 5] },
      { a: [2, 2, 3, 4], b: [2, 2, 4, 5] },
    ];
    for (const [i, c] of cases.entries()) {
      for (const transposeA of [false, true]) {
        for (const transposeB of [false, true]) {
          const swap = (shape: number[], flag: boolean) => (flag ? [...shape.slice(0, -2), shape[shape.length - 1], shape[shape.length - 2]] : shape);
          const rng = createRng(`matmul-${i}-${transposeA}-${transposeB}`);
          const inputs = { a: normal(rng, swap(c.a, transposeA)), b: normal(rng, swap(c.b, transposeB)), bias: normal(rng, [c.b[c.b.length - 1]]) };
          const label = `${JSON.stringify(c)} transposeA=${transposeA} transposeB=${transposeB}`;
          await expectWasmMatchesCpu(`matMul ${label}`, inputs, (t) => tf.matMul(t.a, t.b, transposeA, transposeB));
          if (c.a.length === 2) {
            await expectWasmMatchesCpu(`fused matMul ${label}`, inputs, (t) =>
              tf.fused.matMul({ a: t.a, b: t.b, transposeA, transposeB, bias: t.bias, activation: 'relu' }),
            );
          }
        }
      }
    }
  });
});

describe('training on wasm', () => {
  /** Every layer type whose training needed a missing or faulty wasm kernel, plus the usual ones. */
  function buildModel(dropout: number, seed: number): tf.Sequential {
    const init = (k: number) => tf.initializers.glorotUniform({ seed: seed * 100 + k });
    return tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [12, 12, 2], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(1) }),
        tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', depthwiseInitializer: init(2) }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.separableConv2d({ filters: 6, kernelSize: 3, padding: 'same', activation: 'relu', depthwiseInitializer: init(3), pointwiseInitializer: init(4) }),
        tf.layers.conv2dTranspose({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', kernelInitializer: init(5) }),
        tf.layers.averagePooling2d({ poolSize: 2 }),
        tf.layers.batchNormalization(),
        tf.layers.dropout({ rate: dropout, seed }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: init(6) }),
      ],
    });
  }

  const rng = createRng('training');
  const batch = { x: normal(rng, [8, 12, 12, 2]), y: floats([8, 3], () => 0) };
  for (let i = 0; i < 8; i++) batch.y.values[i * 3 + (i % 3)] = 1;

  function loss(model: tf.Sequential, x: tf.Tensor, y: tf.Tensor): tf.Scalar {
    return tf.mean(tf.metrics.categoricalCrossentropy(y, model.apply(x, { training: true }) as tf.Tensor));
  }

  /** Loss and gradients (in trainableWeights order) of a fresh model with the given weights. */
  async function lossAndGradients(backend: Backend, weights: Data[]): Promise<{ loss: number; grads: Output[]; kernels: string[] }> {
    await use(backend);
    const model = buildModel(0, 1);
    model.setWeights(weights.map((w) => tf.tensor(w.values, w.shape)));
    const [x, y] = [tf.tensor(batch.x.values, batch.x.shape), tf.tensor(batch.y.values, batch.y.shape)];
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    let result: { loss: number; grads: Output[] } = { loss: NaN, grads: [] };
    const profile = await tf.profile(() => {
      const { value, grads } = tf.variableGrads(() => loss(model, x, y), variables);
      result = { loss: value.dataSync()[0], grads: variables.map((v) => ({ values: grads[v.name].dataSync(), shape: v.shape, dtype: v.dtype })) };
      tf.dispose([value, ...Object.values(grads)]);
      return [];
    });
    tf.dispose([x, y]);
    model.dispose();
    return { ...result, kernels: profile.kernelNames };
  }

  it('gives the same loss and gradients as cpu for the same weights and data', async () => {
    await use('cpu');
    const reference = buildModel(0, 1);
    const weights = reference.getWeights().map((w) => ({ values: w.dataSync() as Float32Array, shape: w.shape, dtype: 'float32' as const }));
    reference.dispose();
    const cpu = await lossAndGradients('cpu', weights);
    const wasm = await lossAndGradients('wasm', weights);
    expect(wasm.kernels).toEqual(expect.arrayContaining(['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput', 'MaxPoolGrad', 'BatchMatMul']));
    expect(relativeError([wasm.loss], [cpu.loss])).toBeLessThanOrEqual(TOLERANCE);
    expectClose('gradients', wasm.grads, cpu.grads);
  });

  it('gives an embedding model the same gradients as cpu (Gather\'s gradient is UnsortedSegmentSum)', async () => {
    const ids = ints([6, 5], () => rng.int(0, 19));
    const labels = floats([6, 3], () => 0);
    for (let i = 0; i < 6; i++) labels.values[i * 3 + (i % 3)] = 1;
    const gradients = async (backend: Backend): Promise<Output[]> => {
      await use(backend);
      const model = tf.sequential({
        layers: [
          tf.layers.embedding({ inputDim: 20, outputDim: 4, inputLength: 5, embeddingsInitializer: tf.initializers.randomUniform({ minval: -1, maxval: 1, seed: 3 }) }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }),
        ],
      });
      const [x, y] = [tf.tensor(ids.values, ids.shape, 'int32'), tf.tensor(labels.values, labels.shape)];
      const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const { value, grads } = tf.variableGrads(() => loss(model, x, y), variables);
      const result = variables.map((v) => ({ values: grads[v.name].dataSync(), shape: v.shape, dtype: v.dtype }));
      tf.dispose([value, x, y, ...Object.values(grads)]);
      model.dispose();
      return result;
    };
    expectClose('embedding model gradients', await gradients('wasm'), await gradients('cpu'));
  });

  it('trains: loss falls, every weight changes, and no tensor is left behind', async () => {
    await use('wasm');
    const model = buildModel(0.25, 2);
    const [x, y] = [tf.tensor(batch.x.values, batch.x.shape), tf.tensor(batch.y.values, batch.y.shape)];
    const before = model.getWeights().map((w) => w.dataSync().slice());
    const optimizer = tf.train.sgd(0.1);
    const losses: number[] = [];
    const tensorCounts: number[] = [];
    for (let step = 0; step < 10; step++) {
      const value = optimizer.minimize(() => loss(model, x, y), true);
      losses.push(value!.dataSync()[0]);
      value!.dispose();
      tensorCounts.push(tf.memory().numTensors);
    }
    expect(losses[9]).toBeLessThan(losses[0] * 0.8);
    expect(new Set(tensorCounts.slice(1)).size, `tensor counts per step: ${tensorCounts.join(', ')}`).toBe(1);
    const trainable = new Set(model.trainableWeights.map((w) => w.originalName));
    model.weights.forEach((w, i) => {
      const changed = relativeError(model.getWeights()[i].dataSync(), before[i]) > 0;
      expect(changed, `${w.originalName} ${trainable.has(w.originalName) ? 'trained' : 'moving statistic'}`).toBe(true);
    });
    optimizer.dispose();
    tf.dispose([x, y]);
    model.dispose();
  });
});
