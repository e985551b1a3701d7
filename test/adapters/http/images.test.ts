import { readFile, rm, writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_BATCH_IDS } from '../../../src/shared/contract';
import type { RunningServer } from '../../../src/main/adapters/http/server';
import { seedCamera } from '../../helpers/temp-library';
import { seedLibrary, useApiLibrary } from '../../api/api-library';
import { serve } from './http-helpers';

const IMAGE_CACHE = 'public, max-age=3600, s-maxage=3600';
const LATEST_CACHE = 'public, max-age=300, s-maxage=300';

describe('HTTP image serving', () => {
  const library = useApiLibrary();
  let server: RunningServer;
  let seeded: Awaited<ReturnType<typeof seedLibrary>>;

  beforeEach(async () => {
    seeded = await seedLibrary(library.core);
    server = await serve(library);
  });
  afterEach(() => server.close());

  const get = (path: string, headers: Record<string, string> = {}) => fetch(server.url + path, { headers });
  const decode = async (response: Response) => sharp(Buffer.from(await response.arrayBuffer())).metadata();
  const etagOf = (id: number, capturedAt: number, servedInstead?: string) =>
    `"image-${id}-${Math.floor(capturedAt / 1000)}${servedInstead ? `-${servedInstead}` : ''}"`;

  it('serves each variant with the spec ETag and the per-image Cache-Control', async () => {
    const [first] = seeded.images;
    const thumbnail = await get(`/api/images/${first!.id}/thumbnail`);
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers.get('content-type')).toBe('image/jpeg');
    expect(thumbnail.headers.get('etag')).toBe(etagOf(first!.id, first!.captured_at));
    expect(thumbnail.headers.get('cache-control')).toBe(IMAGE_CACHE);
    expect(thumbnail.headers.get('x-timelapser-variant')).toBe('thumbnail');
    expect(await decode(thumbnail)).toMatchObject({ format: 'jpeg', width: 200, height: 150 });

    const small = await get(`/api/images/${first!.id}/small`);
    expect(small.headers.get('x-timelapser-variant')).toBe('small');
    expect(await decode(small)).toMatchObject({ width: 800, height: 600 });

    for (const size of ['thumbnail', 'small', 'full'] as const) {
      const served = await get(`/api/images/${first!.id}/serve?size=${size}`);
      expect(served.headers.get('x-timelapser-variant')).toBe(size);
      expect(served.headers.get('cache-control')).toBe(IMAGE_CACHE);
      expect((await decode(served)).width).toBe({ thumbnail: 200, small: 800, full: 1024 }[size]);
    }
  });

  it('answers 304 to a matching If-None-Match, also in a list or weak', async () => {
    const [first] = seeded.images;
    const etag = etagOf(first!.id, first!.captured_at);
    for (const header of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const response = await get(`/api/images/${first!.id}/thumbnail`, { 'if-none-match': header });
      expect(response.status).toBe(304);
      expect(response.headers.get('etag')).toBe(etag);
      expect((await response.arrayBuffer()).byteLength).toBe(0);
    }
    const stale = await get(`/api/images/${first!.id}/thumbnail`, { 'if-none-match': '"image-1-1"' });
    expect(stale.status).toBe(200);
    // A cache-busting version parameter (the UI adds ?v=) changes nothing.
    expect((await get(`/api/images/${first!.id}/thumbnail?v=3`)).headers.get('etag')).toBe(etag);
    expect((await get(`/api/images/${first!.id}/serve?size=small&v=3`)).headers.get('x-timelapser-variant')).toBe('small');
  });

  it('falls back thumbnail → small → full → placeholder as files go missing', async () => {
    const [first] = seeded.images;
    const image = library.core.ops.images.getById(first!.id)!;
    const variant = async () => {
      const response = await get(`/api/images/${image.id}/thumbnail`);
      expect(response.status).toBe(200);
      return { variant: response.headers.get('x-timelapser-variant'), response };
    };
    expect((await variant()).variant).toBe('thumbnail');

    await rm(library.core.tree.resolve(image.thumbnail_path!));
    const small = await variant();
    expect(small.variant).toBe('small');
    expect((await decode(small.response)).width).toBe(800);

    await rm(library.core.tree.resolve(image.small_path!));
    const full = await variant();
    expect(full.variant).toBe('full');
    expect((await decode(full.response)).width).toBe(1024);

    await rm(library.core.tree.resolve(image.file_path));
    const placeholder = await variant();
    expect(placeholder.variant).toBe('placeholder');
    expect(placeholder.response.headers.get('cache-control')).toBe('no-store');
    expect(placeholder.response.headers.get('etag')).toBeNull();
    expect(await decode(placeholder.response)).toMatchObject({ format: 'jpeg', width: 800, height: 600 });
  });

  it('never lets a fallback pass for the real variant: its own ETag, revalidated every time', async () => {
    const [first] = seeded.images;
    const image = library.core.ops.images.getById(first!.id)!;
    const real = etagOf(image.id, image.captured_at);
    const url = `/api/images/${image.id}/thumbnail`;
    expect((await get(url)).headers.get('etag')).toBe(real);

    // The thumbnail goes missing: the small stands in, named as such, and a client's
    // cached thumbnail ETag no longer validates (it gets the small, not a 304).
    const thumbnailBytes = await readFile(library.core.tree.resolve(image.thumbnail_path!));
    await rm(library.core.tree.resolve(image.thumbnail_path!));
    const fallback = await get(url, { 'if-none-match': real });
    expect(fallback.status).toBe(200);
    expect(fallback.headers.get('x-timelapser-variant')).toBe('small');
    expect(fallback.headers.get('etag')).toBe(etagOf(image.id, image.captured_at, 'small'));
    expect(fallback.headers.get('cache-control')).toBe('no-cache');
    expect((await decode(fallback)).width).toBe(800);
    // While it stays missing, revalidating the fallback is a cheap 304.
    const still = await get(url, { 'if-none-match': fallback.headers.get('etag')! });
    expect(still.status).toBe(304);
    expect(still.headers.get('x-timelapser-variant')).toBe('small');

    // The thumbnail exists again: the same revalidation now gets it.
    await writeFile(library.core.tree.resolve(image.thumbnail_path!), thumbnailBytes);
    const back = await get(url, { 'if-none-match': fallback.headers.get('etag')! });
    expect(back.status).toBe(200);
    expect(back.headers.get('x-timelapser-variant')).toBe('thumbnail');
    expect(back.headers.get('etag')).toBe(real);
    expect(back.headers.get('cache-control')).toBe(IMAGE_CACHE);
    expect((await decode(back)).width).toBe(200);
    expect((await get(url, { 'if-none-match': real })).status).toBe(304);
  });

  it('starts the cascade at the requested size', async () => {
    const [, second, third] = seeded.images;
    // The second frame has a small but no thumbnail; the third only its frame.
    expect((await get(`/api/images/${second!.id}/thumbnail`)).headers.get('x-timelapser-variant')).toBe('small');
    expect((await get(`/api/images/${third!.id}/small`)).headers.get('x-timelapser-variant')).toBe('full');
    await rm(library.core.tree.resolve(second!.file_path));
    expect((await get(`/api/images/${second!.id}/serve?size=full`)).headers.get('x-timelapser-variant')).toBe('small');
  });

  it("serves a camera's latest frame with the 5-minute Cache-Control", async () => {
    const latest = seeded.images[2]!; // a bare frame: thumbnail and small fall back to it
    const full = await get(`/api/cameras/${seeded.camera.id}/latest-image/full`);
    expect(full.status).toBe(200);
    expect(full.headers.get('cache-control')).toBe(LATEST_CACHE);
    expect(full.headers.get('etag')).toBe(etagOf(latest.id, latest.captured_at));
    for (const variant of ['thumbnail', 'small'] as const) {
      const response = await get(`/api/cameras/${seeded.camera.id}/latest-image/${variant}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('x-timelapser-variant')).toBe('full');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('etag')).toBe(etagOf(latest.id, latest.captured_at, 'full'));
    }
    const cached = await get(`/api/cameras/${seeded.camera.id}/latest-image/full`, {
      'if-none-match': etagOf(latest.id, latest.captured_at),
    });
    expect(cached.status).toBe(304);
    expect(cached.headers.get('cache-control')).toBe(LATEST_CACHE);

    const metadata = await (await get(`/api/cameras/${seeded.camera.id}/latest-image`)).json();
    expect(metadata).toMatchObject({
      success: true,
      data: {
        id: latest.id,
        captured_at: new Date(latest.captured_at).toISOString(),
        urls: {
          thumbnail: `/api/images/${latest.id}/thumbnail`,
          small: `/api/images/${latest.id}/small`,
          full: `/api/images/${latest.id}/serve?size=full`,
        },
      },
    });
  });

  it('shows the placeholder for a camera without frames and 404s unknown cameras and images', async () => {
    const { camera } = seedCamera(library.core, 'Empty');
    const empty = await get(`/api/cameras/${camera.id}/latest-image/thumbnail`);
    expect(empty.status).toBe(200);
    expect(empty.headers.get('x-timelapser-variant')).toBe('placeholder');

    for (const path of ['/api/cameras/999/latest-image/thumbnail', '/api/images/999/thumbnail', '/api/images/999/serve?size=small']) {
      const response = await get(path);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ success: false, status_code: 404 });
    }
    expect(await (await get('/api/images/999/small')).json()).toEqual({
      success: false,
      error: 'Image not found',
      status_code: 404,
      details: { code: 'not_found', image_id: 999 },
    });
    expect((await get('/api/images/1/serve?size=huge')).status).toBe(400);
    expect((await get(`/api/cameras/${camera.id}/latest-image/medium`)).status).toBe(400);
  });

  it('loads a batch: thumbnails inline, the cascade per image, unknown ids listed', async () => {
    const ids = seeded.images.map((image) => image.id);
    const response = await get(`/api/images/batch?ids=${[...ids, 999].join(',')}&size=thumbnail`);
    expect(response.status).toBe(200);
    const { data } = (await response.json()) as { data: { images: { variant: string; etag: string; data_uri: string | null }[]; missing_ids: number[] } };
    expect(data.missing_ids).toEqual([999]);
    expect(data.images.map((entry) => entry.variant)).toEqual(['thumbnail', 'small', 'full']);
    const [a, b, c] = seeded.images;
    expect(data.images.map((entry) => entry.etag)).toEqual([
      etagOf(a!.id, a!.captured_at),
      etagOf(b!.id, b!.captured_at, 'small'),
      etagOf(c!.id, c!.captured_at, 'full'),
    ]);
    const inline = Buffer.from(data.images[0]!.data_uri!.replace('data:image/jpeg;base64,', ''), 'base64');
    expect(await sharp(inline).metadata()).toMatchObject({ width: 200, height: 150 });
    expect(data.images[2]!.data_uri).toBeNull();
  });

  it(`refuses a batch of more than ${MAX_BATCH_IDS} ids with 413`, async () => {
    const ids = Array.from({ length: MAX_BATCH_IDS + 1 }, (_, i) => i + 1).join(',');
    const response = await get(`/api/images/batch?ids=${ids}`);
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      success: false,
      error: `Batch requests take at most ${MAX_BATCH_IDS} ids`,
      status_code: 413,
      details: { code: 'payload_too_large', max_ids: MAX_BATCH_IDS, requested: MAX_BATCH_IDS + 1 },
    });
    const exactly = Array.from({ length: MAX_BATCH_IDS }, (_, i) => i + 1).join(',');
    expect((await get(`/api/images/batch?ids=${exactly}`)).status).toBe(200);
  });
});
