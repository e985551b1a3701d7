import sharp from 'sharp';
import { decodeFailure } from './image-input';

/**
 * A PNG or WebP snapshot (some cameras and recorders send them) as the JPEG
 * every frame is stored as: upright, sRGB, transparency flattened to black as
 * thumbnails show it, without metadata. A decoder complaint is a permanent
 * InvalidImageError, as at the check.
 */
export async function convertToJpeg(
  bytes: Uint8Array,
  quality: number,
  limitInputPixels: number,
): Promise<Buffer> {
  try {
    return await sharp(bytes, { failOn: 'warning', limitInputPixels, autoOrient: true })
      .flatten()
      .toColourspace('srgb')
      .jpeg({ quality })
      .toBuffer();
  } catch (error) {
    throw decodeFailure(error);
  }
}
