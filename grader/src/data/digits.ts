import type { Rng } from '../cases/rng.ts';

/**
 * Procedurally drawn handwritten-like digits, so an assignment can use "MNIST-like" data
 * (eigen-digits, reconstruction error against k) without shipping or downloading MNIST.
 * Every image comes from the random source alone, so a case is reproducible from its seed.
 */
export interface Digits {
  /** `count` images, each size × size values in [0, 1] (1 = ink), flattened row-major. */
  images: number[][];
  /** The digit 0–9 drawn in each image. */
  labels: number[];
  size: number;
}

type Point = readonly [number, number];
/** A pen stroke: a polyline in the unit box, x to the right and y downwards. */
type Stroke = Point[];

/**
 * Points on an elliptical arc centred at (cx, cy). Angles are in degrees, measured
 * counter-clockwise as on paper (so 90° is the top even though y grows downwards).
 */
function arc(cx: number, cy: number, rx: number, ry: number, fromDeg: number, toDeg: number): Stroke {
  const steps = Math.max(4, Math.ceil(Math.abs(toDeg - fromDeg) / 12));
  const points: Point[] = [];
  for (let i = 0; i <= steps; i++) {
    const angle = ((fromDeg + ((toDeg - fromDeg) * i) / steps) * Math.PI) / 180;
    points.push([cx + rx * Math.cos(angle), cy - ry * Math.sin(angle)]);
  }
  return points;
}

/**
 * The skeleton of each digit. Each takes the random source to pick between the common
 * ways of writing it (a 7 with or without a bar, an open or closed 4) and to vary
 * proportions, which the affine jitter alone cannot do (it moves a loop only with the
 * whole digit).
 */
const SKELETONS: ReadonlyArray<(rng: Rng) => Stroke[]> = [
  // 0: one oval, sometimes with a little overlap where the pen closes it.
  (rng) => {
    const rx = rng.uniform(0.22, 0.3);
    return [arc(0.5, 0.5, rx, rng.uniform(0.36, 0.42), 100, 100 + 360 + rng.uniform(0, 20))];
  },
  // 1: a stroke, usually with a flag, sometimes with a foot.
  (rng) => {
    const top: Point = [0.52 + rng.uniform(-0.03, 0.05), 0.1];
    const strokes: Stroke[] = [[top, [0.5, 0.9]]];
    if (rng.next() < 0.7) strokes.push([[top[0] - rng.uniform(0.12, 0.2), 0.1 + rng.uniform(0.1, 0.18)], top]);
    if (rng.next() < 0.25) strokes.push([[0.36, 0.9], [0.66, 0.9]]);
    return strokes;
  },
  // 2: a hook, a diagonal to the bottom left, a base line.
  (rng) => {
    const hook = arc(0.5, 0.32, rng.uniform(0.2, 0.25), rng.uniform(0.18, 0.23), 160, -35);
    const corner: Point = [0.24 + rng.uniform(-0.03, 0.03), 0.88];
    return [[...hook, corner, [0.78 + rng.uniform(-0.04, 0.06), 0.88 + rng.uniform(-0.03, 0.02)]]];
  },
  // 3: two bowls open to the left.
  (rng) => {
    const waist = 0.48 + rng.uniform(-0.04, 0.04);
    const upperR = (waist - 0.1) / 2;
    const lowerR = (0.9 - waist) / 2;
    return [
      [
        ...arc(0.48, 0.1 + upperR, rng.uniform(0.18, 0.22), upperR, 150, -90),
        ...arc(0.48, waist + lowerR, rng.uniform(0.22, 0.26), lowerR, 90, -150),
      ],
    ];
  },
  // 4: closed (a triangle-like top) or open (two strokes).
  (rng) => {
    const bar = 0.62 + rng.uniform(-0.05, 0.05);
    const stemX = 0.62 + rng.uniform(-0.04, 0.04);
    if (rng.next() < 0.5) {
      return [
        [[stemX, 0.1], [0.2, bar], [0.82, bar]],
        [[stemX, 0.1], [stemX, 0.9]],
      ];
    }
    return [
      [[0.3, 0.1], [0.24, bar], [0.82, bar]],
      [[stemX, 0.3], [stemX, 0.9]],
    ];
  },
  // 5: a flag, a short down stroke, and a belly.
  (rng) => {
    const bellyR = rng.uniform(0.22, 0.26);
    const belly = arc(0.48, 0.9 - bellyR * 1.1, bellyR, bellyR * 1.1, 140, -150);
    return [
      [[0.76 + rng.uniform(-0.04, 0.04), 0.1], [0.34, 0.1], belly[0], ...belly.slice(1)],
    ];
  },
  // 6: a long curve down from the top right into a loop at the bottom.
  (rng) => {
    const loopR = rng.uniform(0.19, 0.23);
    const cy = 0.9 - loopR;
    const descent = arc(0.62, cy, 0.38, cy - 0.1, 70 + rng.uniform(0, 15), 180);
    return [[...descent, ...arc(0.5, cy, loopR, loopR, 180, 180 + 360)]];
  },
  // 7: a top bar and a diagonal, sometimes with a middle bar.
  (rng) => {
    const foot: Point = [0.42 + rng.uniform(-0.08, 0.06), 0.9];
    const strokes: Stroke[] = [[[0.2, 0.1 + rng.uniform(0, 0.05)], [0.8, 0.1], foot]];
    if (rng.next() < 0.3) strokes.push([[0.4, 0.52], [0.74, 0.5]]);
    return strokes;
  },
  // 8: a small loop on a larger one.
  (rng) => {
    const waist = 0.46 + rng.uniform(-0.04, 0.04);
    const upperR = (waist - 0.1) / 2;
    const lowerR = (0.9 - waist) / 2;
    return [
      arc(0.5, 0.1 + upperR, rng.uniform(0.15, 0.2), upperR, 0, 360),
      arc(0.5, waist + lowerR, rng.uniform(0.2, 0.25), lowerR, 0, 360),
    ];
  },
  // 9: a loop at the top and a stem from its right side, straight or slightly curved.
  (rng) => {
    const loopR = rng.uniform(0.19, 0.23);
    const cy = 0.1 + loopR;
    const right = 0.5 + loopR;
    const foot: Point = [right - rng.uniform(0, 0.12), 0.9];
    return [[...arc(0.5, cy, loopR, loopR, 0, 360), [right, cy + 0.15], foot]];
  },
];

