import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { MODEL_FILE, modelDir, WEIGHTS_FILE } from './store.ts';
import { buildZooModel, zooModel } from './zoo.ts';

/**
 * Zoo models for case generators and checks, which are synchronous: tfjs's own loader is not,
 * so a model is rebuilt from today's architecture (buildZooModel) and given the committed
 * weights by name with `loadWeights`, which is synchronous. models.test.ts checks that every
 * committed model matches today's architecture, so the two agree. Each model is built once
 * per process and backend: its weights are tf.Variables, which a case's tfjs scope does not
 * dispose, and nothing in grading disposes argument models (the reference gets the same
 * object, and may not dispose it).
 */
const models = new Map<string, tf.LayersModel>();

/** Gives `model` the weights committed in `dir` (model.json's manifest and weights.bin), by name, synchronously. */
export function loadWeightsSync(model: tf.LayersModel, dir: string): void {
  const json = JSON.parse(readFileSync(path.join(dir, MODEL_FILE), 'utf8')) as { weightsManifest: Array<{ weights: tf.io.WeightsManifestEntry[] }> };
  const specs = json.weightsManifest.flatMap((group) => group.weights);
  const bytes = readFileSync(path.join(dir, WEIGHTS_FILE));
  const weights = tf.tidy(() => tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), specs));
  model.loadWeights(weights);
  for (const w of Object.values(weights)) w.dispose();
}

export function zoo(name: string): tf.LayersModel {
  const key = `${name}@${tf.getBackend()}`;
  let model = models.get(key);
  if (!model) {
    model = buildZooModel(zooModel(name));
    loadWeightsSync(model, modelDir(name));
    models.set(key, model);
  }
  return model;
}
