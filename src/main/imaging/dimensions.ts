import { ValidationError } from '../errors';

export interface Size {
  width: number;
  height: number;
}

/** The spec's two variants: dashboard thumbnails and medium "small" images. */
export const THUMBNAIL_SIZE: Readonly<Size> = { width: 200, height: 150 };
export const SMALL_SIZE: Readonly<Size> = { width: 800, height: 600 };

/** Decompression-bomb guard: frames above this many pixels are refused before decoding. */
export const DEFAULT_LIMIT_INPUT_PIXELS = 100_000_000;

/**
 * The largest size that fits inside `target` with the aspect ratio of
 * `source`, never larger than `source` (a small frame is not enlarged).
 * The limiting side gets the target exactly; the other side is rounded.
 */
export function calculateThumbnailDimensions(source: Size, target: Size): Size {
  assertSize(source, 'source');
  assertSize(target, 'target');
  const scaleX = target.width / source.width;
  const scaleY = target.height / source.height;
  if (scaleX >= 1 && scaleY >= 1) return { width: source.width, height: source.height };
  if (scaleX <= scaleY) {
    return { width: target.width, height: Math.max(1, Math.round(source.height * scaleX)) };
  }
  return { width: Math.max(1, Math.round(source.width * scaleY)), height: target.height };
}

function assertSize(size: Size, name: string): void {
  const valid = (n: number) => Number.isInteger(n) && n > 0;
  if (!valid(size.width) || !valid(size.height)) {
    throw new ValidationError(`${name} dimensions must be positive integers`, { [name]: size });
  }
}
