// Mistake: the layers before the classifier are built anew from their configurations, so they
// have freshly initialised weights instead of the trained ones.
import * as tf from '@tensorflow/tfjs';

type LayerClass = new (config: unknown) => tf.layers.Layer;

export function featureExtractor(model: tf.LayersModel): tf.LayersModel {
  const rebuilt = tf.sequential();
  for (const layer of model.layers.slice(0, -1)) rebuilt.add(new (layer.constructor as LayerClass)(layer.getConfig()));
  return rebuilt;
}
