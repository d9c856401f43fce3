import * as tf from '@tensorflow/tfjs';

/**
 * Kernel patches that let @tensorflow/tfjs-backend-wasm 4.22.0 train the course's networks.
 *
 * As shipped it cannot: Conv2DBackpropFilter, both depthwise backprops, UnsortedSegmentSum and
 * Einsum are missing (so no conv, separable or embedding layer trains); the max-pool kernels
 * start their running maximum at FLT_MIN instead of −∞; the Conv3D backprops have wrong loop
 * bounds; OneHot ignores a float32 dtype; and transposed matmuls and Conv2DBackpropInput are
 * naive loops an order of magnitude slower than the XNNPACK paths next to them.
 * docs/wasm-maxpoolgrad.md has the measurements.
 *
 * Most patches are compositions of kernels the wasm backend ships, called directly on
 * TensorInfos the way tfjs's own composite kernels are written, so that the heavy lifting stays
 * in XNNPACK. The max-pool family is the exception (see the comment there). Nothing needs the
 * cpu backend or a rebuilt .wasm binary. Semantics, down to which tied maximum receives the
 * gradient, follow the cpu backend: it is the reference the tests compare against.
 */

const WASM = 'wasm';

type Info = tf.TensorInfo;
type Attrs = Record<string, unknown>;
type Inputs = Record<string, Info | undefined>;
type KernelArgs = Parameters<tf.KernelFunc>[0];
type Shape4 = [number, number, number, number];
type Shape5 = [number, number, number, number, number];

// ---------------------------------------------------------------------------------------------
// Registration

interface PatchState {
  names: string[];
  /** The kernels as the wasm package registered them, before this module replaced any. */
  shipped: Map<string, tf.KernelConfig>;
}

// tfjs keeps its kernel registry on globalThis, so the record of what was patched lives there
// too: a second copy of this module (another bundle, a test runner's fresh module graph) must
// see the patches, not patch them again.
const STATE_KEY = Symbol.for('mlgrade.wasmKernelPatches');
type GlobalWithState = typeof globalThis & { [STATE_KEY]?: PatchState };

function patchState(): PatchState | undefined {
  return (globalThis as GlobalWithState)[STATE_KEY];
}

/**
 * Registers, for the wasm backend, the kernels it lacks and replaces the ones it gets wrong or
 * runs slowly. Call after importing @tensorflow/tfjs-backend-wasm, before or after
 * tf.setBackend('wasm'); later calls change nothing. Returns the kernel names registered or
 * replaced.
 */
export function registerWasmKernelPatches(): string[] {
  const existing = patchState();
  if (existing) return [...existing.names];
  if (!tf.getKernel('Conv2D', WASM)) {
    throw new Error('registerWasmKernelPatches: no wasm kernels are registered; import @tensorflow/tfjs-backend-wasm first');
  }
  const state: PatchState = { names: [], shipped: new Map() };
  for (const [name, kernelFunc] of Object.entries(PATCHES)) {
    const shipped = tf.getKernel(name, WASM);
    if (shipped) {
      state.shipped.set(name, shipped);
      tf.unregisterKernel(name, WASM);
    }
    // The replacements call the shipped kernelFuncs, whose C++ entry points are bound by their
    // setupFunc when the backend initializes, and only for kernels registered at that moment.
    tf.registerKernel({ kernelName: name, backendName: WASM, kernelFunc, setupFunc: shipped?.setupFunc, disposeFunc: shipped?.disposeFunc });
    state.names.push(name);
  }
  (globalThis as GlobalWithState)[STATE_KEY] = state;
  return [...state.names];
}

/** The kernel as @tensorflow/tfjs-backend-wasm registered it, if this module replaced it. */
export function shippedWasmKernel(name: string): tf.KernelConfig | undefined {
  return patchState()?.shipped.get(name);
}

/** Patches build on the shipped kernels only, so no patch can end up calling itself. */
function shippedKernelFunc(name: string): tf.KernelFunc {
  const config = patchState()?.shipped.get(name) ?? tf.getKernel(name, WASM);
  if (!config) throw new Error(`wasm kernel ${name} is not registered`);
  return config.kernelFunc;
}

// ---------------------------------------------------------------------------------------------
// Composing shipped kernels

