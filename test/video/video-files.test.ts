import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/main/adapters/http/server';
import { serveVideoUrl } from '../../src/main/shell/image-response';
import { parseRange } from '../../src/main/serving/video-file-service';
import { videoUrl } from '../../src/shared/contract';
import { serve } from '../adapters/http/http-helpers';
import { waitFor } from '../capture/support';
import { openTestLibrary, type TestLibrary } from '../helpers/temp-library';
import { seedTimelapse, type SeededTimelapse } from './support';

/** A rendered MP4 as browsers get it: byte ranges for <video> seeking, downloads, and the cascade. */
describe('video files', () => {
  let library: TestLibrary;
  let server: RunningServer;
  let seeded: SeededTimelapse;
  let videoId: number;
  let bytes: Buffer;

  beforeAll(async () => {
    library = await openTestLibrary({ poolSize: 1 });
    seeded = await seedTimelapse(library.core, { days: 2, perDay: 15, width: 640, height: 360 });
    const queued = await library.api.call('videos.render', {
      timelapse_id: seeded.timelapseId,
      fps: 10,
      size: 'small',
    });
    await library.core.videos.renderHere(queued.id);
    videoId = queued.id;
    bytes = await readFile(library.core.videos.filePath(videoId));
    server = await serve(library);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await library?.cleanup();
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(server.url + path, { headers });

  it('serves the whole file, seekable, revalidated by ETag', async () => {
    const whole = await get(videoUrl('http', videoId));
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('video/mp4');
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(whole.headers.get('content-disposition')).toBeNull();
    expect(Buffer.from(await whole.arrayBuffer()).equals(bytes)).toBe(true);
    const etag = whole.headers.get('etag')!;
    expect((await get(videoUrl('http', videoId), { 'if-none-match': etag })).status).toBe(304);
    const head = await fetch(server.url + videoUrl('http', videoId), { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length')]).toEqual([200, String(bytes.length)]);
  });

  it('answers byte ranges with 206 and the exact bytes, and 416 past the end', async () => {
    for (const [range, start, end] of [
      ['bytes=0-99', 0, 99],
      ['bytes=100-', 100, bytes.length - 1],
      ['bytes=-500', bytes.length - 500, bytes.length - 1],
      [`bytes=${bytes.length - 10}-${bytes.length + 1000}`, bytes.length - 10, bytes.length - 1],
    ] as const) {
      const part = await get(videoUrl('http', videoId), { range });
      expect(part.status, range).toBe(206);
      expect(part.headers.get('content-range')).toBe(`bytes ${start}-${end}/${bytes.length}`);
      expect(
        Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(start, end + 1)),
        range,
      ).toBe(true);
    }
    const past = await get(videoUrl('http', videoId), { range: `bytes=${bytes.length}-` });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${bytes.length}`);
    // Not one byte range (several, another unit, malformed): the whole file.
    for (const range of ['bytes=0-1,5-9', 'items=0-4', 'bytes=9-3']) {
      expect((await get(videoUrl('http', videoId), { range })).status, range).toBe(200);
    }
  });

  it('offers a download under the file name', async () => {
    const download = await get(videoUrl('http', videoId, true));
    const name = (await library.api.call('videos.get', { video_id: videoId })).file_name;
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="${name}"`);
    expect(Buffer.from(await download.arrayBuffer()).length).toBe(bytes.length);
  });

  it('answers the spec error body for an unknown video, one not rendered yet, and a bad id', async () => {
    const missing = await get(videoUrl('http', 999));
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({
      success: false,
      status_code: 404,
      details: { code: 'not_found' },
    });
    const queued = library.core.ops.videos.insert({
      timelapse_id: seeded.timelapseId,
      file_path: 'cameras/x/videos/never.mp4',
      size: 'small',
      fps: 10,
      from_day: null,
      to_day: null,
      frame_count: 1,
    });
    expect((await get(videoUrl('http', queued.id))).status).toBe(404);
    expect((await get('/api/videos/0/file')).status).toBe(400);
  });

  it('is served the same way through the app scheme (a <video> seeks with ranges there too)', async () => {
    const response = await serveVideoUrl(
      library.api,
      videoUrl('scheme', videoId),
      new Headers({ range: 'bytes=10-19' }),
    );
    expect(response.status).toBe(206);
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes.subarray(10, 20))).toBe(true);
    expect(
      (await serveVideoUrl(library.api, 'timelapser://videos/abc/file', new Headers())).status,
    ).toBe(404);
  });

  it('parses ranges as RFC 9110 says', () => {
    expect(parseRange('bytes=0-0', 10)).toEqual({ start: 0, end: 0 });
    expect(parseRange('bytes=-0', 10)).toBe('unsatisfiable');
    expect(parseRange('bytes=-20', 10)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=-', 10)).toBeNull();
  });

  it('goes with its timelapse: deleting the timelapse deletes the videos, rows and files, and stops a render', async () => {
    const { core, api } = library;
    const file = core.videos.filePath(videoId);
    const other = await seedTimelapse(core, { days: 1, perDay: 250, name: 'Busy' });
    const running = await api.call('videos.render', {
      timelapse_id: other.timelapseId,
      fps: 24,
      size: 'full',
    });
    core.videos.start();
    await waitFor(
      () => (core.ops.videos.getById(running.id)?.frames_done ?? 0) > 0,
      60_000,
      'the render under way',
    );
    const runningFile = core.videos.filePath(running.id);

    await api.call('timelapses.delete', { timelapse_id: seeded.timelapseId });
    expect(existsSync(file)).toBe(false);
    expect(core.ops.videos.getById(videoId)).toBeUndefined();
    expect((await get(videoUrl('http', videoId))).status).toBe(404);

    await api.call('timelapses.delete', { timelapse_id: other.timelapseId });
    expect(core.ops.videos.getById(running.id)).toBeUndefined();
    // The render notices at its next progress write, stops, and publishes nothing into the deleted folder.
    await waitFor(
      async () => (await readdir(core.tree.tempDirectory)).length === 0,
      20_000,
      'the render to stop',
    );
    expect(existsSync(runningFile)).toBe(false);
  });
});
