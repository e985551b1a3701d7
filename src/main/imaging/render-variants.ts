import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { calculateThumbnailDimensions, SMALL_SIZE, THUMBNAIL_SIZE, type Size } from './dimensions';
import { ImageProcessingError } from './image-errors';
import { decodeFailure, inspectFile, type ImageHeader } from './image-input';
import { shrinkOnLoadInput } from './shrink-on-load';

/** One variant to make: written to `tempPath`, then renamed to `path` (same file system). */
export interface VariantTarget {
  tempPath: string;
  path: string;
  quality: number;
}

/** One frame's work as a pool worker receives it. */
export interface RenderJob {
  sourcePath: string;
  thumbnail: VariantTarget;
  small: VariantTarget | null;
  limitInputPixels: number;
}

export interface RenderedVariant {
  size: number;
  width: number;
  height: number;
}

/** Where a frame's time went inside the worker, in ms (wall time of each step). */
export interface RenderTimings {
  total_ms: number;
  /** Opening the file, reading its ends and header. */
  inspect_ms: number;
  /** Reading and decoding the frame at the small's size, to raw pixels (0 without a small: the thumbnail's step then decodes). */
  decode_ms: number;
  small_encode_ms?: number;
  thumbnail_encode_ms: number;
  /** Writing both temp files. */
  write_ms: number;
  /** Renaming them into place (set by the worker after renderVariants). */
  publish_ms?: number;
}

export interface RenderOutcome {
  thumbnail: RenderedVariant;
  small: RenderedVariant | null;
  source: ImageHeader;
  timings: RenderTimings;
}

/**
 * Both variants from ONE decode of the frame: the JPEG is shrunk on load
 * (libjpeg's DCT scaling) to the nearest size above the small's and resized
 * to it; from those pixels, held raw, the small is encoded and the thumbnail
 * resized and encoded (re-decoding the small's JPEG for the thumbnail
 * measured 4 % more CPU per frame). Output is upright (EXIF orientation
 * applied), sRGB, 3 channels, without metadata. Writes the temp files only;
 * publishVariants renames them into place.
 *
 * File I/O here is synchronous on purpose: this runs in a pool worker, where
 * blocking its thread for a few small reads and writes costs microseconds,
 * while async I/O would queue them in libuv's threadpool behind every
 * worker's decodes and leave cores idle between frames.
 */
export async function renderVariants(job: RenderJob): Promise<RenderOutcome> {
  const clock = stopwatch();
  const source = await inspectFile(job.sourcePath, job.limitInputPixels);
  const inspect_ms = clock.lap();
  const decode = (size: Size) =>
    resized(
      frameDecoder(shrinkOnLoadInput(job.sourcePath, source, size), job.limitInputPixels),
      size,
    );
  const thumbnailSize = calculateThumbnailDimensions(source, THUMBNAIL_SIZE);
  if (!job.small) {
    const thumbnail = await encode(decode(thumbnailSize), job.thumbnail.quality);
    const thumbnail_encode_ms = clock.lap();
    writeTemp(job.thumbnail, thumbnail.data);
    const write_ms = clock.lap();
    return {
      thumbnail: thumbnail.variant,
      small: null,
      source,
      timings: { total_ms: clock.total(), inspect_ms, decode_ms: 0, thumbnail_encode_ms, write_ms },
    };
  }
  const pixels = await rawPixels(decode(calculateThumbnailDimensions(source, SMALL_SIZE)));
  const decode_ms = clock.lap();
  // One after the other: side by side gained no throughput and kept more of
  // libuv's shared threads busy.
  const small = await encode(pixels(), job.small.quality, { optimiseCoding: false });
  const small_encode_ms = clock.lap();
  const thumbnail = await encode(
    pixels().resize(thumbnailSize.width, thumbnailSize.height, { fit: 'fill' }),
    job.thumbnail.quality,
  );
  const thumbnail_encode_ms = clock.lap();
  writeTemp(job.small, small.data);
  writeTemp(job.thumbnail, thumbnail.data);
  const write_ms = clock.lap();
  return {
    thumbnail: thumbnail.variant,
    small: small.variant,
    source,
    timings: {
      total_ms: clock.total(),
      inspect_ms,
      decode_ms,
      small_encode_ms,
      thumbnail_encode_ms,
      write_ms,
    },
  };
}

/**
 * Renames a job's temp files to their real names, the small first: a
 * thumbnail under its name means the frame's variants are all in place.
 */
export function publishVariants(job: RenderJob): void {
  for (const target of [job.small, job.thumbnail]) {
    if (!target) continue;
    try {
      mkdirSync(dirname(target.path), { recursive: true });
      renameSync(target.tempPath, target.path);
    } catch (error) {
      throw writeFailed('Moving the variant into place failed', error, { path: target.path });
    }
  }
}

/** Runs a decode to raw pixels and answers a factory of pipelines over them. */
async function rawPixels(pipeline: Sharp): Promise<() => Sharp> {
  let decoded;
  try {
    decoded = await pipeline.raw().toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw decodeFailure(error);
  }
  const { data, info } = decoded;
  const raw = { width: info.width, height: info.height, channels: info.channels };
  return () => sharp(data, { raw });
}

/**
 * Decodes from the file, not the bytes already read: only a file name can
 * carry the JPEG load shrink. failOn 'warning' (sharp's default, stated):
 * corrupt entropy data fails the job instead of making a smeared thumbnail.
 */
function frameDecoder(input: string, limitInputPixels: number): Sharp {
  return sharp(input, {
    failOn: 'warning',
    limitInputPixels,
    sequentialRead: true,
    autoOrient: true,
  });
}

/** Exact target size (computed from the oriented source), so every path gives the same dimensions. */
function resized(pipeline: Sharp, size: Size): Sharp {
  return pipeline.resize(size.width, size.height, { fit: 'fill' }).flatten().toColourspace('srgb');
}

/** Encodes in memory, so decoder errors and disk errors stay apart. */
async function encode(
  pipeline: Sharp,
  quality: number,
  { optimiseCoding = true } = {},
): Promise<{ variant: RenderedVariant; data: Buffer }> {
  try {
    const { data, info } = await pipeline
      .jpeg({ quality, optimiseCoding })
      .toBuffer({ resolveWithObject: true });
    return { variant: { size: data.length, width: info.width, height: info.height }, data };
  } catch (error) {
    throw decodeFailure(error);
  }
}

function writeTemp(target: VariantTarget, data: Buffer): void {
  try {
    writeFileSync(target.tempPath, data, { flag: 'wx' });
  } catch (error) {
    throw writeFailed('Writing the variant failed', error);
  }
}

function writeFailed(what: string, error: unknown, details: Record<string, unknown> = {}) {
  const code = (error as NodeJS.ErrnoException).code;
  return new ImageProcessingError('write_failed', `${what}: ${(error as Error).message}`, {
    code,
    ...details,
  });
}

function stopwatch() {
  const started = performance.now();
  let last = started;
  return {
    lap() {
      const now = performance.now();
      const ms = now - last;
      last = now;
      return ms;
    },
    total: () => performance.now() - started,
  };
}
