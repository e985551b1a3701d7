/** Row shapes as stored. Times are epoch milliseconds; paths are relative to the data root. */

import type {
  FrameFlag,
  FrameRejectionReason,
  JobPriority,
  JobStatus,
  JobType,
  RegenerationSessionStatus,
  SourceType,
  TimelapseStatus,
  VideoSize,
  VideoStatus,
} from '../../shared/contract';

export type {
  JobPriority,
  JobStatus,
  JobType,
  SourceType,
  TimelapseStatus,
  VideoSize,
  VideoStatus,
};

export interface CameraRow {
  id: number;
  name: string;
  source_type: SourceType;
  source_url: string | null;
  source_options: string;
  capture_interval_s: number;
  generate_thumbnails: 0 | 1;
  enabled: 0 | 1;
  last_capture_at: number | null;
  last_error: string | null;
  rejected_frames: number;
  created_at: number;
  updated_at: number;
  /** The wall's order (migration 6). */
  sort_order: number;
  /** The wall's optional group, as Frigate's camera groups (migration 6). */
  group_name: string | null;
  /** Migration 5: refusals since the camera's last stored frame (the wall tile shows it). */
  rejections_since_frame: number;
}

export interface TimelapseRow {
  id: number;
  camera_id: number;
  name: string;
  status: TimelapseStatus;
  started_at: number;
  completed_at: number | null;
  image_count: number;
  thumbnail_count: number;
  small_count: number;
  /** Bytes of the thumbnails and smalls whose paths are set (migration 2; kept by the count triggers). */
  thumbnail_bytes: number;
  small_bytes: number;
  /** Bytes of the frames themselves (migration 6; kept by triggers). */
  frame_bytes: number;
  created_at: number;
}

export interface ImageRow {
  id: number;
  timelapse_id: number;
  camera_id: number;
  file_path: string;
  captured_at: number;
  day_number: number;
  clock: string;
  seq: number;
  file_size: number;
  width: number | null;
  height: number | null;
  corruption_score: number | null;
  thumbnail_path: string | null;
  small_path: string | null;
  thumbnail_size: number | null;
  small_size: number | null;
  created_at: number;
  /** Migration 5: why a kept frame looks wrong; is_flagged is derived from it. */
  flag_reason: FrameFlag | null;
  is_flagged: 0 | 1;
  /** SHA-256 of the frame's bytes as received (before any PNG/WebP conversion); null on older rows. */
  content_hash: Buffer | null;
}

/** Migration 5: one refused frame in a camera's rejection log. */
export interface FrameRejectionRow {
  id: number;
  camera_id: number;
  rejected_at: number;
  source: string;
  reason: FrameRejectionReason;
  message: string;
  byte_size: number | null;
}

export interface JobRow {
  id: number;
  image_id: number;
  priority: JobPriority;
  status: JobStatus;
  job_type: JobType;
  session_id: number | null;
  force_regenerate: 0 | 1;
  include_smalls: 0 | 1;
  created_at: number;
  started_at: number | null;
  completed_at: number | null;
  error_message: string | null;
  processing_time_ms: number | null;
  retry_count: number;
  next_attempt_at: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
}

export interface RegenerationSessionRow {
  id: number;
  timelapse_id: number | null;
  force_regenerate: 0 | 1;
  include_smalls: 0 | 1;
  status: RegenerationSessionStatus;
  total: number;
  started_at: number;
  finished_at: number | null;
  /** Migrations 2 and 4: where queueing stands, so a session resumes after a restart. */
  queue_cursor: number;
  queue_done: 0 | 1;
  image_limit: number | null;
  queued: number;
  max_image_id: number | null;
  /** Migration 5: the process driving the session (like a job's lease owner), null when none. */
  owner: string | null;
  lease_expires_at: number | null;
}

/** A render job and, once completed, its MP4 (the videos migration). */
export interface VideoRow {
  id: number;
  timelapse_id: number;
  /** Relative to the data root, in the timelapse's videos/ folder; the file exists once completed. */
  file_path: string;
  status: VideoStatus;
  size: VideoSize;
  fps: number;
  from_day: number | null;
  to_day: number | null;
  frame_count: number;
  frames_done: number;
  width: number | null;
  height: number | null;
  file_size: number | null;
  error_message: string | null;
  /** The process rendering it (a lease owner: host|pid|tag) while status is rendering. */
  owner: string | null;
  heartbeat_at: number | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
}
