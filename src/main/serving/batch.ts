import { readFile } from 'node:fs/promises';
import {
  FALLBACK_CHAIN,
  MAX_BATCH_IDS,
  imageEtag,
  imageHttpUrls,
  type BatchImage,
  type BatchImagesResult,
  type ImageVariant,
} from '../../shared/contract';
import type { ImageRow } from '../database/types';
import { PayloadTooLargeError } from '../errors';
import type { CoreContext } from '../context';
import type { ImageService } from './image-service';

/** Reads in flight at once while filling a batch. */
const READ_CONCURRENCY = 16;

/**
 * The spec's batch thumbnail loading: one request for up to 200 images. Each
 * entry follows the same cascade as the single-image routes; thumbnails and
 * smalls come inline as data URIs, a full frame or the placeholder by URL.
 */
export async function batchImages(
  core: Pick<CoreContext, 'ops'>,
  images: ImageService,
  ids: readonly number[],
  size: ImageVariant,
): Promise<BatchImagesResult> {
  if (ids.length > MAX_BATCH_IDS) {
    throw new PayloadTooLargeError(`Batch requests take at most ${MAX_BATCH_IDS} ids`, {
      max_ids: MAX_BATCH_IDS,
      requested: ids.length,
    });
  }
  const unique = [...new Set(ids)];
  const rows = new Map(core.ops.images.getByIds(unique).map((row) => [row.id, row]));
  const entries: BatchImage[] = [];
  for (let start = 0; start < unique.length; start += READ_CONCURRENCY) {
    const slice = unique.slice(start, start + READ_CONCURRENCY).flatMap((id) => rows.get(id) ?? []);
    entries.push(...(await Promise.all(slice.map((row) => batchEntry(images, row, size)))));
  }
  return { size, images: entries, missing_ids: unique.filter((id) => !rows.has(id)) };
}

async function batchEntry(
  images: ImageService,
  row: ImageRow,
  size: ImageVariant,
): Promise<BatchImage> {
  const urls = imageHttpUrls(row.id);
  const base = {
    image_id: row.id,
    captured_at: new Date(row.captured_at).toISOString(),
    etag: imageEtag(row.id, row.captured_at),
    url: urls[size],
  };
  const opened = await images.openFirst(row, FALLBACK_CHAIN[size]);
  if (!opened) return { ...base, variant: 'placeholder', data_uri: null };
  try {
    if (opened.variant === 'full') return { ...base, variant: 'full', data_uri: null };
    const bytes = await readFile(opened.handle);
    return {
      ...base,
      variant: opened.variant,
      data_uri: `data:image/jpeg;base64,${bytes.toString('base64')}`,
    };
  } finally {
    await opened.handle.close();
  }
}
