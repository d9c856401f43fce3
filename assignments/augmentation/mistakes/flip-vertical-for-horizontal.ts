// Mirrors top to bottom (the rows) when asked for a horizontal flip.
export function flipHorizontal(img: number[][][]): number[][][] {
  return img.map((_, r) => img[img.length - 1 - r].map((pixel) => [...pixel]));
}
