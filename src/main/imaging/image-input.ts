import sharp from 'sharp';
import { DEFAULT_LIMIT_INPUT_PIXELS } from './dimensions';
import { readFrameFile, withFrameFile } from './frame-file';
import { ImageProcessingError, InvalidImageError, type ImageError } from './image-errors';
import {
  END_BYTES,
  endsOf,
  hasCompleteEnding,
  sniffFormat,
  type FileEnds,
  type FrameFormat,
} from './image-format';

export interface ImageHeader {
  format: FrameFormat;
  /** Dimensions after EXIF orientation, i.e. as the frame is shown. */
  width: number;
  height: number;
  /** Bytes of the encoded file. */
  size: number;
}

/**
 * The bytes of a frame. Missing, empty or oversized inputs become permanent
 * errors; other I/O failures (EMFILE, EIO, EACCES) transient ones.
 */
export async function readImageBytes(input: string | Uint8Array): Promise<Buffer> {
  const bytes = typeof input === 'string' ? await readFrameFile(input) : toBuffer(input);
  if (bytes.length === 0) throw emptyImage();
  return bytes;
}

const emptyImage = () => new InvalidImageError('empty', 'The image file is empty (0 bytes)');

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The checks that need no pixel decode (well under a millisecond): a known
 * format by its signature, a complete ending, a parsable header, and a pixel
 * count under the bomb limit. Throws InvalidImageError.
 */
export async function inspectImage(
  bytes: Buffer,
  limitInputPixels = DEFAULT_LIMIT_INPUT_PIXELS,
): Promise<ImageHeader> {
  return inspect(endsOf(bytes), bytes, limitInputPixels);
}

/**
 * inspectImage for a file, reading only its ends: the decoder reads the rest
 * itself, so a 4K frame is not copied into memory twice.
 */
export async function inspectFile(
  path: string,
  limitInputPixels = DEFAULT_LIMIT_INPUT_PIXELS,
): Promise<ImageHeader> {
  const ends = await withFrameFile(path, async (handle, size) => {
    const read = async (length: number, position: number) => {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(length), 0, length, position);
      return buffer.subarray(0, bytesRead);
    };
    const length = Math.min(size, END_BYTES);
    return { head: await read(length, 0), tail: await read(length, size - length), size };
  });
  if (ends.size === 0) throw emptyImage();
  return inspect(ends, path, limitInputPixels);
}

async function inspect(
  ends: FileEnds,
  input: Buffer | string,
  limitInputPixels: number,
): Promise<ImageHeader> {
  const format = sniffFormat(ends.head);
  if (!format)
    throw new InvalidImageError('not_an_image', 'The file is not a JPEG, PNG or WebP image');
  if (!hasCompleteEnding(format, ends)) {
    throw new InvalidImageError(
      'truncated',
      `The ${format} file is truncated: it lacks its end marker`,
    );
  }
  let metadata;
  try {
    metadata = await sharp(input, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw decodeFailure(error);
  }
  const { width, height } = metadata.autoOrient;
  if (width * height > limitInputPixels) {
    throw new InvalidImageError(
      'too_large',
      `The image is ${width}×${height}, over the ${limitInputPixels}-pixel limit`,
      {
        width,
        height,
        limit_input_pixels: limitInputPixels,
      },
    );
  }
  return { format, width, height, size: ends.size };
}

const DECODE_DEFECTS: [RegExp, InvalidImageError['reason']][] = [
  [/pixel limit/i, 'too_large'],
  [/unsupported image format/i, 'not_an_image'],
  [/buffer is empty/i, 'empty'],
  // "Corrupt JPEG data: premature end of data segment" is damage, not truncation.
  [/corrupt/i, 'corrupt_data'],
  [/premature end|truncated|unexpected end/i, 'truncated'],
  [/invalid|bad |unsupported|vipsjpeg|vipspng|webp|png|jpeg/i, 'corrupt_data'],
];

/**
 * A decoder error as a typed error: the decoder's complaints about the data are
 * permanent; anything else (out of memory, say) is passed on as transient.
 */
export function decodeFailure(error: unknown): ImageError {
  if (error instanceof InvalidImageError || error instanceof ImageProcessingError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const match = DECODE_DEFECTS.find(([pattern]) => pattern.test(message));
  const firstLine = message.split('\n', 1)[0];
  if (match)
    return new InvalidImageError(match[1], `The image cannot be decoded: ${firstLine}`, {
      decoder: firstLine,
    });
  return new ImageProcessingError('decode_failed', `Decoding failed: ${firstLine}`, {
    decoder: firstLine,
  });
}
