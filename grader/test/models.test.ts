import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnistSplit, mnistChecksum } from '../src/data/mnist.ts';
import { CARD_FILE, loadModel, MODEL_FILE, ModelLoadError, readCard, saveModel, WEIGHTS_FILE } from '../src/models/store.ts';
import { type AutoencoderSpec, buildAutoencoder, DIGITS_DAE, readAutoencoderCard, zooAutoencoder } from '../src/models/autoencoder.ts';
import { measureAutoencoder, saveAutoencoder, trainAutoencoder } from '../src/models/train-autoencoder.ts';
import { accuracyOn, testData, trainZooModel } from '../src/models/train.ts';
import { buildZooModel, describeArchitecture, MODELS_DIR, ZOO, type ZooModelSpec } from '../src/models/zoo.ts';
import { initTensorBackend } from '../src/tensor/backend.ts';
import { tempDir } from './helpers.ts';

/**
 * The committed model zoo (grader/models/): each model loads with tfjs's own loader, is the
 * architecture its card describes, was trained on the split the data module gives today, and
 * still reaches its card's accuracy and its target on the test images. A bad or stale artifact
 * fails here. Training itself is `npm run train-models`, not part of the tests.
 */

beforeAll(async () => {
  await initTensorBackend();
});

describe.each(ZOO.map((spec) => [spec.name, spec] as [string, ZooModelSpec]))('committed model %s', (name, spec) => {
  it('has a valid card that names today\'s data split and reaches the target', () => {
    const card = readCard(name);
    expect(card.name).toBe(name);
    expect(card.digits).toEqual(spec.digits);
    expect(card.training).toEqual(spec.training);
    expect(card.target).toBe(spec.target);
    expect(card.data.trainSplitChecksum).toBe(mnistChecksum(loadMnistSplit('train')));
    expect(card.data.testSplitChecksum).toBe(mnistChecksum(loadMnistSplit('test')));
    expect(card.testAccuracy).toBeGreaterThanOrEqual(spec.target);
    expect(card.weightBytes).toBeLessThan(1024 * 1024);
  });

  it('loads from disk and re-measures its card\'s test accuracy', async () => {
    const card = readCard(name);
    const model = await loadModel(name);
    try {
      expect(model.countParams()).toBe(card.parameters);
      // The committed artifact is the architecture zoo.ts builds today.
      const fresh = buildZooModel(spec);
      expect(describeArchitecture(model)).toEqual(describeArchitecture(fresh));
      expect(card.architecture).toEqual(describeArchitecture(fresh));
      fresh.dispose();
      expect(model.outputs[0].shape).toEqual([null, spec.digits.length]);
      const data = testData(spec);
      expect(data.count).toBe(card.data.testImages);
      const accuracy = accuracyOn(model, data);
      // Another backend (tfjs-node) may round a borderline image the other way: allow two images.
      expect(Math.abs(accuracy - card.testAccuracy)).toBeLessThanOrEqual(2 / data.count + 1e-12);
      expect(accuracy).toBeGreaterThanOrEqual(spec.target);
    } finally {
      model.dispose();
    }
  });
});

describe('loading a model that is broken', () => {
  const name = ZOO[0].name;
  const copy = (): string => {
    const root = tempDir({});
    mkdirSync(path.join(root, name));
    for (const file of [MODEL_FILE, WEIGHTS_FILE, CARD_FILE]) copyFileSync(path.join(MODELS_DIR, name, file), path.join(root, name, file));
    return root;
  };

  it('names the missing file and how to make it', async () => {
    const root = tempDir({});
    await expect(loadModel(name, root)).rejects.toThrow(`${path.join(root, name, MODEL_FILE)}: the model topology is missing; run \`npm run train-models\` to create it.`);
    expect(() => readCard(name, root)).toThrow(ModelLoadError);
  });

  it('names a weight file of the wrong size', async () => {
    const root = copy();
    writeFileSync(path.join(root, name, WEIGHTS_FILE), new Uint8Array(12));
    await expect(loadModel(name, root)).rejects.toThrow(new RegExp(`${path.join(root, name, WEIGHTS_FILE).replace(/[.]/g, '\\.')}: 12 bytes, but .* describes \\d+ bytes of float32 weights`));
  });

  it('names a file that is not JSON, and a card that is not a card', async () => {
    const root = copy();
    writeFileSync(path.join(root, name, MODEL_FILE), '{ not json');
    await expect(loadModel(name, root)).rejects.toThrow(`${path.join(root, name, MODEL_FILE)}: not valid JSON`);
    writeFileSync(path.join(root, name, CARD_FILE), JSON.stringify({ name }));
    expect(() => readCard(name, root)).toThrow(/card\.json: not a valid model card: description: /);
  });
});

