import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoffDelayMs } from '../../src/main/capture/backoff';
import { nextGridPoint } from '../../src/main/capture/schedule';
import { CaptureSourceError } from '../../src/main/capture/errors';
import { HttpSource } from '../../src/main/capture/sources/http-source';
import { truncated } from '../helpers/images';
import { cameraLikeJpeg, useTestLibrary } from '../helpers/temp-library';
import {
  framesOnDisk,
  imagesOf,
  liveJobsOf,
  recordEvents,
  startServer,
  tempFiles,
  useEngine,
  waitFor,
  type TestServer,
} from './support';

const AUTH = `Basic ${Buffer.from('viewer:s3cret').toString('base64')}`;

function sendJpeg(res: ServerResponse, bytes: Buffer): void {
  res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': bytes.length });
  res.end(bytes);
}

describe('http snapshot source', () => {
  let server: TestServer;
  let frame: Buffer;
  const never = new AbortController().signal;

  beforeAll(async () => {
    frame = await cameraLikeJpeg(640, 480, 4);
    server = await startServer((req, res) => {
      const path = req.url ?? '/';
      if (path === '/auth' && req.headers.authorization !== AUTH) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="cam"' }).end();
      } else if (path === '/auth' || path === '/good') sendJpeg(res, frame);
      else if (path === '/moved') res.writeHead(302, { location: '/auth' }).end();
      else if (path === '/loop') res.writeHead(302, { location: '/loop' }).end();
      else if (path === '/slow') setTimeout(() => sendJpeg(res, frame), 2_000);
      else if (path === '/trickle') {
        res.writeHead(200, { 'content-type': 'image/jpeg' });
        res.write(frame.subarray(0, 100));
      } else if (path === '/fail') res.writeHead(500).end('camera on fire');
      else if (path === '/html')
        res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>login</h1>');
      else if (path === '/huge') sendJpeg(res, Buffer.alloc(3_000_000, 1));
      else if (path === '/endless') {
        res.writeHead(200, { 'content-type': 'image/jpeg' });
        const chunk = Buffer.alloc(64 * 1024, 7);
        const pump = () => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once('drain', pump);
        };
        pump();
      } else if (path === '/empty') sendJpeg(res, Buffer.alloc(0));
      else res.writeHead(404).end();
    });
  });
  afterAll(() => server.close());

  async function failure(source: HttpSource): Promise<CaptureSourceError> {
    const error = await source.grab(never).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CaptureSourceError);
    return error as CaptureSourceError;
  }

  it('fetches a frame with basic auth from the URL or from the options', async () => {
    const host = server.url.replace('http://', '');
    expect(
      (await new HttpSource(`http://viewer:s3cret@${host}/auth`).grab(never)).equals(frame),
    ).toBe(true);
    expect(
      (
        await new HttpSource(`${server.url}/auth`, { username: 'viewer', password: 's3cret' }).grab(
          never,
        )
      ).equals(frame),
    ).toBe(true);
    expect((await failure(new HttpSource(`${server.url}/auth`))).details).toMatchObject({
      status: 401,
    });
    expect((await failure(new HttpSource(`http://viewer:wrong@${host}/auth`))).code).toBe(
      'source_http_status',
    );
  });

  it('follows a few redirects, keeping auth on the same origin, and refuses endless ones', async () => {
    const viaRedirect = await new HttpSource(`${server.url}/moved`, {
      username: 'viewer',
      password: 's3cret',
    }).grab(never);
    expect(viaRedirect.equals(frame)).toBe(true);
    const loop = await failure(new HttpSource(`${server.url}/loop`, { max_redirects: 2 }));
    expect(loop.code).toBe('source_too_many_redirects');
    expect(server.requests.filter((r) => r.url === '/loop')).toHaveLength(3);
  });

  it('times out slow answers and stalled bodies', async () => {
    const started = Date.now();
    expect((await failure(new HttpSource(`${server.url}/slow`, { timeout_ms: 300 }))).code).toBe(
      'source_timeout',
    );
    expect((await failure(new HttpSource(`${server.url}/trickle`, { timeout_ms: 300 }))).code).toBe(
      'source_timeout',
    );
    expect(Date.now() - started).toBeLessThan(1_900);
  });

  it('checks status, content type, size and emptiness; an unreachable camera is a clear error', async () => {
    expect((await failure(new HttpSource(`${server.url}/fail`))).details).toMatchObject({
      status: 500,
    });
    const html = await failure(new HttpSource(`${server.url}/html`));
    expect([html.code, html.details.content_type]).toEqual([
      'source_bad_content_type',
      'text/html',
    ]);
    const huge = await failure(new HttpSource(`${server.url}/huge`, { max_bytes: 1_000_000 }));
    expect([huge.code, huge.details.content_length]).toEqual(['source_too_large', 3_000_000]);
    const endless = await failure(
      new HttpSource(`${server.url}/endless`, { max_bytes: 1_000_000 }),
    );
    expect([endless.code, endless.details.content_length]).toEqual(['source_too_large', null]);
    expect((await failure(new HttpSource(`${server.url}/empty`))).code).toBe('source_empty');
    const closed = await startServer(() => {});
    const deadUrl = `${closed.url}/snap.jpg`;
    await closed.close();
    const refused = await failure(new HttpSource(deadUrl));
    expect([refused.code, refused.message]).toEqual([
      'source_unreachable',
      'snapshot request failed: ECONNREFUSED',
    ]);
  });

  it('stops at once when the worker aborts the grab', async () => {
    const controller = new AbortController();
    const grab = new HttpSource(`${server.url}/slow`, { timeout_ms: 5_000 }).grab(
      controller.signal,
    );
    setTimeout(() => controller.abort(), 50);
    await expect(grab).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('capture grid', () => {
  it('takes a point missed by under half an interval at once and skips one missed by more', () => {
    expect(nextGridPoint(10_000, 10_400, 1_000)).toBe(11_000); // on time
    expect(nextGridPoint(10_000, 11_300, 1_000)).toBe(11_000); // 300 ms late: now
    expect(nextGridPoint(10_000, 11_700, 1_000)).toBe(12_000); // 700 ms late: skip one
    expect(nextGridPoint(10_000, 13_600, 1_000)).toBe(14_000); // skip three
    expect(nextGridPoint(0, 85_000, 60_000)).toBe(60_000); // 25 s of a 60 s interval late: now
    expect(nextGridPoint(0, 95_000, 60_000)).toBe(120_000); // 35 s late: skip
  });
});

describe('backoff', () => {
  it('doubles from the base, never more often than the interval, capped', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => backoffDelayMs(n, 1_000));
    expect(delays).toEqual([
      5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000,
    ]);
    expect(backoffDelayMs(1, 60_000)).toBe(60_000);
    expect(backoffDelayMs(3, 3_600_000)).toBe(3_600_000);
    expect(backoffDelayMs(50, 1_000, { baseMs: 100, maxMs: 1_000 })).toBe(1_000);
  });
});

