import { writeFile } from 'node:fs/promises';
import sharp, { type Sharp } from 'sharp';
import { calculateThumbnailDimensions, SMALL_SIZE, THUMBNAIL_SIZE, type Size } from './dimensions';
import { ImageProcessingError } from './image-errors';
import { decodeFailure, inspectImage, readImageBytes, type ImageHeader } from './image-input';

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
  timings: { total_ms: number; decode_ms?: number; encode_ms?: number };
}

/**
 * Both variants from ONE decode: the JPEG is shrunk on load straight to the
 * small's size, the small is encoded from those pixels, and the thumbnail is
 * resized from the same pixels. Output is upright (EXIF orientation applied),
 * sRGB, 3 channels, without metadata. Writes the temp files only.
 */
export async function renderVariants(job: RenderJob): Promise<RenderOutcome> {
  const started = performance.now();
  const bytes = await readImageBytes(job.sourcePath);
  const source = await inspectImage(bytes, job.limitInputPixels);
  const thumbnailSize = calculateThumbnailDimensions(source, THUMBNAIL_SIZE);
  if (!job.small) {
    const thumbnail = await encodeTo(job.thumbnail, resizedTo(decoder(bytes, job.limitInputPixels), thumbnailSize));
    return { thumbnail, small: null, source, timings: { total_ms: performance.now() - started } };
  }
  const smallSize = calculateThumbnailDimensions(source, SMALL_SIZE);
  const decodeStarted = performance.now();
  const pixels = await decodeToRaw(resizedTo(decoder(bytes, job.limitInputPixels), smallSize));
  const encodeStarted = performance.now();
  const small = await encodeTo(job.small, sharp(pixels.data, { raw: pixels.info }), { optimiseCoding: false });
  const thumbnail = await encodeTo(job.thumbnail, resizedTo(sharp(pixels.data, { raw: pixels.info }), thumbnailSize));
  const finished = performance.now();
  return {
    thumbnail,
    small,
    source,
    timings: { total_ms: finished - started, decode_ms: encodeStarted - decodeStarted, encode_ms: finished - encodeStarted },
  };
}

/** failOn 'warning' (sharp's default, stated): corrupt entropy data fails the job instead of making a smeared thumbnail. */
function decoder(bytes: Buffer, limitInputPixels: number): Sharp {
  return sharp(bytes, { failOn: 'warning', limitInputPixels, sequentialRead: true, autoOrient: true });
}

/** Exact target size (computed from the oriented source), so every path gives the same dimensions. */
function resizedTo(pipeline: Sharp, size: Size): Sharp {
  return pipeline.resize(size.width, size.height, { fit: 'fill' }).flatten().toColourspace('srgb');
}

async function decodeToRaw(pipeline: Sharp) {
  try {
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
    return { data, info: { width: info.width, height: info.height, channels: info.channels } };
  } catch (error) {
    throw decodeFailure(error);
  }
}

/** Encodes in memory, then writes the temp file: decoder errors and disk errors stay apart. */
async function encodeTo(
  target: { tempPath: string; quality: number },
  pipeline: Sharp,
  { optimiseCoding = true } = {},
): Promise<RenderedVariant> {
  let encoded;
  try {
    encoded = await pipeline.jpeg({ quality: target.quality, optimiseCoding }).toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw decodeFailure(error);
  }
  try {
    await writeFile(target.tempPath, encoded.data, { flag: 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ImageProcessingError('write_failed', `Writing the variant failed: ${(error as Error).message}`, { code });
  }
  return { size: encoded.data.length, width: encoded.info.width, height: encoded.info.height };
}
