// Content that leaves one side comes back in on the other (a roll), instead of the fill.
export function shift(img: number[][][], dx: number, dy: number, _fill = 0): number[][][] {
  const [height, width] = [img.length, img[0].length];
  const wrap = (i: number, n: number) => ((i % n) + n) % n;
  return img.map((row, r) => row.map((_, c) => [...img[wrap(r - dy, height)][wrap(c - dx, width)]]));
}
