/**
 * The check code of assignments/transfer, called directly on contexts built like grading builds
 * them (caseContext, with the case's own generator): every check passes the reference and two
 * independent correct implementations, fails answers that only it rejects, and has its
 * tolerances pinned; every detector fires on its mistake and stays silent on the reference and
 * on the other mistakes.
 *
 * Implementations that share layers (the `loops` alternative builds a tf.sequential from the
 * model's own layers) get a fresh copy of the zoo model: after that, `layer.output` on the
 * shared model would throw, and the grader's own copy must never see that.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import assignment, { featuresBeatPixels, fewShotScore, weightChange } from '../../assignments/transfer/assignment.ts';
import { acceptedLabels, cosinePredict, drawEpisodes, episodeAccuracies, lastTiePredict, logSumExp, meanInterval, NEAR_TIE, nearestPredict, newtonMinimum, objective, optimum, squaredDistances, unitRows, wholeNumbers } from '../../assignments/transfer/checks.ts';
import { blobs, drawDistinct, episode, NEW_DIGITS, querySet, SOURCE_MODEL, supportSet, testCount, zoo } from '../../assignments/transfer/data.ts';
import * as extractorRetrained from '../../assignments/transfer/mistakes/extractor-retrained.ts';
import * as extractorSoftmax from '../../assignments/transfer/mistakes/extractor-softmax.ts';
import * as featuresRescaled from '../../assignments/transfer/mistakes/features-rescaled.ts';
import * as fewshotSoftmax from '../../assignments/transfer/mistakes/fewshot-softmax.ts';
import * as logisticL2Bias from '../../assignments/transfer/mistakes/logistic-l2-bias.ts';
import * as nnCosine from '../../assignments/transfer/mistakes/nn-cosine.ts';
import * as nnTiesLast from '../../assignments/transfer/mistakes/nn-ties-last.ts';
import * as predictNoBias from '../../assignments/transfer/mistakes/predict-no-bias.ts';
import * as reference from '../../solutions/transfer/transfer.ts';
import type { AnyFunction, CheckContext, ProblemSpec } from '../src/assignment/define.ts';
import { caseContext } from '../src/cases/calls.ts';
import { createRng } from '../src/cases/rng.ts';
import type { Verdict } from '../src/checks/verdict.ts';
import { loadWeightsSync } from '../src/models/resident.ts';
import { modelDir } from '../src/models/store.ts';
import { buildZooModel, zooModel } from '../src/models/zoo.ts';
import { initTensorBackend } from '../src/tensor/backend.ts';
import * as loops from './fixtures/transfer-alternatives/loops/transfer.ts';
import * as tensors from './fixtures/transfer-alternatives/tensors/transfer.ts';
import { PNG } from 'pngjs';
import { markTexts } from './helpers.ts';

type Ctx = CheckContext<unknown[], unknown>;
type Impl = typeof reference;
const ALTERNATIVES: Record<string, Impl> = { loops, tensors };
const IMPLEMENTATIONS: Record<string, Impl> = { reference, ...ALTERNATIVES };

function problemOf(name: string): ProblemSpec {
  const found = assignment.problems.find((p) => p.export === name);
  if (!found) throw new Error(`no problem ${name}`);
  return found;
}

/** A model of the zoo that nothing else shares: implementations that reuse its layers get this. */
function freshModel(name: string): tf.LayersModel {
  const model = buildZooModel(zooModel(name));
  loadWeightsSync(model, modelDir(name));
  return model;
}

/**
 * The arguments of every call of case `index` of a problem, from the case's own generator
 * seeded with `seed`, and the reference's answer to each, computed when first read. Both are
 * remembered for the file: cases draw real MNIST and run the network, and `npm run mutation`
 * reruns these tests for every mutant they reach. (Nothing here disposes or changes them.)
 */
const remembered = new Map<string, Array<{ args: unknown[]; expected: () => unknown }>>();
function caseCalls(name: string, index: number, seed: string): Array<{ args: unknown[]; expected: () => unknown }> {
  const key = `${name}/${index}/${seed}`;
  let found = remembered.get(key);
  if (!found) {
    const p = problemOf(name);
    const c = p.cases[index];
    const rng = createRng(seed);
    const calls: unknown[][] = c.calls ? c.calls(rng, {}) : [c.args!(rng, {})];
    found = calls.map((args) => {
      let answer: { value: unknown } | undefined;
      return { args, expected: () => (answer ??= { value: (p.reference as AnyFunction)(...args) }).value };
    });
    remembered.set(key, found);
  }
  return found;
}

function caseArgs(name: string, index: number, seed: string): unknown[][] {
  return caseCalls(name, index, seed).map((call) => call.args);
}

/** The check's context for case `index` with the outputs `answer` gives for each call's arguments. */
function contextFor(name: string, index: number, seed: string, answer: (args: unknown[]) => unknown, visible = false): Ctx {
  const records = caseCalls(name, index, seed).map((call) => ({
    args: call.args,
    output: answer(call.args),
    get expected() {
      return call.expected();
    },
  }));
  return caseContext(records, problemOf(name).cases[index].name, visible, seed);
}

async function verdictFor(name: string, index: number, seed: string, answer: (args: unknown[]) => unknown, visible = false): Promise<Verdict> {
  return await problemOf(name).check(contextFor(name, index, seed, answer, visible));
}

/** Which of a problem's detectors fire on a context. */
function firing(name: string, ctx: Ctx): string[] {
  return (problemOf(name).mistakes ?? []).filter((m) => m.matches(ctx)).map((m) => m.id);
}

beforeAll(async () => {
  await initTensorBackend();
}, 60_000);

