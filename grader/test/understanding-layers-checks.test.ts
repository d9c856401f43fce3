/**
 * The check code of assignments/understanding-layers, called directly on contexts built like
 * grading builds them (caseContext, with the case's own generator): every check passes the
 * reference and two independent correct implementations, fails answers that only it rejects,
 * and has its tolerances pinned; every detector fires on its mistake and stays silent on the
 * reference and on the other mistakes.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import assignment, { rankedLike } from '../../assignments/understanding-layers/assignment.ts';
import {
  activationsOf,
  ascend,
  bestTestImage,
  CALIBRATION_RUNS,
  calibrationRuns,
  channelsFirstValues,
  objectiveValues,
  pixelStats,
  seededStart,
  sureTies,
  TEST_POOL,
  topKProblem,
  unitValues,
  upTo,
} from '../../assignments/understanding-layers/checks.ts';
import { duplicatedImages, network, picture, testImages } from '../../assignments/understanding-layers/data.ts';
import * as activationsLayerInput from '../../assignments/understanding-layers/mistakes/activations-layer-input.ts';
import * as ascentDescends from '../../assignments/understanding-layers/mistakes/ascent-descends.ts';
import * as ascentNoClip from '../../assignments/understanding-layers/mistakes/ascent-no-clip.ts';
import * as topChannelsFirst from '../../assignments/understanding-layers/mistakes/top-channels-first.ts';
import * as topSigned from '../../assignments/understanding-layers/mistakes/top-signed.ts';
import * as reference from '../../solutions/understanding-layers/understand.ts';
import type { AnyFunction, CheckContext, ProblemSpec } from '../src/assignment/define.ts';
import { caseContext } from '../src/cases/calls.ts';
import { PNG } from 'pngjs';
import { createRng } from '../src/cases/rng.ts';
import type { Verdict } from '../src/checks/verdict.ts';
import { initTensorBackend } from '../src/tensor/backend.ts';
import * as loops from './fixtures/understanding-layers-alternatives/loops/understand.ts';
import * as tensors from './fixtures/understanding-layers-alternatives/tensors/understand.ts';

type Ctx = CheckContext<unknown[], unknown>;
type Impl = typeof reference;
const IMPLEMENTATIONS: Record<string, Impl> = { reference, loops, tensors };
const MISTAKES: Record<string, Partial<Impl>> = {
  'activations-layer-input': activationsLayerInput,
  'top-signed': topSigned,
  'top-channels-first': topChannelsFirst,
  'ascent-no-clip': ascentNoClip,
  'ascent-descends': ascentDescends,
};

function problemOf(name: string): ProblemSpec {
  const found = assignment.problems.find((p) => p.export === name);
  if (!found) throw new Error(`no problem ${name}`);
  return found;
}

/**
 * The arguments of every call of case `index` of a problem, from the case's own generator
 * seeded with `seed`, remembered for the file: cases draw real MNIST and run the network, and
 * `npm run mutation` reruns these tests for every mutant they reach. (Nothing here disposes or
 * changes them.)
 */
const remembered = new Map<string, unknown[][]>();
function caseArgs(name: string, index: number, seed: string): unknown[][] {
  const key = `${name}/${index}/${seed}`;
  let found = remembered.get(key);
  if (!found) {
    const c = problemOf(name).cases[index];
    const rng = createRng(seed);
    found = c.calls ? c.calls(rng, {}) : [c.args!(rng, {})];
    remembered.set(key, found);
  }
  return found;
}

/** Outputs of one implementation for every call of a case, remembered too (an ascent costs a second). */
const answers = new Map<string, unknown[]>();
function outputsOf(name: string, index: number, seed: string, impl: string, answer: (args: unknown[]) => unknown): unknown[] {
  const key = `${name}/${index}/${seed}/${impl}`;
  let found = answers.get(key);
  if (!found) answers.set(key, (found = caseArgs(name, index, seed).map(answer)));
  return found;
}

/** The reference's answers to every call of a case (remembered, like every implementation's). */
function referenceOutputs(name: string, index: number, seed = 'a'): unknown[] {
  return outputsOf(name, index, seed, 'reference', (a) => (reference[name as keyof Impl] as AnyFunction)(...a));
}

function contextFor(name: string, index: number, seed: string, outputs: unknown[], visible = false): Ctx {
  const records = caseArgs(name, index, seed).map((args, i) => ({
    args,
    output: outputs[i],
    get expected() {
      return referenceOutputs(name, index, seed)[i];
    },
  }));
  return caseContext(records, problemOf(name).cases[index].name, visible, seed);
}

function contextOf(name: string, index: number, seed: string, impl: string, fn: AnyFunction, visible = false): Ctx {
  return contextFor(name, index, seed, outputsOf(name, index, seed, impl, (a) => fn(...a)), visible);
}

async function verdictOf(name: string, index: number, seed: string, impl: string, fn: AnyFunction, visible = false): Promise<Verdict> {
  return await problemOf(name).check(contextOf(name, index, seed, impl, fn, visible));
}

async function verdictFor(name: string, index: number, seed: string, outputs: unknown[], visible = false): Promise<Verdict> {
  return await problemOf(name).check(contextFor(name, index, seed, outputs, visible));
}

/** Which of a problem's detectors fire on a context. */
function firing(name: string, ctx: Ctx): string[] {
  return (problemOf(name).mistakes ?? []).filter((m) => m.matches(ctx)).map((m) => m.id);
}

function implOf(impl: string): Partial<Impl> {
  return IMPLEMENTATIONS[impl] ?? MISTAKES[impl];
}

/** Width and height of a PNG figure. */
function pngSize(figure: { data: string }): [number, number] {
  const png = PNG.sync.read(Buffer.from(figure.data, 'base64'));
  return [png.width, png.height];
}

beforeAll(async () => {
  await initTensorBackend();
}, 60_000);

