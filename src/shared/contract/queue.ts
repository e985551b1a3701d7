/** Result shapes of the job queue and performance service, as the API returns them. */
import type { JobPriority, JobStatus } from './vocabulary';

export interface JobStatistics {
  by_status: Record<JobStatus, number>;
  by_priority: Record<JobPriority, number>;
  pending_jobs: number;
  processing_jobs: number;
  completed_jobs_24h: number;
  failed_jobs_24h: number;
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
