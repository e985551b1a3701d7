import { IMAGE_SCHEME, imageVariantSchema, type ImageVariant } from '../../shared/contract';
import type { ImageTarget } from './image-service';

export interface ImageUrlRequest {
  target: ImageTarget;
  size: ImageVariant;
}

const ID = '([1-9]\\d{0,14})';
const VARIANT = '(thumbnail|small|full)';
const IMAGE_PATH = new RegExp(`^/${ID}/${VARIANT}$`);
const SERVE_PATH = new RegExp(`^/${ID}/serve$`);
const CAMERA_PATH = new RegExp(`^/${ID}/latest-image/${VARIANT}$`);

/**
 * What a `timelapser:` URL asks for, or null. Only these forms exist:
 *   timelapser://images/{id}/{thumbnail|small|full}
 *   timelapser://images/{id}/serve?size={variant}
 *   timelapser://cameras/{id}/latest-image/{variant}
 * No path from the URL ever reaches the file system: ids only.
 */
export function parseImageUrl(url: string): ImageUrlRequest | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${IMAGE_SCHEME}:`) return null;
  const path = parsed.pathname;
  if (parsed.host === 'images') {
    const direct = IMAGE_PATH.exec(path);
    if (direct) return { target: { kind: 'image', imageId: Number(direct[1]) }, size: direct[2] as ImageVariant };
    const serve = SERVE_PATH.exec(path);
    const size = imageVariantSchema.safeParse(parsed.searchParams.get('size') ?? 'thumbnail');
    if (serve && size.success) return { target: { kind: 'image', imageId: Number(serve[1]) }, size: size.data };
    return null;
  }
  if (parsed.host === 'cameras') {
    const latest = CAMERA_PATH.exec(path);
    if (latest) return { target: { kind: 'camera-latest', cameraId: Number(latest[1]) }, size: latest[2] as ImageVariant };
  }
  return null;
}
