import type { Size } from './dimensions';
import type { FrameFormat } from './image-format';

/** libjpeg's DCT scaling factors: decoding at 1/8, 1/4 or 1/2 size skips most of the inverse transform. */
const JPEG_SCALES = [8, 4, 2] as const;

/**
 * The largest JPEG load shrink (8, 4, 2, else 1) that still decodes at least
 * `target` on both sides, so the resize after it only ever reduces. This is
 * vipsthumbnail's rule; sharp's own is more cautious (it decodes 1920→800 at
 * full size and 3840→800 at half), which costs a frame a third of its time.
 */
export function jpegLoadShrink(source: Size, target: Size): number {
  const fits = (scale: number) =>
    Math.floor(source.width / scale) >= target.width &&
    Math.floor(source.height / scale) >= target.height;
  return JPEG_SCALES.find(fits) ?? 1;
}

/**
 * The name sharp should open a frame by to resize it to `target`. sharp has
 * no option for the JPEG load shrink, but libvips reads load options from a
 * file name ("frame.jpg[shrink=2]", as vips_image_new_from_file documents).
 * sharp itself reloads a JPEG by its name when 3× or more of the reduction
 * remains after loading, which a name with options would break; only an 8×
 * load leaves that much, and then sharp's own choice is 8× too.
 */
export function shrinkOnLoadInput(
  path: string,
  source: Size & { format: FrameFormat },
  target: Size,
): string {
  if (source.format !== 'jpeg') return path;
  const shrink = jpegLoadShrink(source, target);
  // libvips rounds a shrunk JPEG's size down (1/4 of 450 rows loads as 112).
  const loaded = {
    width: Math.floor(source.width / shrink),
    height: Math.floor(source.height / shrink),
  };
  const remaining = Math.min(loaded.width / target.width, loaded.height / target.height);
  return shrink > 1 && remaining < 3 ? `${path}[shrink=${shrink}]` : path;
}
