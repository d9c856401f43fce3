// Gradient DESCENT: steps against the gradient of the objective (then clips to [0, 1]).
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';

export function activationMaximization(model: tf.LayersModel, layerName: string, unit: number, options: { steps: number; learningRate: number; l2: number; seed: number }): tf.Tensor4D {
  const random = seedrandom(String(options.seed));
  const net = tf.model({ inputs: model.inputs, outputs: model.getLayer(layerName).output });
  const h = (x: tf.Tensor): tf.Scalar => {
    const a = net.apply(x) as tf.Tensor;
    const perChannel = a.rank === 4 ? a.mean([1, 2]) : a;
    return perChannel.reshape([-1]).gather(unit).abs().sum<tf.Scalar>();
  };
  const gradient = tf.grad((x: tf.Tensor) => h(x).sub<tf.Scalar>(x.square().sum().mul(options.l2 / 2)));
  let x = tf.tensor4d(Float32Array.from({ length: 784 }, () => 0.1 * random()), [1, 28, 28, 1]);
  for (let step = 0; step < options.steps; step++) {
    const next = tf.tidy(() => tf.clipByValue(x.sub<tf.Tensor4D>(gradient(x).mul(options.learningRate)), 0, 1));
    x.dispose();
    x = next;
  }
  return x;
}