/**
 * Runs shipped kernels on TensorInfos and remembers every buffer it made, so that a patch can
 * build its result in many steps and then free everything but the result. This is below the
 * engine (no tensors, tape or scopes): only the backend's reference counts matter, and since
 * wasm's Reshape shares its input's buffer by raising that count, releasing each made
 * TensorInfo exactly once is right even for chains of reshapes.
 */
class Composer {
  private readonly made: Info[] = [];

  constructor(readonly backend: tf.KernelBackend) {}

  /** Runs a shipped kernel that has one output. */
  run(name: string, inputs: Inputs | Info[], attrs: Attrs = {}): Info {
    const out = this.call(name, inputs, attrs);
    if (Array.isArray(out)) throw new Error(`${name} returned ${out.length} outputs where one was expected`);
    return out;
  }

  /** Runs a shipped kernel as it is, one output or several. */
  call(name: string, inputs: Inputs | Info[], attrs: Attrs = {}): Info | Info[] {
    const out = shippedKernelFunc(name)({ inputs: inputs as tf.NamedTensorInfoMap, attrs: attrs as tf.NamedAttrMap, backend: this.backend });
    this.made.push(...(Array.isArray(out) ? out : [out]));
    return out;
  }

  reshape(x: Info, shape: number[]): Info {
    return this.run('Reshape', { x }, { shape });
  }

  transpose(x: Info, perm: number[]): Info {
    return perm.every((axis, i) => axis === i) ? x : this.run('Transpose', { x }, { perm });
  }

  cast(x: Info, dtype: tf.DataType): Info {
    return this.run('Cast', { x }, { dtype });
  }

  /** Keeps `results` and frees everything else this composer made. */
  finish(results: Info | Info[]): Info | Info[] {
    // An input handed straight back would become a second tensor on the same buffer with no
    // reference count of its own, so it is copied.
    const owned = (Array.isArray(results) ? results : [results]).map((r) => (this.made.includes(r) ? r : this.run('Identity', { x: r })));
    this.releaseAllBut(owned);
    return Array.isArray(results) ? owned : owned[0];
  }

  releaseAllBut(keep: Info[]): void {
    for (const info of this.made) if (!keep.includes(info)) this.backend.disposeData(info.dataId);
    this.made.length = 0;
  }
}

type Composition = (c: Composer, inputs: Inputs, attrs: Attrs) => Info | Info[];

function composite(body: Composition): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const c = new Composer(backend as tf.KernelBackend);
    try {
      return c.finish(body(c, inputs, attrs ?? {}));
    } catch (error) {
      c.releaseAllBut([]);
      throw error;
    }
  };
}

function input(inputs: Inputs, name: string): Info {
  const info = inputs[name];
  if (!info) throw new Error(`missing input ${name}`);
  return info;
}

const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

// ---------------------------------------------------------------------------------------------
// Convolution backprops as forward convolutions
//
// Both gradients of a convolution are themselves convolutions, and the shipped forward Conv2D
// and DepthwiseConv2dNative run on XNNPACK, so each backprop below rearranges its operands
// (transposes, a flipped filter, zeros stuffed between dy's elements) and makes one forward
// call. The geometry is written per spatial axis so that 2-D and 3-D share it.

/** A forward convolution along its spatial axes (2 or 3 of them). */
interface ConvGeometry {
  inSize: number[];
  outSize: number[];
  filter: number[];
  strides: number[];
  dilations: number[];
  padBefore: number[];
}

function geometry2D(info: tf.backend_util.Conv2DInfo): ConvGeometry {
  return {
    inSize: [info.inHeight, info.inWidth],
    outSize: [info.outHeight, info.outWidth],
    filter: [info.filterHeight, info.filterWidth],
    strides: [info.strideHeight, info.strideWidth],
    dilations: [info.dilationHeight, info.dilationWidth],
    padBefore: [info.padInfo.top, info.padInfo.left],
  };
}

function geometry3D(info: tf.backend_util.Conv3DInfo): ConvGeometry {
  return {
    inSize: [info.inDepth, info.inHeight, info.inWidth],
    outSize: [info.outDepth, info.outHeight, info.outWidth],
    filter: [info.filterDepth, info.filterHeight, info.filterWidth],
    strides: [info.strideDepth, info.strideHeight, info.strideWidth],
    dilations: [info.dilationDepth, info.dilationHeight, info.dilationWidth],
    padBefore: [info.padInfo.front, info.padInfo.top, info.padInfo.left],
  };
}

