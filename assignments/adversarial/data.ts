import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../grader/src/cases/rng.ts';
import { MNIST_PIXELS, MNIST_SIDE } from '../../grader/src/data/mnist.ts';
import { zoo } from '../../grader/src/models/resident.ts';
import { type ClassData, testData } from '../../grader/src/models/train.ts';
import { zooModel } from '../../grader/src/models/zoo.ts';

/**
 * The inputs of the adversarial cases: a committed zoo model (digits-cnn, or digits04-cnn in
 * hidden cases) and test-split MNIST images of its digits.
 *
 * The models come from grader/src/models/resident.ts, built once per process.
 */
export type ModelName = 'digits-cnn' | 'digits04-cnn';

export { zoo };

const data = new Map<string, ClassData>();

function testImages(name: ModelName): ClassData {
  let found = data.get(name);
  if (!found) data.set(name, (found = testData(zooModel(name))));
  return found;
}

const predictions = new Map<string, Int32Array>();

/**
 * The model's predicted class for every test image of its digits, computed once per process
 * and backend (about 3,000 images for both models, in batches of 256) rather than for the
 * images each case looks at: choosing a case's images predicted 256 or more images per case,
 * 3.8 s of a 25 s grading.
 */
function predictedClasses(name: ModelName): Int32Array {
  const key = `${name}@${tf.getBackend()}`;
  let found = predictions.get(key);
  if (!found) {
    const model = zoo(name);
    const all = testImages(name);
    found = new Int32Array(all.count);
    for (let start = 0; start < all.count; start += 256) {
      const n = Math.min(256, all.count - start);
      const batch = tf.tidy(() => (model.predict(tf.tensor4d(all.images.subarray(start * MNIST_PIXELS, (start + n) * MNIST_PIXELS), [n, MNIST_SIDE, MNIST_SIDE, 1])) as tf.Tensor).argMax(-1).dataSync());
      found.set(batch, start);
    }
    predictions.set(key, found);
  }
  return found;
}

export interface Batch {
  x: tf.Tensor4D;
  labels: number[];
}

/**
 * `count` test images drawn without replacement by `rng`; with `misclassified` > 0 that many of
 * them are images the model gets wrong (the rest it gets right). Attacks are given only
 * images the model classifies correctly, so a lower accuracy is the attack's doing.
 */
export function testBatch(rng: Rng, name: ModelName, count: number, misclassified = 0): Batch {
  const all = testImages(name);
  const predicted = predictedClasses(name);
  const order = Array.from({ length: all.count }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const right: number[] = [];
  const wrong: number[] = [];
  for (const id of order) {
    if (right.length >= count - misclassified && wrong.length >= misclassified) break;
    if (predicted[id] === all.classes[id]) {
      if (right.length < count - misclassified) right.push(id);
    } else if (wrong.length < misclassified) wrong.push(id);
  }
  if (wrong.length < misclassified) throw new Error(`only ${wrong.length} test images are misclassified by ${name}; asked for ${misclassified}`);
  // The wrong ones are spread among the right ones, at places the rng chooses.
  const chosen = [...right];
  for (const id of wrong) chosen.splice(rng.int(0, chosen.length), 0, id);
  const images = new Float32Array(chosen.length * MNIST_PIXELS);
  chosen.forEach((id, k) => images.set(all.images.subarray(id * MNIST_PIXELS, (id + 1) * MNIST_PIXELS), k * MNIST_PIXELS));
  return { x: tf.tensor4d(images, [chosen.length, MNIST_SIDE, MNIST_SIDE, 1]), labels: chosen.map((id) => all.classes[id]) };
}
