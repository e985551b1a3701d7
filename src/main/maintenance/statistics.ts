import type { ThumbnailStatistics, TimelapseThumbnailStats } from '../../shared/contract';
import type { CoreContext } from '../context';
import { NotFoundError } from '../errors';
import type { OrphanCensus } from './orphan-census';

const DAY_MS = 24 * 3_600_000;

/**
 * The spec's statistics. Every figure is read from per-timelapse totals the
 * triggers keep (counts and bytes), counts over the job queue's partial indexes
 * and the cached orphan census, so the answer does not grow with the images.
 */
export function thumbnailStatistics(
  ctx: CoreContext,
  census: OrphanCensus,
  now: number,
): ThumbnailStatistics {
  const coverage = ctx.ops.images.getThumbnailCoverageStatistics();
  const usage = ctx.ops.images.getVariantDiskUsage(null);
  const jobs = ctx.ops.jobs.queueCounts(now - DAY_MS);
  const { report, scanning } = census.current();
  return {
    ...coverage,
    orphaned_thumbnail_files: report?.orphaned_thumbnail_files ?? 0,
    orphaned_small_files: report?.orphaned_small_files ?? 0,
    total_disk_usage: {
      thumbnails_mb: megabytes(usage.thumbnail_bytes),
      smalls_mb: megabytes(usage.small_bytes),
    },
    generation_stats: {
      pending_jobs: jobs.pending + jobs.retry,
      processing_jobs: jobs.processing,
      failed_jobs_24h: jobs.failed_since,
      completed_jobs_24h: jobs.completed_since,
    },
    orphan_scan: {
      scanned_at: report ? new Date(report.started_at).toISOString() : null,
      scanning,
    },
  };
}

export function timelapseThumbnailStats(
  ctx: CoreContext,
  timelapseId: number,
): TimelapseThumbnailStats {
  const timelapse = ctx.ops.timelapses.getById(timelapseId);
  if (!timelapse) throw new NotFoundError('Timelapse not found', { timelapse_id: timelapseId });
  const usage = ctx.ops.images.getVariantDiskUsage(timelapseId);
  const lastGenerated = ctx.ops.images.lastGeneratedAtForTimelapse(timelapseId);
  return {
    timelapse_id: timelapseId,
    total_images: timelapse.image_count,
    thumbnail_count: timelapse.thumbnail_count,
    small_count: timelapse.small_count,
    disk_usage: {
      thumbnails_mb: megabytes(usage.thumbnail_bytes),
      smalls_mb: megabytes(usage.small_bytes),
    },
    generation_status: {
      pending_jobs: ctx.ops.images.countLiveJobsForTimelapse(timelapseId),
      last_generated_at: lastGenerated === null ? null : new Date(lastGenerated).toISOString(),
    },
  };
}

/** Bytes as MB (MiB), to 0.01. */
export function megabytes(bytes: number): number {
  return Math.round((bytes / 1_048_576) * 100) / 100;
}
