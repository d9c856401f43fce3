// Ranks the images by the signed activation h instead of its size |h|.
import * as tf from '@tensorflow/tfjs';

export function topActivatingInputs(model: tf.LayersModel, layerName: string, unit: number, images: tf.Tensor4D, k: number): number[] {
  const net = tf.model({ inputs: model.inputs, outputs: model.getLayer(layerName).output });
  const h = tf.tidy(() => {
    const a = net.predict(images) as tf.Tensor;
    const perChannel = a.rank === 4 ? a.mean([1, 2]) : a;
    return (perChannel.arraySync() as number[][]).map((row) => row[unit]);
  });
  const order = h.map((_, i) => i).sort((a, b) => h[b] - h[a] || a - b);
  return order.slice(0, k);
}
