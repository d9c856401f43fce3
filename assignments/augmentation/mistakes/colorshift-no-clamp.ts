// Adds each channel's shift but lets values leave [0, 1].
export function colorShift(img: number[][][], shifts: number[]): number[][][] {
  return img.map((row) => row.map((pixel) => pixel.map((v, ch) => v + shifts[ch])));
}
