import type {
  CleanupResult,
  DeleteAllResult,
  FailedJob,
  JobStatistics,
  RegenerationStatus,
  RepairResult,
  TimelapseVerification,
  VerificationCounts,
} from '../../src/shared/contract';

/** Complete result shapes of the maintenance operations, for the UI tests to vary. */
export function verification(patch: Partial<VerificationCounts> = {}): VerificationCounts {
  return {
    total_images: 50,
    valid_thumbnails: 47,
    valid_smalls: 45,
    missing_thumbnails: 3,
    missing_smalls: 5,
    database_counts: { thumbnail_count: 50, small_count: 50 },
    counts_updated: true,
    paths_cleared: { thumbnails: 3, smalls: 5 },
    suggest_repair: true,
    errors: [],
    error_count: 0,
    ...patch,
  };
}

export function timelapseVerification(
  timelapseId: number,
  patch: Partial<VerificationCounts> = {},
): TimelapseVerification {
  return { ...verification(patch), timelapse_id: timelapseId };
}

export function repairResult(patch: Partial<RepairResult> = {}): RepairResult {
  return {
    orphaned_files_found: 23,
    files_matched: 18,
    files_deleted: 5,
    database_records_updated: 18,
    timelapses_affected: 7,
    files_scanned: 500,
    files_left: 0,
    unparseable_files: [],
    unparseable_count: 0,
    errors: [],
    error_count: 0,
    ...patch,
  };
}

export function cleanupResult(patch: Partial<CleanupResult> = {}): CleanupResult {
  return {
    dry_run: true,
    force: false,
    files_scanned: 100,
    orphaned_files_found: 2,
    orphaned_thumbnail_files: 1,
    orphaned_small_files: 1,
    orphaned_bytes: 3 * 1024 * 1024,
    files_deleted: 0,
    bytes_freed: 0,
    files_kept: 0,
    files: [],
    files_truncated: false,
    share: 0.02,
    safety_threshold: 0.5,
    exceeds_safety_threshold: false,
    unparseable_count: 0,
    errors: [],
    error_count: 0,
    ...patch,
  };
}

export function deleteAllResult(patch: Partial<DeleteAllResult> = {}): DeleteAllResult {
  return {
    files_deleted: 10,
    thumbnail_files_deleted: 5,
    small_files_deleted: 5,
    database_records_cleared: 5,
    errors: [],
    error_count: 0,
    ...patch,
  };
}

export function regeneration(patch: Partial<RegenerationStatus> = {}): RegenerationStatus {
  return {
    session_id: 4,
    status: 'running',
    timelapse_id: null,
    force_regenerate: true,
    include_smalls: true,
    queueing: false,
    total: 200,
    queued: 200,
    completed: 0,
    failed: 0,
    cancelled: 0,
    pending: 200,
    rate_per_second: 0,
    eta_seconds: null,
    started_at: '2026-01-01T12:00:00.000Z',
    finished_at: null,
    ...patch,
  };
}

export function jobStatistics(patch: Partial<JobStatistics> = {}): JobStatistics {
  return {
    by_status: { pending: 12, processing: 1, completed: 300, failed: 2, cancelled: 0, retry: 0 },
    by_priority: { high: 2, medium: 10, low: 0 },
    pending_jobs: 12,
    processing_jobs: 1,
    completed_jobs_24h: 300,
    failed_jobs_24h: 2,
    success_rate_24h: 300 / 302,
    queue: { paused: false, paused_at: null, paused_by: null },
    priorities: [
      { priority: 'high', waiting: 2, eta_seconds: 1 },
      { priority: 'medium', waiting: 10, eta_seconds: 6 },
      { priority: 'low', waiting: 0, eta_seconds: 0 },
    ],
    throughput_per_second: 2,
    oldest_pending_age_seconds: 30,
    recent_failures: [],
    ...patch,
  };
}

export function failedJob(jobId: number, patch: Partial<FailedJob> = {}): FailedJob {
  return {
    job_id: jobId,
    image_id: jobId * 10,
    camera_id: 1,
    camera_name: 'Front door',
    timelapse_id: 3,
    timelapse_name: 'Garden spring',
    captured_at: '2026-01-01T08:00:00.000Z',
    file_path: `cameras/camera-1/timelapse-3/frames/timelapse-3_day001_0800${String(jobId).padStart(2, '0')}.jpg`,
    error_message: 'The image file does not exist',
    attempts: 4,
    failed_at: '2026-01-01T09:00:00.000Z',
    ...patch,
  };
}
