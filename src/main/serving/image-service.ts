import { constants, existsSync, readFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import {
  FALLBACK_CHAIN,
  IMAGE_CACHE_CONTROL,
  VARIANT_HEADER,
  imageEtag,
  type ImageTarget,
  type ImageVariant,
} from '../../shared/contract';
import type { ImageRow } from '../database/types';
import { NotFoundError, PathOutsideRootError } from '../errors';
import type { CoreContext } from '../context';
import type { Logger } from '../logging/logger';

export interface ImageReply {
  status: 200 | 304;
  headers: Record<string, string>;
  /** The bytes to send (absent on 304). */
  body?: Readable | Buffer;
}

export interface OpenedVariant {
  variant: ImageVariant;
  handle: FileHandle;
  size: number;
}

// O_NOFOLLOW: a variant swapped for a symlink after resolve() still is not followed.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

/**
 * Image serving shared by HTTP and the Electron protocol: path-contained (every
 * stored path goes through tree.resolve), the cascading fallback, the spec's
 * ETag and Cache-Control, and 304 on If-None-Match. The file is opened before
 * the 304 decision: the ETag and caching depend on the variant there is now
 * (a fallback is revalidated on every use; see IMAGE_CACHE_CONTROL).
 */
export class ImageService {
  private placeholder: Buffer | undefined;
  private readonly log: Logger;

  constructor(
    private readonly core: Pick<CoreContext, 'ops' | 'tree' | 'log'>,
    private readonly placeholderPath = findPlaceholder(),
  ) {
    this.log = core.log.child({ component: 'serving' });
  }

  async serve(target: ImageTarget, size: ImageVariant, ifNoneMatch?: string): Promise<ImageReply> {
    const row = this.rowFor(target);
    const opened = row && (await this.openFirst(row, FALLBACK_CHAIN[size]));
    if (!row || !opened) return this.placeholderReply();
    const fallback = opened.variant !== size;
    const headers = {
      etag: imageEtag(row.id, row.captured_at, fallback ? opened.variant : undefined),
      'cache-control': fallback
        ? IMAGE_CACHE_CONTROL.fallback
        : target.kind === 'camera'
          ? IMAGE_CACHE_CONTROL.cameraLatest
          : IMAGE_CACHE_CONTROL.image,
      [VARIANT_HEADER]: opened.variant,
    };
    if (ifNoneMatch && etagMatches(ifNoneMatch, headers.etag)) {
      await opened.handle.close();
      return { status: 304, headers };
    }
    return {
      status: 200,
      headers: { ...headers, 'content-type': 'image/jpeg', 'content-length': String(opened.size) },
      body: opened.handle.createReadStream(),
    };
  }

  /** The first variant of `chain` whose file opens as a regular file inside the root. */
  async openFirst(row: ImageRow, chain: readonly ImageVariant[]): Promise<OpenedVariant | null> {
    for (const variant of chain) {
      const opened = await this.openVariant(row, variant);
      if (opened) return opened;
    }
    return null;
  }

  placeholderBytes(): Buffer {
    this.placeholder ??= readFileSync(this.placeholderPath);
    return this.placeholder;
  }

  /** The image row, or null for a camera without frames; 404 for an unknown image or camera. */
  private rowFor(target: ImageTarget): ImageRow | null {
    if (target.kind === 'image') {
      const row = this.core.ops.images.getById(target.id);
      if (!row) throw new NotFoundError('Image not found', { image_id: target.id });
      return row;
    }
    if (!this.core.ops.cameras.getById(target.id)) {
      throw new NotFoundError('Camera not found', { camera_id: target.id });
    }
    return this.core.ops.images.latestForCamera(target.id) ?? null;
  }

  private async openVariant(row: ImageRow, variant: ImageVariant): Promise<OpenedVariant | null> {
    const stored =
      variant === 'thumbnail'
        ? row.thumbnail_path
        : variant === 'small'
          ? row.small_path
          : row.file_path;
    if (!stored) return null;
    let absolute: string;
    try {
      absolute = this.core.tree.resolve(stored);
    } catch (error) {
      if (!(error instanceof PathOutsideRootError)) throw error;
      this.log.warn(
        { image_id: row.id, variant, path: stored },
        'refusing an image path outside the data root',
      );
      return null;
    }
    let handle: FileHandle;
    try {
      handle = await open(absolute, OPEN_FLAGS);
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
    const stats = await handle.stat();
    if (!stats.isFile()) {
      await handle.close();
      return null;
    }
    return { variant, handle, size: stats.size };
  }

  private placeholderReply(): ImageReply {
    const bytes = this.placeholderBytes();
    return {
      status: 200,
      headers: {
        'content-type': this.placeholderPath.endsWith('.png') ? 'image/png' : 'image/jpeg',
        'content-length': String(bytes.length),
        'cache-control': IMAGE_CACHE_CONTROL.placeholder,
        [VARIANT_HEADER]: 'placeholder',
      },
      body: bytes,
    };
  }
}

/** If-None-Match: a list of (possibly weak) tags, or `*`. */
export function etagMatches(header: string, etag: string): boolean {
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etag);
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  // ELOOP: the final component is a symlink (O_NOFOLLOW); ENOTDIR: a parent is a file.
  return code === 'ENOENT' || code === 'ELOOP' || code === 'ENOTDIR' || code === 'EMLINK';
}

/**
 * resources/placeholder.jpg, found from this module: src/main/api in tests,
 * out/main in a build (also inside the app's asar archive).
 */
export function findPlaceholder(from = import.meta.dirname): string {
  let dir = from;
  for (let depth = 0; depth < 6; depth++) {
    const candidate = join(dir, 'resources', 'placeholder.jpg');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error(`resources/placeholder.jpg not found above ${from}`);
}