/** Per spatial axis, [before, after]; a negative amount means "crop that many". */
type Padding = Array<[number, number]>;

/**
 * dx[r] = Σ_k dy[(r + p − k·d)/s]·w[k] over the k that make the index whole: a stride-1
 * correlation of dy, with s−1 zeros stuffed after each element, and the spatially flipped
 * filter. zeroStuff leaves s−1 trailing zeros as well, which the "after" amount absorbs.
 */
function inputGradientPadding(g: ConvGeometry): Padding {
  return g.inSize.map((n, i) => [(g.filter[i] - 1) * g.dilations[i] - g.padBefore[i], n + g.padBefore[i] - g.outSize[i] * g.strides[i]]);
}

/**
 * dW[k] = Σ_i x[i·s − p + k·d]·dy[i]: slide dy over x as a filter dilated by the forward
 * stride s, stepping by the forward dilation d. The padding makes exactly filter-size outputs.
 */
function filterGradientPadding(g: ConvGeometry): Padding {
  return g.inSize.map((n, i) => {
    const reach = (g.filter[i] - 1) * g.dilations[i] + (g.outSize[i] - 1) * g.strides[i] + 1;
    return [g.padBefore[i], reach - g.padBefore[i] - n];
  });
}

/** Inserts s−1 zeros after every element along each spatial axis (axes 1..n) of x. */
function zeroStuff(c: Composer, x: Info, strides: number[]): Info {
  let out = x;
  strides.forEach((s, i) => {
    if (s === 1) return;
    const axis = i + 1;
    // As [outer, 1, inner], padding the middle axis to s puts s−1 zeros after each element.
    const column = c.reshape(out, [size(out.shape.slice(0, axis + 1)), 1, size(out.shape.slice(axis + 1))]);
    const padded = c.run('PadV2', { x: column }, { paddings: [[0, 0], [0, s - 1], [0, 0]], constantValue: 0 });
    const shape = [...out.shape];
    shape[axis] *= s;
    out = c.reshape(padded, shape);
  });
  return out;
}

/** Crops x wherever `padding` is negative; returns x and the (non-negative) padding left. */
function cropNegative(c: Composer, x: Info, padding: Padding): { x: Info; padding: Padding } {
  if (padding.every(([before, after]) => before >= 0 && after >= 0)) return { x, padding };
  const begin = x.shape.map(() => 0);
  const sliceSize = [...x.shape];
  padding.forEach(([before, after], i) => {
    begin[i + 1] = Math.max(0, -before);
    sliceSize[i + 1] -= Math.max(0, -before) + Math.max(0, -after);
  });
  return {
    x: c.run('Slice', { x }, { begin, size: sliceSize }),
    padding: padding.map(([before, after]) => [Math.max(0, before), Math.max(0, after)]),
  };
}

type ConvKind = 'Conv2D' | 'DepthwiseConv2dNative' | 'Conv3D';

/** A shipped forward convolution (channels-last) with any per-axis padding, negative included. */
function correlate(c: Composer, kind: ConvKind, x: Info, filter: Info, strides: number[], dilations: number[], padding: Padding): Info {
  const fit = cropNegative(c, x, padding);
  if (kind !== 'Conv3D') {
    return c.run(kind, { x: fit.x, filter }, { strides, dilations, pad: [[0, 0], ...fit.padding, [0, 0]], dataFormat: 'NHWC' });
  }
  // Conv3D takes only 'same' and 'valid', so explicit padding is materialized.
  const padded = fit.padding.some(([before, after]) => before > 0 || after > 0)
    ? c.run('PadV2', { x: fit.x }, { paddings: [[0, 0], ...fit.padding, [0, 0]], constantValue: 0 })
    : fit.x;
  return c.run('Conv3D', { x: padded, filter }, { strides, dilations, pad: 'valid', dataFormat: 'NDHWC' });
}

/**
 * Missing on wasm. One forward conv with batch and channel axes swapped: x as [Ci,H,W,B] (the
 * batch becomes the channel axis the conv sums over) and dy as a [oH,oW,B,Co] filter.
 */