describe('training', () => {
  it('is reproducible from the seed on one backend', async () => {
    // A small run of the real training code: one epoch on the 0s and 1s.
    const spec: ZooModelSpec = { name: 'tiny', description: 'test', digits: [0, 1], target: 0.9, training: { seed: 'tiny', epochs: 1, batchSize: 128, learningRate: 0.002, halveEvery: 1, shift: 2 } };
    const runs = [];
    const root = tempDir({});
    for (let i = 0; i < 2; i++) {
      const { model, card } = await trainZooModel(spec, { backend: tf.getBackend() });
      runs.push({ weights: model.getWeights().map((w) => Array.from(w.dataSync())), card });
      if (i === 0) {
        // What saveModel writes, loadModel reads back: the same weights and card.
        await saveModel(model, card, root);
        const loaded = await loadModel(spec.name, root);
        expect(loaded.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(runs[0].weights);
        expect(readCard(spec.name, root)).toEqual(card);
        loaded.dispose();
      }
      model.dispose();
    }
    expect(runs[1].weights).toEqual(runs[0].weights);
    expect(runs[1].card.epochs).toEqual(runs[0].card.epochs);
    expect(runs[0].card.testAccuracy).toBeGreaterThan(0.95);
    expect(runs[0].card.data.trainImages).toBe(800 + 901);
    // Math.random is the native one again after training (seedrandom's generators are named `prng`).
    expect(Math.random.name).toBe('random');
  });
});

describe(`the zoo's autoencoder ${DIGITS_DAE.name}`, () => {
  it("has a valid card that names today's data split and reaches its targets", () => {
    const card = readAutoencoderCard(DIGITS_DAE.name);
    expect(card.name).toBe(DIGITS_DAE.name);
    expect(card.training).toEqual(DIGITS_DAE.training);
    expect(card.target).toEqual(DIGITS_DAE.target);
    expect(card.data.trainSplitChecksum).toBe(mnistChecksum(loadMnistSplit('train')));
    expect(card.data.testSplitChecksum).toBe(mnistChecksum(loadMnistSplit('test')));
    expect(card.epochs).toHaveLength(DIGITS_DAE.training.epochs);
    expect(card.testReconstructionMse).toBeLessThanOrEqual(DIGITS_DAE.target.reconstructionMse);
    expect(card.testDenoisedMse).toBeLessThanOrEqual(DIGITS_DAE.target.denoisedMse);
  });

  it("loads (synchronously, as case generators need) as today's architecture and re-measures its card's errors", () => {
    const card = readAutoencoderCard(DIGITS_DAE.name);
    const model = zooAutoencoder();
    const fresh = buildAutoencoder(DIGITS_DAE);
    expect(describeArchitecture(model.encoder)).toEqual(card.encoder);
    expect(describeArchitecture(model.decoder)).toEqual(card.decoder);
    expect(card.encoder).toEqual(describeArchitecture(fresh.encoder));
    expect(card.decoder).toEqual(describeArchitecture(fresh.decoder));
    expect(model.encoder.countParams() + model.decoder.countParams()).toBe(card.parameters);
    // The committed weights, not the initial ones: the two differ.
    expect(Array.from(model.encoder.getWeights()[0].dataSync().slice(0, 5))).not.toEqual(Array.from(fresh.encoder.getWeights()[0].dataSync().slice(0, 5)));
    fresh.encoder.dispose();
    fresh.decoder.dispose();
    const measured = measureAutoencoder(model, loadMnistSplit('test'), DIGITS_DAE.training.noiseStd, `${DIGITS_DAE.training.seed}/test`);
    // Another backend (tfjs-node) rounds differently: 1 % of the error.
    expect(Math.abs(measured.reconstructionMse - card.testReconstructionMse)).toBeLessThanOrEqual(0.01 * card.testReconstructionMse);
    expect(Math.abs(measured.denoisedMse - card.testDenoisedMse)).toBeLessThanOrEqual(0.01 * card.testDenoisedMse);
  });

  it('trains reproducibly from its seed on one backend, and saves what it trained', async () => {
    const spec: AutoencoderSpec = { ...DIGITS_DAE, name: 'tiny-dae', bottleneck: 4, hidden: 16, training: { ...DIGITS_DAE.training, epochs: 1, batchSize: 512 } };
    const root = tempDir({});
    const runs = [];
    for (let i = 0; i < 2; i++) {
      const { model, card } = await trainAutoencoder(spec, { backend: tf.getBackend() });
      runs.push({ weights: [...model.encoder.getWeights(), ...model.decoder.getWeights()].map((w) => Array.from(w.dataSync())), card });
      if (i === 0) {
        await saveAutoencoder(model, card, root);
        expect(readAutoencoderCard(spec.name, root)).toEqual(card);
        const loaded = zooAutoencoder(spec, root);
        expect([...loaded.encoder.getWeights(), ...loaded.decoder.getWeights()].map((w) => Array.from(w.dataSync()))).toEqual(runs[0].weights);
      }
      model.encoder.dispose();
      model.decoder.dispose();
    }
    expect(runs[1].weights).toEqual(runs[0].weights);
    expect(runs[1].card.epochs).toEqual(runs[0].card.epochs);
    expect(runs[0].card.epochs[0]).toBeLessThan(0.25);
  });
});
