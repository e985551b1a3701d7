import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../src/main/adapters/http/server';
import { openCore } from '../../../src/main/core';
import type {
  FrameRejectionPage,
  ImagePage,
  ImportFolderResult,
} from '../../../src/shared/contract';
import { textAsJpeg, truncated } from '../../helpers/images';
import { noSignalScreen } from '../../helpers/scenes';
import {
  cameraLikeJpeg,
  makeTempDir,
  openTestLibrary,
  type TestLibrary,
} from '../../helpers/temp-library';
import { framesOnDisk, imagesOf } from '../../capture/support';
import { callHttp, serve } from '../http/http-helpers';
import { jsonOf, runCli } from './cli-helpers';

const START = new Date(2025, 5, 10, 9, 0, 0).getTime();

/** A folder of `count` camera frames a minute apart, plus one PNG snapshot and one truncated file. */
async function frameFolder(
  count: number,
): Promise<{ path: string; remove(): void; frames: number }> {
  const folder = makeTempDir('timelapser-shared-folder-');
  for (let i = 0; i < count; i++) {
    const file = join(folder.path, `IMG_${String(i).padStart(4, '0')}.jpg`);
    writeFileSync(file, await cameraLikeJpeg(640, 480, 100 + i));
    const at = new Date(START + i * 60_000);
    utimesSync(file, at, at);
  }
  const png = join(folder.path, 'snapshot.png');
  writeFileSync(
    png,
    await sharp(await cameraLikeJpeg(640, 480, 7))
      .png()
      .toBuffer(),
  );
  utimesSync(png, new Date(START + count * 60_000), new Date(START + count * 60_000));
  writeFileSync(join(folder.path, 'IMG_broken.jpg'), truncated(await cameraLikeJpeg(640, 480, 8)));
  return { ...folder, frames: count + 1 };
}