function conv2DBackpropFilter(c: Composer, inputs: Inputs, attrs: Attrs): Info {
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const x = input(inputs, 'x');
  const dy = input(inputs, 'dy');
  const format = tf.backend_util.convertConv2DDataFormat(dataFormat);
  const g = geometry2D(tf.backend_util.computeConv2DInfo(x.shape as Shape4, filterShape, strides, 1, pad, dimRoundingMode, false, format));
  const channelsLast = format === 'channelsLast';
  const xSwapped = c.transpose(x, channelsLast ? [3, 1, 2, 0] : [1, 2, 3, 0]);
  const dyFilter = c.transpose(dy, channelsLast ? [1, 2, 0, 3] : [2, 3, 0, 1]);
  const dW = correlate(c, 'Conv2D', xSwapped, dyFilter, g.dilations, g.strides, filterGradientPadding(g));
  return c.transpose(dW, [1, 2, 0, 3]);
}

/**
 * Replaces the shipped kernel, a plain C++ loop: this forward XNNPACK conv of the zero-stuffed
 * dy with the flipped filter (in and out channels swapped) is up to 10× faster (2.7× at
 * stride 2, where 3 in 4 stuffed values are zeros; on par with one input channel). It is also
 * the forward pass of conv2dTranspose.
 */
function conv2DBackpropInput(c: Composer, inputs: Inputs, attrs: Attrs): Info {
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as tf.Conv2DBackpropInputAttrs;
  const dy = input(inputs, 'dy');
  const filter = input(inputs, 'filter');
  const format = tf.backend_util.convertConv2DDataFormat(dataFormat);
  const g = geometry2D(tf.backend_util.computeConv2DInfo(inputShape, filter.shape as Shape4, strides, 1, pad, dimRoundingMode, false, format));
  const channelsLast = format === 'channelsLast';
  const flipped = c.run('Reverse', { x: c.transpose(filter, [0, 1, 3, 2]) }, { dims: [0, 1] });
  const stuffed = zeroStuff(c, channelsLast ? dy : c.transpose(dy, [0, 2, 3, 1]), g.strides);
  const dx = correlate(c, 'Conv2D', stuffed, flipped, [1, 1], g.dilations, inputGradientPadding(g));
  return channelsLast ? dx : c.transpose(dx, [0, 3, 1, 2]);
}

/**
 * Missing on wasm. A depthwise filter belongs to one channel, so the batch cannot become the
 * summed channel as in conv2DBackpropFilter. Instead batch and channel fold into the channel
 * axis of a single image, dy (folded alike) is a depthwise filter dilated by the stride, and
 * the batch is summed afterwards.
 */
function depthwiseConv2dNativeBackpropFilter(c: Composer, inputs: Inputs, attrs: Attrs): Info {
  const { strides, dilations, pad, dimRoundingMode, filterShape } = attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  const x = input(inputs, 'x');
  const dy = input(inputs, 'dy');
  const g = geometry2D(tf.backend_util.computeConv2DInfo(x.shape as Shape4, filterShape, strides, dilations, pad, dimRoundingMode, true));
  const [batch, height, width, channels] = x.shape;
  const [filterHeight, filterWidth, , multiplier] = filterShape;
  const image = c.reshape(c.transpose(x, [1, 2, 0, 3]), [1, height, width, batch * channels]);
  const dyFilter = c.reshape(c.transpose(dy, [1, 2, 0, 3]), [...g.outSize, batch * channels, multiplier]);
  const perSample = correlate(c, 'DepthwiseConv2dNative', image, dyFilter, g.dilations, g.strides, filterGradientPadding(g));
  const grouped = c.reshape(perSample, [filterHeight, filterWidth, batch, channels * multiplier]);
  return c.reshape(c.run('Sum', { x: grouped }, { axis: 2, keepDims: false }), filterShape);
}

/**
 * Missing on wasm. Each of the C·M channels of dy is correlated with its own flipped filter
 * (a depthwise conv with multiplier 1); the M results of each input channel are then summed.
 */
function depthwiseConv2dNativeBackpropInput(c: Composer, inputs: Inputs, attrs: Attrs): Info {
  const { strides, dilations, pad, dimRoundingMode, inputShape } = attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  const dy = input(inputs, 'dy');
  const filter = input(inputs, 'filter');
  const g = geometry2D(tf.backend_util.computeConv2DInfo(inputShape, filter.shape as Shape4, strides, dilations, pad, dimRoundingMode, true));
  const [filterHeight, filterWidth, channels, multiplier] = filter.shape;
  const flipped = c.reshape(c.run('Reverse', { x: filter }, { dims: [0, 1] }), [filterHeight, filterWidth, channels * multiplier, 1]);
  const stuffed = zeroStuff(c, dy, g.strides);
  const perChannel = correlate(c, 'DepthwiseConv2dNative', stuffed, flipped, [1, 1], g.dilations, inputGradientPadding(g));
  if (multiplier === 1) return perChannel;
  return c.run('Sum', { x: c.reshape(perChannel, [...inputShape, multiplier]) }, { axis: 4, keepDims: false });
}

