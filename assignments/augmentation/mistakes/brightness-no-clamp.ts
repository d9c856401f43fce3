// Adds delta but lets values leave [0, 1].
export function adjustBrightness(img: number[][][], delta: number): number[][][] {
  return img.map((row) => row.map((pixel) => pixel.map((v) => v + delta)));
}