describe('every refusal is visible: the rejection log over HTTP and the CLI', () => {
  let library: TestLibrary;
  let server: RunningServer | undefined;
  beforeEach(async () => {
    library = await openTestLibrary();
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await library.cleanup();
  });

  async function refuseSome() {
    const { core } = library;
    const camera = core.ops.cameras.create({
      name: 'Gate',
      source_type: 'http',
      source_url: 'http://viewer:s3cret@192.0.2.7/snapshot.jpg',
    });
    const timelapse = core.ops.timelapses.create(camera.id, 'Gate session', START);
    const good = await cameraLikeJpeg(640, 480, 1);
    await core.pipeline.ingest({ camera, timelapse, bytes: good, capturedAt: START });
    await core.pipeline.ingest({
      camera,
      timelapse,
      bytes: truncated(good),
      capturedAt: START + 1000,
    });
    await core.pipeline.ingest({
      camera,
      timelapse,
      bytes: textAsJpeg(),
      capturedAt: START + 2000,
      source: 'upload-17.jpg',
    });
    const flat = await (
      await noSignalScreen({ width: 640, height: 480 }, 'grey NO SIGNAL')
    )
      .jpeg()
      .toBuffer();
    await core.pipeline.ingest({ camera, timelapse, bytes: flat, capturedAt: START + 3000 });
    return { camera, timelapse };
  }

  it('GET /api/cameras/:camera_id/rejections: newest first, with source, reason, message and size', async () => {
    const { camera } = await refuseSome();
    server = await serve(library);

    const reply = await callHttp(server, 'cameras.rejections', { camera_id: camera.id });

    expect(reply.status).toBe(200);
    const page = (reply.body as { success: true; data: FrameRejectionPage }).data;
    expect(page).toMatchObject({
      camera_id: camera.id,
      rejected_total: 2,
      since_last_frame: 0,
      next_before_id: null,
    });
    expect(page.rejections).toEqual([
      {
        id: expect.any(Number),
        camera_id: camera.id,
        rejected_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        source: 'upload-17.jpg',
        reason: 'not_an_image',
        message: expect.stringMatching(/not a JPEG, PNG or WebP/),
        byte_size: textAsJpeg().length,
      },
      expect.objectContaining({
        // The camera's URL, with its password masked.
        source: 'http://viewer:********@192.0.2.7/snapshot.jpg',
        reason: 'truncated',
      }),
    ]);
    const older = await callHttp(server, 'cameras.rejections', { camera_id: camera.id, limit: 1 });
    const first = (older.body as { data: FrameRejectionPage }).data;
    expect(first.rejections).toHaveLength(1);
    const next = await callHttp(server, 'cameras.rejections', {
      camera_id: camera.id,
      before_id: first.next_before_id!,
    });
    expect(
      (next.body as { data: FrameRejectionPage }).data.rejections.map((r) => r.reason),
    ).toEqual(['truncated']);

    expect((await callHttp(server, 'cameras.rejections', { camera_id: 999 })).status).toBe(404);
    expect(
      (await callHttp(server, 'cameras.rejections', { camera_id: camera.id, limit: 501 })).status,
    ).toBe(400);
  });

  it('GET /api/timelapses/:id/images?flagged=true pages the flagged frames, and every image says whether it is one', async () => {
    const { timelapse } = await refuseSome();
    server = await serve(library);

    const all = (await callHttp(server, 'timelapses.images', { timelapse_id: timelapse.id }))
      .body as { data: ImagePage };
    expect(all.data.images.map((i) => [i.is_flagged, i.flag_reason])).toEqual([
      [false, null],
      [true, 'uniform'],
    ]);
    const flagged = (
      await callHttp(server, 'timelapses.images', { timelapse_id: timelapse.id, flagged: true })
    ).body as { data: ImagePage };
    expect(flagged.data.images.map((i) => i.flag_reason)).toEqual(['uniform']);
    const session = (await callHttp(server, 'timelapses.get', { timelapse_id: timelapse.id }))
      .body as {
      data: { image_count: number; flagged_count: number };
    };
    expect(session.data).toMatchObject({ image_count: 2, flagged_count: 1 });
  });

  it('timelapser rejections --camera ID: the log in words, and --json the API envelope', async () => {
    const { camera } = await refuseSome();

    // The CLI opens the library next to this process, as it may beside the app.
    const human = await runCli([
      '--data',
      library.root,
      'rejections',
      '--camera',
      String(camera.id),
    ]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(
      new RegExp(
        `^Refused frames of camera ${camera.id}\n2 frames refused in all, 0 since the last stored frame\n`,
      ),
    );
    expect(human.stdout).toMatch(
      /not an image {2}upload-17\.jpg: The file is not a JPEG, PNG or WebP image/,
    );

    const json = jsonOf(
      await runCli(['--data', library.root, 'rejections', '--camera', String(camera.id), '--json']),
    );
    expect(json).toMatchObject({
      success: true,
      data: { camera_id: camera.id, rejected_total: 2 },
    });
    expect((json.data as FrameRejectionPage).rejections.map((r) => r.reason)).toEqual([
      'not_an_image',
      'truncated',
    ]);

    const unknown = await runCli(['--data', library.root, 'rejections', '--camera', '999']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/Camera not found/);
  });
});

describe('concurrent imports of one folder store each frame exactly once', () => {
  const data = makeTempDir('timelapser-concurrent-');
  afterEach(() => undefined);

  it('two processes (the CLI and the HTTP server) importing the same folder at once', async () => {
    const folder = await frameFolder(40);
    const library = await openTestLibrary();
    const server = await serve(library);
    try {
      const cli = runCli([
        '--data',
        library.root,
        'import',
        folder.path,
        '--camera',
        'Shared',
        '--json',
      ]);
      // Start the HTTP import once the CLI is importing, so both work through the folder together.
      while (!library.core.ops.cameras.getByName('Shared'))
        await new Promise((r) => setTimeout(r, 20));
      const http = callHttp(server, 'capture.importFolder', {
        folder: folder.path,
        camera: 'Shared',
      });
      const [cliRun, httpReply] = await Promise.all([cli, http]);
      expect(cliRun.code, cliRun.stderr).toBe(0);
      expect(httpReply.status, JSON.stringify(httpReply.body)).toBe(200);
      const results = [
        jsonOf(cliRun).data as ImportFolderResult,
        (httpReply.body as { data: ImportFolderResult }).data,
      ];
      expect(results[0]!.timelapse_id).toBe(results[1]!.timelapse_id);
      // Each frame went in once, by one of the two; the other saw it held.
      expect(results[0]!.imported + results[1]!.imported).toBe(folder.frames);
      for (const result of results) {
        expect(result.imported + result.skipped_duplicates).toBe(folder.frames);
        expect(result.rejected.map((r) => r.file)).toEqual(['IMG_broken.jpg']);
      }
      const { core } = library;
      const images = imagesOf(core, results[0]!.timelapse_id);
      expect(images).toHaveLength(folder.frames);
      expect(new Set(images.map((i) => i.content_hash!.toString('hex'))).size).toBe(folder.frames);
      expect(
        await framesOnDisk(core, results[0]!.camera_id, results[0]!.timelapse_id),
      ).toHaveLength(folder.frames);
      expect(core.ops.cameras.list().filter((c) => c.name === 'Shared')).toHaveLength(1);
      expect(core.ops.timelapses.listForCamera(results[0]!.camera_id)).toHaveLength(1);
      expect(core.db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      await server.close();
      await library.cleanup();
      folder.remove();
    }
  });

  it('two libraries opened on one data root racing from the first file: one camera, one session', async () => {
    const folder = await frameFolder(12);
    const a = await openCore({ dataRoot: data.path });
    const b = await openCore({ dataRoot: data.path });
    try {
      const results = await Promise.all(
        [a, b].map((core) => core.importFolder({ folder: folder.path, cameraName: 'Race' })),
      );
      expect(results[0]!.camera_id).toBe(results[1]!.camera_id);
      expect(results[0]!.timelapse_id).toBe(results[1]!.timelapse_id);
      expect(results[0]!.imported + results[1]!.imported).toBe(folder.frames);
      expect(imagesOf(a, results[0]!.timelapse_id)).toHaveLength(folder.frames);
      expect(a.ops.timelapses.list()).toHaveLength(1);
    } finally {
      await a.close();
      await b.close();
      folder.remove();
      data.remove();
    }
  });
});
