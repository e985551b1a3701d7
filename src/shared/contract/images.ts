import { z } from 'zod';
import { fillPath } from './http';

/**
 * Images in the contract: the variants, where each picture is over HTTP and
 * through the app's protocol, the fallback chain and the caching rules. URL
 * builders and parsers are derived from the templates here; the thumbnail
 * worker, the renderer, the HTTP routes and the protocol all use them.
 */

export const IMAGE_VARIANTS = ['thumbnail', 'small', 'full'] as const;
export type ImageVariant = (typeof IMAGE_VARIANTS)[number];
export const imageVariantSchema = z.enum(IMAGE_VARIANTS);

/** The spec's boxes (fit inside, never enlarged); a full frame is the capture itself. */
export const VARIANT_BOX: Record<
  Exclude<ImageVariant, 'full'>,
  { width: number; height: number }
> = {
  thumbnail: { width: 200, height: 150 },
  small: { width: 800, height: 600 },
};

/** Which picture: one image, or a camera's latest frame. */
export interface ImageTarget {
  kind: 'image' | 'camera';
  id: number;
}

/** An image's URL for every variant (the spec's latest-image metadata). */
export type ImageUrls = Record<ImageVariant, string>;

/** How a picture is reached: the HTTP API, or the Electron app's own scheme. */
export type ImageTransport = 'http' | 'scheme';

export const IMAGE_SCHEME = 'timelapser';

/**
 * URL templates: `:image_id`, `:camera_id` and `:variant` are filled like the
 * operations' routes. `serve` is the spec's universal route (`?size=`).
 */
export const IMAGE_URL_TEMPLATES: Record<
  ImageTransport,
  { image: Record<ImageVariant, string>; serve: string; camera: string }
> = {
  http: {
    image: {
      thumbnail: '/api/images/:image_id/thumbnail',
      small: '/api/images/:image_id/small',
      full: '/api/images/:image_id/serve?size=full',
    },
    serve: '/api/images/:image_id/serve?size=:variant',
    camera: '/api/cameras/:camera_id/latest-image/:variant',
  },
  scheme: {
    image: {
      thumbnail: `${IMAGE_SCHEME}://images/:image_id/thumbnail`,
      small: `${IMAGE_SCHEME}://images/:image_id/small`,
      full: `${IMAGE_SCHEME}://images/:image_id/full`,
    },
    serve: `${IMAGE_SCHEME}://images/:image_id/serve?size=:variant`,
    camera: `${IMAGE_SCHEME}://cameras/:camera_id/latest-image/:variant`,
  },
};

/** The URL of one picture's variant. */
export function imageUrl(
  transport: ImageTransport,
  target: ImageTarget,
  variant: ImageVariant,
): string {
  const templates = IMAGE_URL_TEMPLATES[transport];
  return target.kind === 'image'
    ? fillPath(templates.image[variant], { image_id: target.id }).path
    : fillPath(templates.camera, { camera_id: target.id, variant }).path;
}

/** An image's HTTP URLs for every variant (each follows the fallback chain). */
export function imageHttpUrls(imageId: number): ImageUrls {
  const target: ImageTarget = { kind: 'image', id: imageId };
  return Object.fromEntries(
    IMAGE_VARIANTS.map((v) => [v, imageUrl('http', target, v)]),
  ) as ImageUrls;
}

export interface ImageRequest {
  target: ImageTarget;
  variant: ImageVariant;
}

const ID = '([1-9]\\d{0,14})';
const VARIANT = `(${IMAGE_VARIANTS.join('|')})`;

interface UrlParser {
  kind: ImageTarget['kind'];
  /** Matches the URL without its query; captures ids and variants in order. */
  pattern: RegExp;
  names: string[];
  /** The variant a template names itself; else the path's `:variant` or the `size` query. */
  fixed?: ImageVariant;
  sizeInQuery: boolean;
}

function parserOf(template: string, kind: ImageTarget['kind'], fixed?: ImageVariant): UrlParser {
  const [path = '', query] = template.split('?');
  const names: string[] = [];
  const source = path
    .split(/(:[a-z_]+)/)
    .map((part) => {
      if (!part.startsWith(':')) return part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      names.push(part.slice(1));
      return part === ':variant' ? VARIANT : ID;
    })
    .join('');
  const sizeInQuery = query === 'size=:variant';
  return {
    kind,
    pattern: new RegExp(`^${source}$`),
    names,
    fixed: sizeInQuery ? undefined : fixed,
    sizeInQuery,
  };
}

