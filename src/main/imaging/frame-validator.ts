import { createHash } from 'node:crypto';
import type { FrameFlag } from '../../shared/contract';
import { InvalidImageError, type FrameDefect } from './image-errors';
import type { FrameFormat } from './image-format';
import { DEFAULT_LIMIT_INPUT_PIXELS } from './dimensions';
import { decodePreview } from './frame-preview';
import { inspectImage, readImageBytes, type ImageHeader } from './image-input';
import { isFlat, type Flatness } from './uniformity';

export interface ValidateOptions {
  /**
   * 'header' runs only the byte-level checks (signature, header, end marker,
   * pixel limit, size): well under a millisecond. 'pixels' (default) also
   * decodes the whole frame small through shrink-on-load, which catches
   * corrupt entropy data and flat "no signal" frames, at the cost of reading
   * every compressed byte.
   */
  depth?: 'header' | 'pixels';
  limitInputPixels?: number;
  /** Smallest frame that does not look wrong, either way round (default 160×120). */
  minWidth?: number;
  minHeight?: number;
}

/** Why a frame that is a real image looks wrong: it is kept, with this on its row. */
export interface FrameFlagging {
  reason: FrameFlag;
  message: string;
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
      /** SHA-256 of the bytes as received (hex): how a library recognises a frame it holds. */
      contentHash: string;
      /** Null when the frame looks like a camera frame. */
      flag: FrameFlagging | null;
      /** The preview's flatness; null at depth 'header'. */
      flatness: Flatness | null;
    }
  | { ok: false; reason: FrameDefect; message: string; details: Record<string, unknown> };

const DEFAULT_MIN_WIDTH = 160;
const DEFAULT_MIN_HEIGHT = 120;

/**
 * Is this a camera frame, and does it look like one? A path or the bytes
 * themselves (capture has them before writing). What is not a frame at all
 * (empty, not an image, truncated, corrupt data, over the limits) gets a
 * refusal with its reason; a real image that looks wrong (flat, too small)
 * passes with a flag, so it can be kept. Only I/O failures other than
 * "missing" are thrown (as transient ImageProcessingError).
 */
export async function validateFrame(
  input: string | Uint8Array,
  options: ValidateOptions = {},
): Promise<FrameVerdict> {
  const limitInputPixels = options.limitInputPixels ?? DEFAULT_LIMIT_INPUT_PIXELS;
  try {
    const bytes = await readImageBytes(input);
    const header = await inspectImage(bytes, limitInputPixels);
    const flatness = options.depth === 'header' ? null : await decodePreview(bytes, header);
    return {
      ok: true,
      format: header.format,
      width: header.width,
      height: header.height,
      size: header.size,
      contentHash: createHash('sha256').update(bytes).digest('hex'),
      flag: sizeFlag(header, options) ?? flatFlag(flatness),
      flatness,
    };
  } catch (error) {
    if (error instanceof InvalidImageError) {
      return { ok: false, reason: error.reason, message: error.message, details: error.details };
    }
    throw error;
  }
}

function sizeFlag(header: ImageHeader, options: ValidateOptions): FrameFlagging | null {
  const minWidth = options.minWidth ?? DEFAULT_MIN_WIDTH;
  const minHeight = options.minHeight ?? DEFAULT_MIN_HEIGHT;
  const [shortSide, longSide] = [header.width, header.height].sort((a, b) => a - b) as [
    number,
    number,
  ];
  if (shortSide >= Math.min(minWidth, minHeight) && longSide >= Math.max(minWidth, minHeight))
    return null;
  return {
    reason: 'too_small',
    message: `The image is ${header.width}×${header.height}, smaller than a camera frame (${minWidth}×${minHeight})`,
  };
}

function flatFlag(flatness: Flatness | null): FrameFlagging | null {
  if (!flatness || !isFlat(flatness)) return null;
  const share = Math.round(flatness.detail_rows * 100);
  return {
    reason: 'uniform',
    message: `The frame is one flat colour (${share} % of its rows hold anything else): no signal?`,
  };
}
