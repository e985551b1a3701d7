import { describe, expect, it } from 'vitest';
import { SETTING_KEYS, DEFAULT_SETTINGS } from '../../src/shared/contract';
import { ValidationError } from '../../src/main/errors';
import { seedCamera, seedFrame, useTestLibrary } from '../helpers/temp-library';

describe('camera, timelapse and image operations', () => {
  const lib = useTestLibrary();

  it('creates, reads, updates and deletes cameras', () => {
    const { ops } = lib.core;
    const cam = ops.cameras.create({
      name: 'Porch',
      source_type: 'http',
      source_url: 'http://127.0.0.1/snap.jpg',
    });
    expect(cam).toMatchObject({
      name: 'Porch',
      enabled: 1,
      generate_thumbnails: 1,
      capture_interval_s: 60,
    });
    expect(ops.cameras.getByName('Porch')?.id).toBe(cam.id);
    const edited = ops.cameras.update(cam.id, {
      enabled: false,
      capture_interval_s: 5,
      generate_thumbnails: false,
    });
    expect(edited).toMatchObject({ enabled: 0, capture_interval_s: 5, generate_thumbnails: 0 });
    ops.cameras.recordError(cam.id, 'timeout');
    expect(ops.cameras.getById(cam.id)).toMatchObject({
      last_error: 'timeout',
      rejected_frames: 0,
    });
    expect(ops.cameras.recordRejection(cam.id, 'frame rejected (empty)')).toEqual({
      rejected_frames: 1,
      rejections_since_frame: 1,
    });
    ops.cameras.recordRejection(cam.id, 'frame rejected (empty)');
    expect(ops.cameras.getById(cam.id)).toMatchObject({
      rejected_frames: 2,
      rejections_since_frame: 2,
    });
    ops.cameras.clearRejectionsSinceFrame(cam.id);
    expect(ops.cameras.getById(cam.id)).toMatchObject({
      rejected_frames: 2,
      rejections_since_frame: 0,
    });
    ops.cameras.recordCapture(cam.id, 1000);
    expect(ops.cameras.getById(cam.id)).toMatchObject({ last_error: null, last_capture_at: 1000 });
    expect(ops.cameras.list()).toHaveLength(1);
    expect(ops.cameras.delete(cam.id)).toBe(true);
    expect(ops.cameras.getById(cam.id)).toBeUndefined();
    expect(() => ops.cameras.create({ name: 'x', source_type: 'ftp' as 'demo' })).toThrow(/CHECK/);
  });

  it('keeps one active timelapse per camera', () => {
    const { ops } = lib.core;
    const { camera, timelapse } = seedCamera(lib.core);
    expect(ops.timelapses.getActiveForCamera(camera.id)?.id).toBe(timelapse.id);
    expect(() => ops.timelapses.create(camera.id, 'second', Date.now())).toThrow(/UNIQUE/);
    ops.timelapses.setStatus(timelapse.id, 'completed', 5);
    expect(ops.timelapses.getActiveForCamera(camera.id)).toBeUndefined();
    const next = ops.timelapses.create(camera.id, 'second', Date.now());
    expect(ops.timelapses.listForCamera(camera.id).map((t) => t.id)).toEqual([
      timelapse.id,
      next.id,
    ]);
    expect(ops.timelapses.listIdsAfter(timelapse.id, 10)).toEqual([next.id]);
    expect(ops.timelapses.getByName(camera.id, 'second')?.id).toBe(next.id);
  });

  it('covers the image operations the spec names', async () => {
    const { ops } = lib.core;
    const { camera, timelapse } = seedCamera(lib.core);
    const a = await seedFrame(lib.core, camera.id, timelapse.id, new Date(2025, 0, 1, 10, 0, 0));
    const b = await seedFrame(lib.core, camera.id, timelapse.id, new Date(2025, 0, 1, 10, 0, 0));
    expect(b.image.seq).toBe(2);
    expect(ops.images.findByKey(timelapse.id, 1, '100000', 2)?.id).toBe(b.image.id);
    expect(ops.images.getImagesWithoutThumbnails(10).map((i) => i.id)).toEqual([
      a.image.id,
      b.image.id,
    ]);
    ops.images.updateThumbnailPaths(a.image.id, {
      thumbnail_path: 't',
      thumbnail_size: 1,
      small_path: 's',
      small_size: 2,
    });
    expect(ops.images.getImagesWithoutThumbnails(10).map((i) => i.id)).toEqual([b.image.id]);
    expect(ops.images.getThumbnailCoverageStatistics()).toEqual({
      total_images: 2,
      images_with_thumbnails: 1,
      images_with_smalls: 1,
    });
    expect(
      ops.images.getImagesByTimelapseForVerification(timelapse.id, 0, 1).map((i) => i.id),
    ).toEqual([a.image.id]);
    expect(ops.images.latestForCamera(camera.id)?.id).toBe(b.image.id);
    expect(
      ops.images
        .getByIds([b.image.id, a.image.id, 999])
        .map((i) => i.id)
        .sort(),
    ).toEqual([a.image.id, b.image.id]);
    ops.images.clearThumbnailPaths(a.image.id);
    expect(ops.images.getById(a.image.id)).toMatchObject({
      thumbnail_path: null,
      small_path: null,
      small_size: null,
    });
    ops.images.setThumbnailPath(b.image.id, 'x', 3);
    ops.images.setSmallPath(a.image.id, 'y', 4);
    expect(ops.images.bulkClearThumbnailPaths()).toBe(2);
    expect(ops.timelapses.getById(timelapse.id)).toMatchObject({
      image_count: 2,
      thumbnail_count: 0,
      small_count: 0,
    });
  });
});

