// Mistake: the "extractor" is the whole network, so its features are the classifier's softmax probabilities.
import * as tf from '@tensorflow/tfjs';

export function featureExtractor(model: tf.LayersModel): tf.LayersModel {
  return tf.model({ inputs: model.inputs, outputs: model.outputs });
}
