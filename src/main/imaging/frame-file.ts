import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
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
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    const { size } = await handle.stat();
    if (size > maxBytes) throw tooLarge(size, maxBytes);
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
  } catch (error) {
    throw readFailure(error, path);
  } finally {
    await handle?.close();
  }
}

const tooLarge = (size: number, maxBytes: number) =>
  new InvalidImageError(
    'too_large',
    `The image file is ${size} bytes, more than any camera frame (${maxBytes})`,
    { size, max_bytes: maxBytes },
  );

/**
 * The first and last `length` bytes of a frame file and its size, read
 * synchronously: for pool workers, whose few small reads would otherwise
 * wait in libuv's threadpool behind the decodes that fill it.
 */
export function readFrameEndsSync(
  path: string,
  length: number,
  maxBytes = MAX_FRAME_BYTES,
): { head: Buffer; tail: Buffer; size: number } {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const { size } = fstatSync(fd);
    if (size > maxBytes) throw tooLarge(size, maxBytes);
    const read = (position: number) => {
      const buffer = Buffer.alloc(Math.min(size, length));
      return buffer.subarray(0, readSync(fd!, buffer, 0, buffer.length, position));
    };
    return { head: read(0), tail: read(Math.max(0, size - length)), size };
  } catch (error) {
    throw readFailure(error, path);
  } finally {
    if (fd !== undefined) closeSync(fd);
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