describe('flags, content hashes and the rejection log', () => {
  const lib = useTestLibrary();

  it('derives is_flagged from flag_reason, CHECKs the reason and pages flagged frames from their index', async () => {
    const { core } = lib;
    const { camera, timelapse } = seedCamera(core);
    const plain = await seedFrame(core, camera.id, timelapse.id, new Date(2025, 0, 1, 10, 0, 0));
    const flagged = core.ops.images.insert({
      ...plain.image,
      clock: '100001',
      file_path: `${plain.image.file_path}-flagged`,
      flag_reason: 'uniform',
    });
    expect([plain.image.is_flagged, flagged.is_flagged]).toEqual([0, 1]);
    expect(core.ops.images.listFlaggedByTimelapse(timelapse.id, 0, 10).map((i) => i.id)).toEqual([
      flagged.id,
    ]);
    expect(core.ops.images.countFlagged(timelapse.id)).toBe(1);
    expect(() =>
      core.ops.images.insert({
        ...plain.image,
        clock: '100002',
        flag_reason: 'blurry' as 'uniform',
      }),
    ).toThrow(/CHECK/);
    const plan = core.db
      .prepare(
        'EXPLAIN QUERY PLAN SELECT * FROM images WHERE timelapse_id = ? AND flag_reason IS NOT NULL AND id > ? ORDER BY id LIMIT ?',
      )
      .all(timelapse.id, 0, 10) as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/idx_images_flagged/);
  });

  it('allows one row per picture and camera, and the same picture on another camera', async () => {
    const { core } = lib;
    const a = seedCamera(core, 'A');
    const b = seedCamera(core, 'B');
    const hash = Buffer.alloc(32, 7);
    const frame = await seedFrame(
      core,
      a.camera.id,
      a.timelapse.id,
      new Date(2025, 0, 1, 10, 0, 0),
    );
    expect(core.ops.images.setContentHash(frame.image.id, hash)).toBe(true);
    const row = { ...frame.image, clock: '100005', content_hash: hash };
    expect(() => core.ops.images.insert(row)).toThrow(
      /UNIQUE constraint failed: images.camera_id, images.content_hash/,
    );
    expect(
      core.ops.images.insert({ ...row, camera_id: b.camera.id, timelapse_id: b.timelapse.id }).id,
    ).toBeGreaterThan(0);
    expect(core.ops.images.findByContentHash(a.camera.id, hash)?.id).toBe(frame.image.id);
  });

  it('keeps the newest 500 refusals per camera, newest first, and drops them with the camera', () => {
    const { core } = lib;
    const { camera } = seedCamera(core, 'Noisy');
    const other = seedCamera(core, 'Quiet');
    core.ops.rejections.add({
      camera_id: other.camera.id,
      rejected_at: 1,
      source: 'x.jpg',
      reason: 'empty',
      message: 'empty',
      byte_size: 0,
    });
    for (let i = 0; i < 520; i++)
      core.ops.rejections.add({
        camera_id: camera.id,
        rejected_at: 1000 + i,
        source: `f${i}.jpg`,
        reason: 'truncated',
        message: 'cut off',
        byte_size: i,
      });
    expect(core.ops.rejections.countForCamera(camera.id)).toBe(500);
    const page = core.ops.rejections.listForCamera(camera.id, 3);
    expect(page.map((r) => r.source)).toEqual(['f519.jpg', 'f518.jpg', 'f517.jpg']);
    expect(
      core.ops.rejections.listForCamera(camera.id, 2, page[2]!.id).map((r) => r.source),
    ).toEqual(['f516.jpg', 'f515.jpg']);
    expect(core.ops.rejections.listForCamera(camera.id, 600).at(-1)!.source).toBe('f20.jpg');
    expect(core.ops.rejections.countForCamera(other.camera.id)).toBe(1);
    core.ops.cameras.delete(camera.id);
    expect(core.ops.rejections.countForCamera(camera.id)).toBe(0);
  });
});