describe('the inputs', () => {
  it('gives every image twice in the duplicated batch, in a drawn order', () => {
    const x = duplicatedImages(createRng('d'), 6);
    expect(x.shape).toEqual([12, 28, 28, 1]);
    const rows = (x.reshape([12, 784]).arraySync() as number[][]).map((r) => r.join());
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(r, (counts.get(r) ?? 0) + 1);
    expect([...counts.values()]).toEqual([2, 2, 2, 2, 2, 2]);
    // Not simply the images followed by their copies.
    expect(rows.slice(0, 6)).not.toEqual(rows.slice(6));
    x.dispose();
  });

  it('draws test images and reads one back as rows', () => {
    const x = testImages(createRng('t'), 3);
    expect(x.shape).toEqual([3, 28, 28, 1]);
    const rows = picture(x, 2);
    expect(rows).toHaveLength(28);
    expect(rows.flat()).toEqual(Array.from(x.slice([2, 0, 0, 0], [1, 28, 28, 1]).dataSync()));
    x.dispose();
  });
});

describe('the network cut at a layer', () => {
  it('computes the layer\'s output without adding inbound nodes, once per model and layer', () => {
    const model = network('digits-cnn');
    const nodes = model.layers.map((l) => l.inboundNodes.length);
    expect(upTo(model, 'conv2')).toBe(upTo(model, 'conv2'));
    expect(upTo(model, 'conv2')).not.toBe(upTo(model, 'conv1'));
    const x = testImages(createRng('n'), 2);
    const mine = activationsOf(model, 'features', x);
    const theirs = reference.layerActivations(model, 'features', x);
    expect(Array.from(mine.dataSync())).toEqual(Array.from(theirs.dataSync()));
    expect(model.layers.map((l) => l.inboundNodes.length)).toEqual(nodes);
    tf.dispose([x, mine, theirs]);
  });

  it('takes a convolutional unit\'s h as its channel\'s mean, a dense unit\'s as itself', () => {
    const model = network('digits-cnn');
    const x = testImages(createRng('h'), 3);
    const a = activationsOf(model, 'conv1', x).arraySync() as number[][][][];
    const mean = a.map((image) => image.flat().reduce((s, v) => s + v[5], 0) / (26 * 26));
    unitValues(model, 'conv1', 5, x).forEach((h, i) => expect(h).toBeCloseTo(mean[i], 6));
    const f = activationsOf(model, 'features', x).arraySync() as number[][];
    expect(unitValues(model, 'features', 7, x)).toEqual(f.map((row) => Math.fround(row[7])));
    // Channels first: row `unit` of the map, averaged over its columns and channels.
    const rowMean = a.map((image) => image[4].flat().reduce((s, v) => s + v, 0) / (26 * 32));
    channelsFirstValues(model, 'conv1', 4, x)!.forEach((h, i) => expect(h).toBeCloseTo(rowMean[i], 6));
    expect(channelsFirstValues(model, 'conv1', 26, x)).toBeUndefined();
    expect(channelsFirstValues(model, 'conv1', 25, x)).toHaveLength(3);
    expect(channelsFirstValues(model, 'features', 0, x)).toBeUndefined();
    x.dispose();
  });
});

