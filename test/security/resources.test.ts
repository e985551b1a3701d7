import { chmodSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CaptureWorker } from '../../src/main/capture/capture-worker';
import { HttpSource } from '../../src/main/capture/sources/http-source';
import { REJECTED_SUBFOLDER } from '../../src/main/capture/sources/folder-source';
import { RtspSource } from '../../src/main/capture/sources/rtsp-source';
import type { RunningServer } from '../../src/main/adapters/http/server';
import { MAX_FRAME_BYTES } from '../../src/main/imaging/frame-file';
import { batchImages } from '../../src/main/serving/batch';
import { serve } from '../adapters/http/http-helpers';
import { framesOnDisk, recordEvents, startServer, useEngine, waitFor } from '../capture/support';
import {
  cameraLikeJpeg,
  seedCamera,
  seedFrame,
  useTempDir,
  useTestLibrary,
} from '../helpers/temp-library';
import { sparseJpeg } from '../helpers/images';
import { useTally } from './harness';

const GIB = 1024 ** 3;
const HUGE = 1.5 * GIB;

describe('bounded resources', () => {
  const tally = useTally('resources');

  describe('batch responses', () => {
    const lib = useTestLibrary({ poolSize: 1 });
    let server: RunningServer;
    const sockets: Socket[] = [];
    afterEach(async () => {
      sockets.splice(0).forEach((socket) => socket.destroy());
      await server?.close();
    });

    /** 200 frames whose small is the same 800×600 file: one batch of smalls is ~20 MB. */
    async function seedBatch(): Promise<number[]> {
      const { core } = lib;
      const { camera, timelapse } = seedCamera(core, 'Yard');
      const small = join(
        core.tree.resolve(core.tree.kindDir(camera.id, timelapse.id, 'small')),
        'shared.jpg',
      );
      writeFileSync(small, await cameraLikeJpeg(800, 600, 7, 95));
      const frame = await cameraLikeJpeg(160, 120, 1);
      const ids: number[] = [];
      for (let i = 0; i < 200; i++) {
        const { image } = await seedFrame(
          core,
          camera.id,
          timelapse.id,
          new Date(2026, 0, 2, 10, 0, i % 60, 0),
          frame,
          1 + Math.floor(i / 60),
        );
        core.ops.images.setSmallPath(image.id, core.tree.relative(small), statSync(small).size);
        ids.push(image.id);
      }
      return ids;
    }

    /** A client that sends the request and then stops reading: its response stays in flight. */
    function stalledClient(path: string, localAddress: string): Promise<string> {
      return new Promise((resolve, reject) => {
        const socket = connect({ port: server.port, host: '127.0.0.1', localAddress });
        sockets.push(socket);
        socket.once('error', reject);
        socket.once('data', (chunk: Buffer) => {
          socket.pause();
          resolve(chunk.toString('latin1').split('\r\n')[0]!);
        });
        socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n\r\n`);
      });
    }

    it('streams a batch: the same answer as the in-memory one, sent in chunks', async () => {
      const ids = await seedBatch();
      server = await serve(lib);
      const response = await fetch(
        `${server.url}/api/images/batch?ids=${ids.join(',')}&size=small&t=1699999999`,
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('transfer-encoding')).toBe('chunked');
      expect(response.headers.get('content-length')).toBeNull();
      const body = (await response.json()) as { success: boolean; data: unknown };
      expect(body).toEqual({
        success: true,
        data: await batchImages(lib.core, lib.core.images, ids, 'small'),
      });
      expect(JSON.stringify(body).length).toBeGreaterThan(15_000_000);
    });

    it('bounds batches in flight per client (429) and overall (503), and frees a slot when a client goes', async () => {
      const ids = await seedBatch();
      server = await serve(lib, { batchLimits: { total: 2, perClient: 1 } });
      const path = `/api/images/batch?ids=${ids.join(',')}&size=small`;
      expect(await stalledClient(path, '127.0.0.1')).toBe('HTTP/1.1 200 OK');
      const second = await fetch(server.url + path);
      tally('batch concurrency', second.status === 429);
      expect(second.status).toBe(429);
      expect(second.headers.get('retry-after')).toBe('1');
      expect(await second.json()).toMatchObject({
        success: false,
        status_code: 429,
        details: { code: 'too_many_requests', per_client: 1 },
      });

      expect(await stalledClient(path, '127.0.0.2')).toBe('HTTP/1.1 200 OK');
      const third = await stalledClient(path, '127.0.0.3');
      tally('batch concurrency', third === 'HTTP/1.1 503 Service Unavailable');
      expect(third).toBe('HTTP/1.1 503 Service Unavailable');

      // The first client gives up: its slot is free again.
      sockets[0]!.destroy();
      await waitFor(
        async () => (await fetch(server.url + path, { method: 'HEAD' })).status === 200,
        5_000,
        'a free slot',
      );
      // Other reads are not limited by batches in flight.
      expect((await fetch(`${server.url}/api/cameras`)).status).toBe(200);
    });
  });

  describe('the frame byte cap, before any file is read in', () => {
    const pool = useEngine();
    const lib = useTestLibrary(() => ({
      engine: pool.engine,
      capture: { backoff: { baseMs: 500, maxMs: 500 } },
    }));
    const inbox = useTempDir('timelapser-inbox-');
    let worker: CaptureWorker | undefined;
    afterEach(async () => worker?.stop());

    it('import: a 1.5 GB file that starts as a JPEG is refused as too_large; the good frame goes in; nothing of it is written', async () => {
      await sparseJpeg(join(inbox.path, 'a-huge.jpg'), HUGE);
      writeFileSync(join(inbox.path, 'b-good.jpg'), await cameraLikeJpeg(640, 480, 2));
      const result = await lib.core.importFolder({ folder: inbox.path, cameraName: 'Import' });
      expect(result.rejected).toEqual([
        {
          file: 'a-huge.jpg',
          reason: 'too_large',
          message: expect.stringMatching(/more than any camera frame/),
        },
      ]);
      expect(result.imported).toBe(1);
      const written = await framesOnDisk(lib.core, result.camera_id, result.timelapse_id);
      expect(written).toHaveLength(1);
      const frameDir = lib.core.tree.resolve(
        lib.core.tree.kindDir(result.camera_id, result.timelapse_id, 'frame'),
      );
      expect(statSync(join(frameDir, written[0]!)).size).toBeLessThan(1024 * 1024);
      expect(statSync(join(inbox.path, 'a-huge.jpg')).size).toBe(HUGE); // the user's file is left as it was
      tally('frame byte cap', true);
    });

    it('watch folder: the file is set aside in rejected/ and the camera says why; the next frame is taken', async () => {
      const { core } = lib;
      const camera = core.cameras.create({
        name: 'FTP drop',
        source_type: 'folder',
        source_url: inbox.path,
        // An inbox (the camera deletes what it took): refused files move to rejected/.
        source_options: { stable_ms: 200, after_ingest: 'delete' },
        capture_interval_s: 1,
      });
      const timelapse = core.timelapses.start(camera.id);
      const failures = recordEvents(core, 'capture_failed');
      await sparseJpeg(join(inbox.path, 'huge.jpg'), HUGE);
      worker = core.capture;
      worker.start();
      await waitFor(
        () => existsSync(join(inbox.path, REJECTED_SUBFOLDER, 'huge.jpg')),
        15_000,
        'the file set aside',
      );
      expect(failures.map((event) => event.error)).toEqual([
        expect.stringMatching(/huge\.jpg is larger than any camera frame/),
      ]);
      expect(statSync(join(inbox.path, REJECTED_SUBFOLDER, 'huge.jpg')).size).toBe(HUGE);
      writeFileSync(join(inbox.path, 'good.jpg'), await cameraLikeJpeg(640, 480, 3));
      await waitFor(
        async () => (await framesOnDisk(core, camera.id, timelapse.id)).length === 1,
        20_000,
        'the next frame',
      );
      // The inbox's file goes once its frame is stored, a moment after the frame appears.
      await waitFor(
        async () => (await readdir(inbox.path)).join() === REJECTED_SUBFOLDER,
        10_000,
        'the taken file to leave the inbox',
      );
      tally('frame byte cap', true);
    });

    it('HTTP snapshot: a 1.5 GB answer is cut off at the cap, even when the camera allows more', async () => {
      const camera = await startServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'image/jpeg' }); // no length: it just keeps coming
        res.write(Buffer.from([0xff, 0xd8, 0xff, 0xe0]));
        const chunk = Buffer.alloc(1024 * 1024);
        let sent = 0;
        const more = () => {
          while (sent < HUGE && !res.destroyed) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', more);
          }
          res.end();
        };
        more();
      });
      try {
        const source = new HttpSource(`${camera.url}/snapshot.jpg`, {
          max_bytes: 200 * 1024 * 1024,
          timeout_ms: 60_000,
        });
        const error = await source.grab(new AbortController().signal).then(
          () => null,
          (e: { code: string; details: Record<string, unknown> }) => e,
        );
        expect(error).toMatchObject({
          code: 'source_too_large',
          details: { max_bytes: MAX_FRAME_BYTES },
        });
        tally('frame byte cap', error?.code === 'source_too_large');
      } finally {
        await camera.close();
      }
    });

    it('RTSP: ffmpeg writing 1.5 GB is stopped at the cap', async () => {
      const fake = join(inbox.path, 'ffmpeg');
      writeFileSync(
        fake,
        `#!/bin/sh\nprintf '\\377\\330\\377\\340'\nexec head -c ${HUGE} /dev/zero\n`,
      );
      chmodSync(fake, 0o755);
      const source = new RtspSource(
        'rtsp://camera.invalid/stream',
        { max_bytes: 200 * 1024 * 1024, timeout_ms: 60_000 },
        fake,
      );
      const error = await source.grab(new AbortController().signal).then(
        () => null,
        (e: { code: string }) => e,
      );
      expect(error).toMatchObject({ code: 'source_too_large' });
      tally('frame byte cap', error?.code === 'source_too_large');
    });
  });
});
