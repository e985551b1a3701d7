import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { FramePipeline } from '../../src/main/ingest/frame-pipeline';
import type { Core } from '../../src/main/core';
import { formatFileName } from '../../src/main/files/names';
import { rgbaPng, textAsJpeg, truncated, uniformFrame, corruptJpeg } from '../helpers/images';
import { captureLog } from '../helpers/log-capture';
import { cameraLikeJpeg, useTestLibrary } from '../helpers/temp-library';
import {
  framesOnDisk,
  imagesOf,
  liveJobsOf,
  recordEvents,
  tempFiles,
  useEngine,
} from '../capture/support';

const START = new Date(2025, 5, 10, 14, 30, 0).getTime();

function setup(core: Core, startedAt = START, generateThumbnails = true) {
  const camera = core.ops.cameras.create({
    name: 'Yard',
    source_type: 'demo',
    generate_thumbnails: generateThumbnails,
  });
  const timelapse = core.ops.timelapses.create(camera.id, 'Yard session', startedAt);
  return { camera, timelapse };
}

describe('frame pipeline', () => {
  const pool = useEngine();
  const lib = useTestLibrary(() => ({ engine: pool.engine }));

  it('stores a good frame under the spec name, inserts its row, queues a medium job and announces it', async () => {
    const { core } = lib;
    const { camera, timelapse } = setup(core);
    const events = recordEvents(core, 'frame_captured');
    const bytes = await cameraLikeJpeg(640, 480, 3);
    const capturedAt = new Date(2025, 5, 10, 14, 30, 22).getTime();

    const outcome = await core.pipeline.ingest({
      camera,
      timelapse,
      bytes,
      capturedAt,
    });

    expect(outcome.kind).toBe('stored');
    const [image] = imagesOf(core, timelapse.id);
    expect(image).toMatchObject({
      file_path: `cameras/camera-${camera.id}/timelapse-${timelapse.id}/frames/timelapse-${timelapse.id}_day001_143022.jpg`,
      captured_at: capturedAt,
      day_number: 1,
      clock: '143022',
      seq: 0,
      file_size: bytes.length,
      width: 640,
      height: 480,
    });
    expect(readFileSync(core.tree.resolve(image!.file_path)).equals(bytes)).toBe(true);
    expect(liveJobsOf(core, [image!])).toMatchObject([
      { priority: 'medium', status: 'pending', job_type: 'single' },
    ]);
    expect(core.ops.cameras.getById(camera.id)).toMatchObject({
      last_capture_at: capturedAt,
      last_error: null,
    });
    expect(core.ops.timelapses.getById(timelapse.id)!.image_count).toBe(1);
    expect(events).toEqual([
      {
        type: 'frame_captured',
        camera_id: camera.id,
        timelapse_id: timelapse.id,
        image_id: image!.id,
        captured_at: new Date(capturedAt).toISOString(),
      },
    ]);
    expect(await tempFiles(core)).toEqual([]);
  });

  it('gives same-second frames seq 0, 2, 3 and keeps every one of them', async () => {
    const { core } = lib;
    const { camera, timelapse } = setup(core);
    const pipeline = core.pipeline;
    const capturedAt = new Date(2025, 5, 10, 15, 0, 5).getTime();
    const frames = await Promise.all([1, 2, 3].map((seed) => cameraLikeJpeg(320, 240, seed)));
    for (const bytes of frames) await pipeline.ingest({ camera, timelapse, bytes, capturedAt });

    const images = imagesOf(core, timelapse.id);
    expect(images.map((i) => i.seq)).toEqual([0, 2, 3]);
    const t = timelapse.id;
    expect(await framesOnDisk(core, camera.id, t)).toEqual([
      `timelapse-${t}_day001_150005-2.jpg`,
      `timelapse-${t}_day001_150005-3.jpg`,
      `timelapse-${t}_day001_150005.jpg`,
    ]);
    images.forEach((image, i) =>
      expect(readFileSync(core.tree.resolve(image.file_path)).equals(frames[i]!)).toBe(true),
    );
    expect(liveJobsOf(core, images)).toHaveLength(3);
  });

  it('survives the clock stepping back: a repeated second gets a new seq and an earlier time stays on day 1', async () => {
    const { core } = lib;
    const { camera, timelapse } = setup(core);
    const pipeline = core.pipeline;
    const at = (h: number, m: number, s: number, day = 10) =>
      new Date(2025, 5, day, h, m, s).getTime();
    // 16:00:00, 16:00:01, then the clock is set back 1 s: 16:00:00 again; then before the session began.
    for (const [time, seed] of [
      [at(16, 0, 0), 1],
      [at(16, 0, 1), 2],
      [at(16, 0, 0), 3],
      [at(14, 0, 0, 9), 4],
    ] as const) {
      await pipeline.ingest({
        camera,
        timelapse,
        bytes: await cameraLikeJpeg(320, 240, seed),
        capturedAt: time,
      });
    }
    const rows = imagesOf(core, timelapse.id).map((i) => [i.day_number, i.clock, i.seq]);
    expect(rows).toEqual([
      [1, '160000', 0],
      [1, '160001', 0],
      [1, '160000', 2],
      [1, '140000', 0],
    ]);
    expect(await framesOnDisk(core, camera.id, timelapse.id)).toHaveLength(4);
  });

  it('never overwrites a file already under the name, even one without a row', async () => {
    const { core } = lib;
    const { camera, timelapse } = setup(core);
    const capturedAt = new Date(2025, 5, 10, 17, 0, 0).getTime();
    const squatter = core.tree.resolve(
      core.tree.filePath(camera.id, timelapse.id, 'frame', {
        timelapseId: timelapse.id,
        day: 1,
        clock: '170000',
        seq: 0,
      }),
    );
    core.tree.ensureTimelapseDirs(camera.id, timelapse.id);
    writeFileSync(squatter, 'an older frame nobody has a row for');
    const bytes = await cameraLikeJpeg(320, 240, 9);

    await core.pipeline.ingest({
      camera,
      timelapse,
      bytes,
      capturedAt,
    });

    expect(readFileSync(squatter, 'utf8')).toBe('an older frame nobody has a row for');
    const [image] = imagesOf(core, timelapse.id);
    expect(image!.seq).toBe(2);
    expect(
      image!.file_path.endsWith(
        formatFileName('frame', { timelapseId: timelapse.id, day: 1, clock: '170000', seq: 2 }),
      ),
    ).toBe(true);
    expect(readFileSync(core.tree.resolve(image!.file_path)).equals(bytes)).toBe(true);
  });

  it('discards refused frames: nothing written, counted on the camera, reported with the running total', async () => {
    const { core } = lib;
    const { camera, timelapse } = setup(core);
    const events = recordEvents(core, 'frame_rejected');
    const pipeline = core.pipeline;
    const good = await cameraLikeJpeg(640, 480, 5);
    const bad = [
      truncated(good),
      textAsJpeg(),
      await uniformFrame(640, 480),
      corruptJpeg(await cameraLikeJpeg(1280, 720, 6, 95)),
      await rgbaPng(),
    ];
    const outcomes = [];
    for (const bytes of bad)
      outcomes.push(await pipeline.ingest({ camera, timelapse, bytes, capturedAt: START + 1000 }));

    expect(outcomes.map((o) => (o.kind === 'rejected' ? o.reason : o.kind))).toEqual([
      'truncated',
      'not_an_image',
      'uniform',
      'corrupt',
      'unsupported_format',
    ]);
    expect(imagesOf(core, timelapse.id)).toEqual([]);
    expect(await framesOnDisk(core, camera.id, timelapse.id)).toEqual([]);
    expect(await tempFiles(core)).toEqual([]);
    expect(core.ops.jobs.getJobStatisticsData(0).by_status.pending).toBe(0);
    const row = core.ops.cameras.getById(camera.id)!;
    expect(row.rejected_frames).toBe(5);
    expect(row.last_error).toMatch(/^frame rejected \(unsupported_format\)/);
    expect(events.map((e) => [e.reason, e.rejected_total])).toEqual([
      ['truncated', 1],
      ['not_an_image', 2],
      ['uniform', 3],
      ['corrupt', 4],
      ['unsupported_format', 5],
    ]);
  });

  it('queues nothing for a camera with generate_thumbnails off, and a throwing hook does not fail capture', async () => {
    const { core } = lib;
    const { camera, timelapse } = setup(core, START, false);
    const quiet = core.pipeline;
    const stored = await quiet.ingest({
      camera,
      timelapse,
      bytes: await cameraLikeJpeg(320, 240, 1),
      capturedAt: START,
    });
    expect(stored.kind).toBe('stored');
    expect(liveJobsOf(core, imagesOf(core, timelapse.id))).toEqual([]);

    const log = captureLog();
    const throwing = new FramePipeline(
      { ...core, log: log.logger },
      {
        validateFrame: (bytes) => pool.engine.validate(bytes),
        afterCapture: () => {
          throw new Error('queue is down');
        },
      },
    );
    const again = await throwing.ingest({
      camera,
      timelapse,
      bytes: await cameraLikeJpeg(320, 240, 2),
      capturedAt: START + 1000,
    });
    expect(again.kind).toBe('stored');
    expect(imagesOf(core, timelapse.id)).toHaveLength(2);
    expect(log.records).toMatchObject([
      {
        level: 40,
        component: 'ingest',
        msg: 'the capture hook failed',
        image_id: again.kind === 'stored' ? again.image.id : -1,
        camera_id: camera.id,
        err: { message: 'queue is down' },
      },
    ]);
  });

  it('removes its file and the folder of a deleted session when the row cannot be inserted', async () => {
    const { core } = lib;
    const { camera, timelapse } = setup(core);
    core.ops.timelapses.delete(timelapse.id);
    const pipeline = core.pipeline;
    await expect(
      pipeline.ingest({
        camera,
        timelapse,
        bytes: await cameraLikeJpeg(320, 240, 1),
        capturedAt: START,
      }),
    ).rejects.toThrow(/FOREIGN KEY/);
    expect(existsSync(core.tree.resolve(core.tree.timelapseDir(camera.id, timelapse.id)))).toBe(
      false,
    );
    expect(existsSync(core.tree.resolve(core.tree.cameraDir(camera.id)))).toBe(true);
    expect(await tempFiles(core)).toEqual([]);
  });

  it('records the verdict dimensions of the frame it stored', async () => {
    const { core } = lib;
    const { camera, timelapse } = setup(core);
    const bytes = await sharp(await cameraLikeJpeg(800, 600, 2))
      .resize(400, 300)
      .jpeg()
      .toBuffer();
    await core.pipeline.ingest({
      camera,
      timelapse,
      bytes,
      capturedAt: START,
    });
    const [image] = imagesOf(core, timelapse.id);
    expect([image!.width, image!.height]).toEqual([400, 300]);
    expect(existsSync(core.tree.resolve(image!.file_path))).toBe(true);
  });
});
