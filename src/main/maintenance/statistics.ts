import { statfs } from 'node:fs/promises';
import type {
  StorageBreakdown,
  StorageStatistics,
  ThumbnailStatistics,
  TimelapseThumbnailStats,
} from '../../shared/contract';
import type { CoreContext } from '../context';
import { NotFoundError } from '../errors';
import type { CensusState, LibraryCensus } from './library-census';

const DAY_MS = 24 * 3_600_000;

/**
 * The spec's statistics. Counts and recorded bytes come from per-timelapse
 * totals the triggers keep and counts over the job queue's partial indexes;
 * orphans and disk use from the stored census (with its time); free space is
 * read from the data root's file system now. None of it grows with the images.
 */
export async function thumbnailStatistics(
  ctx: CoreContext,
  census: LibraryCensus,
  now: number,
): Promise<ThumbnailStatistics> {
  const coverage = ctx.ops.images.getThumbnailCoverageStatistics();
  const usage = ctx.ops.images.getVariantDiskUsage(null);
  const jobs = ctx.ops.jobs.queueCounts(now - DAY_MS);
  const state = census.current();
  const { report } = state;
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
    orphan_scan: { scanned_at: scannedAt(state), scanning: state.scanning, stale: state.stale },
    storage: { ...measuredStorage(state), ...(await diskSpace(ctx.tree.root)) },
  };
}

/** Disk use per timelapse folder from the stored census, with today's names. */
export function storageBreakdown(ctx: CoreContext, census: LibraryCensus): StorageBreakdown {
  const state = census.current();
  const cameras = new Map(ctx.ops.cameras.list().map((c) => [c.id, c.name]));
  const timelapses = new Map(ctx.ops.timelapses.list().map((t) => [t.id, t.name]));
  return {
    scanned_at: scannedAt(state),
    timelapses: (state.report?.timelapses ?? []).map((usage) => ({
      camera_id: usage.camera_id,
      timelapse_id: usage.timelapse_id,
      camera_name: cameras.get(usage.camera_id) ?? null,
      timelapse_name: timelapses.get(usage.timelapse_id) ?? null,
      frames_bytes: usage.bytes.frames,
      thumbnails_bytes: usage.bytes.thumbnails,
      smalls_bytes: usage.bytes.smalls,
      videos_bytes: usage.bytes.videos,
    })),
  };
}

function scannedAt(state: CensusState): string | null {
  return state.report ? new Date(state.report.started_at).toISOString() : null;
}

function measuredStorage(
  state: CensusState,
): Omit<StorageStatistics, 'disk_free_bytes' | 'disk_total_bytes'> {
  const bytes = state.report?.bytes;
  return {
    scanned_at: scannedAt(state),
    frames_bytes: bytes?.frames ?? null,
    thumbnails_bytes: bytes?.thumbnails ?? null,
    smalls_bytes: bytes?.smalls ?? null,
    videos_bytes: bytes?.videos ?? null,
  };
}

/** Free (to an unprivileged user) and total bytes of the file system holding the data root. */
async function diskSpace(
  root: string,
): Promise<Pick<StorageStatistics, 'disk_free_bytes' | 'disk_total_bytes'>> {
  try {
    const fs = await statfs(root);
    return { disk_free_bytes: fs.bavail * fs.bsize, disk_total_bytes: fs.blocks * fs.bsize };
  } catch {
    return { disk_free_bytes: null, disk_total_bytes: null };
  }
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
