import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureSourceError } from '../../src/main/capture/errors';
import { FfmpegNotFoundError } from '../../src/main/system/ffmpeg';
import { RtspSource } from '../../src/main/capture/sources/rtsp-source';
import { cameraLikeJpeg, useTestLibrary } from '../helpers/temp-library';
import {
  framesOnDisk,
  imagesOf,
  liveJobsOf,
  startServer,
  useEngine,
  waitFor,
  type TestServer,
} from './support';

const never = new AbortController().signal;
const hasFfmpeg = spawnSync('ffmpeg', ['-version']).status === 0;
const SYSTEM_PYTHON = '/usr/bin/python3';
const hasRtspServer =
  spawnSync(SYSTEM_PYTHON, ['-c', "import gi; gi.require_version('GstRtspServer', '1.0')"])
    .status === 0;
const rtspSkip = !hasFfmpeg
  ? 'ffmpeg is not installed (apt-get install ffmpeg)'
  : !hasRtspServer
    ? 'no loopback RTSP server: apt-get install python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-good'
    : null;
const SERVER_SCRIPT = fileURLToPath(new URL('./fixtures/rtsp-server.py', import.meta.url));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Command lines of running ffmpeg processes that mention `needle`. */
function ffmpegProcessesWith(needle: string): string[] {
  return execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.startsWith('ffmpeg') && line.includes(needle));
}

describe('rtsp source', () => {
  it('says clearly that ffmpeg is missing', async () => {
    const error = await new RtspSource('rtsp://127.0.0.1:1/cam', {}, '/nonexistent/ffmpeg')
      .grab(never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FfmpegNotFoundError);
    expect(error).toMatchObject({ code: 'ffmpeg_missing', statusCode: 500 });
    expect((error as Error).message).toMatch(/install it .*TIMELAPSER_FFMPEG/);
  });

  describe.skipIf(!hasFfmpeg)('through the system ffmpeg', () => {
    let http: TestServer;
    let jpeg: Buffer;
    beforeAll(async () => {
      jpeg = await cameraLikeJpeg(640, 480, 12);
      http = await startServer((req, res) => {
        if (req.url === '/snap.jpg')
          res
            .writeHead(200, { 'content-type': 'image/jpeg', 'content-length': jpeg.length })
            .end(jpeg);
        else res.writeHead(404).end();
      });
    });
    afterAll(() => http.close());

    it('grabs one frame as JPEG from an http URL through the same ffmpeg path', async () => {
      const bytes = await new RtspSource(`${http.url}/snap.jpg`).grab(never);
      const meta = await sharp(bytes).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 640, 480]);
    });

    it('kills ffmpeg at the timeout when the server never answers', async () => {
      const silent = createServer(() => {});
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const url = `rtsp://user:pw@127.0.0.1:${(silent.address() as { port: number }).port}/silent`;
      try {
        const started = Date.now();
        const error = await new RtspSource(url, { timeout_ms: 1_000 })
          .grab(never)
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(CaptureSourceError);
        expect((error as CaptureSourceError).code).toBe('source_timeout');
        expect((error as CaptureSourceError).details.url).toMatch(/user:\*\*\*@/);
        expect(Date.now() - started).toBeLessThan(3_000);
        await waitFor(
          () => ffmpegProcessesWith('/silent').length === 0,
          2_000,
          'ffmpeg to be gone',
        );
      } finally {
        silent.close();
      }
    });

    it('reports ffmpeg failures with its message', async () => {
      const error = await new RtspSource(`${http.url}/missing.jpg`)
        .grab(never)
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'source_failed' });
      expect((error as Error).message).toMatch(/ffmpeg exited with code \d+: .*404/);
    });
  });

  describe.skipIf(rtspSkip !== null)(
    `over real RTSP/TCP on loopback${rtspSkip ? ` (skipped: ${rtspSkip})` : ''}`,
    () => {
      const pool = useEngine();
      const lib = useTestLibrary(() => ({ engine: pool.engine }));
      let server: ChildProcess;
      let url: string;

      beforeAll(async () => {
        const port = await freePort();
        url = `rtsp://127.0.0.1:${port}/cam`;
        server = spawn(SYSTEM_PYTHON, [SERVER_SCRIPT, String(port)], {
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        await new Promise<void>((resolve, reject) => {
          server.stdout!.on(
            'data',
            (chunk: Buffer) => chunk.toString().includes('ready') && resolve(),
          );
          server.once('exit', (code) => reject(new Error(`RTSP test server exited (${code})`)));
        });
      });
      afterAll(() => {
        server?.kill();
      });

      it('captures frames of a stream through the worker into the active timelapse', async () => {
        const { core } = lib;
        const camera = core.cameras.create({
          name: 'Stream',
          source_type: 'rtsp',
          source_url: url,
          capture_interval_s: 1,
        });
        const timelapse = core.timelapses.start(camera.id);
        const worker = core.capture;
        try {
          worker.start();
          await waitFor(
            () => imagesOf(core, timelapse.id).length >= 1,
            40_000,
            'a frame from the RTSP stream',
          );
        } finally {
          await worker.stop();
        }
        const images = imagesOf(core, timelapse.id);
        expect(images[0]).toMatchObject({ width: 640, height: 360, day_number: 1 });
        expect(await framesOnDisk(core, camera.id, timelapse.id)).toHaveLength(images.length);
        const meta = await sharp(core.tree.resolve(images[0]!.file_path)).metadata();
        expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 640, 360]);
        expect(liveJobsOf(core, images)).toHaveLength(images.length);
        expect(core.ops.cameras.getById(camera.id)!.last_error).toBeNull();
      }, 60_000);
    },
  );
});
