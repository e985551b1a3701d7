import { afterEach, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../src/main/errors';
import { megabytes } from '../../src/main/maintenance/statistics';
import { ThumbnailService } from '../../src/main/maintenance/thumbnail-service';
import { useTestLibrary } from '../helpers/temp-library';
import { buildDamagedLibrary, timelapseCounts } from './fixture';

describe('thumbnail statistics', () => {
  const lib = useTestLibrary();
  let service: ThumbnailService | undefined;
  afterEach(async () => service?.close());

  it('answers the spec shapes: coverage, disk usage, orphans from the last scan, jobs in the last 24 h', async () => {
    const { core } = lib;
    const fx = await buildDamagedLibrary(core);
    const [a6, a7, b0] = [fx.a.images[6]!, fx.a.images[7]!, fx.b.images[0]!];
    const now = Date.now();
    core.ops.jobs.createJob({ image_id: a7.id, priority: 'medium' }, now);
    const [completed] = core.ops.jobs.claimPendingJobs(1, 'test', now, now + 60_000);
    core.ops.jobs.markCompleted(completed!.id, 'test', now + 1000, 50);
    core.ops.jobs.createJob({ image_id: b0.id, priority: 'medium' }, now);
    const [failed] = core.ops.jobs.claimPendingJobs(1, 'test', now, now + 60_000);
    core.ops.jobs.markFailed(failed!.id, 'test', 'corrupt', now + 2000, 50);
    core.ops.jobs.createJob({ image_id: a6.id, priority: 'medium' }, now);

    service = new ThumbnailService(core);
    const first = service.getThumbnailStatistics();
    // No scan yet: the counts are 0 and a scan is running in the background.
    expect(first).toMatchObject({ orphaned_thumbnail_files: 0, orphaned_small_files: 0, orphan_scan: { scanned_at: null, scanning: true } });
    await service.refreshOrphanScan();
    const stats = service.getThumbnailStatistics();
    expect(stats).toEqual({
      total_images: 16,
      images_with_thumbnails: 14,
      images_with_smalls: 15,
      orphaned_thumbnail_files: 4, // A3's (matchable) and three no image can claim
      orphaned_small_files: 2, // A4's and one no image can claim
      total_disk_usage: { thumbnails_mb: megabytes(14 * fx.thumbnailSize), smalls_mb: megabytes(15 * fx.smallSize) },
      generation_stats: { pending_jobs: 1, processing_jobs: 0, failed_jobs_24h: 1, completed_jobs_24h: 1 },
      orphan_scan: { scanned_at: expect.any(String), scanning: false },
    });
    expect(stats.total_disk_usage.smalls_mb).toBeGreaterThan(0);

    expect(service.getTimelapseThumbnailStats(fx.a.timelapseId)).toEqual({
      timelapse_id: fx.a.timelapseId,
      total_images: 10,
      thumbnail_count: 8,
      small_count: 9,
      disk_usage: { thumbnails_mb: megabytes(8 * fx.thumbnailSize), smalls_mb: megabytes(9 * fx.smallSize) },
      generation_status: { pending_jobs: 1, last_generated_at: new Date(now + 1000).toISOString() },
    });
    expect(service.getTimelapseThumbnailStats(fx.b.timelapseId).generation_status).toEqual({
      pending_jobs: 0,
      last_generated_at: null,
    });
    expect(() => service!.getTimelapseThumbnailStats(9999)).toThrow(NotFoundError);

    // A repair invalidates the figures; the next scan finds no orphans left.
    await service.repairOrphanedThumbnails();
    expect(service.getThumbnailStatistics().orphan_scan).toEqual({ scanned_at: null, scanning: true });
    await service.refreshOrphanScan();
    expect(service.getThumbnailStatistics()).toMatchObject({
      orphaned_thumbnail_files: 0,
      orphaned_small_files: 0,
      images_with_thumbnails: 15,
      images_with_smalls: 16,
    });
  });

  it('keeps byte totals equal to the recorded sizes through inserts, updates and deletes', async () => {
    const { core } = lib;
    const fx = await buildDamagedLibrary(core);
    const truth = (id: number) =>
      core.db
        .prepare(
          `SELECT coalesce(sum(CASE WHEN thumbnail_path IS NOT NULL THEN thumbnail_size END), 0) AS thumbnail_bytes,
                  coalesce(sum(CASE WHEN small_path IS NOT NULL THEN small_size END), 0) AS small_bytes
           FROM images WHERE timelapse_id = ?`,
        )
        .get(id);
    const [x, y] = [fx.a.images[8]!, fx.a.images[9]!];
    core.ops.images.setThumbnailPath(x.id, x.thumbnail_path, 12345); // same path, new size
    core.ops.images.setSmallPath(y.id, null, null);
    core.ops.images.delete(fx.a.images[7]!.id);
    core.db.prepare('UPDATE images SET timelapse_id = ? WHERE id = ?').run(fx.b.timelapseId, fx.a.images[6]!.id);
    for (const id of [fx.a.timelapseId, fx.b.timelapseId]) {
      const { thumbnail_bytes, small_bytes } = timelapseCounts(core, id);
      expect({ thumbnail_bytes, small_bytes }).toEqual(truth(id));
    }
  });
});
