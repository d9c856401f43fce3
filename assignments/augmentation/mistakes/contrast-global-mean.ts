// Scales about the mean of all values of all channels together, not each channel's own.
export function adjustContrast(img: number[][][], factor: number): number[][][] {
  const values = img.flat(2);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return img.map((row) => row.map((pixel) => pixel.map((v) => Math.min(1, Math.max(0, mean + factor * (v - mean))))));
}
