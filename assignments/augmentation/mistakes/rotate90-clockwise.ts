// Quarter turns clockwise: the top-left corner moves to the top right.
export function rotate90(img: number[][][], times: number): number[][][] {
  let out = img.map((row) => row.map((pixel) => [...pixel]));
  for (let turn = 0; turn < (((times % 4) + 4) % 4); turn++) {
    const height = out.length;
    const before = out;
    out = Array.from({ length: before[0].length }, (_, r) => Array.from({ length: height }, (_, c) => [...before[height - 1 - c][r]]));
  }
  return out;
}
