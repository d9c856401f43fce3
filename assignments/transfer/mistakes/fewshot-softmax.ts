// Mistake: nearest neighbour on the classifier's softmax outputs. They only say how much a digit
// looks like a 0, 1, 2, 3 or 4, which tells 5–9 apart worse than raw pixels do.
import * as tf from '@tensorflow/tfjs';

type Matrix = number[][];

function probabilities(model: tf.LayersModel, images: tf.Tensor4D): Matrix {
  return tf.tidy(() => (model.predict(images) as tf.Tensor).arraySync() as Matrix);
}

export function fewShotClassify(model: tf.LayersModel, supportImages: tf.Tensor4D, supportLabels: number[], queryImages: tf.Tensor4D): number[] {
  const support = probabilities(model, supportImages);
  return probabilities(model, queryImages).map((q) => {
    let best = 0;
    let bestDistance = Infinity;
    support.forEach((row, i) => {
      const d = row.reduce((sum, v, j) => sum + (v - q[j]) ** 2, 0);
      if (d < bestDistance) {
        best = i;
        bestDistance = d;
      }
    });
    return supportLabels[best];
  });
}
