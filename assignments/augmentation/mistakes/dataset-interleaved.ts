// Puts each image's copies right after it (image 0, its copies, image 1, its copies, …).
import seedrandom from 'seedrandom';

export function augmentDataset(images: number[][][][], labels: number[], copies: number, seed: number): { images: number[][][][]; labels: number[] } {
  const random = seedrandom(String(seed));
  const out: { images: number[][][][]; labels: number[] } = { images: [], labels: [] };
  images.forEach((img, i) => {
    out.images.push(img);
    out.labels.push(labels[i]);
    for (let copy = 1; copy <= copies; copy++) {
      // A shift by up to 2 pixels and a brightness change of up to 0.1.
      const [dx, dy] = [Math.floor(random() * 5) - 2, Math.floor(random() * 5) - 2];
      const delta = (2 * random() - 1) * 0.1;
      out.images.push(img.map((row, r) => row.map((pixel, c) => (img[r - dy]?.[c - dx] ?? pixel.map(() => 0)).map((v) => Math.min(1, Math.max(0, v + delta))))));
      out.labels.push(labels[i]);
    }
  });
  return out;
}
