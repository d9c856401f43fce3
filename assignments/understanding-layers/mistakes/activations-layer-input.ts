// Returns what goes INTO the named layer (the previous layer's output) instead of what comes out of it.
import * as tf from '@tensorflow/tfjs';

export function layerActivations(model: tf.LayersModel, layerName: string, images: tf.Tensor4D): tf.Tensor {
  const layers = model.layers;
  const index = layers.findIndex((layer) => layer.name === layerName);
  if (index === 0) return images.clone();
  const net = tf.model({ inputs: model.inputs, outputs: layers[index - 1].output });
  return net.predict(images) as tf.Tensor;
}
