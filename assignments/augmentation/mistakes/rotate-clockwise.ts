// Turns clockwise on screen: the angle's sign is lost where rows grow downwards.
export function rotate(img: number[][][], degrees: number, fill = 0): number[][][] {
  const [cy, cx] = [(img.length - 1) / 2, (img[0].length - 1) / 2];
  const theta = (degrees * Math.PI) / 180;
  return img.map((row, r) =>
    row.map((pixel, c) => {
      const [x, y] = [c - cx, r - cy];
      const source = img[Math.round(cy - x * Math.sin(theta) + y * Math.cos(theta))]?.[Math.round(cx + x * Math.cos(theta) + y * Math.sin(theta))];
      return source ? [...source] : pixel.map(() => fill);
    }),
  );
}
