import sharp from 'sharp';
import { InvalidImageError, type FrameDefect } from './image-errors';
import type { FrameFormat } from './image-format';
import { DEFAULT_LIMIT_INPUT_PIXELS } from './dimensions';
import { decodeFailure, inspectImage, readImageBytes, type ImageHeader } from './image-input';
import { trimmedDeviation } from './uniformity';

export interface ValidateOptions {
  /**
   * 'header' runs only the byte-level checks (signature, header, end marker,
   * pixel limit, size): well under a millisecond. 'pixels' (default) also
   * decodes a 32×32 preview through shrink-on-load, which catches corrupt
   * entropy data and flat "no signal" frames, at the cost of reading every
   * compressed byte.
   */
  depth?: 'header' | 'pixels';
  limitInputPixels?: number;
  /** Smallest frame accepted, either way round (default 160×120). */
  minWidth?: number;
  minHeight?: number;
  /** Below this trimmed deviation (0–255) a frame is uniform (default 2). */
  uniformThreshold?: number;
}

export type FrameVerdict =
  | {
      ok: true;
      format: FrameFormat;
      /** As displayed, after EXIF orientation. */
      width: number;
      height: number;
      /** Bytes of the encoded frame. */
      size: number;
      /** The preview's trimmed deviation; null at depth 'header'. */
      deviation: number | null;
    }
  | { ok: false; reason: FrameDefect; message: string; details: Record<string, unknown> };

const PREVIEW_SIZE = 32;
const DEFAULT_MIN_WIDTH = 160;
const DEFAULT_MIN_HEIGHT = 120;
const DEFAULT_UNIFORM_THRESHOLD = 2;

/**
 * Is this a usable camera frame? A path or the bytes themselves (capture has
 * them before writing). Bad frames get a verdict with a reason; only I/O
 * failures other than "missing" are thrown (as transient ImageProcessingError).
 */
export async function validateFrame(
  input: string | Uint8Array,
  options: ValidateOptions = {},
): Promise<FrameVerdict> {
  const limitInputPixels = options.limitInputPixels ?? DEFAULT_LIMIT_INPUT_PIXELS;
  try {
    const bytes = await readImageBytes(input);
    const header = await inspectImage(bytes, limitInputPixels);
    assertCameraSized(
      header,
      options.minWidth ?? DEFAULT_MIN_WIDTH,
      options.minHeight ?? DEFAULT_MIN_HEIGHT,
    );
    const deviation =
      options.depth === 'header' ? null : await previewDeviation(bytes, limitInputPixels);
    const threshold = options.uniformThreshold ?? DEFAULT_UNIFORM_THRESHOLD;
    if (deviation !== null && deviation < threshold) {
      throw new InvalidImageError('uniform', 'The frame is a flat colour (no signal?)', {
        deviation,
        threshold,
      });
    }
    return {
      ok: true,
      format: header.format,
      width: header.width,
      height: header.height,
      size: header.size,
      deviation,
    };
  } catch (error) {
    if (error instanceof InvalidImageError) {
      return { ok: false, reason: error.reason, message: error.message, details: error.details };
    }
    throw error;
  }
}

function assertCameraSized(header: ImageHeader, minWidth: number, minHeight: number): void {
  const [shortSide, longSide] = [header.width, header.height].sort((a, b) => a - b) as [
    number,
    number,
  ];
  if (shortSide < Math.min(minWidth, minHeight) || longSide < Math.max(minWidth, minHeight)) {
    throw new InvalidImageError(
      'too_small',
      `The image is ${header.width}×${header.height}, smaller than a camera frame`,
      {
        width: header.width,
        height: header.height,
        min_width: minWidth,
        min_height: minHeight,
      },
    );
  }
}

/** Decodes a tiny preview (failOn 'warning' sees every entropy-coded byte) and measures it. */
async function previewDeviation(bytes: Buffer, limitInputPixels: number): Promise<number> {
  try {
    const { data, info } = await sharp(bytes, {
      failOn: 'warning',
      limitInputPixels,
      sequentialRead: true,
    })
      .resize(PREVIEW_SIZE, PREVIEW_SIZE, { fit: 'fill' })
      .flatten()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    return trimmedDeviation(data, info.channels);
  } catch (error) {
    throw decodeFailure(error);
  }
}
