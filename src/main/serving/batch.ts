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

/** A batch entry with the bytes of its inline variant (null: the entry is loaded by URL). */
export interface BatchPart {
  image: Omit<BatchImage, 'data_uri'>;
  inline: Buffer | null;
}

/** A batch whose entries are read as they are consumed, so a response can stream them. */
export interface BatchStream {
  size: ImageVariant;
  missing_ids: number[];
  /** The entries in request order, READ_CONCURRENCY files at a time. */
  images: AsyncIterable<BatchPart>;
}

/** How an inline variant travels: `data:image/jpeg;base64,…`. */
export const DATA_URI_PREFIX = 'data:image/jpeg;base64,';

/**
 * The spec's batch thumbnail loading: one request for up to 200 images. Each
 * entry follows the same cascade as the single-image routes; thumbnails and
 * smalls come inline as data URIs, a full frame or the placeholder by URL.
 * Ids are checked and rows looked up at once; files are read only as the
 * entries are taken, so a streamed response holds a few of them at a time
 * (200 inline smalls are ~16 MB).
 */
export function openBatch(
  core: Pick<CoreContext, 'ops'>,
  images: ImageService,
  ids: readonly number[],
  size: ImageVariant,
): BatchStream {
  if (ids.length > MAX_BATCH_IDS) {
    throw new PayloadTooLargeError(`Batch requests take at most ${MAX_BATCH_IDS} ids`, {
      max_ids: MAX_BATCH_IDS,
      requested: ids.length,
    });
  }
  const unique = [...new Set(ids)];
  const rows = new Map(core.ops.images.getByIds(unique).map((row) => [row.id, row]));
  return {
    size,
    missing_ids: unique.filter((id) => !rows.has(id)),
    images: entries(
      images,
      unique.flatMap((id) => rows.get(id) ?? []),
      size,
    ),
  };
}

/** The whole batch in memory, for IPC (one client, our own window). */
export async function batchImages(
  core: Pick<CoreContext, 'ops'>,
  images: ImageService,
  ids: readonly number[],
  size: ImageVariant,
): Promise<BatchImagesResult> {
  const batch = openBatch(core, images, ids, size);
  const entries: BatchImage[] = [];
  for await (const { image, inline } of batch.images) {
    entries.push({ ...image, data_uri: inline && DATA_URI_PREFIX + inline.toString('base64') });
  }
  return { size, images: entries, missing_ids: batch.missing_ids };
}

async function* entries(
  images: ImageService,
  rows: readonly ImageRow[],
  size: ImageVariant,
): AsyncGenerator<BatchPart> {
  for (let start = 0; start < rows.length; start += READ_CONCURRENCY) {
    const slice = rows.slice(start, start + READ_CONCURRENCY);
    yield* await Promise.all(slice.map((row) => batchEntry(images, row, size)));
  }
}

async function batchEntry(
  images: ImageService,
  row: ImageRow,
  size: ImageVariant,
): Promise<BatchPart> {
  const base = {
    image_id: row.id,
    captured_at: new Date(row.captured_at).toISOString(),
    url: imageHttpUrls(row.id)[size],
  };
  const opened = await images.openFirst(row, FALLBACK_CHAIN[size]);
  if (!opened) {
    return {
      image: { ...base, etag: imageEtag(row.id, row.captured_at), variant: 'placeholder' },
      inline: null,
    };
  }
  try {
    const variant = opened.variant;
    const etag = imageEtag(row.id, row.captured_at, variant === size ? undefined : variant);
    const inline = variant === 'full' ? null : await readFile(opened.handle);
    return { image: { ...base, etag, variant }, inline };
  } finally {
    await opened.handle.close();
  }
}