/**
 * Replaces the shipped kernel, which bounds its output rows with C++ integer division (it
 * truncates toward zero) used as floor and ceiling: with stride > 1 it drops terms (wrong dW).
 */
function conv3DBackpropFilterV2(c: Composer, inputs: Inputs, attrs: Attrs): Info {
  const { strides, pad, filterShape } = attrs as unknown as tf.Conv3DBackpropFilterV2Attrs;
  const x = input(inputs, 'x');
  const dy = input(inputs, 'dy');
  const g = geometry3D(tf.backend_util.computeConv3DInfo(x.shape as Shape5, filterShape, strides, 1, pad));
  const xSwapped = c.transpose(x, [4, 1, 2, 3, 0]);
  const dyFilter = c.transpose(dy, [1, 2, 3, 0, 4]);
  const dW = correlate(c, 'Conv3D', xSwapped, dyFilter, g.dilations, g.strides, filterGradientPadding(g));
  return c.transpose(dW, [1, 2, 3, 0, 4]);
}

/**
 * Replaces the shipped kernel, whose depth loop bound omits the window corner
 * (min(outDepth, filterDepth / stride), without the "+ corner" its height and width bounds
 * have): it reads taps outside the filter, so dx is wrong for most shapes.
 */
function conv3DBackpropInputV2(c: Composer, inputs: Inputs, attrs: Attrs): Info {
  const { strides, pad, inputShape } = attrs as unknown as tf.Conv3DBackpropInputV2Attrs;
  const dy = input(inputs, 'dy');
  const filter = input(inputs, 'filter');
  const g = geometry3D(tf.backend_util.computeConv3DInfo(inputShape, filter.shape as Shape5, strides, 1, pad));
  const flipped = c.run('Reverse', { x: c.transpose(filter, [0, 1, 2, 4, 3]) }, { dims: [0, 1, 2] });
  return correlate(c, 'Conv3D', zeroStuff(c, dy, g.strides), flipped, [1, 1, 1], g.dilations, inputGradientPadding(g));
}

// ---------------------------------------------------------------------------------------------
// Max pooling
//
// The shipped max-pool kernels start their running maximum at FLT_MIN, the smallest *positive*
// float, so in a window whose values are all ≤ 0 nothing ever beats it: MaxPoolGrad and
// MaxPool3DGrad send that window's gradient to the wrong place (or nowhere), MaxPoolWithArgmax
// and MaxPool3D report 1.2e-38 as its maximum. They also let the last of tied maxima win where
// cpu's 2-D code keeps the first.
//
// These replacements are loops over the backend's public readSync/write rather than
// compositions. Gathering windows from shipped kernels needs StridedSlice, Pack and int32
// broadcasting, which are generic C++ loops: a composed MaxPoolGrad ran as slow as cpu
// (~450 ms for a 64×28×28×16 batch, against 12 ms for this loop and 26 ms for the shipped
// kernel). The fast compositions (transposes for non-overlapping windows, one-hot convolutions)
// either cover only some window shapes or turn 0·∞ into NaN. A loop can repeat cpu's
// comparisons exactly, NaN and −∞ included.

/**
 * Which of equal maxima a window keeps. cpu is not consistent: its 2-D code compares with `>`
 * (the first maximum wins), its 3-D gradient with `>=` (the last does). Both start at −∞, never
 * pick NaN, and give index −1 (no gradient) to a window with nothing to pick.
 */
type Ties = 'first' | 'last';

/** A pooling layout with three spatial axes (a 2-D pool has depth 1); x is [B, ...inSize, C]. */
interface PoolGeometry extends ConvGeometry {
  batch: number;
  channels: number;
}

function poolGeometry2D(info: tf.backend_util.Conv2DInfo): PoolGeometry {
  const g = geometry2D(info);
  return {
    inSize: [1, ...g.inSize],
    outSize: [1, ...g.outSize],
    filter: [1, ...g.filter],
    strides: [1, ...g.strides],
    dilations: [1, ...g.dilations],
    padBefore: [0, ...g.padBefore],
    batch: info.batchSize,
    channels: info.inChannels,
  };
}

