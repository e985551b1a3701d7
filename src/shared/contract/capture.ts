/**
 * Argument and result types of cameras, timelapse sessions, the capture worker
 * and folder import, as the API contract and the UI see them (snake_case, ISO
 * times). No Node imports: the renderer uses these too.
 */
import type { FrameRejectionReason, SourceType } from './vocabulary';

/** What adding a camera takes (the contract's `cameras.create` arguments). */
export interface CameraInput {
  name: string;
  source_type: SourceType;
  /** http(s) snapshot URL, rtsp(s) stream URL or watch-folder path; none for demo. */
  source_url?: string | null;
  /** Per-source settings; see the `*SourceOptions` types. */
  source_options?: Record<string, unknown>;
  capture_interval_s?: number;
  generate_thumbnails?: boolean;
  enabled?: boolean;
}

export type CameraPatchInput = Partial<CameraInput>;

export interface DemoSourceOptions {
  width?: number;
  height?: number;
}

export interface HttpSourceOptions {
  /** Basic auth; credentials in the URL (http://user:pass@host/) work too. */
  username?: string;
  password?: string;
  timeout_ms?: number;
  max_bytes?: number;
  max_redirects?: number;
}

export interface RtspSourceOptions {
  timeout_ms?: number;
  max_bytes?: number;
}

export interface FolderSourceOptions {
  /** A file is taken once its size has not changed for this long. */
  stable_ms?: number;
  /** Set by import on the cameras it creates: where the frames came from. */
  imported_from?: string;
}

/** What the capture worker is doing for one camera (the tile shows it). */
export type CaptureState =
  | 'disabled'
  | 'waiting' // polling source between two captures
  | 'capturing'
  | 'watching' // folder source waiting for files
  | 'backoff' // failed; retries at next_attempt_at
  | 'no_active_timelapse';

export interface CameraCaptureStatus {
  camera_id: number;
  state: CaptureState;
  consecutive_failures: number;
  last_error: string | null;
  /** ISO time of the next capture or retry, when one is scheduled. */
  next_attempt_at: string | null;
}

/** A file import turned away, and why (also in the camera's rejection log). */
export interface RejectedFile {
  file: string;
  reason: FrameRejectionReason;
  message: string;
}

/** A file whose EXIF time was not believed: its modification time was used instead. */
export interface ImplausibleTime {
  file: string;
  exif_time: string;
  problem: 'before_2000' | 'in_future';
  used_time: string;
}

export interface ImportFolderResult {
  imported: number;
  /** Of the imported: kept with a flag (flat "no signal", too small). */
  flagged: number;
  /** Of the imported: PNG or WebP files stored as JPEG. */
  converted: number;
  /** Files the camera already holds, by their content (the folder was imported before). */
  skipped_duplicates: number;
  rejected: RejectedFile[];
  /** Files timed by their modification time: no EXIF time, or one not plausible. */
  timed_by_file: number;
  implausible_times: ImplausibleTime[];
  camera_id: number;
  timelapse_id: number;
}

export interface ImportProgress {
  phase: 'scanning' | 'importing';
  processed: number;
  total: number;
  imported: number;
  skipped_duplicates: number;
  rejected: number;
}
