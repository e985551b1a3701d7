import { execFileSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../src/main/core';
import { clockOf, formatFileName, type FrameKey } from '../../src/main/files/names';
import { dayNumber } from '../../src/main/ingest/day-number';
import { textAsJpeg } from '../helpers/images';
import { cameraLikeJpeg, seedCamera, useTempDir } from '../helpers/temp-library';
import { useEngine } from '../capture/support';

/** The pid of a process that has exited: its temp files are a dead writer's. */
function deadPid(): number {
  return Number(
    execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']),
  );
}

/** The name key of a frame captured at `at` in a session started at `startedAt`. */
function keyAt(timelapseId: number, startedAt: number, at: number): FrameKey {
  return { timelapseId, day: dayNumber(startedAt, at), clock: clockOf(new Date(at)), seq: 0 };
}

/**
 * What a kill between a frame's link and its row leaves, made by hand: the
 * temp file (a dead pid's, dated with the capture time) and its second link
 * under the frame's final name.
 */
function interruptedFrame(
  core: Core,
  cameraId: number,
  key: FrameKey,
  bytes: Buffer,
  capturedAt: number,
  linked = true,
) {
  const name = formatFileName('frame', key);
  const temp = join(
    core.tree.tempDirectory,
    `${deadPid()}.0123456789ab.${formatFileName('frame', { ...key, seq: 0 })}.tmp`,
  );
  writeFileSync(temp, bytes);
  utimesSync(temp, capturedAt / 1000, capturedAt / 1000);
  const relative = join(core.tree.kindDir(cameraId, key.timelapseId, 'frame'), name);
  if (linked) {
    mkdirSync(dirname(core.tree.resolve(relative)), { recursive: true });
    linkSync(temp, core.tree.resolve(relative));
  }
  return relative;
}

describe('frame files without a row are adopted', () => {
  const pool = useEngine();
  const dir = useTempDir('timelapser-adopt-');

  it('at start-up: the frame a kill left linked but unrecorded gets its row, exact capture time and job; temp files go', async () => {
    const first = await openCore({ dataRoot: dir.path, engine: pool.engine });
    const { camera, timelapse } = seedCamera(first, 'Porch');
    const capturedAt = timelapse.started_at + 61_234;
    const key = keyAt(timelapse.id, timelapse.started_at, capturedAt);
    const bytes = await cameraLikeJpeg(640, 480, 5);
    const orphan = interruptedFrame(first, camera.id, key, bytes, capturedAt);
    // Killed before its link: only a temp file.
    const later = capturedAt + 1000;
    interruptedFrame(
      first,
      camera.id,
      keyAt(timelapse.id, timelapse.started_at, later),
      bytes,
      later,
      false,
    );
    await first.close();

    const core = await openCore({ dataRoot: dir.path, engine: pool.engine });
    try {
      const images = core.ops.images.listByTimelapse(timelapse.id, 0, 10);
      expect(images).toHaveLength(1);
      expect(images[0]).toMatchObject({
        file_path: orphan,
        captured_at: capturedAt,
        file_size: bytes.length,
        width: 640,
        height: 480,
      });
      expect(core.ops.jobs.getLiveJobForImage(images[0]!.id)).toMatchObject({ status: 'pending' });
      expect(readdirSync(core.tree.tempDirectory)).toEqual([]);
      await core.worker.runUntilEmpty();
      const done = core.ops.images.getById(images[0]!.id)!;
      expect(
        done.thumbnail_path && existsSync(core.tree.resolve(done.thumbnail_path)),
      ).toBeTruthy();
    } finally {
      await core.close();
    }
  });

  it('in verify: a frame file with no row is adopted, one that is not a frame is reported and left alone', async () => {
    const core = await openCore({ dataRoot: dir.path, engine: pool.engine });
    try {
      const { camera, timelapse } = seedCamera(core, 'Gate');
      const frames = core.tree.resolve(core.tree.kindDir(camera.id, timelapse.id, 'frame'));
      const capturedAt = timelapse.started_at + 5_000;
      const good = join(
        frames,
        formatFileName('frame', keyAt(timelapse.id, timelapse.started_at, capturedAt)),
      );
      writeFileSync(good, await cameraLikeJpeg(640, 480, 9));
      utimesSync(good, capturedAt / 1000, capturedAt / 1000);
      const junk = join(
        frames,
        formatFileName('frame', keyAt(timelapse.id, timelapse.started_at, capturedAt + 60_000)),
      );
      writeFileSync(junk, textAsJpeg());

      const result = await core.thumbnails.verifyAllThumbnails();
      expect(result).toMatchObject({
        total_images: 0,
        orphaned_frames_adopted: 1,
        orphaned_frames_reported: 1,
      });
      expect(result.errors).toEqual([
        {
          path: core.tree.relative(junk),
          error: expect.stringMatching(/frame without a row, not adopted: not_an_image/),
        },
      ]);
      const [image] = core.ops.images.listByTimelapse(timelapse.id, 0, 10);
      expect(image).toMatchObject({ captured_at: capturedAt, file_path: core.tree.relative(good) });
      expect(core.ops.jobs.getLiveJobForImage(image!.id)).toBeDefined();
      expect(existsSync(junk)).toBe(true);
      // Verified again: nothing new to adopt, the junk is still reported.
      expect(await core.thumbnails.verifyAllThumbnails()).toMatchObject({
        total_images: 1,
        orphaned_frames_adopted: 0,
        orphaned_frames_reported: 1,
      });
    } finally {
      await core.close();
    }
  });
});
