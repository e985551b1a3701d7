/** Result shapes of the job queue and performance service, as the API returns them. */
import type { JobPriority, JobStatus } from './vocabulary';

export interface JobStatistics {
  by_status: Record<JobStatus, number>;
  by_priority: Record<JobPriority, number>;
  pending_jobs: number;
  processing_jobs: number;
  completed_jobs_24h: number;
  failed_jobs_24h: number;
  /** completed / (completed + failed) over the same 24 h; null when none finished. */
  success_rate_24h: number | null;
  /** Paused: no process claims jobs until it is resumed. */
  queue: QueueState;
  /** Waiting jobs per priority and when the last of each should be done, in claim order. */
  priorities: PriorityEta[];
  /** Jobs per second this process completed over the last minute; null before any. */
  throughput_per_second: number | null;
  oldest_pending_age_seconds: number | null;
  recent_failures: {
    job_id: number;
    image_id: number;
    error_message: string | null;
    completed_at: string | null;
  }[];
}

export interface PerformanceStatistics {
  window_seconds: number;
  generations: number;
  success_rate: number | null;
  average_ms: number | null;
  p50_ms: number | null;
  p95_ms: number | null;
  throughput_per_second: number;
  average_input_mb: number | null;
  worker: {
    pool_size: number;
    busy_workers: number;
    jobs_in_flight: number;
    queue_depth: number;
    oldest_pending_age_seconds: number | null;
  };
  /** One point per minute over the window, oldest first. */
  timeline: { minute: string; completed: number; failed: number; p50_ms: number | null }[];
}

export interface PerformanceIssue {
  kind: 'slow_outliers' | 'rising_failures' | 'queue_growing' | 'slow_generation';
  severity: 'info' | 'warning';
  message: string;
}

export interface Recommendation {
  setting: string;
  current: unknown;
  suggested: unknown;
  reason: string;
}

/** The queue's pause, kept in the database: every process (app, serve, `jobs run`) obeys it. */
export interface QueueState {
  paused: boolean;
  paused_at: string | null;
  /** The host and process that paused it. */
  paused_by: string | null;
}

export interface PriorityEta {
  priority: JobPriority;
  /** Pending and retry jobs of this priority. */
  waiting: number;
  /**
   * Seconds until the last of them should be done: every waiting job claimed
   * before it, at the measured throughput. 0 when none wait; null while paused
   * or before anything was measured.
   */
  eta_seconds: number | null;
}

/** A failed job by the frame it was for. */
export interface FailedJob {
  job_id: number;
  image_id: number;
  camera_id: number;
  camera_name: string;
  timelapse_id: number;
  timelapse_name: string;
  /** The frame's capture time and file (root-relative). */
  captured_at: string;
  file_path: string;
  error_message: string | null;
  /** Times it was tried. */
  attempts: number;
  failed_at: string | null;
}

/** GET /api/jobs/failed: newest first, paged by next_before_id. */
export interface FailedJobPage {
  total: number;
  jobs: FailedJob[];
  next_before_id: number | null;
}

/** POST /api/jobs/failed/retry. */
export interface RetryResult {
  /** Jobs due again now, at high priority. */
  requeued: number;
  /** Failed jobs dropped because their image has a live job already. */
  superseded: number;
}
