// Stores every code value as a float32 whatever `bits` says: 32 bits a value, not `bits`.
import * as tf from '@tensorflow/tfjs';

type Autoencoder = { encoder: tf.LayersModel; decoder: tf.LayersModel };

export function compress(model: Autoencoder, images: tf.Tensor4D, bits: number): Uint8Array {
  void bits;
  const encoded = model.encoder.predict(images) as tf.Tensor2D;
  const codes = Float32Array.from(encoded.dataSync());
  encoded.dispose();
  return new Uint8Array(codes.buffer);
}

export function decompress(model: Autoencoder, bytes: Uint8Array, count: number, bits: number): tf.Tensor4D {
  void bits;
  const codes = new Float32Array(bytes.slice().buffer);
  return tf.tidy(() => model.decoder.predict(tf.tensor2d(codes, [count, codes.length / count])) as tf.Tensor4D);
}