describe('the inputs', () => {
  it('draws support images from the train part and queries from the test part, of the digits 5–9 only', () => {
    const support = supportSet(createRng('s'), 3);
    expect(support.labels).toEqual([5, 5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8, 9, 9, 9]);
    const queries = querySet(createRng('q'), 50);
    expect(queries.labels.every((d) => NEW_DIGITS.includes(d))).toBe(true);
    expect(new Set(queries.labels).size).toBeGreaterThan(3);
    expect(testCount()).toBe(975);
    // No query is a support image: the parts are disjoint, so no test image equals a train one.
    const s = support.x.reshape([15, 784]).arraySync() as number[][];
    const q = queries.x.reshape([50, 784]).arraySync() as number[][];
    expect(q.some((row) => s.some((r) => r.every((v, j) => v === row[j])))).toBe(false);
    tf.dispose([support.x, queries.x]);
  });

  it('draws distinct items, and refuses more than there are', () => {
    const drawn = drawDistinct(createRng('d'), [1, 2, 3, 4, 5], 5);
    expect([...drawn].sort()).toEqual([1, 2, 3, 4, 5]);
    expect(() => drawDistinct(createRng('d'), [1, 2], 3)).toThrow(/3 of 2/);
  });

  it('makes overlapping, unequal classes', () => {
    const { features, labels } = blobs(createRng('b'), [6, 3, 1], 4, { offset: 1, spread: 1 });
    expect(features).toHaveLength(10);
    expect(features.every((row) => row.length === 4)).toBe(true);
    expect([0, 1, 2].map((k) => labels.filter((l) => l === k).length)).toEqual([6, 3, 1]);
  });
});

describe('featureExtractor', () => {
  it('passes the reference and both alternatives on both models', async () => {
    for (const index of [0, 1]) {
      for (const [name, impl] of Object.entries(IMPLEMENTATIONS)) {
        const verdict = await verdictFor('featureExtractor', index, 'fe', (args) => impl.featureExtractor(name === 'reference' ? (args[0] as tf.LayersModel) : freshModel(index === 0 ? SOURCE_MODEL : 'digits-cnn')));
        expect(verdict, `${name} on case ${index}: ${verdict.message}`).toMatchObject({ score: 1 });
      }
    }
  });

  it('keeps the grader\'s model usable after an extractor that shares its layers', () => {
    const mine = freshModel(SOURCE_MODEL);
    loops.featureExtractor(mine);
    expect(() => mine.layers[mine.layers.length - 2].output).toThrow(/multiple inbound nodes/);
    // The zoo's copy, which the reference uses, is untouched.
    const zooCopy = zoo(SOURCE_MODEL);
    expect(() => zooCopy.layers[zooCopy.layers.length - 2].output).not.toThrow();
  });

  it('fails the softmax output and fresh weights, each with its own hint', async () => {
    const softmax = contextFor('featureExtractor', 0, 'fe', (args) => extractorSoftmax.featureExtractor(args[0] as tf.LayersModel));
    expect((await problemOf('featureExtractor').check(softmax)).message).toMatch(/5 numbers per image; the layer before the classifier has 128/);
    expect(firing('featureExtractor', softmax)).toEqual(['extractor-softmax']);
    const retrained = contextFor('featureExtractor', 0, 'fe', () => extractorRetrained.featureExtractor(freshModel(SOURCE_MODEL)));
    expect((await problemOf('featureExtractor').check(retrained)).score).toBe(0);
    expect(firing('featureExtractor', retrained)).toEqual(['extractor-retrained']);
    const right = contextFor('featureExtractor', 0, 'fe', (args) => reference.featureExtractor(args[0] as tf.LayersModel));
    expect(firing('featureExtractor', right)).toEqual([]);
  });

  it('names the features in its message, frees what it draws, and tells apart shapes that only partly match', async () => {
    const retrained = await verdictFor('featureExtractor', 0, 'fe', () => extractorRetrained.featureExtractor(freshModel(SOURCE_MODEL)));
    expect(retrained.message).toMatch(/^your extractor's features/);
    const ctx = contextFor('featureExtractor', 0, 'fe', (args) => reference.featureExtractor(args[0] as tf.LayersModel));
    const before = tf.memory().numTensors;
    await problemOf('featureExtractor').check(ctx);
    firing('featureExtractor', ctx);
    expect(tf.memory().numTensors).toBe(before);
    // conv1's kernel and bias, then weights of other shapes: not the model's first layers.
    const partly = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3 }), tf.layers.flatten(), tf.layers.dense({ units: 5 })] });
    expect(weightChange(partly, zoo(SOURCE_MODEL))).toEqual({ sameShapes: false, largest: Infinity });
  });

  it('fails another layer\'s output: flatten\'s 1600 numbers', async () => {
    const verdict = await verdictFor('featureExtractor', 0, 'fe', (args) => {
      const model = args[0] as tf.LayersModel;
      return tf.model({ inputs: model.inputs, outputs: model.getLayer('flatten').output });
    });
    expect(verdict.message).toMatch(/1600 numbers per image/);
  });

  it('fails weights moved by 1e-4 of their scale where the features still agree, and keeps weights moved by a float32 nudge', async () => {
    const moved = (share: number) => (args: unknown[]) => {
      const model = freshModel(SOURCE_MODEL);
      const extractor = reference.featureExtractor(model);
      // Only the last layer's bias moves: the features change by about the same tiny amount.
      extractor.setWeights(extractor.getWeights().map((w, i, all) => (i === all.length - 1 ? tf.mul(w, 1 + share) : w)));
      void args;
      return extractor;
    };
    const small = await verdictFor('featureExtractor', 0, 'fe', moved(1e-6));
    expect(small.score).toBe(1);
    const changed = await verdictFor('featureExtractor', 0, 'fe', moved(3e-5));
    expect(changed.message).toMatch(/largest change is 3\.\d+e-5/);
  });

  it('measures weight changes against each tensor\'s largest weight', () => {
    const model = freshModel(SOURCE_MODEL);
    const extractor = reference.featureExtractor(freshModel(SOURCE_MODEL));
    expect(weightChange(extractor, model)).toEqual({ sameShapes: true, largest: 0 });
    const weights = extractor.getWeights();
    const scale = Math.max(...Array.from(weights[0].dataSync(), Math.abs));
    const data = Float32Array.from(weights[0].dataSync());
    data[3] += 0.5 * scale;
    extractor.setWeights([tf.tensor(data, weights[0].shape), ...weights.slice(1)]);
    expect(weightChange(extractor, model).largest).toBeCloseTo(0.5, 5);
    expect(weightChange(model, extractor)).toEqual({ sameShapes: false, largest: Infinity });
    expect(weightChange(tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [2] })] }), model).sameShapes).toBe(false);
  });
});

