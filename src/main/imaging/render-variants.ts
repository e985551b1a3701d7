import { writeFile } from 'node:fs/promises';
import sharp, { type Sharp } from 'sharp';
import { calculateThumbnailDimensions, SMALL_SIZE, THUMBNAIL_SIZE, type Size } from './dimensions';
import { ImageProcessingError } from './image-errors';
import { decodeFailure, inspectFile, type ImageHeader } from './image-input';
import { shrinkOnLoadInput } from './shrink-on-load';

/** One frame's work as a pool worker receives it: temp paths only, never real names. */
export interface RenderJob {
  sourcePath: string;
  thumbnail: { tempPath: string; quality: number };
  small: { tempPath: string; quality: number } | null;
  limitInputPixels: number;
}

export interface RenderedVariant {
  size: number;
  width: number;
  height: number;
}

export interface RenderOutcome {
  thumbnail: RenderedVariant;
  small: RenderedVariant | null;
  source: ImageHeader;
  /** With a small: decode_ms reads and decodes the frame at the small's size; encode_ms makes both variants. */
  timings: { total_ms: number; decode_ms?: number; encode_ms?: number };
}

/**
 * Both variants from ONE decode of the frame: the JPEG is shrunk on load
 * (libjpeg's DCT scaling) to the nearest size above the small's and resized
 * to it; from those pixels, held raw, the small is encoded and the thumbnail
 * resized and encoded (re-decoding the small's JPEG for the thumbnail
 * measured 4 % more CPU per frame). Output is upright (EXIF
 * orientation applied), sRGB, 3 channels, without metadata. Writes the temp
 * files only; the engine renames them into place.
 */
export async function renderVariants(job: RenderJob): Promise<RenderOutcome> {
  const started = performance.now();
  const source = await inspectFile(job.sourcePath, job.limitInputPixels);
  const decode = (size: Size) =>
    resized(
      frameDecoder(shrinkOnLoadInput(job.sourcePath, source, size), job.limitInputPixels),
      size,
    );
  const thumbnailSize = calculateThumbnailDimensions(source, THUMBNAIL_SIZE);
  if (!job.small) {
    const thumbnail = await encodeTo(job.thumbnail, decode(thumbnailSize));
    return {
      thumbnail: thumbnail.variant,
      small: null,
      source,
      timings: { total_ms: performance.now() - started },
    };
  }
  const pixels = await rawPixels(decode(calculateThumbnailDimensions(source, SMALL_SIZE)));
  const decoded = performance.now();
  // One after the other: side by side gained no throughput and kept more of
  // libuv's shared threads busy, which the main thread's file I/O waits for.
  const small = await encodeTo(job.small, pixels(), { optimiseCoding: false });
  const thumbnail = await encodeTo(
    job.thumbnail,
    pixels().resize(thumbnailSize.width, thumbnailSize.height, { fit: 'fill' }),
  );
  const finished = performance.now();
  return {
    thumbnail: thumbnail.variant,
    small: small.variant,
    source,
    timings: {
      total_ms: finished - started,
      decode_ms: decoded - started,
      encode_ms: finished - decoded,
    },
  };
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

/** Encodes in memory, then writes the temp file: decoder errors and disk errors stay apart. */
async function encodeTo(
  target: { tempPath: string; quality: number },
  pipeline: Sharp,
  { optimiseCoding = true } = {},
): Promise<{ variant: RenderedVariant; data: Buffer }> {
  let encoded;
  try {
    encoded = await pipeline
      .jpeg({ quality: target.quality, optimiseCoding })
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw decodeFailure(error);
  }
  try {
    await writeFile(target.tempPath, encoded.data, { flag: 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ImageProcessingError(
      'write_failed',
      `Writing the variant failed: ${(error as Error).message}`,
      { code },
    );
  }
  const { width, height } = encoded.info;
  return { variant: { size: encoded.data.length, width, height }, data: encoded.data };
}