describe('settings', () => {
  const lib = useTestLibrary();

  it('has every spec key with its default', () => {
    const all = lib.core.settings.getAll();
    expect(all).toEqual(DEFAULT_SETTINGS);
    expect(all).toMatchObject({
      generate_thumbnails: true,
      small_generation_mode: 'all',
      purge_smalls_on_completion: false,
      thumbnail_job_batch_size: 5,
      thumbnail_worker_interval: 10,
      thumbnail_max_retries: 3,
      thumbnail_cleanup_hours: 24,
      thumbnail_quality: 80,
      small_quality: 85,
    });
    expect(SETTING_KEYS.length).toBeGreaterThanOrEqual(9);
  });

  it('stores valid values and refuses unknown keys and bad values without changing anything', () => {
    const { settings } = lib.core;
    expect(
      settings.update({ small_generation_mode: 'latest_only', thumbnail_quality: 70 }),
    ).toMatchObject({
      small_generation_mode: 'latest_only',
      thumbnail_quality: 70,
    });
    expect(() => settings.update({ thumbnail_quality: 60, no_such_key: 1 })).toThrow(
      ValidationError,
    );
    expect(() => settings.update({ small_generation_mode: 'some' })).toThrow(
      /small_generation_mode/,
    );
    expect(() => settings.update({ thumbnail_job_batch_size: 0 })).toThrow(ValidationError);
    expect(() => settings.update({ generate_thumbnails: 'yes' })).toThrow(ValidationError);
    expect(settings.get('thumbnail_quality')).toBe(70);
    expect(settings.get('small_generation_mode')).toBe('latest_only');
  });

  it('changes only the keys an update names', () => {
    const { settings } = lib.core;
    settings.update({ small_quality: 70, purge_smalls_on_completion: true });
    expect(settings.update({ thumbnail_quality: 60 })).toMatchObject({
      thumbnail_quality: 60,
      small_quality: 70,
      purge_smalls_on_completion: true,
    });
  });

  it('falls back to the default for one stored value that no longer validates, keeping the others', () => {
    const { settings, db } = lib.core;
    settings.update({ small_quality: 70 });
    db.prepare(
      `INSERT INTO settings (key, value, updated_at) VALUES ('thumbnail_quality', '"high"', 0)`,
    ).run();
    expect(settings.getAll()).toMatchObject({ thumbnail_quality: 80, small_quality: 70 });
  });
});
