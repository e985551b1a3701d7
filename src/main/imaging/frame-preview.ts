import sharp from 'sharp';
import { decodeFailure, type ImageHeader } from './image-input';
import { withEndProbe } from './jpeg-end-probe';
import { measureFlatness, type Flatness } from './uniformity';

/**
 * Cells across the preview grid. A frame at least 9× wider is decoded by
 * libjpeg at 1/8 scale (sharp's rule), where the inverse DCT is the block's
 * mean alone: the check costs little more than reading the entropy data.
 */
const GRID_WIDTH = 64;

/**
 * Decodes the whole frame once, small, with libjpeg's warnings as errors
 * (corrupt entropy data, premature end, extraneous bytes: permanent
 * `corrupt_data`), and measures how flat it is. The grid is in stored
 * orientation: a recorder's "no signal" screen is never EXIF-rotated.
 */
export async function decodePreview(bytes: Buffer, header: ImageHeader): Promise<Flatness> {
  const probe = header.format === 'jpeg' ? withEndProbe(bytes) : null;
  let decoded;
  try {
    decoded = await sharp(probe?.bytes ?? bytes, {
      failOn: 'warning',
      // The pixel limit was checked on the header; the probe adds a few blank rows.
      limitInputPixels: false,
      sequentialRead: true,
    })
      .resize({ width: GRID_WIDTH, withoutEnlargement: true })
      .flatten()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw decodeFailure(error);
  }
  const { data, info } = decoded;
  // The probe's blank rows sit below the frame; the row where they meet is left out too.
  const rows = probe
    ? Math.max(1, Math.floor((info.height * probe.height) / (probe.height + probe.extraHeight)) - 1)
    : info.height;
  return measureFlatness(
    data.subarray(0, rows * info.width * info.channels),
    info.width,
    info.channels,
  );
}
