/**
 * Argument and result types of cameras, timelapse sessions, the capture worker
 * and folder import, as the API contract and the UI see them (snake_case, ISO
 * times). No Node imports: the renderer uses these too.
 */
import type {
  AfterIngest,
  FrameRejectionReason,
  HttpAuth,
  RtspTransport,
  SourceType,
} from './vocabulary';

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
  /** The wall's optional group; null or '' for none. */
  group?: string | null;
}

export type CameraPatchInput = Partial<CameraInput>;

export interface DemoSourceOptions {
  width?: number;
  height?: number;
}

export interface HttpSourceOptions {
  /** Credentials; in the URL (http://user:pass@host/) work too. */
  username?: string;
  password?: string;
  /** Default auto: whatever the camera's challenge asks, basic or digest. */
  auth?: HttpAuth;
  /** Accept a self-signed (or otherwise unverifiable) https certificate. */
  insecure_tls?: boolean;
  timeout_ms?: number;
  max_bytes?: number;
  max_redirects?: number;
}

export interface RtspSourceOptions {
  /** Put into the stream URL for ffmpeg; credentials in the URL work too. */
  username?: string;
  password?: string;
  /** Default tcp. */
  transport?: RtspTransport;
  timeout_ms?: number;
  max_bytes?: number;
}

export interface FolderSourceOptions {
  /** A file is taken once its size has not changed for this long. */
  stable_ms?: number;
  /**
   * What becomes of a file once its frame is safely stored: keep (default: the
   * folder is left as it is; what was taken is remembered) or delete (the
   * folder is an inbox; refused files move to its rejected/ subfolder).
   */
  after_ingest?: AfterIngest;
  /** Set by import on the cameras it creates: where the frames came from. */
  imported_from?: string;
}

/** An imported camera: frames from a folder import, no source of its own. The wall shows it grey, as an archive. */
export function isArchiveCamera(camera: {
  source_type: SourceType;
  source_url: string | null;
  source_options: Record<string, unknown>;
}): boolean {
  return (
    camera.source_type === 'folder' &&
    !camera.source_url &&
    typeof camera.source_options.imported_from === 'string'
  );
}

/** What `cameras.test` answers: one frame grabbed with the settings given, nothing saved. */
export type CameraTestResult =
  | {
      source_type: 'demo' | 'http' | 'rtsp';
      width: number;
      height: number;
      /** Bytes of the frame. */
      size: number;
      format: string;
      elapsed_ms: number;
      /** The frame itself as a data: URI, when asked for (`preview`). */
      preview: string | null;
    }
  | {
      source_type: 'folder';
      folder: string;
      /** JPEG files in it now: what the camera would take first. */
      jpeg_files: number;
      /** after_ingest delete needs this. */
      writable: boolean;
      elapsed_ms: number;
    };

/** What the capture worker is doing for one camera (the tile shows it). */
export type CaptureState =
  | 'disabled'
  | 'waiting' // polling source between two captures
  | 'capturing'
  | 'watching' // folder source waiting for files
  | 'backoff' // failed; retries at next_attempt_at
  | 'no_active_timelapse'
  | 'paused_disk_full'; // the library's disk is full or below min_free_space_mb: resumes by itself

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
