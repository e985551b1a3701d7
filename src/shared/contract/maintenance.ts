import type { RegenerationSessionStatus } from './vocabulary';

/**
 * Result and option shapes of the maintenance operations (verify, repair,
 * cleanup, delete-all, regenerate, statistics), as the spec's JSON writes them
 * (snake_case). Shared by the core, the API contract and the UI; no Node here.
 * Times are ISO 8601 strings, sizes in MB are rounded to 0.01.
 */

/** A file or folder an operation could not handle; the operation went on without it. */
export interface FileProblem {
  path: string;
  /** The system error code (EACCES, EIO, …) or a short reason. */
  error: string;
}

/** Lists of paths are capped so a result stays small on a library of millions of files. */
export const MAX_LISTED_PATHS = 1000;
export const MAX_LISTED_PROBLEMS = 100;

export interface DatabaseCounts {
  thumbnail_count: number;
  small_count: number;
}

/** Spec: POST /api/timelapses/{id}/thumbnails/verify. missing = total − valid, as in the spec. */
export interface VerificationCounts {
  total_images: number;
  valid_thumbnails: number;
  valid_smalls: number;
  missing_thumbnails: number;
  missing_smalls: number;
  /** The stored counts before this verification. */
  database_counts: DatabaseCounts;
  /** Whether the stored counts changed to match the files. */
  counts_updated: boolean;
  /** Recorded paths whose file was gone, now NULL. */
  paths_cleared: { thumbnails: number; smalls: number };
  /** True when the UI should prompt "Missing thumbnails detected. Run system-wide repair from Settings?". */
  suggest_repair: boolean;
  errors: FileProblem[];
  error_count: number;
}

export interface TimelapseVerification extends VerificationCounts {
  timelapse_id: number;
}

/** POST /api/thumbnails/verify: the timelapse fields summed over every timelapse, plus one row each. */
export interface SystemVerification extends VerificationCounts {
  timelapses: TimelapseVerification[];
}

/** Spec: POST /api/thumbnails/repair. found = matched + deleted + left. */
export interface RepairResult {
  orphaned_files_found: number;
  files_matched: number;
  files_deleted: number;
  database_records_updated: number;
  timelapses_affected: number;
  /** Thumbnail and small files looked at. */
  files_scanned: number;
  /** Orphans kept: their image already has another existing file, a frame arrived for them, or deleting failed. */
  files_left: number;
  /** Files in thumbnails/ or smalls/ whose names our naming does not create: reported, never touched. */
  unparseable_files: string[];
  unparseable_count: number;
  errors: FileProblem[];
  error_count: number;
}

/** DELETE /api/thumbnails/cleanup: the files no image can claim; a dry run only lists them. */
export interface CleanupResult {
  dry_run: boolean;
  force: boolean;
  files_scanned: number;
  orphaned_files_found: number;
  orphaned_thumbnail_files: number;
  orphaned_small_files: number;
  /** Bytes of the orphaned files found. */
  orphaned_bytes: number;
  files_deleted: number;
  bytes_freed: number;
  /** Candidates an image claimed between the scan and the delete (a frame captured meanwhile): kept. */
  files_kept: number;
  /** Root-relative paths of the orphans (the first MAX_LISTED_PATHS). */
  files: string[];
  files_truncated: boolean;
  /** orphaned_files_found / files_scanned. */
  share: number;
  safety_threshold: number;
  /** The share is above the threshold: a real run needs force. */
  exceeds_safety_threshold: boolean;
  unparseable_count: number;
  errors: FileProblem[];
  error_count: number;
}

/** DELETE /api/thumbnails/delete-all. */
export interface DeleteAllResult {
  files_deleted: number;
  thumbnail_files_deleted: number;
  small_files_deleted: number;
  database_records_cleared: number;
  errors: FileProblem[];
  error_count: number;
}

/** Spec: GET /api/thumbnails/stats. */
export interface ThumbnailStatistics {
  total_images: number;
  images_with_thumbnails: number;
  images_with_smalls: number;
  /** From the last scan of the tree (see orphan_scan); 0 before the first one. */
  orphaned_thumbnail_files: number;
  orphaned_small_files: number;
  /** The recorded sizes of the thumbnails and smalls the database points at (live). */
  total_disk_usage: { thumbnails_mb: number; smalls_mb: number };
  generation_stats: {
    pending_jobs: number;
    processing_jobs: number;
    failed_jobs_24h: number;
    completed_jobs_24h: number;
  };
  /**
   * The scan the orphan counts and `storage` come from. scanned_at: when it
   * started (null: never); scanning: one runs now; stale: the tree changed
   * since (a maintenance action), a new scan is on its way.
   */
  orphan_scan: { scanned_at: string | null; scanning: boolean; stale: boolean };
  storage: StorageStatistics;
}

