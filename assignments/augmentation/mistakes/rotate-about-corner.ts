// Rotates about the top-left pixel (0, 0) instead of the centre.
export function rotate(img: number[][][], degrees: number, fill = 0): number[][][] {
  const theta = (degrees * Math.PI) / 180;
  return img.map((row, r) =>
    row.map((pixel, c) => {
      const [u, v] = [c, -r];
      const source = img[Math.round(-(-u * Math.sin(theta) + v * Math.cos(theta)))]?.[Math.round(u * Math.cos(theta) + v * Math.sin(theta))];
      return source ? [...source] : pixel.map(() => fill);
    }),
  );
}
