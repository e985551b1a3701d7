import { open, type FileHandle } from 'node:fs/promises';
import { ImageProcessingError, InvalidImageError, type ImageError } from './image-errors';

/**
 * The frame byte cap: no camera frame is this big (an 8K JPEG at top
 * quality is well under half of it). Every path a frame takes in refuses a larger one before
 * reading it into memory: files by their size (and by what they turn out to
 * hold while read), network sources by their own smaller `max_bytes`, capped
 * at this.
 */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;

/**
 * A frame file's bytes, refused as `too_large` (InvalidImageError) when it is
 * larger than `maxBytes`: by its size before any byte is read, and while
 * reading when it grew since (never more than `maxBytes` + 1 bytes are read).
 */
export async function readFrameFile(path: string, maxBytes = MAX_FRAME_BYTES): Promise<Buffer> {
  return withFrameFile(
    path,
    async (handle) => {
      const chunks: Buffer[] = [];
      let total = 0;
      for await (const chunk of handle.createReadStream({
        start: 0,
        end: maxBytes,
        autoClose: false,
      })) {
        chunks.push(chunk as Buffer);
        total += (chunk as Buffer).length;
      }
      if (total > maxBytes) throw tooLarge(total, maxBytes);
      return Buffer.concat(chunks, total);
    },
    maxBytes,
  );
}

const tooLarge = (size: number, maxBytes: number) =>
  new InvalidImageError(
    'too_large',
    `The image file is ${size} bytes, more than any camera frame (${maxBytes})`,
    { size, max_bytes: maxBytes },
  );

/** Opens a frame file, refuses one larger than any camera frame, and runs `read` on it. */
export async function withFrameFile<T>(
  path: string,
  read: (handle: FileHandle, size: number) => Promise<T>,
  maxBytes = MAX_FRAME_BYTES,
): Promise<T> {
  let handle;
  try {
    handle = await open(path, 'r');
    const { size } = await handle.stat();
    if (size > maxBytes) throw tooLarge(size, maxBytes);
    return await read(handle, size);
  } catch (error) {
    throw readFailure(error, path);
  } finally {
    await handle?.close();
  }
}

function readFailure(error: unknown, path: string): ImageError {
  if (error instanceof InvalidImageError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT')
    return new InvalidImageError('missing', 'The image file does not exist', { path });
  if (code === 'EISDIR')
    return new InvalidImageError('not_an_image', 'The image path is a directory', { path });
  return new ImageProcessingError(
    'read_failed',
    `Reading the image failed: ${(error as Error).message}`,
    { path, code },
  );
}
