import exifr from 'exifr';

/**
 * When a frame file was taken: its EXIF DateTimeOriginal (camera local time,
 * as exifr reads it) when present and sane, else the file's modification time.
 * `source` is a path (only the header is read) or the bytes.
 */
export async function captureTimeOf(source: string | Buffer, mtimeMs: number): Promise<number> {
  try {
    const tags = (await exifr.parse(source, ['DateTimeOriginal'])) as
      { DateTimeOriginal?: unknown } | undefined;
    const taken = tags?.DateTimeOriginal;
    if (taken instanceof Date && Number.isFinite(taken.getTime()) && taken.getFullYear() >= 1990)
      return taken.getTime();
  } catch {
    // No EXIF or not a JPEG at all: the corruption check will say which.
  }
  return Math.trunc(mtimeMs);
}