/** What the tree holds, measured from the file system by the last scan (bytes); the disk's space read now. */
export interface StorageStatistics {
  /** When the measuring scan started (the orphan scan's time); null: never measured. */
  scanned_at: string | null;
  /** null until a scan measured them. */
  frames_bytes: number | null;
  thumbnails_bytes: number | null;
  smalls_bytes: number | null;
  videos_bytes: number | null;
  /** Free (to this user) and total space of the data root's file system; null where it cannot be read. */
  disk_free_bytes: number | null;
  disk_total_bytes: number | null;
}

/** Folders of a timelapse the census measures. */
export const STORAGE_KINDS = ['frames', 'thumbnails', 'smalls', 'videos'] as const;
export type StorageKind = (typeof STORAGE_KINDS)[number];

/** One timelapse folder as measured on disk (also a folder the database no longer knows). */
export interface TimelapseStorage {
  camera_id: number;
  timelapse_id: number;
  /** Null for a folder on disk whose camera or timelapse the database no longer has. */
  camera_name: string | null;
  timelapse_name: string | null;
  frames_bytes: number;
  thumbnails_bytes: number;
  smalls_bytes: number;
  videos_bytes: number;
}

/** GET /api/thumbnails/storage: disk use per timelapse folder, from the last scan. */
export interface StorageBreakdown {
  scanned_at: string | null;
  timelapses: TimelapseStorage[];
}

/** Spec: GET /api/timelapses/{id}/thumbnails/stats. */
export interface TimelapseThumbnailStats {
  timelapse_id: number;
  total_images: number;
  thumbnail_count: number;
  small_count: number;
  disk_usage: { thumbnails_mb: number; smalls_mb: number };
  generation_status: { pending_jobs: number; last_generated_at: string | null };
}

/** Spec: POST /api/timelapses/{id}/thumbnails/generate. */
export interface GenerateThumbnailsResult {
  jobs_queued: number;
  estimated_completion: string;
  session_id: number;
}

export type RegenerationState = 'idle' | RegenerationSessionStatus;

/** GET /api/thumbnails/regenerate-all/status (and the answer of start and cancel). */
export interface RegenerationStatus {
  session_id: number | null;
  status: RegenerationState;
  timelapse_id: number | null;
  force_regenerate: boolean;
  include_smalls: boolean;
  /** Not every image has its job yet (jobs are queued in a window as earlier ones finish). */
  queueing: boolean;
  /** Images the session covers. */
  total: number;
  /** Jobs queued so far. */
  queued: number;
  completed: number;
  failed: number;
  cancelled: number;
  /** Not yet done: jobs waiting or running, plus images not queued yet. */
  pending: number;
  rate_per_second: number;
  eta_seconds: number | null;
  started_at: string | null;
  finished_at: string | null;
}

/** The regeneration status before any session has run. */
export const NO_REGENERATION: RegenerationStatus = {
  session_id: null,
  status: 'idle',
  timelapse_id: null,
  force_regenerate: false,
  include_smalls: false,
  queueing: false,
  total: 0,
  queued: 0,
  completed: 0,
  failed: 0,
  cancelled: 0,
  pending: 0,
  rate_per_second: 0,
  eta_seconds: null,
  started_at: null,
  finished_at: null,
};

export interface RegenerateOptions {
  /** One timelapse, or every image when absent/null. */
  timelapse_id?: number | null;
  /**
   * true ("Everything"): every image, overwriting; false ("Missing only"):
   * images that lack their thumbnail, or the small small_generation_mode wants.
   * Default true, as the spec's regenerate-all.
   */
  force_regenerate?: boolean;
  include_smalls?: boolean;
  /** Queue at most this many images. */
  limit?: number | null;
}

export interface CleanupOptions {
  dry_run?: boolean;
  /** Delete even when more than the safety threshold would go. */
  force?: boolean;
}

export interface DeleteAllOptions {
  /** Must be true: deleting every thumbnail is never implicit. */
  confirm?: boolean;
}
