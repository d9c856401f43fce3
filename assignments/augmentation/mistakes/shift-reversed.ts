// Moves the content left for a positive dx and up for a positive dy.
export function shift(img: number[][][], dx: number, dy: number, fill = 0): number[][][] {
  return img.map((row, r) =>
    row.map((pixel, c) => {
      const source = img[r + dy]?.[c + dx];
      return source ? [...source] : pixel.map(() => fill);
    }),
  );
}
