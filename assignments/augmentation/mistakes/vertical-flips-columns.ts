// Mirrors left to right (the columns) when asked for a vertical flip.
export function flipVertical(img: number[][][]): number[][][] {
  return img.map((row) => row.map((_, c) => [...row[row.length - 1 - c]]));
}