function poolGeometry3D(info: tf.backend_util.Conv3DInfo): PoolGeometry {
  return { ...geometry3D(info), batch: info.batchSize, channels: info.inChannels };
}

interface WindowMaxima {
  /** Per output element, row-major [B, ...outSize, C]: the window's maximum (−∞ if none). */
  max: Float64Array;
  /** Per output element: the flat index into x of that maximum, or −1. */
  index: Int32Array;
}

function windowMaxima(x: ArrayLike<number>, g: PoolGeometry, ties: Ties): WindowMaxima {
  const [inD, inH, inW] = g.inSize;
  const [outD, outH, outW] = g.outSize;
  const C = g.channels;
  const max = new Float64Array(g.batch * outD * outH * outW * C).fill(-Infinity);
  const index = new Int32Array(max.length).fill(-1);
  /** Along `axis`, the input coordinate of tap k of window o, or −1 if it falls in padding. */
  const at = (axis: number, o: number, k: number): number => {
    const pos = o * g.strides[axis] - g.padBefore[axis] + k * g.dilations[axis];
    return pos >= 0 && pos < g.inSize[axis] ? pos : -1;
  };
  let out = 0;
  for (let b = 0; b < g.batch; b++) {
    for (let od = 0; od < outD; od++) {
      for (let oh = 0; oh < outH; oh++) {
        for (let ow = 0; ow < outW; ow++, out += C) {
          for (let kd = 0; kd < g.filter[0]; kd++) {
            const d = at(0, od, kd);
            if (d < 0) continue;
            for (let kh = 0; kh < g.filter[1]; kh++) {
              const h = at(1, oh, kh);
              if (h < 0) continue;
              for (let kw = 0; kw < g.filter[2]; kw++) {
                const w = at(2, ow, kw);
                if (w < 0) continue;
                const base = (((b * inD + d) * inH + h) * inW + w) * C;
                // Channels innermost: contiguous in x, and the comparison is hoisted out of it.
                if (ties === 'first') {
                  for (let c = 0; c < C; c++) {
                    if (x[base + c] > max[out + c]) {
                      max[out + c] = x[base + c];
                      index[out + c] = base + c;
                    }
                  }
                } else {
                  for (let c = 0; c < C; c++) {
                    if (x[base + c] >= max[out + c]) {
                      max[out + c] = x[base + c];
                      index[out + c] = base + c;
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }
  return { max, index };
}

function read(backend: tf.KernelBackend, info: Info): ArrayLike<number> {
  return backend.readSync(info.dataId) as Float32Array | Int32Array | Uint8Array;
}

function written(backend: tf.KernelBackend, values: Float32Array | Int32Array | Uint8Array, shape: number[], dtype: tf.DataType): Info {
  return { dataId: backend.write(values, shape, dtype), shape, dtype };
}

/** dx: each window's dy added at its maximum (overlapping windows may share one). */
function scatterToMaxima(backend: tf.KernelBackend, dy: Info, x: Info, index: Int32Array): Info {
  const dyValues = read(backend, dy);
  const dx = new Float32Array(size(x.shape));
  for (let o = 0; o < index.length; o++) {
    if (index[o] >= 0) dx[index[o]] += dyValues[o];
  }
  return written(backend, dx, x.shape, 'float32');
}

function maxPoolGrad({ inputs, backend, attrs }: KernelArgs): Info {
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolGradAttrs;
  const { dy, input: x } = inputs as { dy: Info; input: Info };
  const be = backend as tf.KernelBackend;
  const g = poolGeometry2D(tf.backend_util.computePool2DInfo(x.shape as Shape4, filterSize, strides, 1, pad, dimRoundingMode));
  return scatterToMaxima(be, dy, x, windowMaxima(read(be, x), g, 'first').index);
}

function maxPoolWithArgmax({ inputs, backend, attrs }: KernelArgs): Info[] {
  const { filterSize, strides, pad, includeBatchInIndex } = attrs as unknown as tf.MaxPoolWithArgmaxAttrs;
  const { x } = inputs as { x: Info };
  const be = backend as tf.KernelBackend;
  const info = tf.backend_util.computePool2DInfo(x.shape as Shape4, filterSize, strides, [1, 1], pad);
  const { max, index } = windowMaxima(read(be, x), poolGeometry2D(info), 'first');
  const perExample = info.inHeight * info.inWidth * info.inChannels;
  const indexes = includeBatchInIndex ? index : index.map((i) => (i < 0 ? i : i % perExample));
  // For int32 (or bool) x an empty window's −∞ becomes 0, as it does in cpu's typed buffer.
  const pooled = x.dtype === 'int32' ? Int32Array.from(max) : x.dtype === 'bool' ? Uint8Array.from(max) : Float32Array.from(max);
  return [written(be, pooled, info.outShape, x.dtype), written(be, indexes, info.outShape, 'int32')];
}

function maxPool3D({ inputs, backend, attrs }: KernelArgs): Info {
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPool3DAttrs;
  const { x } = inputs as { x: Info };
  const be = backend as tf.KernelBackend;
  const info = tf.backend_util.computePool3DInfo(x.shape as Shape5, filterSize, strides, 1, pad, dimRoundingMode);
  // cpu's forward 3-D pool compares with `>`; only the value is kept, so ties do not matter.
  const { max } = windowMaxima(read(be, x), poolGeometry3D(info), 'first');
  return written(be, Float32Array.from(max), info.outShape, 'float32');
}

function maxPool3DGrad({ inputs, backend, attrs }: KernelArgs): Info {
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPool3DGradAttrs;
  const { dy, input: x } = inputs as { dy: Info; input: Info };
  const be = backend as tf.KernelBackend;
  const g = poolGeometry3D(tf.backend_util.computePool3DInfo(x.shape as Shape5, filterSize, strides, 1, pad, dimRoundingMode));
  return scatterToMaxima(be, dy, x, windowMaxima(read(be, x), g, 'last').index);
}

// ---------------------------------------------------------------------------------------------
// Segment sums, einsum, one-hot, matmul

/**
 * Missing on wasm; it is the gradient of Gather (embeddings). ScatterNd adds up repeated ids,
 * but it does not check bounds: an id outside the output writes outside its buffer and
 * corrupts the wasm heap. cpu's mask-and-sum ignores such ids, so they are sent to a spare
 * last row that is then cut off.
 */
function unsortedSegmentSum(c: Composer, inputs: Inputs, attrs: Attrs): Info {
  const { numSegments } = attrs as unknown as tf.UnsortedSegmentSumAttrs;
  const x = input(inputs, 'x');
  const ids = input(inputs, 'segmentIds');
  const count = size(ids.shape);
  const rest = x.shape.slice(ids.shape.length);
  const filled = (value: number, shape: number[] = []): Info => c.run('Fill', {}, { shape, value, dtype: 'int32' });
  const valid = c.run('LogicalAnd', {
    a: c.run('GreaterEqual', { a: ids, b: filled(0) }),
    b: c.run('Less', { a: ids, b: filled(numSegments) }),
  });
  const safeIds = c.run('Select', { condition: valid, t: ids, e: filled(numSegments, ids.shape) });
  const updates = c.reshape(x, [count, ...rest]);
  const sums = c.run('ScatterNd', { indices: c.reshape(safeIds, [count, 1]), updates }, { shape: [numSegments + 1, ...rest] });
  return c.run('Slice', { x: sums }, { begin: sums.shape.map(() => 0), size: [numSegments, ...rest] });
}

/** Missing on wasm: cpu's composite (transpose, broadcasting multiply, sum) on wasm kernels. */
function einsum(c: Composer, inputs: Inputs, attrs: Attrs): Info {
  const { equation } = attrs as unknown as tf.EinsumAttrs;
  const operands = Object.values(inputs) as Info[];
  const { allDims, summedDims, idDims } = tf.backend_util.decodeEinsumEquation(equation, operands.length);
  tf.backend_util.checkEinsumDimSizes(allDims.length, idDims, operands as tf.Tensor[]);
  const { path, steps } = tf.backend_util.getEinsumComputePath(summedDims, idDims);
  let out: Info | undefined;
  let dimsLeft = allDims.length;
  steps.forEach((terms, i) => {
    for (const term of terms) {
      const { permutationIndices, expandDims } = tf.backend_util.getEinsumPermutation(dimsLeft, idDims[term]);
      let x = c.transpose(operands[term], permutationIndices);
      const shape = [...x.shape];
      for (const axis of expandDims) shape.splice(axis, 0, 1);
      if (!tf.util.arraysEqual(x.shape, shape)) x = c.reshape(x, shape);
      out = out === undefined ? x : c.run('Multiply', { a: x, b: out });
    }
    if (i < steps.length - 1) {
      if (path[i] >= 0 && out) out = c.run('Sum', { x: out }, { axis: path[i] - (allDims.length - dimsLeft), keepDims: false });
      dimsLeft--;
    }
  });
  if (!out) throw new Error(`einsum '${equation}' has no operands`);
  return out;
}

/**
 * Replaces the shipped kernel for float32: its C++ writes int32 whatever the dtype, so a
 * float32 one-hot read back as denormals (1 → 1.4e-45). Its int32 output is right, so the
 * float32 one is built from that; Select keeps non-integer on/off values exact.
 */
function oneHot(c: Composer, inputs: Inputs, attrs: Attrs): Info | Info[] {
  const { dtype, depth, onValue, offValue } = attrs as unknown as tf.OneHotAttrs;
  if (dtype !== 'float32') return c.call('OneHot', inputs, attrs);
  const bits = c.run('OneHot', inputs, { dtype: 'int32', depth, onValue: 1, offValue: 0 });
  if (onValue === 1 && offValue === 0) return c.cast(bits, 'float32');
  const filled = (value: number): Info => c.run('Fill', {}, { shape: bits.shape, value, dtype: 'float32' });
  return c.run('Select', { condition: c.cast(bits, 'bool'), t: filled(onValue), e: filled(offValue) });
}

/**
 * The shipped matmul uses XNNPACK only when neither operand is transposed and both batches are
 * 1; a transpose flag sends it to a naive loop 6–26× slower. An explicit Transpose is a cheap
 * copy by comparison, and every matMul gradient asks for a transposed operand. With a batch
 * the naive loop runs either way, so there the transpose would only add a copy.
 */
function reachesXnnpack(inputs: Inputs, attrs: Attrs): boolean {
  const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
  const batch = (x: Info): number => size(x.shape.slice(0, -2));
  return (transposeA || transposeB) && batch(input(inputs, 'a')) === 1 && batch(input(inputs, 'b')) === 1;
}

function untransposed(c: Composer, inputs: Inputs, attrs: Attrs): Inputs {
  const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
  const swapLastTwo = (x: Info): Info => {
    const rank = x.shape.length;
    return c.transpose(x, [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2]);
  };
  const a = input(inputs, 'a');
  const b = input(inputs, 'b');
  return { ...inputs, a: transposeA ? swapLastTwo(a) : a, b: transposeB ? swapLastTwo(b) : b };
}

function batchMatMul(c: Composer, inputs: Inputs, attrs: Attrs): Info | Info[] {
  if (!reachesXnnpack(inputs, attrs)) return c.call('BatchMatMul', inputs, attrs);
  return c.call('BatchMatMul', untransposed(c, inputs, attrs), { ...attrs, transposeA: false, transposeB: false });
}

function fusedMatMul(c: Composer, inputs: Inputs, attrs: Attrs): Info | Info[] {
  if (!reachesXnnpack(inputs, attrs)) return c.call('_FusedMatMul', inputs, attrs);
  return c.call('_FusedMatMul', untransposed(c, inputs, attrs), { ...attrs, transposeA: false, transposeB: false });
}

const PATCHES: Record<string, tf.KernelFunc> = {
  Conv2DBackpropFilter: composite(conv2DBackpropFilter),
  Conv2DBackpropInput: composite(conv2DBackpropInput),
  DepthwiseConv2dNativeBackpropFilter: composite(depthwiseConv2dNativeBackpropFilter),
  DepthwiseConv2dNativeBackpropInput: composite(depthwiseConv2dNativeBackpropInput),
  Conv3DBackpropFilterV2: composite(conv3DBackpropFilterV2),
  Conv3DBackpropInputV2: composite(conv3DBackpropInputV2),
  MaxPoolGrad: maxPoolGrad,
  MaxPoolWithArgmax: maxPoolWithArgmax,
  MaxPool3D: maxPool3D,
  MaxPool3DGrad: maxPool3DGrad,
  UnsortedSegmentSum: composite(unsortedSegmentSum),
  Einsum: composite(einsum),
  OneHot: composite(oneHot),
  BatchMatMul: composite(batchMatMul),
  _FusedMatMul: composite(fusedMatMul),
};
