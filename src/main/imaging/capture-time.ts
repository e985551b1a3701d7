import exifr from 'exifr';

/** When a frame file was taken, and from what. */
export type CaptureTime =
  | { at: number; from: 'exif' }
  | {
      at: number;
      from: 'file';
      /** An EXIF time there was, and why it was not believed. */
      implausibleExif?: { at: number; problem: 'before_2000' | 'in_future' };
    };

/** No digital camera frame is older than this (local time, as EXIF times are read). */
const EARLIEST = new Date(2000, 0, 1).getTime();
/** EXIF times carry no zone: a camera set to a zone ahead of this box may be up to a day "ahead". */
const FUTURE_SLACK_MS = 86_400_000;

/**
 * When a frame file was taken: its EXIF DateTimeOriginal (camera local time,
 * as exifr reads it) when plausible, i.e. from 2000 on and not in the future;
 * else the file's modification time. `source` is a path (only the header is
 * read) or the bytes.
 */
export async function captureTimeOf(
  source: string | Buffer,
  mtimeMs: number,
  now = Date.now(),
): Promise<CaptureTime> {
  const fileTime = Math.trunc(mtimeMs);
  let taken: unknown;
  try {
    const tags = (await exifr.parse(source, ['DateTimeOriginal'])) as
      { DateTimeOriginal?: unknown } | undefined;
    taken = tags?.DateTimeOriginal;
  } catch {
    // No EXIF or not a JPEG at all: the corruption check will say which.
  }
  if (!(taken instanceof Date) || !Number.isFinite(taken.getTime()))
    return { at: fileTime, from: 'file' };
  const at = taken.getTime();
  if (at < EARLIEST)
    return { at: fileTime, from: 'file', implausibleExif: { at, problem: 'before_2000' } };
  if (at > now + FUTURE_SLACK_MS)
    return { at: fileTime, from: 'file', implausibleExif: { at, problem: 'in_future' } };
  return { at, from: 'exif' };
}