describe('capture worker with an http camera', () => {
  const pool = useEngine();
  const lib = useTestLibrary(() => ({ engine: pool.engine, capture: { backoff: { baseMs: 1_000, maxMs: 2_000 } } }));

  it('backs off on failures, rejects corrupt frames, recovers by itself and clears the error', async () => {
    const { core } = lib;
    // A live camera's snapshots differ from one to the next (the same bytes again are a duplicate).
    const goods = await Promise.all([8, 9, 10, 11, 12, 13].map((seed) => cameraLikeJpeg(640, 480, seed)));
    const script = ['fail', 'fail', 'corrupt', 'good', 'good'];
    let served = 0;
    const server = await startServer((_req, res) => {
      const index = served++;
      const step = script[Math.min(index, script.length - 1)];
      if (step === 'fail') res.writeHead(503).end('busy');
      else sendJpeg(res, step === 'corrupt' ? truncated(goods[0]!) : goods[Math.min(index - 2, goods.length - 1)]!);
    });
    const camera = core.cameras.create({
      name: 'Porch',
      source_type: 'http',
      source_url: `${server.url}/snap.jpg`,
      capture_interval_s: 1,
    });
    const timelapse = core.timelapses.start(camera.id);
    const events = recordEvents(core, 'capture_failed', 'frame_rejected', 'frame_captured');
    const worker = core.capture;
    const failedStates: string[] = [];
    core.events.on('capture_failed', () => {
      failedStates.push(worker.status()[0]!.state);
      failedStates.push(core.ops.cameras.getById(camera.id)!.last_error!);
    });
    try {
      worker.start();
      await waitFor(() => imagesOf(core, timelapse.id).length >= 2, 15_000, 'two stored frames');
    } finally {
      await worker.stop();
      await server.close();
    }

    const kinds = events.map((e) => e.type);
    expect(kinds.slice(0, 4)).toEqual([
      'capture_failed',
      'capture_failed',
      'frame_rejected',
      'frame_captured',
    ]);
    const failures = events.filter((e) => e.type === 'capture_failed');
    expect(failures.map((e) => e.retry_in_seconds)).toEqual([1, 2]);
    expect(failures[0]!.error).toBe('snapshot answered HTTP 503');
    expect(failedStates.slice(0, 2)).toEqual(['backoff', 'snapshot answered HTTP 503']);
    expect(events.find((e) => e.type === 'frame_rejected')).toMatchObject({
      reason: 'truncated',
      rejected_total: 1,
    });

    const images = imagesOf(core, timelapse.id);
    expect(await framesOnDisk(core, camera.id, timelapse.id)).toEqual(
      images.map((i) => i.file_path.split('/').pop()).sort(),
    );
    images.forEach((image, i) =>
      expect(readFileSync(core.tree.resolve(image.file_path)).equals(goods[i + 1]!)).toBe(true),
    );
    expect(liveJobsOf(core, images).map((j) => j.priority)).toEqual(images.map(() => 'medium'));
    expect(core.ops.cameras.getById(camera.id)).toMatchObject({
      last_error: null,
      rejected_frames: 1,
    });
    expect(await tempFiles(core)).toEqual([]);
  });
});
