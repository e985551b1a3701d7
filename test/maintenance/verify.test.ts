import { linkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../../src/main/errors';
import { OperationCancelledError } from '../../src/main/maintenance/errors';
import { ThumbnailService } from '../../src/main/maintenance/thumbnail-service';
import type { CoreEvent } from '../../src/shared/contract';
import { cameraLikeJpeg, seedCamera, useTestLibrary } from '../helpers/temp-library';
import { buildDamagedLibrary, timelapseCounts, treeFiles } from './fixture';

describe('verify', () => {
  const lib = useTestLibrary();
  let service: ThumbnailService | undefined;
  afterEach(async () => service?.close());
  const open = () => (service = new ThumbnailService(lib.core));

  it('checks one timelapse: NULLs the missing paths, rewrites the counts, reports the spec fields', async () => {
    const { core } = lib;
    const fx = await buildDamagedLibrary(core);
    const before = treeFiles(core);
    const result = await open().verifyTimelapseThumbnails(fx.a.timelapseId);
    expect(result).toEqual({
      timelapse_id: fx.a.timelapseId,
      total_images: 10,
      valid_thumbnails: 6,
      valid_smalls: 8,
      missing_thumbnails: 4,
      missing_smalls: 2,
      database_counts: { thumbnail_count: 8, small_count: 9 },
      counts_updated: true,
      paths_cleared: { thumbnails: 2, smalls: 1 },
      suggest_repair: true,
      errors: [],
      error_count: 0,
    });
    const images = fx.a.images.map((image) => core.ops.images.getById(image.id)!);
    expect(images.map((i) => i.thumbnail_path === null)).toEqual([
      true,
      true,
      false,
      true,
      false,
      true,
      false,
      false,
      false,
      false,
    ]);
    expect(images.map((i) => i.small_path === null)).toEqual([
      false,
      false,
      true,
      false,
      true,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(images[0]!.thumbnail_size).toBeNull();
    expect(timelapseCounts(core, fx.a.timelapseId)).toEqual({
      image_count: 10,
      thumbnail_count: 6,
      small_count: 8,
      thumbnail_bytes: 6 * fx.thumbnailSize,
      small_bytes: 8 * fx.smallSize,
    });
    // B untouched, and verification never deletes or creates a file.
    expect(timelapseCounts(core, fx.b.timelapseId)).toMatchObject({
      thumbnail_count: 6,
      small_count: 6,
    });
    expect(treeFiles(core)).toEqual(before);
  });

  it('rewrites counts that drifted even when every file is there, and does not suggest repair', async () => {
    const { core } = lib;
    const fx = await buildDamagedLibrary(core);
    core.db
      .prepare('UPDATE timelapses SET thumbnail_count = 50, small_count = 50 WHERE id = ?')
      .run(fx.b.timelapseId);
    const result = await open().verifyTimelapseThumbnails(fx.b.timelapseId);
    expect(result).toMatchObject({
      total_images: 6,
      valid_thumbnails: 6,
      valid_smalls: 6,
      missing_thumbnails: 0,
      missing_smalls: 0,
      database_counts: { thumbnail_count: 50, small_count: 50 },
      counts_updated: true,
      paths_cleared: { thumbnails: 0, smalls: 0 },
      suggest_repair: false,
    });
    expect(timelapseCounts(core, fx.b.timelapseId)).toMatchObject({
      thumbnail_count: 6,
      small_count: 6,
    });
    const again = await service!.verifyTimelapseThumbnails(fx.b.timelapseId);
    expect(again).toMatchObject({
      database_counts: { thumbnail_count: 6, small_count: 6 },
      counts_updated: false,
    });
  });

  it('verifies the whole system: the timelapse fields summed, one row per timelapse, progress reported', async () => {
    const { core } = lib;
    const fx = await buildDamagedLibrary(core);
    core.db
      .prepare('UPDATE timelapses SET thumbnail_count = 50, small_count = 50 WHERE id = ?')
      .run(fx.b.timelapseId);
    const events: CoreEvent[] = [];
    core.events.subscribe(
      (e) => e.type === 'maintenance_progress' && e.operation === 'verify' && events.push(e),
    );
    const result = await open().verifyAllThumbnails();
    expect(result).toMatchObject({
      total_images: 16,
      valid_thumbnails: 12,
      valid_smalls: 14,
      missing_thumbnails: 4,
      missing_smalls: 2,
      database_counts: { thumbnail_count: 58, small_count: 59 },
      counts_updated: true,
      paths_cleared: { thumbnails: 2, smalls: 1 },
      suggest_repair: true,
      error_count: 0,
    });
    expect(
      result.timelapses.map((t) => [t.timelapse_id, t.valid_thumbnails, t.valid_smalls]),
    ).toEqual([
      [fx.a.timelapseId, 6, 8],
      [fx.b.timelapseId, 6, 6],
    ]);
    expect(events.at(-1)).toEqual({
      type: 'maintenance_progress',
      operation: 'verify',
      processed: 16,
      total: 16,
      done: true,
      timestamp: expect.any(String),
    });
  });

  it('reports what it cannot check and goes on, never clearing a path it could not prove missing', async () => {
    const { core } = lib;
    const fx = await buildDamagedLibrary(core);
    // B's smalls/ becomes a symlink loop (ELOOP: as unreadable as EACCES, also for root).
    const smalls = core.tree.kindDir(fx.b.cameraId, fx.b.timelapseId, 'small');
    rmSync(core.tree.resolve(smalls), { recursive: true });
    symlinkSync(join(core.tree.root, smalls), join(core.tree.root, smalls));
    const result = await open().verifyAllThumbnails();
    const rowB = result.timelapses.find((t) => t.timelapse_id === fx.b.timelapseId)!;
    expect(rowB).toMatchObject({
      valid_thumbnails: 6,
      valid_smalls: 0,
      paths_cleared: { thumbnails: 0, smalls: 0 },
    });
    expect(rowB.error_count).toBe(7); // the folder, then each of the 6 recorded smalls
    expect(rowB.errors[0]).toEqual({ path: smalls, error: 'ELOOP' });
    expect(core.ops.images.getById(fx.b.images[0]!.id)!.small_path).not.toBeNull();
    // A was still verified in full.
    expect(result.timelapses.find((t) => t.timelapse_id === fx.a.timelapseId)).toMatchObject({
      valid_thumbnails: 6,
      valid_smalls: 8,
    });
    expect(result.error_count).toBe(7);
  });

  it('pages past batch boundaries, with many frames sharing one capture time', async () => {
    const { core } = lib;
    const { camera, timelapse } = seedCamera(core);
    const dir = core.tree.kindDir(camera.id, timelapse.id, 'thumbnail');
    const absoluteDir = core.tree.resolve(dir);
    const tiny = await cameraLikeJpeg(16, 12);
    // Hard links to one real JPEG: real directory entries, without 2,500 slow file creations.
    const template = join(core.tree.tempDirectory, `${process.pid}.template.jpg`);
    writeFileSync(template, tiny);
    core.db.transaction(() => {
      for (let i = 0; i < 2600; i++) {
        const clock = [i / 3600, (i / 60) % 60, i % 60]
          .map((n) => String(Math.floor(n)).padStart(2, '0'))
          .join('');
        const key = { timelapseId: timelapse.id, day: 1, clock, seq: 0 };
        const image = core.ops.images.insert({
          timelapse_id: timelapse.id,
          camera_id: camera.id,
          file_path: core.tree.filePath(camera.id, timelapse.id, 'frame', key),
          captured_at: 1_700_000_000_000,
          day_number: 1,
          clock,
          seq: 0,
          file_size: 1,
        });
        const path = core.tree.filePath(camera.id, timelapse.id, 'thumbnail', key);
        if (i < 2500) linkSync(template, join(absoluteDir, basename(path)));
        core.ops.images.setThumbnailPath(image.id, path, tiny.length);
      }
    })();
    const result = await open().verifyTimelapseThumbnails(timelapse.id);
    expect(result).toMatchObject({
      total_images: 2600,
      valid_thumbnails: 2500,
      missing_thumbnails: 100,
      valid_smalls: 0,
      missing_smalls: 2600,
      database_counts: { thumbnail_count: 2600, small_count: 0 },
      paths_cleared: { thumbnails: 100, smalls: 0 },
    });
    expect(timelapseCounts(core, timelapse.id)).toMatchObject({
      thumbnail_count: 2500,
      thumbnail_bytes: 2500 * tiny.length,
    });
  });

  it('answers 404 for an unknown timelapse, 409 while another maintenance runs, and stops when aborted', async () => {
    const { core } = lib;
    const fx = await buildDamagedLibrary(core);
    const svc = open();
    await expect(svc.verifyTimelapseThumbnails(9999)).rejects.toThrow(NotFoundError);
    const repair = svc.repairOrphanedThumbnails();
    await expect(svc.verifyAllThumbnails()).rejects.toThrow(ConflictError);
    await repair;
    const controller = new AbortController();
    const run = svc.verifyAllThumbnails({ signal: controller.signal });
    controller.abort();
    await expect(run).rejects.toThrow(OperationCancelledError);
    // What was committed is consistent: the counts equal the rows.
    const truth = core.db
      .prepare(
        'SELECT count(thumbnail_path) AS t, count(small_path) AS s FROM images WHERE timelapse_id = ?',
      )
      .get(fx.a.timelapseId);
    const counts = timelapseCounts(core, fx.a.timelapseId);
    expect({ t: counts.thumbnail_count, s: counts.small_count }).toEqual(truth);
  });
});