/** Distance from (px, py) to the segment a–b. */
function segmentDistance(px: number, py: number, a: Point, b: Point): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const lengthSquared = dx * dx + dy * dy;
  const t = lengthSquared === 0 ? 0 : Math.min(1, Math.max(0, ((px - a[0]) * dx + (py - a[1]) * dy) / lengthSquared));
  return Math.hypot(px - (a[0] + t * dx), py - (a[1] + t * dy));
}

/**
 * One random affine map about the box centre (rotation, shear, anisotropic scale,
 * translation) plus a gentle smooth wobble, so two samples of a digit differ the way two
 * people's handwriting does rather than by pixel noise.
 */
function randomDistortion(rng: Rng): (p: Point) => Point {
  const angle = rng.uniform(-0.18, 0.18);
  const shear = rng.uniform(-0.28, 0.22);
  const sx = rng.uniform(0.8, 1.08);
  const sy = rng.uniform(0.85, 1.08);
  const tx = rng.uniform(-0.06, 0.06);
  const ty = rng.uniform(-0.05, 0.05);
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const wobble = Array.from({ length: 2 }, () => ({
    fx: rng.uniform(2, 5),
    fy: rng.uniform(2, 5),
    phase: rng.uniform(0, 2 * Math.PI),
    ax: rng.uniform(-0.025, 0.025),
    ay: rng.uniform(-0.025, 0.025),
  }));
  return ([x, y]) => {
    let u = x - 0.5;
    let v = y - 0.5;
    for (const w of wobble) {
      const s = Math.sin(w.fx * x + w.fy * y + w.phase);
      u += w.ax * s;
      v += w.ay * s;
    }
    u = sx * (u + shear * v);
    v = sy * v;
    return [0.5 + tx + cos * u - sin * v, 0.5 + ty + sin * u + cos * v];
  };
}

/**
 * Draws the strokes at `size` pixels. Ink falls off linearly over one pixel at the pen's
 * edge, which is a box-filter approximation of anti-aliasing and keeps edges smooth enough
 * for PCA to see shapes, not staircases.
 */
function rasterize(strokes: Stroke[], size: number, halfWidth: number): number[] {
  // The unit box maps to the middle 80 % of the image, like MNIST's padded digits.
  const margin = size * 0.1;
  const span = size - 2 * margin;
  const segments: Array<[Point, Point]> = [];
  for (const stroke of strokes) {
    const pixels = stroke.map(([x, y]): Point => [margin + x * span, margin + y * span]);
    for (let i = 1; i < pixels.length; i++) segments.push([pixels[i - 1], pixels[i]]);
    if (pixels.length === 1) segments.push([pixels[0], pixels[0]]);
  }
  const image = new Array<number>(size * size);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      let nearest = Infinity;
      for (const [a, b] of segments) nearest = Math.min(nearest, segmentDistance(c + 0.5, r + 0.5, a, b));
      image[r * size + c] = Math.min(1, Math.max(0, halfWidth + 0.5 - nearest));
    }
  }
  return image;
}

/**
 * `count` digit images with labels balanced to within one (each of 0–9 appears
 * floor(count/10) or ceil(count/10) times) in a random order. All randomness comes from
 * `rng`, in a fixed order, so the same seed gives the same images.
 */
export function generateDigits(rng: Rng, count: number, options: { size?: number } = {}): Digits {
  const size = options.size ?? 16;
  if (!Number.isInteger(count) || count < 0) throw new Error(`generateDigits: count must be a non-negative integer (got ${count}).`);
  if (!Number.isInteger(size) || size < 8) throw new Error(`generateDigits: size must be an integer ≥ 8 (got ${size}).`);
  const labels = Array.from({ length: count }, (_, i) => i % 10);
  for (let i = count - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [labels[i], labels[j]] = [labels[j], labels[i]];
  }
  const images = labels.map((label) => {
    const strokes = SKELETONS[label](rng);
    const distort = randomDistortion(rng);
    // Pen widths relative to a 16-pixel image, so other sizes look the same, only finer.
    const halfWidth = (rng.uniform(0.55, 1.05) * size) / 16;
    return rasterize(
      strokes.map((stroke) => stroke.map(distort)),
      size,
      halfWidth,
    );
  });
  return { images, labels, size };
}
