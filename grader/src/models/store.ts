import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { MODELS_DIR } from './zoo.ts';

/**
 * Committed models on disk: grader/models/<name>/model.json (tfjs's own format: topology and
 * weight manifest), weights.bin (float32, little-endian) and card.json (how it was made and
 * what it measured). Read and written with tfjs's IO handlers (`tf.io.fromMemory`,
 * `tf.io.withSaveHandler`), so the files are exactly what `tf.loadLayersModel` reads.
 */

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';
export const CARD_FILE = 'card.json';

/** The data a model was trained and tested on, as every card records it. */
export const trainingDataSchema = z.strictObject({
  source: z.string(),
  trainImages: z.number().int().positive(),
  testImages: z.number().int().positive(),
  /** mnistChecksum of the train part (all digits), so a card names exactly the data. */
  trainSplitChecksum: z.string().regex(/^[0-9a-f]{64}$/),
  testSplitChecksum: z.string().regex(/^[0-9a-f]{64}$/),
});

export const modelCardSchema = z.strictObject({
  name: z.string(),
  description: z.string(),
  digits: z.array(z.number().int().min(0).max(9)),
  architecture: z.array(z.string()),
  parameters: z.number().int().positive(),
  weightBytes: z.number().int().positive(),
  training: z.strictObject({
    seed: z.string(),
    epochs: z.number().int().positive(),
    batchSize: z.number().int().positive(),
    learningRate: z.number().positive(),
    halveEvery: z.number().int().positive(),
    shift: z.number().int().min(0),
  }),
  data: trainingDataSchema,
  backend: z.string(),
  tfjsVersion: z.string(),
  trainingSeconds: z.number().nonnegative(),
  /** Per epoch: mean training loss and accuracy on the (augmented, dropped-out) batches. */
  epochs: z.array(z.strictObject({ loss: z.number(), accuracy: z.number() })),
  target: z.number().min(0).max(1),
  /** Accuracy on the test images of `digits`, measured after training on `backend`. */
  testAccuracy: z.number().min(0).max(1),
  trainedAt: z.string(),
});

export type ModelCard = z.infer<typeof modelCardSchema>;

/** A model file that is missing or unreadable: the message names the file and the reason. */
export class ModelLoadError extends Error {
  override name = 'ModelLoadError';
}

function readFile(file: string, what: string): Buffer {
  if (!existsSync(file)) throw new ModelLoadError(`${file}: ${what} is missing; run \`npm run train-models\` to create it.`);
  return readFileSync(file);
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ModelLoadError(`${file}: not valid JSON (${error instanceof Error ? error.message : String(error)}).`);
  }
}

export function modelDir(name: string, root = MODELS_DIR): string {
  return path.join(root, name);
}

/** Reads and validates a model's card. */
export function readCard(name: string, root = MODELS_DIR): ModelCard {
  const file = path.join(modelDir(name, root), CARD_FILE);
  const parsed = modelCardSchema.safeParse(parseJson(file, readFile(file, 'the model card').toString('utf8')));
  if (!parsed.success) throw new ModelLoadError(`${file}: not a valid model card: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/**
 * Loads a committed model from disk with tfjs's own loader. Every failure names the file:
 * a missing file, invalid JSON, a weight file of the wrong size, or tfjs's own complaint.
 */
export async function loadModel(name: string, root = MODELS_DIR): Promise<tf.LayersModel> {
  const dir = modelDir(name, root);
  const modelFile = path.join(dir, MODEL_FILE);
  const weightsFile = path.join(dir, WEIGHTS_FILE);
  const json = parseJson(modelFile, readFile(modelFile, 'the model topology').toString('utf8')) as {
    modelTopology?: unknown;
    weightsManifest?: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
  };
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new ModelLoadError(`${modelFile}: expected tfjs's layers-model format with "modelTopology" and "weightsManifest".`);
  }
  const weightSpecs = json.weightsManifest.flatMap((group) => group.weights);
  const bytes = readFile(weightsFile, 'the weight file');
  const expected = weightSpecs.reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (bytes.byteLength !== expected) {
    throw new ModelLoadError(`${weightsFile}: ${bytes.byteLength} bytes, but ${modelFile} describes ${expected} bytes of float32 weights.`);
  }
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  try {
    return await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology as tf.io.ModelArtifacts['modelTopology'], weightSpecs, weightData }));
  } catch (error) {
    throw new ModelLoadError(`${modelFile}: tfjs could not build the model (${error instanceof Error ? error.message : String(error)}).`);
  }
}

/** Writes a layers model as model.json and weights.bin (tfjs's own format) into `dir`. */
export async function writeLayersModel(model: tf.LayersModel, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler((artifacts) => {
      const weightData = artifacts.weightData;
      if (!(weightData instanceof ArrayBuffer)) throw new Error('writeLayersModel: expected the weights as one ArrayBuffer');
      writeFileSync(path.join(dir, WEIGHTS_FILE), new Uint8Array(weightData));
      const manifest = [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }];
      const json = { format: 'layers-model', generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`, convertedBy: null, modelTopology: artifacts.modelTopology, weightsManifest: manifest };
      writeFileSync(path.join(dir, MODEL_FILE), `${JSON.stringify(json)}\n`);
      return Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' as const, weightDataBytes: weightData.byteLength } });
    }),
  );
}

/** Writes model.json, weights.bin and card.json into grader/models/<card.name>/ (or `root`). */
export async function saveModel(model: tf.LayersModel, card: ModelCard, root = MODELS_DIR): Promise<string> {
  const dir = modelDir(card.name, root);
  await writeLayersModel(model, dir);
  writeFileSync(path.join(dir, CARD_FILE), `${JSON.stringify(modelCardSchema.parse(card), null, 2)}\n`);
  return dir;
}
