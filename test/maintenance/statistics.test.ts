import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
    const first = await service.getThumbnailStatistics();
    // No census yet: the counts are 0, the scan time says so, and a scan runs in the background.
    expect(first).toMatchObject({
      orphaned_thumbnail_files: 0,
      orphaned_small_files: 0,
      orphan_scan: { scanned_at: null, scanning: true, stale: false },
      storage: { scanned_at: null, frames_bytes: null, thumbnails_bytes: null },
    });
    // A hard link holds no bytes of its own; a video is measured as it lies.
    const frame = core.tree.resolve(fx.a.images[0]!.file_path);
    linkSync(frame, `${frame}.link.jpg`);
    const videos = core.tree.resolve(
      join(core.tree.timelapseDir(fx.a.cameraId, fx.a.timelapseId), 'videos'),
    );
    mkdirSync(videos, { recursive: true });
    writeFileSync(join(videos, 'day001.mp4'), Buffer.alloc(12_345));
    const stats = await service.scanLibrary();
    const measured = bytesOnDisk(core.tree.root);
    expect(measured.videos).toBe(12_345);
    expect(stats).toEqual({
      total_images: 16,
      images_with_thumbnails: 14,
      images_with_smalls: 15,
      orphaned_thumbnail_files: 4, // A3's (matchable) and three no image can claim
      orphaned_small_files: 2, // A4's and one no image can claim
      total_disk_usage: {
        thumbnails_mb: megabytes(14 * fx.thumbnailSize),
        smalls_mb: megabytes(15 * fx.smallSize),
      },
      generation_stats: {
        pending_jobs: 1,
        processing_jobs: 0,
        failed_jobs_24h: 1,
        completed_jobs_24h: 1,
      },
      orphan_scan: { scanned_at: expect.any(String), scanning: false, stale: false },
      storage: {
        scanned_at: stats.orphan_scan.scanned_at,
        frames_bytes: measured.frames,
        thumbnails_bytes: measured.thumbnails,
        smalls_bytes: measured.smalls,
        videos_bytes: 12_345,
        disk_free_bytes: expect.any(Number),
        disk_total_bytes: expect.any(Number),
      },
    });
    // Free space as df sees the data root's file system.
    const df = execFileSync('df', ['--output=avail', '-B1', core.tree.root], {
      encoding: 'utf8',
    }).split('\n')[1]!;
    expect(Math.abs(stats.storage.disk_free_bytes! - Number(df))).toBeLessThan(200 * 1_048_576);
    expect(stats.storage.disk_total_bytes).toBeGreaterThan(stats.storage.disk_free_bytes!);

    expect(service.getTimelapseThumbnailStats(fx.a.timelapseId)).toEqual({
      timelapse_id: fx.a.timelapseId,
      total_images: 10,
      thumbnail_count: 8,
      small_count: 9,
      disk_usage: {
        thumbnails_mb: megabytes(8 * fx.thumbnailSize),
        smalls_mb: megabytes(9 * fx.smallSize),
      },
      generation_status: { pending_jobs: 1, last_generated_at: new Date(now + 1000).toISOString() },
    });
    expect(service.getTimelapseThumbnailStats(fx.b.timelapseId).generation_status).toEqual({
      pending_jobs: 0,
      last_generated_at: null,
    });
    expect(() => service!.getTimelapseThumbnailStats(9999)).toThrow(NotFoundError);

    // A repair marks the figures stale and starts a new scan at once; it finds no orphans left.
    const scanned = new Promise((resolve) => core.events.on('census_updated', resolve));
    await service.repairOrphanedThumbnails();
    const during = await service.getThumbnailStatistics();
    expect(during.orphan_scan).toEqual({
      scanned_at: stats.orphan_scan.scanned_at,
      scanning: true,
      stale: true,
    });
    await scanned;
    const after = await service.getThumbnailStatistics();
    expect(after).toMatchObject({
      orphaned_thumbnail_files: 0,
      orphaned_small_files: 0,
      images_with_thumbnails: 15,
      images_with_smalls: 16,
      orphan_scan: { scanning: false, stale: false },
    });
    expect(after.storage.thumbnails_bytes).toBe(bytesOnDisk(core.tree.root).thumbnails);
  });

  it('keeps the census in the database: another process sees it with its time, and its staleness', async () => {
    const { core } = lib;
    await buildDamagedLibrary(core);
    service = new ThumbnailService(core);
    const first = await service.scanLibrary();
    await service.close();

    // A second service over the same database (as a one-shot CLI is) shows the stored scan, scanning nothing.
    service = new ThumbnailService(core);
    const second = await service.getThumbnailStatistics();
    expect(second.orphan_scan).toEqual({
      scanned_at: first.orphan_scan.scanned_at,
      scanning: false,
      stale: false,
    });
    expect(second.orphaned_thumbnail_files).toBe(4);
    // The measured figures are the stored ones; the disk's free space is read now (other processes write).
    expect({ ...second.storage, disk_free_bytes: 0 }).toEqual({
      ...first.storage,
      disk_free_bytes: 0,
    });

    // Orphans added behind everyone's back show after a scan on request.
    const extra = core.tree.filePath(1, 1, 'small', {
      timelapseId: 1,
      day: 7,
      clock: '010203',
      seq: 0,
    });
    writeFileSync(core.tree.resolve(extra), Buffer.from('orphan'));
    expect((await service.scanLibrary()).orphaned_small_files).toBe(3);
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
    core.db
      .prepare('UPDATE images SET timelapse_id = ? WHERE id = ?')
      .run(fx.b.timelapseId, fx.a.images[6]!.id);
    for (const id of [fx.a.timelapseId, fx.b.timelapseId]) {
      const { thumbnail_bytes, small_bytes } = timelapseCounts(core, id);
      expect({ thumbnail_bytes, small_bytes }).toEqual(truth(id));
    }
  });
});

/** Bytes per folder kind under cameras/, as find(1) reports them, a hard-linked file once: an independent measure. */
function bytesOnDisk(root: string): Record<'frames' | 'thumbnails' | 'smalls' | 'videos', number> {
  const totals = { frames: 0, thumbnails: 0, smalls: 0, videos: 0 };
  const seen = new Set<string>();
  const out = execFileSync('find', [`${root}/cameras`, '-type', 'f', '-printf', '%D:%i %s %h\\n'], {
    encoding: 'utf8',
  });
  for (const line of out.trim().split('\n')) {
    const [inode, size, ...folder] = line.split(' ');
    const kind = folder.join(' ').split('/').pop() as keyof typeof totals;
    if (!(kind in totals) || seen.has(inode!)) continue;
    seen.add(inode!);
    totals[kind] += Number(size);
  }
  return totals;
}
