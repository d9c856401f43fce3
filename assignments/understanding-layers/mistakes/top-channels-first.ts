// Averages a convolutional layer's activations as if they were laid out [N, channels, height,
// width] (PyTorch's layout): over the last two axes, so "unit u" is a row of the feature map.
import * as tf from '@tensorflow/tfjs';

export function topActivatingInputs(model: tf.LayersModel, layerName: string, unit: number, images: tf.Tensor4D, k: number): number[] {
  const net = tf.model({ inputs: model.inputs, outputs: model.getLayer(layerName).output });
  const size = tf.tidy(() => {
    const a = net.predict(images) as tf.Tensor;
    const perUnit = a.rank === 4 ? a.mean([2, 3]) : a;
    return (perUnit.arraySync() as number[][]).map((row) => Math.abs(row[unit]));
  });
  const order = size.map((_, i) => i).sort((a, b) => size[b] - size[a] || a - b);
  return order.slice(0, k);
}
