/**
 * The engine's output against a reference rendering of the same frame, for
 * bench:thumbnails: the pipeline as it stood before the issue-20 speed work
 * (decode at the JPEG load shrink, lanczos3 to the small's size, held raw;
 * small encoded from it, thumbnail resized from it), so a speed-up that
 * changes pixels shows as a PSNR below the bar (45 dB).
 */
import { readFileSync } from 'node:fs';
import type { Sharp, SharpOptions } from 'sharp';
import {
  calculateThumbnailDimensions,
  SMALL_SIZE,
  THUMBNAIL_SIZE,
} from '../src/main/imaging/dimensions';
import { shrinkOnLoadInput } from '../src/main/imaging/shrink-on-load';

type SharpFactory = (input?: string | Buffer, options?: SharpOptions) => Sharp;

export interface Quality {
  /** Lowest PSNR over the frames compared, per variant (Infinity: identical pixels). */
  small_psnr_db: number;
  thumbnail_psnr_db: number;
  same_dimensions: boolean;
}

export async function compareWithReference(
  sharp: SharpFactory,
  pairs: { source: string; small: string; thumbnail: string }[],
  quality: { small: number; thumbnail: number },
): Promise<Quality> {
  const result: Quality = {
    small_psnr_db: Infinity,
    thumbnail_psnr_db: Infinity,
    same_dimensions: true,
  };
  for (const pair of pairs) {
    const reference = await referenceVariants(sharp, pair.source, quality);
    for (const variant of ['small', 'thumbnail'] as const) {
      const { psnr, sameSize } = await compare(
        sharp,
        readFileSync(pair[variant]),
        reference[variant],
      );
      result.same_dimensions &&= sameSize;
      const key = `${variant}_psnr_db` as const;
      result[key] = Math.min(result[key], psnr);
    }
  }
  return result;
}

async function referenceVariants(
  sharp: SharpFactory,
  source: string,
  quality: { small: number; thumbnail: number },
): Promise<{ small: Buffer; thumbnail: Buffer }> {
  const metadata = await sharp(source).metadata();
  const oriented = { ...metadata.autoOrient, format: 'jpeg' as const };
  const smallSize = calculateThumbnailDimensions(oriented, SMALL_SIZE);
  const thumbnailSize = calculateThumbnailDimensions(oriented, THUMBNAIL_SIZE);
  const { data, info } = await sharp(shrinkOnLoadInput(source, oriented, smallSize), {
    autoOrient: true,
  })
    .resize(smallSize.width, smallSize.height, { fit: 'fill' })
    .flatten()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
  return {
    small: await sharp(data, raw)
      .jpeg({ quality: quality.small, optimiseCoding: false })
      .toBuffer(),
    thumbnail: await sharp(data, raw)
      .resize(thumbnailSize.width, thumbnailSize.height, { fit: 'fill' })
      .jpeg({ quality: quality.thumbnail })
      .toBuffer(),
  };
}

async function compare(sharp: SharpFactory, a: Buffer, b: Buffer) {
  const [x, y] = await Promise.all(
    [a, b].map((jpeg) => sharp(jpeg).raw().toBuffer({ resolveWithObject: true })),
  );
  const sameSize = x!.info.width === y!.info.width && x!.info.height === y!.info.height;
  if (!sameSize) return { psnr: 0, sameSize };
  let squared = 0;
  for (let i = 0; i < x!.data.length; i++) squared += (x!.data[i]! - y!.data[i]!) ** 2;
  const mse = squared / x!.data.length;
  return { psnr: mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse), sameSize };
}
