import type { StorageStatus } from './storage';
import type {
  FrameRejectionReason,
  JobPriority,
  RegenerationSessionStatus,
  VideoStatus,
} from './vocabulary';

/**
 * Every event the core broadcasts: to the renderer over IPC, to browsers as
 * Server-Sent Events at /api/events, and to in-process listeners (the worker
 * wakes on `jobs_queued`). Each has a stable `type`, the ISO `timestamp` it
 * was emitted at (the event bus stamps it, in one place) and its fields,
 * snake_case like the spec's JSON.
 */

/** An event as a service emits it: its type and fields. */
export type CoreEventBody =
  | {
      type: 'jobs_queued';
      count: number;
      priority: JobPriority;
      image_id?: number;
      job_id?: number;
    }
  | { type: 'job_started'; job_id: number; image_id: number }
  | { type: 'job_completed'; job_id: number; image_id: number; processing_time_ms: number }
  | {
      type: 'job_retry';
      job_id: number;
      image_id: number;
      retry_count: number;
      next_attempt_at: string;
      error: string;
    }
  | { type: 'job_failed'; job_id: number; image_id: number; error: string }
  | {
      type: 'thumbnails_ready';
      image_id: number;
      camera_id: number;
      timelapse_id: number;
      captured_at: string;
      has_thumbnail: boolean;
      has_small: boolean;
    }
  | { type: 'queue_depth'; pending: number; processing: number; retry: number }
  | { type: 'queue_state'; paused: boolean; paused_at: string | null; paused_by: string | null }
  | {
      type: 'regeneration_progress';
      session_id: number;
      status: RegenerationSessionStatus;
      total: number;
      completed: number;
      failed: number;
      pending: number;
      rate_per_second: number;
      eta_seconds: number | null;
    }
  | {
      type: 'maintenance_progress';
      operation:
        'verify' | 'repair' | 'cleanup' | 'delete_all' | 'statistics' | 'missing_originals';
      processed: number;
      total: number | null;
      done: boolean;
    }
  /** A library census (orphans and disk use) finished and was stored. */
  | { type: 'census_updated'; scanned_at: string }
  | {
      type: 'frame_captured';
      camera_id: number;
      timelapse_id: number;
      image_id: number;
      captured_at: string;
    }
  | {
      type: 'frame_rejected';
      camera_id: number;
      reason: FrameRejectionReason;
      message: string;
      rejected_total: number;
      /** Refusals since the camera's last stored frame (the wall tile shows it). */
      since_last_frame: number;
    }
  | { type: 'capture_failed'; camera_id: number; error: string; retry_in_seconds: number }
  | { type: 'camera_changed'; camera_id: number }
  /** The wall's order changed (capture is not concerned): clients re-read the list once. */
  | { type: 'cameras_reordered'; camera_ids: number[] }
  | { type: 'timelapse_changed'; timelapse_id: number; camera_id: number }
  | { type: 'settings_changed' }
  /** The free-space guard paused or resumed capture and generation. */
  | ({ type: 'storage_changed' } & StorageStatus)
  | {
      /** A render job was queued, progressed (at most twice a second), ended or was deleted. */
      type: 'video_changed';
      video_id: number;
      timelapse_id: number;
      /** null: deleted. */
      status: VideoStatus | null;
      frames_done: number;
      frame_count: number;
    };

/** An event as every listener receives it. */
export type CoreEvent = CoreEventBody & {
  /** When it was emitted (ISO 8601, UTC). */
  timestamp: string;
};

export type CoreEventType = CoreEvent['type'];
export type CoreEventOf<T extends CoreEventType> = Extract<CoreEvent, { type: T }>;