describe('extractFeatures', () => {
  it('passes the reference and both alternatives on the plain cases', async () => {
    for (const index of [0, 2]) {
      for (const [name, impl] of Object.entries(IMPLEMENTATIONS)) {
        const verdict = await verdictFor('extractFeatures', index, 'ef', (args) => impl.extractFeatures(args[0] as tf.LayersModel, args[1] as tf.Tensor4D));
        expect(verdict, `${name}: ${verdict.message}`).toMatchObject({ score: 1 });
      }
    }
  });

  it('fails scaled, shifted, missing and transposed features', async () => {
    const wrong = async (change: (m: number[][]) => number[][]) => (await verdictFor('extractFeatures', 0, 'ef', (args) => change(reference.extractFeatures(args[0] as tf.LayersModel, args[1] as tf.Tensor4D)))).score;
    expect(await wrong((m) => m.map((r) => r.map((v) => v * 1.01)))).toBe(0);
    expect(await wrong((m) => m.map((r) => r.map((v) => v + 1e-2)))).toBe(0);
    expect(await wrong((m) => m.slice(1))).toBe(0);
    expect(await wrong((m) => m[0].map((_, j) => m.map((r) => r[j])))).toBe(0);
    const narrow = await verdictFor('extractFeatures', 0, 'ef', (args) => reference.extractFeatures(args[0] as tf.LayersModel, args[1] as tf.Tensor4D).map((r) => r.slice(0, 100)));
    expect(narrow.message).toBe("your features have 100 numbers per image; the extractor's output (flattened) has 128");
    const fewer = await verdictFor('extractFeatures', 0, 'ef', (args) => reference.extractFeatures(args[0] as tf.LayersModel, args[1] as tf.Tensor4D).slice(1));
    expect(fewer.message).toBe('you returned 15 rows of features for 16 images; one row per image');
  });

  it('pins the tolerance: a zero feature moved by half of 1e-4·max|f| passes, by twice fails', async () => {
    const moved = async (share: number) =>
      (
        await verdictFor('extractFeatures', 0, 'ef', (args) => {
          const m = reference.extractFeatures(args[0] as tf.LayersModel, args[1] as tf.Tensor4D);
          const scale = Math.max(...m.flat().map(Math.abs));
          const row = m.findIndex((r) => r.includes(0));
          m[row][m[row].indexOf(0)] = share * 1e-4 * scale;
          return m;
        })
      ).score;
    expect(await moved(0.5)).toBe(1);
    expect(await moved(2)).toBe(0);
  });

  it('runs the experiment on the student\'s features: the reference\'s beat pixels, with the table and a support set in the report', async () => {
    const verdict = await verdictFor('extractFeatures', 1, 'experiment', (args) => reference.extractFeatures(args[0] as tf.LayersModel, args[1] as tf.Tensor4D), true);
    expect(verdict.score).toBe(1);
    expect(verdict.message).toMatch(/raw pixels \(784\): 1-shot 0\.\d{3} ± 0\.0\d\d, 5-shot 0\.\d{3} ± 0\.00\d\nyour features \(128\): 1-shot 0\.5\d\d/);
    expect(verdict.message).toMatch(/\nyour features scaled to length 1: 1-shot 0\.\d{3} ± 0\.0\d\d, 5-shot 0\.\d{3} ± 0\.00\d$/);
    expect(verdict.figures?.map((f) => f.title)).toEqual(['One-shot and five-shot 1-NN accuracy on digits the network never saw', 'The 5 labelled examples of each digit in one five-shot support set']);
    const [table, support] = verdict.figures!;
    const cells = markTexts(table.data);
    expect(cells.slice(0, 3)).toEqual(['features', '1-shot', '5-shot']);
    expect(cells.slice(3)).toHaveLength(9);
    expect(table.caption).toBe('Mean accuracy on the 975 test images of 5–9 over 300 support sets per column, drawn from 60 train images of each digit, with 95 % intervals. Same support sets in every row.');
    expect(support.caption).toBe('One row per digit, 5 to 9: all a five-shot classifier knows about the new digits.');
    // 5 × 5 images of 28 pixels, each drawn 3 times larger.
    const png = PNG.sync.read(Buffer.from(support.data, 'base64'));
    expect(png.width).toBe(png.height);
    expect(png.width).toBeGreaterThanOrEqual(5 * 28 * 3);
    // Hidden, the same verdict without pictures.
    const hidden = await verdictFor('extractFeatures', 1, 'experiment', (args) => reference.extractFeatures(args[0] as tf.LayersModel, args[1] as tf.Tensor4D));
    expect(hidden.figures).toBeUndefined();
  });

  it('fails the experiment on softmax outputs, which do not beat pixels', async () => {
    const softmax = await verdictFor('extractFeatures', 1, 'experiment', (args) => reference.extractFeatures(zoo(SOURCE_MODEL), args[1] as tf.Tensor4D), true);
    expect(softmax.score).toBe(0);
    // Visible, but failing: no pictures.
    expect(softmax.figures).toBeUndefined();
    expect(softmax.message).toMatch(/^1-shot: 1-NN on your features is right on 0\.\d{3} of the queries, on raw pixels 0\.\d{3}.*\n5-shot/);
    const short = await verdictFor('extractFeatures', 1, 'experiment', () => [[1, 2]]);
    expect(short.message).toMatch(/1 rows of features for 1275 images/);
  });

  it('grades the claim at its margin: 0.02 above pixels passes, less fails', () => {
    expect(featuresBeatPixels(1, 0.6 + 0.02, 0.6).score).toBe(1);
    expect(featuresBeatPixels(1, 0.7, 0.68).score).toBe(1);
    const below = featuresBeatPixels(5, 0.6 + 0.0199, 0.6);
    expect(below.score).toBe(0);
    expect(below.message).toMatch(/^5-shot: 1-NN on your features is right on 0\.620 of the queries, on raw pixels 0\.600; the penultimate layer's features beat pixels by 0\.02 or more/);
    expect(featuresBeatPixels(1, 0.5, 0.6).score).toBe(0);
  });

  it('gives the hint about dividing by 255 to that mistake only, and never in the experiment', async () => {
    for (const index of [0, 2]) {
      const ctx = contextFor('extractFeatures', index, 'ef', (args) => featuresRescaled.extractFeatures(args[0] as tf.LayersModel, args[1] as tf.Tensor4D));
      expect((await problemOf('extractFeatures').check(ctx)).score).toBe(0);
      expect(firing('extractFeatures', ctx)).toEqual(['features-rescaled']);
    }
    const right = contextFor('extractFeatures', 0, 'ef', (args) => reference.extractFeatures(args[0] as tf.LayersModel, args[1] as tf.Tensor4D));
    expect(firing('extractFeatures', right)).toEqual([]);
    const scaled = contextFor('extractFeatures', 0, 'ef', (args) => reference.extractFeatures(args[0] as tf.LayersModel, args[1] as tf.Tensor4D).map((r) => r.map((v) => 2 * v)));
    expect(firing('extractFeatures', scaled)).toEqual([]);
    const experiment = contextFor('extractFeatures', 1, 'experiment', (args) => featuresRescaled.extractFeatures(args[0] as tf.LayersModel, args[1] as tf.Tensor4D));
    expect(firing('extractFeatures', experiment)).toEqual([]);
  });

  it('reports means with 95 % normal intervals', () => {
    const intervals = meanInterval([0.5, 0.7]);
    expect(intervals.mean).toBeCloseTo(0.6, 12);
    expect(intervals.half).toBeCloseTo((1.96 * Math.sqrt(0.02)) / Math.sqrt(2), 12);
    expect(meanInterval([0.4]).half).toBe(0);
  });
});

describe('the experiment\'s arithmetic', () => {
  it('counts 1-NN hits per episode, ties to the support position listed first', () => {
    // Pool positions 0, 1 (class 0) and 2, 3 (class 1); two queries.
    const d = Float64Array.from([
      1, 5, 3, 1, // query 0 (class 0): positions 0 and 3 tie at 1
      4, 2, 2, 9, // query 1 (class 1): positions 1 and 2 tie at 2
    ]);
    expect(episodeAccuracies(d, [0, 1], [0, 0, 1, 1], [[0, 3], [3, 0], [1, 2], [2, 1]])).toEqual([0.5, 0, 0, 0.5]);
  });

  it('lists an episode\'s classes in increasing order, whatever the pool\'s order', () => {
    for (const e of drawEpisodes(createRng('u'), [1, 1, 0, 0], 1, 10)) expect(e.map((j) => (j < 2 ? 1 : 0))).toEqual([0, 1]);
  });

  it('draws every class\'s shots from its own positions', () => {
    const episodes = drawEpisodes(createRng('e'), [0, 0, 0, 1, 1, 1, 2, 2, 2], 2, 50);
    for (const e of episodes) {
      expect(e).toHaveLength(6);
      expect(e.map((j) => Math.floor(j / 3))).toEqual([0, 0, 1, 1, 2, 2]);
      expect(new Set(e).size).toBe(6);
    }
    expect(new Set(episodes.map((e) => e.join())).size).toBeGreaterThan(40);
  });

  it('computes squared distances and unit rows', () => {
    expect(Array.from(squaredDistances([[0, 0], [3, 4]], [[0, 1]]))).toEqual([1, 18]);
    expect(unitRows([[3, 4], [0, 0]]).map((r) => Array.from(r))).toEqual([[0.6, 0.8], [0, 0]]);
  });
});

describe('nearestNeighborPredict', () => {
  it('passes the reference and both alternatives on every case, for 10 seeds', async () => {
    for (let index = 0; index < 4; index++) {
      for (let s = 0; s < 10; s++) {
        for (const [name, impl] of Object.entries(IMPLEMENTATIONS)) {
          const verdict = await verdictFor('nearestNeighborPredict', index, `nn-${s}`, (args) => impl.nearestNeighborPredict(...(args as [number[][], number[], number[][]])));
          expect(verdict, `${name}, case ${index}, seed ${s}: ${verdict.message}`).toMatchObject({ score: 1 });
        }
      }
    }
  });

  it('has exact ties in the grid cases and cosine disagreements in the lengths case', () => {
    for (const index of [0, 3]) {
      const [[train, labels, test]] = caseArgs('nearestNeighborPredict', index, 'nn') as Array<[number[][], number[], number[][]]>;
      expect(wholeNumbers(train, test)).toBe(true);
      expect(lastTiePredict(train, labels, test)).not.toEqual(reference.nearestNeighborPredict(train, labels, test));
    }
    const [[train, labels, test]] = caseArgs('nearestNeighborPredict', 1, 'nn') as Array<[number[][], number[], number[][]]>;
    expect(cosinePredict(train, labels, test)).not.toEqual(reference.nearestNeighborPredict(train, labels, test));
  });

  it('fails cosine similarity and ties to the later row, each with its own hint only', async () => {
    for (const [mistake, id, index] of [[nnCosine, 'nn-cosine', 1], [nnTiesLast, 'nn-ties-last', 0]] as const) {
      const ctx = contextFor('nearestNeighborPredict', index, 'nn', (args) => mistake.nearestNeighborPredict(...(args as [number[][], number[], number[][]])));
      const verdict = await problemOf('nearestNeighborPredict').check(ctx);
      expect(verdict.score).toBe(0);
      expect(verdict.message).toMatch(/labels are wrong; the first is test row \d+: you answered \d, its nearest training row \(Euclidean distance, ties to the lower index\) has label \d/);
      expect(firing('nearestNeighborPredict', ctx)).toEqual([id]);
    }
    const right = contextFor('nearestNeighborPredict', 0, 'nn', (args) => reference.nearestNeighborPredict(...(args as [number[][], number[], number[][]])));
    expect(await problemOf('nearestNeighborPredict').check(right)).toMatchObject({ score: 1 });
    const short = await verdictFor('nearestNeighborPredict', 0, 'nn', () => [1]);
    expect(short.message).toMatch(/1 labels for 9 test rows/);
  });

  it('decides exact ties by index with whole numbers, and accepts rounding-level near-ties otherwise', () => {
    const labels = [7, 8];
    // Whole numbers: equal distances 1 and 1: only the first row's label.
    expect(acceptedLabels([[0, 1], [2, 1]], labels, [[1, 1]]).map((s) => [...s])).toEqual([[7]]);
    // Real numbers within NEAR_TIE (relative) of each other: both labels.
    // The second row's squared distance is 0.25·(1 + r) against the first's 0.25.
    const row = (r: number) => [1 + 0.5 * Math.sqrt(1 + r)];
    expect(acceptedLabels([[0.5], row(0.5 * NEAR_TIE)], labels, [[1]]).map((s) => [...s].sort())).toEqual([[7, 8]]);
    // Beyond it: only the closer.
    expect(acceptedLabels([[0.5], row(2 * NEAR_TIE)], labels, [[1]]).map((s) => [...s])).toEqual([[7]]);
    expect(acceptedLabels([row(2 * NEAR_TIE), [0.5]], labels, [[1]]).map((s) => [...s])).toEqual([[8]]);
  });

  it('counts and names the wrong labels, the first row included', async () => {
    const check = problemOf('nearestNeighborPredict').check;
    const args = [[[0], [10]], [4, 6], [[1], [9], [2]]];
    const verdict = (output: number[]) => check(caseContext([{ args, output, expected: [4, 6, 4] }], 'c', false, 'c'));
    expect((await verdict([6, 6, 4])).message).toBe('1 of 3 labels are wrong; the first is test row 0: you answered 6, its nearest training row (Euclidean distance, ties to the lower index) has label 4');
    expect((await verdict([6, 4, 6])).message).toMatch(/^3 of 3 labels are wrong; the first is test row 0/);
    expect((await verdict([4, 6, 4])).score).toBe(1);
    // A near-tie between two labels names both.
    const near = [[[0.5], [1 + 0.5 * Math.sqrt(1 + 1e-7)]], [7, 8], [[1]]];
    const tie = await check(caseContext([{ args: near, output: [9], expected: [7] }], 'c', false, 'c'));
    expect(tie.message).toMatch(/has label 7 or 8$/);
  });

  it('tells whole numbers from others in every row, and 1-NN ties to the first or the last', () => {
    expect(wholeNumbers([[1, 2]], [[3, 4]])).toBe(true);
    expect(wholeNumbers([[1, 2]], [[1, 0.5]])).toBe(false);
    expect(wholeNumbers([[1, 2], [0.5, 1]])).toBe(false);
    expect(wholeNumbers([[1, 0.5], [1, 1]])).toBe(false);
    expect(nearestPredict([[0], [2]], [0, 1], [[1]])).toEqual([0]);
    expect(nearestPredict([[0], [2]], [0, 1], [[1]], true)).toEqual([1]);
    expect(nearestPredict([[0], [2]], [0, 1], [[1.5]])).toEqual([1]);
  });

  it('implements the mistakes\' answers in the grader', () => {
    // Euclidean: [4, 1] is closer to [3, 0]; cosine: [1, 0] points the same way.
    expect(cosinePredict([[1, 0], [4, 1]], [0, 1], [[3, 0]])).toEqual([0]);
    expect(reference.nearestNeighborPredict([[1, 0], [4, 1]], [0, 1], [[3, 0]])).toEqual([1]);
    expect(cosinePredict([[0, 0], [1, 1]], [0, 1], [[2, 2]])).toEqual([1]);
    expect(lastTiePredict([[0], [2], [2]], [0, 1, 2], [[1], [3]])).toEqual([2, 2]);
    expect(reference.nearestNeighborPredict([[0], [2], [2]], [0, 1, 2], [[1], [3]])).toEqual([0, 1]);
  });
});

describe('trainLogisticRegression', () => {
  it('passes the reference and the float64 alternative on every case (the float32 one, 3,000 tfjs steps a case, in transfer-alternatives.test.ts)', async () => {
    for (let index = 0; index < 3; index++) {
      for (const [name, impl] of Object.entries({ reference, loops })) {
        const verdict = await verdictFor('trainLogisticRegression', index, 'lr', (args) => impl.trainLogisticRegression(...(args as Parameters<Impl['trainLogisticRegression']>)));
        expect(verdict, `${name}, case ${index}: ${verdict.message}`).toMatchObject({ score: 1 });
      }
    }
  }, 60_000);

  it('converges from several starts on every case to within a tenth of the tolerance (3 data sets each)', () => {
    for (let index = 0; index < 3; index++) {
      for (let s = 0; s < 3; s++) {
        const [[features, labels, k, options]] = caseArgs('trainLogisticRegression', index, `lr-${s}`) as Array<Parameters<Impl['trainLogisticRegression']>>;
        const best = optimum(features, labels, k, options.l2);
        for (const seed of [1, 2]) {
          const gap = objective(reference.trainLogisticRegression(features, labels, k, { ...options, seed }), features, labels, options.l2) - best.value;
          expect(gap, `case ${index}, data ${s}, start ${seed}`).toBeLessThan(1e-6);
          expect(gap).toBeGreaterThan(-1e-12);
        }
      }
    }
  }, 60_000);

  it('finds the optimum: a zero gradient, lower than any other point tried', () => {
    const { features, labels } = blobs(createRng('opt'), [10, 6, 4], 3, { offset: 1, spread: 1 });
    const best = optimum(features, labels, 3, 0.1);
    const h = 1e-6;
    for (const [k, j] of [[0, 0], [1, 2], [2, 1]]) {
      const plus = { weights: best.weights.map((r, a) => r.map((v, b) => (a === k && b === j ? v + h : v))), bias: best.bias };
      const minus = { weights: best.weights.map((r, a) => r.map((v, b) => (a === k && b === j ? v - h : v))), bias: best.bias };
      expect(Math.abs(objective(plus, features, labels, 0.1) - objective(minus, features, labels, 0.1)) / (2 * h)).toBeLessThan(1e-7);
    }
    expect(best.value).toBeCloseTo(objective(best, features, labels, 0.1), 14);
    const shifted = { weights: best.weights, bias: best.bias.map((b) => b + 5) };
    expect(objective(shifted, features, labels, 0.1)).toBeCloseTo(best.value, 12);
    const withBias = optimum(features, labels, 3, 0.1, true);
    expect(objective(withBias, features, labels, 0.1)).toBeGreaterThan(best.value);
    expect(objective(best, features, labels, 0.1, true)).toBeGreaterThan(withBias.value);
  });

  it('solves problems with more features than examples in the span of the examples, to the same minimum', () => {
    const rng = createRng('wide');
    const features = rng.matrix(6, 9);
    const labels = [0, 1, 2, 0, 1, 2];
    const best = optimum(features, labels, 3, 0.3);
    expect(best.weights.every((row) => row.length === 9)).toBe(true);
    expect(objective(best, features, labels, 0.3)).toBeCloseTo(best.value, 12);
    // The same data with three more examples at zero (they add nothing to the span) is solved in all 9 dimensions.
    const padded = [...features, ...rng.matrix(6, 9).map((r) => r.map(() => 0))];
    const full = optimum(padded, [...labels, 0, 1, 2, 0, 1, 2], 3, 0.3);
    expect(full.weights[0]).toHaveLength(9);
    // Gradient descent from the reference lands on the same value.
    const trained = reference.trainLogisticRegression(features, labels, 3, { epochs: 4000, learningRate: 0.3, l2: 0.3, seed: 1 });
    expect(objective(trained, features, labels, 0.3) - best.value).toBeLessThan(1e-9);
    expect(objective(trained, features, labels, 0.3) - best.value).toBeGreaterThan(-1e-12);
  });

  it('minimises by Newton\'s method with backtracking where a full step would overshoot', () => {
    // f(x) = sqrt(1 + x²): from x = 2 a full Newton step lands at −8 and diverges from there.
    const f = ([x]: number[]) => Math.sqrt(1 + x * x);
    const derivatives = ([x]: number[]) => ({ gradient: [x / Math.sqrt(1 + x * x)], hessian: [[(1 + x * x) ** -1.5]] });
    const found = newtonMinimum(f, derivatives, [2]);
    expect(Math.abs(found.theta[0])).toBeLessThan(1e-6);
    expect(found.value).toBeCloseTo(1, 12);
    // A quadratic: one full step, to rounding.
    const q = newtonMinimum(([a, b]) => (a - 1) ** 2 + 2 * (b + 3) ** 2, ([a, b]) => ({ gradient: [2 * (a - 1), 4 * (b + 3)], hessian: [[2, 0], [0, 4]] }), [5, 5]);
    expect(q.theta[0]).toBeCloseTo(1, 14);
    expect(q.theta[1]).toBeCloseTo(-3, 14);
    expect(q.value).toBeLessThan(1e-28);
    // At the minimum already: nothing to do.
    expect(newtonMinimum(f, derivatives, [0])).toEqual({ theta: [0], value: 1 });
  });

  it('sums exponentials without overflow', () => {
    expect(logSumExp([1000, 0])).toBeCloseTo(1000, 9);
    expect(logSumExp([-1000, -1000])).toBeCloseTo(-1000 + Math.log(2), 9);
    expect(logSumExp([0, 0, 0])).toBeCloseTo(Math.log(3), 14);
  });

  it('finds the minimum of wide data with repeated and zero rows: a zero gradient in every weight', () => {
    const rng = createRng('wide-repeats');
    const base = rng.matrix(4, 10);
    const features = [...base, base[1].slice(), new Array<number>(10).fill(0)];
    const labels = [0, 1, 2, 0, 1, 2];
    const best = optimum(features, labels, 3, 0.2);
    const h = 1e-6;
    for (const [k, j] of [[0, 0], [1, 4], [2, 9], [0, 7]]) {
      const shifted = (delta: number) => ({ weights: best.weights.map((r, a) => r.map((v, b) => (a === k && b === j ? v + delta : v))), bias: best.bias });
      expect(Math.abs(objective(shifted(h), features, labels, 0.2) - objective(shifted(-h), features, labels, 0.2)) / (2 * h), `w[${k}][${j}]`).toBeLessThan(1e-7);
    }
  });

  it('computes the stated objective', () => {
    const model = { weights: [[1, 0], [0, 1]], bias: [0.5, -0.5] };
    const features = [[1, 2], [0, 0]];
    const ce = (z: number[], y: number) => Math.log(Math.exp(z[0]) + Math.exp(z[1])) - z[y];
    const data = (ce([1.5, 1.5], 1) + ce([0.5, -0.5], 0)) / 2;
    expect(objective(model, features, [1, 0], 0.2)).toBeCloseTo(data + 0.1 * 2, 14);
    expect(objective(model, features, [1, 0], 0.2, true)).toBeCloseTo(data + 0.1 * 2.5, 14);
  });

  it('fails l2 on the bias, an unconverged fit and wrong shapes; only the bias mistake gets its hint', async () => {
    for (let index = 0; index < 3; index++) {
      const ctx = contextFor('trainLogisticRegression', index, 'lr', (args) => logisticL2Bias.trainLogisticRegression(...(args as Parameters<Impl['trainLogisticRegression']>)));
      const verdict = await problemOf('trainLogisticRegression').check(ctx);
      expect(verdict.message).toMatch(/at your weights is \d\.\d{6}; its minimum is \d\.\d{6} \(\d\.\d\de-\d above; at most 0\.00001 is allowed\)/);
      expect(firing('trainLogisticRegression', ctx), `case ${index}`).toEqual(['logistic-l2-bias']);
    }
    const early = contextFor('trainLogisticRegression', 0, 'lr', (args) => {
      const [features, labels, k, options] = args as Parameters<Impl['trainLogisticRegression']>;
      return reference.trainLogisticRegression(features, labels, k, { ...options, epochs: 100 });
    });
    expect((await problemOf('trainLogisticRegression').check(early)).score).toBe(0);
    expect(firing('trainLogisticRegression', early)).toEqual([]);
    const right = contextFor('trainLogisticRegression', 0, 'lr', (args) => reference.trainLogisticRegression(...(args as Parameters<Impl['trainLogisticRegression']>)));
    expect(firing('trainLogisticRegression', right)).toEqual([]);
    const transposed = await verdictFor('trainLogisticRegression', 0, 'lr', (args) => {
      const { weights, bias } = reference.trainLogisticRegression(...(args as Parameters<Impl['trainLogisticRegression']>));
      return { weights: weights[0].map((_, j) => weights.map((r) => r[j])), bias };
    });
    expect(transposed.message).toBe('weights must be 3 × 4 (numClasses × featureDim); yours has 4 rows, of 3 numbers');
    const shortBias = await verdictFor('trainLogisticRegression', 0, 'lr', (args) => ({ ...reference.trainLogisticRegression(...(args as Parameters<Impl['trainLogisticRegression']>)), bias: [0, 0] }));
    expect(shortBias.message).toBe('bias must have 3 entries (one per class); yours has 2');
    const ragged = contextFor('trainLogisticRegression', 0, 'lr', (args) => {
      const m = reference.trainLogisticRegression(...(args as Parameters<Impl['trainLogisticRegression']>));
      return { ...m, weights: [m.weights[0], m.weights[1], m.weights[2].slice(1)] };
    });
    expect((await problemOf('trainLogisticRegression').check(ragged)).message).toBe('weights must be 3 × 4 (numClasses × featureDim); yours has 3 rows, of 4 and 3 numbers');
    const twoRows = await verdictFor('trainLogisticRegression', 0, 'lr', (args) => {
      const m = reference.trainLogisticRegression(...(args as Parameters<Impl['trainLogisticRegression']>));
      return { ...m, weights: m.weights.slice(0, 2) };
    });
    expect(twoRows.message).toBe('weights must be 3 × 4 (numClasses × featureDim); yours has 2 rows, of 4 numbers');
    const none = await verdictFor('trainLogisticRegression', 0, 'lr', () => ({ weights: [], bias: [0, 0, 0] }));
    expect(none.message).toBe('weights must be 3 × 4 (numClasses × featureDim); yours has 0 rows, of no numbers');
    expect(firing('trainLogisticRegression', ragged)).toEqual([]);
  }, 60_000);

  it('pins the tolerance: 0.5e-5 above the optimum passes, 2e-5 fails', async () => {
    const [[features, labels, k, options]] = caseArgs('trainLogisticRegression', 0, 'lr') as Array<Parameters<Impl['trainLogisticRegression']>>;
    const best = optimum(features, labels, k, options.l2);
    // Moving every weight along one direction by t raises J by about c·t²; find t for a target gap.
    const at = (t: number) => ({ weights: best.weights.map((r) => r.map((v) => v + t)), bias: best.bias });
    const gapAt = (t: number) => objective(at(t), features, labels, options.l2) - best.value;
    const solve = (target: number) => {
      let [low, high] = [0, 1];
      for (let i = 0; i < 80; i++) [low, high] = gapAt((low + high) / 2) < target ? [(low + high) / 2, high] : [low, (low + high) / 2];
      return at(low);
    };
    expect((await verdictFor('trainLogisticRegression', 0, 'lr', () => solve(0.5e-5))).score).toBe(1);
    expect((await verdictFor('trainLogisticRegression', 0, 'lr', () => solve(2e-5))).score).toBe(0);
  });
});

describe('predictLogistic', () => {
  it('passes the reference and both alternatives', async () => {
    for (const index of [0, 1]) {
      for (const [name, impl] of Object.entries(IMPLEMENTATIONS)) {
        const verdict = await verdictFor('predictLogistic', index, 'pl', (args) => impl.predictLogistic(...(args as Parameters<Impl['predictLogistic']>)));
        expect(verdict, `${name}: ${verdict.message}`).toMatchObject({ score: 1 });
      }
    }
  });

  it('fails the smallest logit, a wrong count and labels outside the classes; accepts either class of a near-tie', async () => {
    const argmin = await verdictFor('predictLogistic', 0, 'pl', (args) => {
      const [{ weights, bias }, features] = args as Parameters<Impl['predictLogistic']>;
      return features.map((x) => {
        const z = weights.map((w, k) => bias[k] + w.reduce((s, v, j) => s + v * x[j], 0));
        return z.indexOf(Math.min(...z));
      });
    });
    expect(argmin.message).toMatch(/^row 0: you predicted \d, but class \d has the largest logit W·x \+ b$/);
    const [[{ weights, bias }, features]] = caseArgs('predictLogistic', 0, 'pl') as Array<Parameters<Impl['predictLogistic']>>;
    const right = reference.predictLogistic({ weights, bias }, features);
    const half = await verdictFor('predictLogistic', 0, 'pl', () => right.map((label, i) => (i === 3 ? label + 0.5 : label)));
    expect(half.message).toBe(`row 3: you predicted ${right[3] + 0.5}, but class ${right[3]} has the largest logit W·x + b`);
    expect((await verdictFor('predictLogistic', 0, 'pl', () => [0])).message).toBe('you returned 1 labels for 20 rows');
    expect((await verdictFor('predictLogistic', 0, 'pl', () => new Array<number>(20).fill(3))).score).toBe(0);
    expect((await verdictFor('predictLogistic', 0, 'pl', () => new Array<number>(20).fill(-1))).score).toBe(0);
    const noBias = contextFor('predictLogistic', 0, 'pl', (args) => predictNoBias.predictLogistic(...(args as Parameters<Impl['predictLogistic']>)));
    expect((await problemOf('predictLogistic').check(noBias)).score).toBe(0);
    expect(firing('predictLogistic', noBias)).toEqual(['predict-no-bias']);
    expect(firing('predictLogistic', contextFor('predictLogistic', 0, 'pl', () => new Array<number>(20).fill(0)))).toEqual([]);
    const check = problemOf('predictLogistic').check;
    const tie = (gap: number, answer: number) => check(caseContext([{ args: [{ weights: [[1], [1]], bias: [0, gap] }, [[2]]], output: [answer], expected: [gap > 0 ? 1 : 0] }], 'tie', false, 'tie'));
    expect((await tie(1e-12, 0)).score).toBe(1);
    expect((await tie(1e-12, 1)).score).toBe(1);
    expect((await tie(1e-6, 0)).score).toBe(0);
    expect((await tie(-1e-6, 0)).score).toBe(1);
    // Relative to the logits' size: 5e-9 apart at 10 is a near-tie, 5e-8 is not.
    const bigTie = (gap: number) => check(caseContext([{ args: [{ weights: [[5], [5]], bias: [0, gap] }, [[2]]], output: [0], expected: [1] }], 'tie', false, 'tie'));
    expect((await bigTie(5e-9)).score).toBe(1);
    expect((await bigTie(5e-8)).score).toBe(0);
  });
});

describe('fewShotClassify', () => {
  it('scores in proportion between the pixel baseline and the reference minus the slack', () => {
    expect(fewShotScore(0.7, 0.7, 0.5)).toBe(1);
    expect(fewShotScore(0.68, 0.7, 0.5)).toBe(1);
    expect(fewShotScore(0.6799, 0.7, 0.5)).toBeCloseTo(0.1799 / 0.18, 10);
    expect(fewShotScore(0.59, 0.7, 0.5)).toBeCloseTo(0.5, 10);
    expect(fewShotScore(0.5, 0.7, 0.5)).toBe(0);
    expect(fewShotScore(0.3, 0.7, 0.5)).toBe(0);
    // A reference barely above pixels: the span is at least 0.05.
    expect(fewShotScore(0.51, 0.56, 0.5)).toBeCloseTo(0.2, 10);
    expect(fewShotScore(0.6, 0.9, 0.5)).toBeCloseTo(0.1 / 0.38, 10);
    // Within the slack of a reference only just above pixels: full points, though the span's floor would give less.
    expect(fewShotScore(0.52, 0.53, 0.5)).toBe(1);
    expect(fewShotScore(0.7 - 0.02, 0.7, 0.66)).toBe(1);
    expect(fewShotScore(0.67, 0.7, 0.66)).toBeCloseTo(0.2, 10);
  });

  it('gives the reference and the nearest-class-mean alternative full points (the cosine one in transfer-alternatives.test.ts)', async () => {
    for (const index of [0, 1]) {
      for (const [name, impl] of Object.entries({ reference, loops })) {
        const verdict = await verdictFor('fewShotClassify', index, 'fs', (args) => {
          const [model, support, labels, queries] = args as Parameters<Impl['fewShotClassify']>;
          return impl.fewShotClassify(name === 'reference' ? model : freshModel(SOURCE_MODEL), support, labels, queries);
        });
        expect(verdict, `${name}: ${verdict.message}`).toMatchObject({ score: 1 });
        expect(verdict.message).toMatch(index === 0 ? /^mean accuracy over 5 episodes of 1 labelled image per digit: yours 0\.\d{3}, the reference's 0\.\d{3}, raw-pixel 1-NN 0\.\d{3}$/ : /^mean accuracy over 5 episodes of 5 labelled images per digit: /);
      }
    }
  }, 120_000);

  it('gives pixels none and the penultimate layer part; the softmax outputs get their hint', async () => {
    const pixels = await verdictFor('fewShotClassify', 0, 'fs', (args) => {
      const [, support, labels, queries] = args as Parameters<Impl['fewShotClassify']>;
      return reference.nearestNeighborPredict(support.reshape([-1, 784]).arraySync() as number[][], labels, queries.reshape([-1, 784]).arraySync() as number[][]);
    });
    expect(pixels.score).toBe(0);
    const penultimate = await verdictFor('fewShotClassify', 0, 'fs', (args) => {
      const [model, support, labels, queries] = args as Parameters<Impl['fewShotClassify']>;
      const extractor = reference.featureExtractor(model);
      return reference.nearestNeighborPredict(reference.extractFeatures(extractor, support), labels, reference.extractFeatures(extractor, queries));
    });
    expect(penultimate.score).toBeGreaterThan(0.2);
    expect(penultimate.score).toBeLessThan(1);
    const [, referenceAccuracy] = /the reference's (0\.\d{3})/.exec(penultimate.message)!;
    expect(penultimate.message).toContain(`. Full points from ${(Number(referenceAccuracy) - 0.02).toFixed(3)}, none at or below the pixels'; you earn ${(100 * penultimate.score).toFixed(0)} %.`);
    const softmax = contextFor('fewShotClassify', 0, 'fs', (args) => fewshotSoftmax.fewShotClassify(...(args as Parameters<Impl['fewShotClassify']>)));
    expect((await problemOf('fewShotClassify').check(softmax)).score).toBe(0);
    expect(firing('fewShotClassify', softmax)).toEqual(['fewshot-softmax']);
    // Softmax-like in one episode only: not this mistake.
    let call = 0;
    const once = contextFor('fewShotClassify', 0, 'fs', (args) => (call++ === 0 ? fewshotSoftmax : reference).fewShotClassify(...(args as Parameters<Impl['fewShotClassify']>)));
    expect(firing('fewShotClassify', once)).toEqual([]);
    const before = tf.memory().numTensors;
    await problemOf('fewShotClassify').check(once);
    expect(tf.memory().numTensors).toBe(before);
    expect(firing('fewShotClassify', contextFor('fewShotClassify', 0, 'fs', (args) => reference.fewShotClassify(...(args as Parameters<Impl['fewShotClassify']>))))).toEqual([]);
    const short = await verdictFor('fewShotClassify', 0, 'fs', () => [5]);
    expect(short.message).toBe('episode 1: you returned 1 labels for 100 query images');
  }, 120_000);

  it('draws episodes with the asked number of shots per digit and the truth the check replays', () => {
    const { support, queries } = episode(createRng('ep'), 2, 10);
    expect(support.labels).toEqual([5, 5, 6, 6, 7, 7, 8, 8, 9, 9]);
    expect(queries.x.shape).toEqual([10, 28, 28, 1]);
    tf.dispose([support.x, queries.x]);
  });
});
