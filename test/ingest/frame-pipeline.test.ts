import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { FramePipeline } from '../../src/main/ingest/frame-pipeline';
import type { Core } from '../../src/main/core';
import { formatFileName } from '../../src/main/files/names';
import { corruptJpeg, rgbaPng, textAsJpeg, truncated, webp } from '../helpers/images';
import { captureLog } from '../helpers/log-capture';
import { noSignalScreen } from '../helpers/scenes';
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

  it('refuses what is not a frame: nothing written, logged on the camera, reported with the running totals', async () => {
    const { core } = lib;
    const { camera, timelapse } = setup(core);
    const events = recordEvents(core, 'frame_rejected');
    const good = await cameraLikeJpeg(640, 480, 5);
    const bad = [
      truncated(good),
      textAsJpeg(),
      corruptJpeg(await cameraLikeJpeg(1280, 720, 6, 95)),
      Buffer.alloc(0),
    ];
    const outcomes = [];
    for (const bytes of bad)
      outcomes.push(
        await core.pipeline.ingest({ camera, timelapse, bytes, capturedAt: START + 1000 }),
      );

    expect(outcomes.map((o) => (o.kind === 'rejected' ? o.reason : o.kind))).toEqual([
      'truncated',
      'not_an_image',
      'corrupt_data',
      'empty',
    ]);
    expect(imagesOf(core, timelapse.id)).toEqual([]);
    expect(await framesOnDisk(core, camera.id, timelapse.id)).toEqual([]);
    expect(await tempFiles(core)).toEqual([]);
    expect(core.ops.jobs.getJobStatisticsData(0).by_status.pending).toBe(0);
    const row = core.ops.cameras.getById(camera.id)!;
    expect(row).toMatchObject({ rejected_frames: 4, rejections_since_frame: 4 });
    expect(row.last_error).toMatch(/^frame rejected \(empty\)/);
    expect(events.map((e) => [e.reason, e.rejected_total, e.since_last_frame])).toEqual([
      ['truncated', 1, 1],
      ['not_an_image', 2, 2],
      ['corrupt_data', 3, 3],
      ['empty', 4, 4],
    ]);
    // The log: newest first, with the source (the camera's URL, or the file name given) and size.
    const log = core.ops.rejections.listForCamera(camera.id, 10);
    expect(log.map((r) => [r.reason, r.source, r.byte_size])).toEqual([
      ['empty', 'demo', 0],
      ['corrupt_data', 'demo', bad[2]!.length],
      ['not_an_image', 'demo', bad[1]!.length],
      ['truncated', 'demo', bad[0]!.length],
    ]);
    expect(log[1]!.message).toMatch(/Corrupt JPEG data/);

    // A stored frame ends the run the wall tile counts; the total stays.
    await core.pipeline.ingest({ camera, timelapse, bytes: good, capturedAt: START + 2000 });
    expect(core.ops.cameras.getById(camera.id)).toMatchObject({
      rejected_frames: 4,
      rejections_since_frame: 0,
    });
  });

  it('keeps a frame that looks wrong, flagged, with its thumbnail job; discards it only when told to', async () => {
    const { core } = lib;
    const { camera, timelapse } = setup(core);
    const noSignal = await (
      await noSignalScreen({ width: 1280, height: 720 }, 'black NO SIGNAL')
    )
      .jpeg()
      .toBuffer();
    const tiny = await cameraLikeJpeg(96, 72, 4);

    const kept = [];
    for (const [i, bytes] of [noSignal, tiny].entries())
      kept.push(
        await core.pipeline.ingest({ camera, timelapse, bytes, capturedAt: START + i * 1000 }),
      );

    expect(kept.map((o) => o.kind === 'stored' && o.flagged)).toEqual([true, true]);
    const images = imagesOf(core, timelapse.id);
    expect(images.map((i) => [i.flag_reason, i.is_flagged, i.width, i.height])).toEqual([
      ['uniform', 1, 1280, 720],
      ['too_small', 1, 96, 72],
    ]);
    expect(readFileSync(core.tree.resolve(images[0]!.file_path)).equals(noSignal)).toBe(true);
    expect(liveJobsOf(core, images)).toHaveLength(2);
    expect(core.ops.cameras.getById(camera.id)!.rejected_frames).toBe(0);

    core.settings.update({ flagged_frames: 'discard' });
    const discarded = await core.pipeline.ingest({
      camera,
      timelapse,
      bytes: await (
        await noSignalScreen({ width: 640, height: 480 }, 'green NO SIGNAL')
      )
        .jpeg()
        .toBuffer(),
      capturedAt: START + 5000,
    });
    expect(discarded).toMatchObject({ kind: 'rejected', reason: 'uniform' });
    expect(imagesOf(core, timelapse.id)).toHaveLength(2);
    expect(core.ops.rejections.listForCamera(camera.id, 5).map((r) => r.reason)).toEqual([
      'uniform',
    ]);
  });

  it.each([
    ['PNG with transparency', () => rgbaPng(640, 480)],
    ['WebP', () => webp(640, 480)],
  ])(
    'converts a %s snapshot to JPEG at the configured quality, under the spec name',
    async (_name, make) => {
      const { core } = lib;
      const { camera, timelapse } = setup(core);
      core.settings.update({ converted_frame_quality: 70 });
      const bytes = await make();
      const capturedAt = new Date(2025, 5, 10, 14, 31, 0).getTime();

      const outcome = await core.pipeline.ingest({ camera, timelapse, bytes, capturedAt });

      expect(outcome).toMatchObject({
        kind: 'stored',
        converted_from: bytes[0] === 0x89 ? 'png' : 'webp',
      });
      const [image] = imagesOf(core, timelapse.id);
      expect(image!.file_path).toMatch(/timelapse-\d+_day001_143100\.jpg$/);
      const stored = readFileSync(core.tree.resolve(image!.file_path));
      expect(image).toMatchObject({
        file_size: stored.length,
        width: 640,
        height: 480,
        flag_reason: null,
      });
      const meta = await sharp(stored).metadata();
      expect(meta).toMatchObject({
        format: 'jpeg',
        width: 640,
        height: 480,
        channels: 3,
        hasAlpha: false,
      });
      // Its duplicate key is the snapshot as received: the same PNG again is the same frame.
      expect(image!.content_hash!.equals(createHash('sha256').update(bytes).digest())).toBe(true);
      const again = await core.pipeline.ingest({
        camera,
        timelapse,
        bytes,
        capturedAt: capturedAt + 60_000,
      });
      expect(again).toEqual({ kind: 'duplicate', image_id: image!.id });
      // Quality 70 is smaller than the same pixels at 92.
      core.settings.update({ converted_frame_quality: 92 });
      const other = await sharp(bytes)
        .flatten()
        .modulate({ brightness: 1.01 })
        .toFormat(bytes[0] === 0x89 ? 'png' : 'webp')
        .toBuffer();
      await core.pipeline.ingest({
        camera,
        timelapse,
        bytes: other,
        capturedAt: capturedAt + 120_000,
      });
      const [, better] = imagesOf(core, timelapse.id);
      expect(better!.file_size).toBeGreaterThan(image!.file_size);
    },
  );

  it('stores the same picture once: from a camera the repeat is logged, from an import it is skipped quietly', async () => {
    const { core } = lib;
    const { camera, timelapse } = setup(core);
    const bytes = await cameraLikeJpeg(640, 480, 8);
    const first = await core.pipeline.ingest({ camera, timelapse, bytes, capturedAt: START });
    expect(first.kind).toBe('stored');
    const id = first.kind === 'stored' ? first.image.id : 0;

    const frozen = await core.pipeline.ingest({
      camera,
      timelapse,
      bytes,
      capturedAt: START + 60_000,
    });
    const imported = await core.pipeline.ingest({
      camera,
      timelapse,
      bytes,
      capturedAt: START,
      source: 'IMG_0001.jpg',
      expectDuplicates: true,
    });

    expect(frozen).toEqual({ kind: 'duplicate', image_id: id });
    expect(imported).toEqual({ kind: 'duplicate', image_id: id });
    expect(imagesOf(core, timelapse.id)).toHaveLength(1);
    expect(await framesOnDisk(core, camera.id, timelapse.id)).toHaveLength(1);
    expect(core.ops.rejections.listForCamera(camera.id, 5)).toMatchObject([
      { reason: 'duplicate', source: 'demo', message: expect.stringMatching(`frame ${id}`) },
    ]);
    // Two different pictures with equal size and time are both kept.
    const twin = Buffer.from(bytes);
    twin[twin.length - 3] = twin[twin.length - 3]! ^ 0x01; // a different last coefficient bit, same length
    const other = await core.pipeline.ingest({ camera, timelapse, bytes: twin, capturedAt: START });
    if (other.kind === 'rejected') throw new Error(`twin refused: ${other.message}`);
    expect(other.kind).toBe('stored');
    expect(imagesOf(core, timelapse.id)).toHaveLength(2);
  });

  it('lets the database decide between two writers of the same picture: one row, no stray file', async () => {
    const { core } = lib;
    const { camera, timelapse } = setup(core);
    const bytes = await cameraLikeJpeg(640, 480, 9);
    const outcomes = await Promise.all(
      [0, 1, 2, 3].map(() =>
        core.pipeline.ingest({
          camera,
          timelapse,
          bytes,
          capturedAt: START,
          expectDuplicates: true,
        }),
      ),
    );
    expect(outcomes.filter((o) => o.kind === 'stored')).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === 'duplicate')).toHaveLength(3);
    expect(imagesOf(core, timelapse.id)).toHaveLength(1);
    expect(await framesOnDisk(core, camera.id, timelapse.id)).toHaveLength(1);
    expect(await tempFiles(core)).toEqual([]);
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
        convertToJpeg: (bytes, quality) => pool.engine.convertToJpeg(bytes, quality),
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