describe('layerActivations', () => {
  it('passes the reference and both alternatives on every case', async () => {
    for (const index of [0, 1, 2, 3, 4]) {
      for (const [name, impl] of Object.entries(IMPLEMENTATIONS)) {
        const verdict = await verdictOf('layerActivations', index, 'a', name, impl.layerActivations);
        expect(verdict.score, `${name}, case ${index}: ${verdict.message}`).toBe(1);
      }
    }
  });

  it('fails another layer, a transposed map and values moved past the tolerance; keeps values moved within it', async () => {
    const [[model, , x]] = caseArgs('layerActivations', 0, 'a') as Array<[tf.LayersModel, string, tf.Tensor4D]>;
    const conv1 = activationsOf(model, 'conv1', x);
    const scale = conv1.abs().max().dataSync()[0];
    const cases: Array<[tf.Tensor, number, RegExp]> = [
      [activationsOf(model, 'pool1', x), 0, /shape \[8, 13, 13, 32\]; the layer's output for these images has shape \[8, 26, 26, 32\]/],
      [conv1.transpose([0, 2, 1, 3]), 0, /your activations/],
      [conv1.add(3e-4 * scale), 0, /your activations/],
      [conv1.add(0.5e-4 * scale), 1, /correct/],
    ];
    for (const [output, score, message] of cases) {
      const verdict = await verdictFor('layerActivations', 0, 'a', [output]);
      expect(verdict.score).toBe(score);
      expect(verdict.message).toMatch(message);
    }
  });

  it('states its tolerance relative to the largest activation: the code layer (|a| up to ~10) moved by 0.5 of it passes, by 3 fails', async () => {
    const [[model, layer, x]] = caseArgs('layerActivations', 2, 'a') as Array<[tf.LayersModel, string, tf.Tensor4D]>;
    const code = activationsOf(model, layer, x);
    const scale = code.abs().max().dataSync()[0];
    expect(scale).toBeGreaterThan(3);
    expect((await verdictFor('layerActivations', 2, 'a', [code.add(0.5e-4 * scale)])).score).toBe(1);
    expect((await verdictFor('layerActivations', 2, 'a', [code.add(3e-4 * scale)])).score).toBe(0);
  });

  it('draws the first layer\'s filters and the student\'s feature maps on the visible conv1 case only', async () => {
    await verdictOf('layerActivations', 0, 'a', 'reference', reference.layerActivations, true);
    const before = tf.memory().numTensors;
    const visible = await verdictOf('layerActivations', 0, 'a', 'reference', reference.layerActivations, true);
    // The check and its pictures free what they make.
    expect(tf.memory().numTensors).toBe(before);
    expect(visible.figures?.map((f) => [f.title, f.mediaType, pngSize(f)])).toEqual([
      ['The 32 filters of digits-cnn\'s first layer', 'image/png', [8 * 36 + 9 * 2, 4 * 36 + 5 * 2]],
      ['Your conv1 activations for the first image', 'image/png', [11 * 52 + 12 * 2, 3 * 52 + 4 * 2]],
    ]);
    expect(visible.figures?.map((f) => f.caption)).toEqual([
      'Each 3 × 3 kernel on its own scale, most negative weight black, most positive white: oriented edges, strokes and blobs. Every unit of conv1 is one of these slid across the image.',
      'First the image (its central 26 × 26 pixels), then its 32 feature maps, each on its own scale: where each filter responds.',
    ]);
    // The first picture is the digit itself (its central pixels), on its own grey scale.
    const [model, , x] = caseArgs('layerActivations', 0, 'a')[0] as [tf.LayersModel, string, tf.Tensor4D];
    expect(model.name).toBe('digits_cnn');
    expect(picture(x, 0)[14].some((v) => v > 0.5)).toBe(true);
    // A failing answer on the visible conv1 case draws nothing.
    const [output] = referenceOutputs('layerActivations', 0);
    const failing = await problemOf('layerActivations').check(contextFor('layerActivations', 0, 'a', [(output as tf.Tensor).transpose([0, 2, 1, 3])], true));
    expect(failing.score).toBe(0);
    expect(failing.figures).toBeUndefined();
    expect((await verdictOf('layerActivations', 1, 'a', 'reference', reference.layerActivations, true)).figures).toBeUndefined();
    expect((await verdictOf('layerActivations', 0, 'a', 'reference', reference.layerActivations, false)).figures).toBeUndefined();
  });

  it('gives the layer-input hint to that mistake only: on conv1 (the images), features and code', async () => {
    for (const index of [0, 1, 2, 3, 4]) {
      const ctx = contextOf('layerActivations', index, 'a', 'activations-layer-input', activationsLayerInput.layerActivations);
      expect((await problemOf('layerActivations').check(ctx)).score).toBe(0);
      expect(firing('layerActivations', ctx)).toEqual(['activations-layer-input']);
      expect(firing('layerActivations', contextOf('layerActivations', index, 'a', 'reference', reference.layerActivations))).toEqual([]);
    }
  });
});

describe('the top-k rule', () => {
  const scores = [0.5, 0.9, 0.9, 0.1, 0.9 + 1e-7, 0, 0, 0.3];
  const never = () => false;
  const always = () => true;

  it('accepts the order by size, ties to the lower index, and near-ties either way', () => {
    expect(topKProblem(scores, [4, 1, 2, 0], 4, always)).toBeUndefined();
    // 0.9 + 1e-7 is within 1e-5·max of 0.9: any order of the three.
    expect(topKProblem(scores, [1, 4, 2, 0], 4, never)).toBeUndefined();
    expect(topKProblem(scores, [2, 1, 4, 0], 4, never)).toBeUndefined();
    // Exact ties that are sure go to the lower index; others may go either way.
    expect(topKProblem(scores, [4, 2, 1, 0], 4, always)).toMatch(/entries 1 and 2 are image 2 \(\|h\| = 0\.900000\) and image 1, tied exactly: ties go to the LOWER index first/);
    expect(topKProblem(scores, [4, 2, 1, 0], 4, never)).toBeUndefined();
    expect(topKProblem(scores, [4, 1, 2, 0, 7, 3, 5, 6], 8, always)).toBeUndefined();
    expect(topKProblem(scores, [4, 1, 2, 0, 7, 3, 6, 5], 8, always)).toMatch(/entries 6 and 7/);
  });

  it('fails wrong lengths, indices that are not images, repeats, a smaller value first and a larger one left out', () => {
    expect(topKProblem(scores, [4, 1], 3, never)).toBe('you returned 2 indices; k = 3');
    expect(topKProblem(scores, [4, 1, 8], 3, never)).toBe('entry 2 is 8, not the index of one of the 8 images (0 … 7)');
    expect(topKProblem(scores, [4, 1, -1], 3, never)).toMatch(/^entry 2 is -1/);
    expect(topKProblem(scores, [4, 1.5, 2], 3, never)).toMatch(/^entry 1 is 1\.5/);
    expect(topKProblem(scores, [4, 1, 4], 3, never)).toBe('image 4 appears twice (entries 0 and 2); the k images must be different');
    expect(topKProblem(scores, [4, 0, 1], 3, never)).toMatch(/^entry 1 is image 0 \(\|h\| = 0\.500000\), but entry 2, image 1 \(\|h\| = 0\.900000\), is larger: largest first$/);
    expect(topKProblem(scores, [4, 1, 0], 3, never)).toMatch(/^you left out image 2 \(\|h\| = 0\.900000\), which beats image 0 \(\|h\| = 0\.500000\) in your list$/);
    // A sure exact tie at the boundary: the lower index must be in the list.
    expect(topKProblem(scores, [4, 1, 2, 0, 7, 3, 6], 7, always)).toMatch(/^you left out image 5 \(\|h\| = 0\.00000\), which beats image 6 \(\|h\| = 0\.00000\) in your list, with the lower index$/);
    expect(topKProblem(scores, [4, 1, 2, 0, 7, 3, 6], 7, never)).toBeUndefined();
  });

  it('measures near-ties against the largest score, not each pair', () => {
    const small = [10, 1e-6, 2e-6];
    expect(topKProblem(small, [0, 1], 2, never)).toBeUndefined();
    expect(topKProblem([10, 5, 5 + 2e-4], [0, 1], 2, never)).toMatch(/left out image 2/);
    expect(topKProblem([10, 5, 5 + 0.5e-4], [0, 1], 2, never)).toBeUndefined();
    // Without sure ties given, no exact tie is.
    expect(topKProblem([1, 1], [1, 0], 2)).toBeUndefined();
    expect(topKProblem([1, 1, 0.5], [1], 1)).toBeUndefined();
  });

  it('says so when the first entry is not an image', () => {
    expect(topKProblem(scores, [9, 1], 2, never)).toBe('entry 0 is 9, not the index of one of the 8 images (0 … 7)');
  });

  it('tells a mistake\'s ranking only where it is one and the right one is not', () => {
    const right = [3, 2, 1];
    const wrong = [1, 2, 3];
    expect(rankedLike(wrong, right, [2, 1], 2)).toBe(true);
    expect(rankedLike(wrong, right, [0, 1], 2)).toBe(false);
    expect(rankedLike(wrong, right, [1, 0], 2)).toBe(false);
    // Where both rankings agree, the answer is right: no hint.
    expect(rankedLike([3, 2, 0], right, [0, 1], 2)).toBe(false);
  });

  it('counts as sure ties identical images and exact zeros, nothing else', () => {
    const x = tf.tensor4d([1, 2, 3, 4, 1, 2, 5, 6], [4, 2, 1, 1]);
    const tie = sureTies(x, [0.5, 0, 0.5, 0]);
    expect(tie(0, 2)).toBe(true);
    expect(tie(1, 3)).toBe(true);
    expect(tie(0, 1)).toBe(false);
    expect(sureTies(x, [0.5, 0.5, 0.5, 0.5])(0, 3)).toBe(false);
    x.dispose();
  });
});

describe('topActivatingInputs', () => {
  it('passes the reference and both alternatives on every case, for 3 seeds', async () => {
    for (const seed of ['a', 'b', 'c']) {
      for (const index of [0, 1, 2, 3, 4, 5]) {
        for (const [name, impl] of Object.entries(IMPLEMENTATIONS)) {
          const verdict = await verdictOf('topActivatingInputs', index, seed, name, impl.topActivatingInputs);
          expect(verdict.score, `${name}, case ${index}, seed ${seed}: ${verdict.message}`).toBe(1);
        }
      }
    }
  });

  it('has exact ties where the cases promise them, and negative h among the code unit\'s strongest', () => {
    for (const seed of ['a', 'b', 'c']) {
      const [[model, layer, unit, x, k]] = caseArgs('topActivatingInputs', 2, seed) as Array<[tf.LayersModel, string, number, tf.Tensor4D, number]>;
      const top = reference.topActivatingInputs(model, layer, unit, x, k);
      const h = unitValues(model, layer, unit, x);
      expect(top.some((i, p) => p > 0 && h[i] === h[top[p - 1]])).toBe(true);
      const [[m5, l5, u5, x5, k5]] = caseArgs('topActivatingInputs', 5, seed) as Array<[tf.LayersModel, string, number, tf.Tensor4D, number]>;
      const h5 = unitValues(m5, l5, u5, x5);
      const zeros = reference.topActivatingInputs(m5, l5, u5, x5, k5).filter((i) => h5[i] === 0);
      expect(zeros.length).toBeGreaterThanOrEqual(6);
      expect(zeros).toEqual([...zeros].sort((a, b) => a - b));
      const [[m1, l1, u1, x1, k1]] = caseArgs('topActivatingInputs', 1, seed) as Array<[tf.LayersModel, string, number, tf.Tensor4D, number]>;
      const h1 = unitValues(m1, l1, u1, x1);
      expect(reference.topActivatingInputs(m1, l1, u1, x1, k1).filter((i) => h1[i] < 0).length).toBeGreaterThanOrEqual(3);
    }
  });

  it('fails the other tie order on duplicated images, and the reversed list', async () => {
    const [[model, layer, unit, x, k]] = caseArgs('topActivatingInputs', 2, 'a') as Array<[tf.LayersModel, string, number, tf.Tensor4D, number]>;
    const top = reference.topActivatingInputs(model, layer, unit, x, k);
    const swapped = top.map((_, p) => (p % 2 === 0 ? top[p + 1] : top[p - 1]));
    const h = unitValues(model, layer, unit, x);
    // Every pair is an image and its copy.
    expect(swapped.every((i, p) => h[i] === h[top[p]])).toBe(true);
    expect((await verdictFor('topActivatingInputs', 2, 'a', [swapped])).message).toMatch(/tied exactly: ties go to the LOWER index first/);
    expect((await verdictFor('topActivatingInputs', 2, 'a', [[...top].reverse()])).score).toBe(0);
  });

  it('draws the student\'s top images in one row on visible cases, with their |h| in the caption', async () => {
    const verdict = await verdictOf('topActivatingInputs', 0, 'a', 'reference', reference.topActivatingInputs, true);
    expect(verdict.figures?.map((f) => [f.mediaType, pngSize(f)])).toEqual([['image/png', [9 * 84 + 10 * 2, 84 + 2 * 2]]]);
    expect(verdict.figures?.[0].title).toMatch(/^The 9 test images that drive conv2 unit \d+ of digits-cnn hardest$/);
    expect(verdict.message).toMatch(/^your top 9: \d+ \(\|h\| = 0\.\d+\), /);
    const [[model, layer, unit, x]] = caseArgs('topActivatingInputs', 0, 'a') as Array<[tf.LayersModel, string, number, tf.Tensor4D]>;
    const h = unitValues(model, layer, unit, x);
    const [top] = referenceOutputs('topActivatingInputs', 0) as number[][];
    expect(verdict.figures?.[0].caption).toBe(`Your list, largest |h| first: ${top.map((i) => Math.abs(h[i]).toPrecision(3)).join(', ')}.`);
    const ties = await verdictOf('topActivatingInputs', 2, 'a', 'reference', reference.topActivatingInputs, true);
    expect(ties.figures?.map(pngSize)).toEqual([[10 * 84 + 11 * 2, 88]]);
    expect((await verdictOf('topActivatingInputs', 0, 'a', 'reference', reference.topActivatingInputs, false)).figures).toBeUndefined();
  });

  it('gives each mistake its own hint only, on the cases where it differs', async () => {
    for (const [id, fn, index] of [['top-signed', topSigned.topActivatingInputs, 1], ['top-channels-first', topChannelsFirst.topActivatingInputs, 0]] as const) {
      const ctx = contextOf('topActivatingInputs', index, 'a', id, fn);
      expect((await problemOf('topActivatingInputs').check(ctx)).score, id).toBe(0);
      expect(firing('topActivatingInputs', ctx)).toEqual([id]);
    }
    for (const index of [0, 1, 2, 3, 4, 5]) {
      for (const impl of ['reference', 'loops', 'tensors']) {
        expect(firing('topActivatingInputs', contextOf('topActivatingInputs', index, 'a', impl, implOf(impl).topActivatingInputs!))).toEqual([]);
      }
    }
  });

  it('stays silent where a mistake gives the right answer: signed h on ReLU units, channels-first on dense layers', async () => {
    for (const index of [0, 2, 3]) {
      const ctx = contextOf('topActivatingInputs', index, 'a', 'top-signed', topSigned.topActivatingInputs);
      expect((await problemOf('topActivatingInputs').check(ctx)).score).toBe(1);
      expect(firing('topActivatingInputs', ctx)).toEqual([]);
    }
    for (const index of [1, 3, 5]) {
      const ctx = contextOf('topActivatingInputs', index, 'a', 'top-channels-first', topChannelsFirst.topActivatingInputs);
      expect((await problemOf('topActivatingInputs').check(ctx)).score).toBe(1);
    }
  });
});

describe('the cases', () => {
  it('are the ones the handout and docs/datasets.md describe: names, visibility, weights and who is checked for', () => {
    const table = assignment.problems.map((p) => [p.export, p.points, p.cases.map((c) => [c.name, c.visibility ?? 'visible', c.checkStudents ?? 50, c.exact ?? false])]);
    expect(table).toEqual([
      [
        'layerActivations',
        10,
        [
          ['digits-cnn, conv1, 8 test images (26 × 26 × 32 numbers each)', 'visible', 50, false],
          ['digits-cnn, features (the layer before the classifier), 16 test images', 'visible', 50, false],
          ['the encoder e of digits-dae32, code, 16 test images', 'visible', 50, false],
          ['digits04-cnn, conv2, 10 test images', 'hidden', 50, false],
          ['digits-cnn, pool1, 6 test images', 'hidden', 50, false],
        ],
      ],
      [
        'topActivatingInputs',
        16,
        [
          ['digits-cnn, conv2, a unit drawn for you, 200 test images, k = 9', 'visible', 5, true],
          ['the encoder e of digits-dae32, code (signed), a unit drawn for you, 200 test images, k = 9', 'visible', 5, true],
          ['digits-cnn, conv1, a unit drawn for you, 20 test images each given twice, k = 10: exact ties', 'visible', 50, true],
          ['digits-cnn, features, a unit drawn for you, 300 test images, k = 9', 'hidden', 5, true],
          ['digits04-cnn, conv1, a unit drawn for you, 150 test images, k = 5', 'hidden', 50, true],
          ['digits-cnn, features, a unit that is zero on most of 60 test images; k larger than the rest', 'hidden', 50, true],
        ],
      ],
      [
        'activationMaximization',
        24,
        [
          ['digits-cnn, conv1, a unit drawn for you; 100 steps of 100, l2 = 1e-4 (steps = 0 first)', 'visible', 5, false],
          ['the encoder e of digits-dae32, code, a unit drawn for you; 50 steps of 3, l2 = 1e-4 (steps = 0 first)', 'visible', 5, false],
          ['digits04-cnn, conv1, a unit drawn for you; 100 steps of 100, l2 = 1e-4 (steps = 0 first)', 'hidden', 5, false],
        ],
      ],
    ]);
  });

  it('give every problem the networks, layers, image counts and k their names say', () => {
    const described = (a: unknown): unknown => (a instanceof tf.LayersModel ? a.name : a instanceof tf.Tensor ? a.shape : typeof a === 'object' ? { ...(a as object), seed: 'drawn' } : a);
    const shapes = (name: string): unknown[][][] => problemOf(name).cases.map((_, index) => caseArgs(name, index, 'a').map((args) => args.map(described)));
    expect(shapes('layerActivations').map(([[model, layer, x]]) => [model, layer, x])).toEqual([
      ['digits_cnn', 'conv1', [8, 28, 28, 1]],
      ['digits_cnn', 'features', [16, 28, 28, 1]],
      ['encoder', 'code', [16, 28, 28, 1]],
      ['digits04_cnn', 'conv2', [10, 28, 28, 1]],
      ['digits_cnn', 'pool1', [6, 28, 28, 1]],
    ]);
    expect(shapes('topActivatingInputs').map(([[model, layer, , x, k]]) => [model, layer, x, k])).toEqual([
      ['digits_cnn', 'conv2', [200, 28, 28, 1], 9],
      ['encoder', 'code', [200, 28, 28, 1], 9],
      ['digits_cnn', 'conv1', [40, 28, 28, 1], 10],
      ['digits_cnn', 'features', [300, 28, 28, 1], 9],
      ['digits04_cnn', 'conv1', [150, 28, 28, 1], 5],
      ['digits_cnn', 'features', [60, 28, 28, 1], expect.any(Number)],
    ]);
    expect(shapes('activationMaximization').map((calls) => calls.map(([model, layer, , options]) => [model, layer, options]))).toEqual([
      [['digits_cnn', 'conv1', { steps: 0, learningRate: 100, l2: 1e-4, seed: 'drawn' }], ['digits_cnn', 'conv1', { steps: 100, learningRate: 100, l2: 1e-4, seed: 'drawn' }]],
      [['encoder', 'code', { steps: 0, learningRate: 3, l2: 1e-4, seed: 'drawn' }], ['encoder', 'code', { steps: 50, learningRate: 3, l2: 1e-4, seed: 'drawn' }]],
      [['digits04_cnn', 'conv1', { steps: 0, learningRate: 100, l2: 1e-4, seed: 'drawn' }], ['digits04_cnn', 'conv1', { steps: 100, learningRate: 100, l2: 1e-4, seed: 'drawn' }]],
    ]);
  });

  it('draws units from their ranges and the measured lists, and one seed for both calls of an ascent', () => {
    const units = (name: string, index: number) => Array.from({ length: 40 }, (_, i) => (problemOf(name).cases[index].calls ?? ((rng, v) => [problemOf(name).cases[index].args!(rng, v)]))(createRng(`u${i}`), {}).map((args) => args[2] as number));
    const ascents: Array<[number, number[]]> = [[0, [12, 21, 30, 31]], [1, [1, 4, 10, 12, 16, 17, 23, 25, 28]], [2, [1, 23, 29]]];
    for (const [index, list] of ascents) {
      const drawn = units('activationMaximization', index);
      expect(new Set(drawn.flat())).toEqual(new Set(list));
      expect(drawn.every(([a, b]) => a === b)).toBe(true);
      const seeds = Array.from({ length: 5 }, (_, i) => (problemOf('activationMaximization').cases[index].calls!(createRng(`s${i}`), {}) as Array<[unknown, unknown, unknown, { seed: number }]>).map((call) => call[3].seed));
      expect(seeds.every(([a, b]) => a === b && Number.isInteger(a) && a >= 0 && a < 2 ** 31)).toBe(true);
      expect(new Set(seeds.map(([a]) => a)).size).toBe(5);
    }
    // Ranges: conv2 units 0–10 (below the map's height 11, where the channels-first mistake reads a row), conv1 of digits04-cnn 0–25.
    for (const [index, low, high] of [[0, 0, 10], [4, 0, 25]] as const) {
      const drawn = units('topActivatingInputs', index).flat();
      expect(Math.min(...drawn)).toBe(low);
      expect(Math.max(...drawn)).toBe(high);
    }
  });

  it('picks a mostly-zero features unit with k six past its last nonzero image, and a code unit with negative h among its top', () => {
    for (const seed of ['a', 'b', 'c', 'd']) {
      const [[model, layer, unit, x, k]] = caseArgs('topActivatingInputs', 5, seed) as Array<[tf.LayersModel, string, number, tf.Tensor4D, number]>;
      const h = unitValues(model, layer, unit, x);
      const nonzero = h.filter((v) => v !== 0).length;
      expect(nonzero).toBeGreaterThanOrEqual(2);
      expect(nonzero).toBeLessThanOrEqual(15);
      expect(k).toBe(nonzero + 6);
    }
  });
});

describe('activationMaximization', () => {
  it('passes the reference and both alternatives on every case', async () => {
    for (const index of [0, 1, 2]) {
      for (const [name, impl] of Object.entries(IMPLEMENTATIONS)) {
        const verdict = await verdictOf('activationMaximization', index, 'a', name, impl.activationMaximization);
        expect(verdict.score, `${name}, case ${index}: ${verdict.message}`).toBe(1);
        expect(verdict.message).toMatch(/^\|h\| − \(l2\/2\)·‖x‖² at your image is [\d.]+ \(from [\d.e-]+ at your start\); the reference's 10 runs: [\d.]+ to [\d.]+; the best of 500 test images: [\d.]+$/);
      }
    }
  });

  it('calibrates with the reference\'s own runs from the seeds 1 … 10, batched', () => {
    // Options no case uses, so this test computes the runs itself (they are cached per process).
    const model = network('digits-dae32');
    const options = { steps: 20, learningRate: 3, l2: 1e-4 };
    const runs = calibrationRuns(model, 'code', 12, options);
    expect(runs).toHaveLength(CALIBRATION_RUNS);
    expect(calibrationRuns(model, 'code', 12, options)).toBe(runs);
    for (const seed of [1, 4, 10]) {
      const x = reference.activationMaximization(model, 'code', 12, { ...options, seed });
      expect(objectiveValues(model, 'code', 12, options.l2, x)[0]).toBeCloseTo(runs[seed - 1], 4);
      x.dispose();
    }
    expect(new Set(runs).size).toBe(CALIBRATION_RUNS);
    const start = reference.activationMaximization(model, 'code', 12, { ...options, steps: 0, seed: 7 });
    expect(Array.from(start.dataSync())).toEqual(Array.from(seededStart(7)));
    start.dispose();
  });

  it('finds the best test image of a fixed pool, once per process', () => {
    const model = network('digits-cnn');
    const best = bestTestImage(model, 'conv1', 12, 1e-4);
    expect(bestTestImage(model, 'conv1', 12, 1e-4)).toBe(best);
    const x = testImages(createRng('understanding-layers/best-test-image'), TEST_POOL);
    const values = objectiveValues(model, 'conv1', 12, 1e-4, x);
    expect(best.value).toBe(Math.max(...values));
    expect(best.image).toEqual(Array.from(x.slice([best.index, 0, 0, 0], [1, 28, 28, 1]).dataSync()));
    x.dispose();
  });

  it('ends within 10 % of each other from other starts, all above 0.9 of the lowest calibration run (every case\'s units, 6 starts each)', () => {
    for (const index of [0, 1, 2]) {
      const c = problemOf('activationMaximization').cases[index];
      for (const seed of ['u1', 'u2', 'u3', 'u4']) {
        const [, [model, layer, unit, options]] = c.calls!(createRng(seed), {}) as Array<[tf.LayersModel, string, number, { steps: number; learningRate: number; l2: number }]>;
        const starts = tf.tensor4d(Float32Array.from([101, 102, 103, 104, 105, 106].flatMap((s) => Array.from(seededStart(s)))), [6, 28, 28, 1]);
        const ends = ascend(model, layer, unit, options, starts);
        const reached = objectiveValues(model, layer, unit, options.l2, ends);
        const runs = calibrationRuns(model, layer, unit, options);
        const all = [...reached, ...runs];
        expect((Math.max(...all) - Math.min(...all)) / Math.max(...all), `${layer} ${unit}`).toBeLessThan(0.1);
        expect(Math.min(...reached)).toBeGreaterThan(0.9 * Math.min(...runs));
        expect(Math.min(...runs)).toBeGreaterThan(2 * bestTestImage(model, layer, unit, options.l2).value);
        tf.dispose([starts, ends]);
      }
    }
  });

  it('fails a start that is not uniform in [0, 0.1), a wrong shape, pixels outside [0, 1], no climb and too low a climb', async () => {
    const [startArgs, finalArgs] = caseArgs('activationMaximization', 1, 'a') as Array<[tf.LayersModel, string, number, { steps: number; learningRate: number; l2: number; seed: number }]>;
    const [start, final] = referenceOutputs('activationMaximization', 1);
    const s = start as tf.Tensor4D;
    const f = final as tf.Tensor4D;
    const cases: Array<[unknown[], RegExp]> = [
      [[tf.zeros([1, 28, 28, 1]), f], /^with steps = 0 your function should return its starting image, pixels drawn uniformly from \[0, 0\.1\); yours range over \[0\.000, 0\.000\] with mean 0\.000 and standard deviation 0\.000/],
      [[s.mul(10), f], /range over \[0\.0\d+, 0\.99\d+\] with mean 0\.4\d+/],
      [[tf.fill([1, 28, 28, 1], 0.05), f], /with mean 0\.05000 and standard deviation \S+ \(uniform/],
      [[s.reshape([1, 784]), f], /^steps = 0: your image has shape \[1, 784\]; it must be \[1, 28, 28, 1\]$/],
      [[s, f.reshape([28, 28, 1, 1])], /^steps = 50: your image has shape \[28, 28, 1, 1\]/],
      [[s, f.mul(1.5)], /^your image has pixels from 0\.000 to 1\.500; every pixel must stay in \[0, 1\]$/],
      [[s, f.sub(0.5)], /^your image has pixels from -0\.500/],
      [[s, s], /at your image is [\d.]+, not above its value at your starting image \([\d.]+\): 50 steps of gradient ascent must raise it/],
      [[s, f.mul(0.7)], /the reference's runs from 10 seeds reach [\d.]+ to [\d.]+, and at least 0\.9 × [\d.]+ = [\d.]+ is required/],
    ];
    for (const [outputs, message] of cases) {
      const verdict = await verdictFor('activationMaximization', 1, 'a', outputs);
      expect(verdict.score, String(message)).toBe(0);
      expect(verdict.message).toMatch(message);
    }
    expect(startArgs[3].steps).toBe(0);
    expect(finalArgs[3].steps).toBe(50);
  });

  it('checks the start one property at a time: inside [0, 0.1) (a pixel may be 0, or 0.1 in float32), mean near 0.05, spread out', async () => {
    const [start, final] = referenceOutputs('activationMaximization', 1);
    const pixels = Array.from((start as tf.Tensor).dataSync());
    const withPixel = (value: number) => tf.tensor4d(pixels.map((v, i) => (i === 300 ? value : v)), [1, 28, 28, 1]);
    // Three quarters at 0.099, a quarter at 0: inside, spread out (0.043), but a mean of 0.074.
    const lopsided = tf.tensor4d(pixels.map((_, i) => (i % 4 === 0 ? 0 : 0.099)), [1, 28, 28, 1]);
    const cases: Array<[tf.Tensor, number]> = [[withPixel(-0.01), 0], [withPixel(0.2), 0], [lopsided, 0], [withPixel(0), 1], [withPixel(Math.fround(0.1)), 1]];
    for (const [image, score] of cases) expect((await verdictFor('activationMaximization', 1, 'a', [image, final])).score).toBe(score);
  });

  it('states the reference\'s runs and the bar in its messages', async () => {
    const [, [model, layer, unit, options]] = caseArgs('activationMaximization', 1, 'a') as Array<[tf.LayersModel, string, number, { steps: number; learningRate: number; l2: number }]>;
    const runs = calibrationRuns(model, layer, unit, options);
    const [low, high] = [Math.min(...runs), Math.max(...runs)];
    const [start, final] = referenceOutputs('activationMaximization', 1);
    const reached = objectiveValues(model, layer, unit, options.l2, final as tf.Tensor)[0];
    const begun = objectiveValues(model, layer, unit, options.l2, start as tf.Tensor)[0];
    const best = bestTestImage(model, layer, unit, options.l2).value;
    const f = (v: number) => v.toPrecision(4);
    const passed = await verdictFor('activationMaximization', 1, 'a', [start, final]);
    expect(passed.message).toBe(`|h| − (l2/2)·‖x‖² at your image is ${f(reached)} (from ${f(begun)} at your start); the reference's 10 runs: ${f(low)} to ${f(high)}; the best of 500 test images: ${f(best)}`);
    const low7 = await verdictFor('activationMaximization', 1, 'a', [start, tf.mul(final as tf.Tensor, 0.7)]);
    expect(low7.message).toContain(`the reference's runs from 10 seeds reach ${f(low)} to ${f(high)}, and at least 0.9 × ${f(low)} = ${f(0.9 * low)} is required`);
  });

  it('requires more than the best test image, which a unit maximised by a black image tells apart', async () => {
    // digits-cnn's conv1 unit 7 (a positive bias) is highest on the black image: its best test
    // image is within 0.9 of the calibration runs, so only that invariant rejects the image itself.
    const model = network('digits-cnn');
    const options = { steps: 30, learningRate: 100, l2: 1e-4 };
    const best = bestTestImage(model, 'conv1', 7, options.l2);
    expect(best.value).toBeGreaterThan(0.9 * Math.min(...calibrationRuns(model, 'conv1', 7, options)));
    const start = tf.tensor4d(seededStart(5), [1, 28, 28, 1]);
    const image = tf.tensor4d(best.image, [1, 28, 28, 1]);
    const args = (steps: number) => [model, 'conv1', 7, { ...options, steps, seed: 5 }];
    const ctx = caseContext([{ args: args(0), output: start, expected: start }, { args: args(30), output: image, expected: image }], 'unit 7', false, 'a');
    const verdict = await problemOf('activationMaximization').check(ctx);
    expect(verdict.score).toBe(0);
    expect(verdict.message).toBe(`|h| − (l2/2)·‖x‖² at your image is ${best.value.toPrecision(4)}, not above its value on the best of 500 test images (${best.value.toPrecision(4)})`);
    tf.dispose([start, image]);
  });

  it('frees its calibration tensors, and computes them from the seeds 1 … 10', () => {
    const model = network('digits-dae32');
    const options = { steps: 3, learningRate: 3, l2: 1e-4 };
    const before = tf.memory().numTensors;
    const runs = calibrationRuns(model, 'code', 5, options);
    expect(tf.memory().numTensors).toBe(before);
    const starts = tf.tensor4d(Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].flatMap((seed) => Array.from(seededStart(seed)))), [10, 28, 28, 1]);
    const ends = ascend(model, 'code', 5, options, starts);
    expect(runs).toEqual(objectiveValues(model, 'code', 5, options.l2, ends));
    tf.dispose([starts, ends]);
  });

  it('pins the bar at 0.9 of the lowest calibration run', async () => {
    const [, [model, layer, unit, options]] = caseArgs('activationMaximization', 1, 'a') as Array<[tf.LayersModel, string, number, { steps: number; learningRate: number; l2: number }]>;
    const [start, final] = referenceOutputs('activationMaximization', 1);
    const lowest = Math.min(...calibrationRuns(model, layer, unit, options));
    const reached = objectiveValues(model, layer, unit, options.l2, final as tf.Tensor)[0];
    // J is |h| − (l2/2)‖x‖²; scaling the code's linear response is not linear in x, so find a scale by bisection.
    const scoreAt = async (factor: number) => (await verdictFor('activationMaximization', 1, 'a', [start, tf.mul(final as tf.Tensor, factor)])).score;
    const at = (factor: number) => objectiveValues(model, layer, unit, options.l2, tf.mul(final as tf.Tensor, factor))[0];
    let [low, high] = [0.5, 1];
    for (let i = 0; i < 30; i++) {
      const mid = (low + high) / 2;
      if (at(mid) < 0.9 * lowest) low = mid;
      else high = mid;
    }
    expect(reached).toBeGreaterThan(lowest * 0.95);
    expect(await scoreAt(high * 1.001)).toBe(1);
    expect(await scoreAt(low * 0.999)).toBe(0);
  });

  it('shows the start, the result and the best test image on visible cases', async () => {
    const verdict = await verdictOf('activationMaximization', 0, 'a', 'reference', reference.activationMaximization, true);
    expect(verdict.figures?.map((f) => [f.mediaType, pngSize(f)])).toEqual([['image/png', [3 * 112 + 4 * 2, 112 + 2 * 2]]]);
    expect(verdict.figures?.[0].title).toMatch(/^What conv1 unit (12|21|30|31) of digits-cnn responds to most$/);
    expect(verdict.figures?.[0].caption).toMatch(/^Your start, your image after 100 steps \(objective 0\.\d+\), and the best of 500 test images \(0\.0\d+\)\.$/);
    expect((await verdictOf('activationMaximization', 0, 'a', 'reference', reference.activationMaximization, false)).figures).toBeUndefined();
  });

  it('gives no clip and descent their own hints only', async () => {
    for (const [id, fn] of [['ascent-no-clip', ascentNoClip.activationMaximization], ['ascent-descends', ascentDescends.activationMaximization]] as const) {
      for (const index of [0, 1, 2]) {
        const ctx = contextOf('activationMaximization', index, 'a', id, fn);
        expect((await problemOf('activationMaximization').check(ctx)).score, `${id} ${index}`).toBe(0);
        expect(firing('activationMaximization', ctx), `${id} ${index}`).toEqual([id]);
      }
    }
    for (const impl of ['reference', 'loops', 'tensors']) {
      expect(firing('activationMaximization', contextOf('activationMaximization', 0, 'a', impl, implOf(impl).activationMaximization!))).toEqual([]);
    }
  });

  it('calls pixels outside [0, 1] on either side unclipped, and stays silent on shapes it cannot replay', async () => {
    const [start, final] = referenceOutputs('activationMaximization', 1);
    const f = final as tf.Tensor4D;
    for (const [output, ids] of [[f.sub(0.5), ['ascent-no-clip']], [f.mul(1.5), ['ascent-no-clip']], [f.reshape([28, 28, 1, 1]), []]] as const) {
      const ctx = contextFor('activationMaximization', 1, 'a', [start, output]);
      expect((await problemOf('activationMaximization').check(ctx)).score).toBe(0);
      expect(firing('activationMaximization', ctx)).toEqual(ids);
    }
    const flat = contextFor('activationMaximization', 1, 'a', [(start as tf.Tensor).reshape([1, 784]), final]);
    expect(firing('activationMaximization', flat)).toEqual([]);
  });

  it('recognises descent within 1e-3 a pixel, and only where it ends below the start', () => {
    const [start, down] = outputsOf('activationMaximization', 0, 'a', 'ascent-descends', (a) => ascentDescends.activationMaximization(...(a as Parameters<Impl['activationMaximization']>)));
    const nudged = (by: number) => tf.tidy(() => tf.clipByValue(tf.add(down as tf.Tensor, tf.mul(by, tf.sign(tf.sub(0.5, down as tf.Tensor)))), 0, 1));
    expect(firing('activationMaximization', contextFor('activationMaximization', 0, 'a', [start, nudged(0.5e-3)]))).toEqual(['ascent-descends']);
    expect(firing('activationMaximization', contextFor('activationMaximization', 0, 'a', [start, nudged(2e-3)]))).toEqual([]);
    // With no steps, descent is the start itself: not below it, so no hint.
    const [[model, layer, unit, options]] = caseArgs('activationMaximization', 0, 'a') as Array<[tf.LayersModel, string, number, { steps: number }]>;
    const still = [model, layer, unit, { ...options, steps: 0 }];
    const ctx = caseContext([{ args: still, output: start, expected: start }, { args: still, output: start, expected: start }], 'no steps', false, 'a');
    expect(firing('activationMaximization', ctx)).toEqual([]);
  });

  it('does not call a climb that merely stalls descent', () => {
    // An answer equal to the start: not what descent reaches from it.
    const [start] = referenceOutputs('activationMaximization', 0);
    const ctx = contextFor('activationMaximization', 0, 'a', [start, start]);
    expect(firing('activationMaximization', ctx)).toEqual([]);
    expect(pixelStats(start as tf.Tensor).max).toBeLessThan(0.1);
  });
});