const PARSERS = Object.fromEntries(
  (Object.keys(IMAGE_URL_TEMPLATES) as ImageTransport[]).map((transport) => {
    const { image, serve, camera } = IMAGE_URL_TEMPLATES[transport];
    const direct = IMAGE_VARIANTS.filter((v) => !image[v].includes('?')).map((v) =>
      parserOf(image[v], 'image', v),
    );
    return [transport, [...direct, parserOf(serve, 'image'), parserOf(camera, 'camera')]];
  }),
) as Record<ImageTransport, UrlParser[]>;

/**
 * What an image URL asks for, or null: only the templates' forms exist, and no
 * path from a URL ever reaches the file system (ids only). Other query
 * parameters (the renderer's `v=` cache buster) are ignored; `serve` without
 * `size` means the thumbnail, as in the spec.
 */
export function parseImageUrl(transport: ImageTransport, url: string): ImageRequest | null {
  const split = splitUrl(transport, url);
  if (!split) return null;
  const { bare, query } = split;
  for (const { kind, pattern, names, fixed, sizeInQuery } of PARSERS[transport]) {
    const match = pattern.exec(bare);
    if (!match) continue;
    const values = Object.fromEntries(names.map((name, i) => [name, match[i + 1]!]));
    const variant = imageVariantSchema.safeParse(
      sizeInQuery ? (query.get('size') ?? 'thumbnail') : (values.variant ?? fixed),
    );
    if (!variant.success) return null;
    return {
      target: { kind, id: Number(values.image_id ?? values.camera_id) },
      variant: variant.data,
    };
  }
  return null;
}

/**
 * A URL of either transport as what the templates match (the path, after the
 * scheme and host for the app's scheme) and its query; null if it does not parse.
 */
export function splitUrl(
  transport: ImageTransport,
  url: string,
): { bare: string; query: URLSearchParams } | null {
  let parsed: URL;
  try {
    parsed = new URL(url, 'http://local');
  } catch {
    return null;
  }
  const bare =
    transport === 'http' ? parsed.pathname : `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  return { bare, query: parsed.searchParams };
}

/**
 * The cascade: the requested variant, then the larger ones, then the smaller
 * ones; past the last, the placeholder. The server serves it; the renderer
 * follows it when a load fails.
 */
export const FALLBACK_CHAIN: Record<ImageVariant, readonly ImageVariant[]> = {
  thumbnail: ['thumbnail', 'small', 'full'],
  small: ['small', 'full', 'thumbnail'],
  full: ['full', 'small', 'thumbnail'],
};

/**
 * The spec's caching rules, and ours for stand-ins. A fallback (the variant
 * asked for is missing, another one is served) must never be cached as the
 * real thing: the client keeps it but asks again every time, and its ETag
 * names the variant served, so once the real one exists the revalidation
 * answers it instead of a 304.
 */
export const IMAGE_CACHE_CONTROL = {
  /** Camera latest images change with every capture. */
  cameraLatest: 'public, max-age=300, s-maxage=300',
  /** An image's variants are fixed once made. */
  image: 'public, max-age=3600, s-maxage=3600',
  /** Another variant stands in for the one asked for: revalidate on every use. */
  fallback: 'no-cache',
  /** The placeholder stands in until a real variant exists: never cache it. */
  placeholder: 'no-store',
} as const;

/** The response header naming the variant actually served (or `placeholder`). */
export const VARIANT_HEADER = 'x-timelapser-variant';

/**
 * The spec's ETag, `"image-{id}-{captured_at epoch seconds}"`, for the variant
 * asked for; a fallback's names the variant served in its place
 * (`"image-{id}-{seconds}-small"`), so the two never validate each other.
 */
export function imageEtag(
  imageId: number,
  capturedAtMs: number,
  servedInstead?: ImageVariant,
): string {
  const tag = `image-${imageId}-${Math.floor(capturedAtMs / 1000)}`;
  return `"${servedInstead ? `${tag}-${servedInstead}` : tag}"`;
}
