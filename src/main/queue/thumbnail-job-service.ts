import { hostname } from 'node:os';
import {
  JOB_PRIORITIES,
  type FailedJobPage,
  type JobStatistics,
  type PriorityEta,
  type QueueState,
  type RetryResult,
} from '../../shared/contract';
import type { CoreContext } from '../context';
import { writeTransaction } from '../database/connection';
import type { VariantPaths } from '../database/operations/image-operations';
import type { CameraRow, ImageRow, JobPriority, JobRow } from '../database/types';
import { isLeaseOwnerDead, makeLeaseOwner } from '../system/lease-owner';
import { decideFailure } from './retry-policy';

export interface QueueOptions {
  force?: boolean;
  includeSmalls?: boolean;
}

export interface JobServiceOptions {
  /** Injected clock, so tests can step through the backoff schedule. */
  now?: () => number;
  /** How long a claim stays ours without renewal. */
  leaseMs?: number;
  /** Jobs per second completed now (the performance service's measure), for the ETAs. */
  throughput?: () => number | null;
}

export type FailureOutcome =
  { kind: 'retry'; job: JobRow } | { kind: 'failed'; job: JobRow } | { kind: 'lease_lost' };

const HOUR_MS = 3_600_000;

/**
 * The spec's ThumbnailJobService: queueing, atomic claims with leases,
 * completion and failure with the 30 s / 2 min / 5 min backoff, crash recovery,
 * statistics and cleanup. Every write starts IMMEDIATE so two processes on the
 * same database never deadlock on a lock upgrade.
 */
export class ThumbnailJobService {
  readonly owner = makeLeaseOwner();
  readonly now: () => number;
  readonly leaseMs: number;
  private readonly throughput: () => number | null;

  constructor(
    private readonly ctx: CoreContext,
    options: JobServiceOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.throughput = options.throughput ?? (() => null);
  }

  /** Queues (or upgrades) the image's one live job and returns at once. */
  queueJob(imageId: number, priority: JobPriority = 'medium', options: QueueOptions = {}): JobRow {
    const job = writeTransaction(this.ctx.db, () =>
      this.ctx.ops.jobs.createJob(
        {
          image_id: imageId,
          priority,
          force_regenerate: options.force,
          include_smalls: options.includeSmalls,
        },
        this.now(),
      ),
    );
    this.ctx.events.emit({
      type: 'jobs_queued',
      count: 1,
      priority: job.priority,
      image_id: imageId,
      job_id: job.id,
    });
    return job;
  }

  /**
   * The capture path's hook: a medium job (low for a folder import, which is
   * bulk work) for a saved, checked frame, unless thumbnails are off globally
   * or for the camera. It runs inside the frame's transaction and throws when
   * the job cannot be queued, so the frame's row rolls back with it: no image
   * is ever left without the job that makes its thumbnails.
   */
  queueAfterCapture(
    image: Pick<ImageRow, 'id'>,
    camera: Pick<CameraRow, 'generate_thumbnails'>,
    priority: JobPriority = 'medium',
  ): JobRow | null {
    if (!camera.generate_thumbnails || !this.ctx.settings.get('generate_thumbnails')) return null;
    return this.queueJob(image.id, priority);
  }

  /** Atomically claims up to `limit` due jobs, high → medium → low, oldest first. */
  claimJobs(limit: number): JobRow[] {
    const now = this.now();
    return writeTransaction(this.ctx.db, () =>
      this.ctx.ops.jobs.claimPendingJobs(limit, this.owner, now, now + this.leaseMs),
    );
  }

  renewLeases(): number {
    return writeTransaction(this.ctx.db, () =>
      this.ctx.ops.jobs.renewLeases(this.owner, this.now() + this.leaseMs),
    );
  }

  /**
   * Job, image paths and (through the triggers) timelapse counts in one
   * transaction. Answers false, writing nothing, when our lease was taken over.
   */
  markJobCompleted(job: JobRow, paths: Partial<VariantPaths>, processingTimeMs: number): boolean {
    return writeTransaction(this.ctx.db, () => {
      if (!this.ctx.ops.jobs.markCompleted(job.id, this.owner, this.now(), processingTimeMs))
        return false;
      if (paths.thumbnail_path !== undefined) {
        this.ctx.ops.images.setThumbnailPath(
          job.image_id,
          paths.thumbnail_path,
          paths.thumbnail_size ?? null,
        );
      }
      if (paths.small_path !== undefined) {
        this.ctx.ops.images.setSmallPath(job.image_id, paths.small_path, paths.small_size ?? null);
      }
      return true;
    });
  }

  /** Retry after the next backoff step, or fail for good (permanent errors at once). */
  markJobFailed(
    job: JobRow,
    error: string,
    permanent: boolean,
    processingTimeMs: number,
  ): FailureOutcome {
    const maxRetries = this.ctx.settings.get('thumbnail_max_retries');
    const decision = decideFailure(job.retry_count, maxRetries, permanent);
    const now = this.now();
    return writeTransaction(this.ctx.db, (): FailureOutcome => {
      const ok =
        decision.kind === 'retry'
          ? this.ctx.ops.jobs.markRetry(
              job.id,
              this.owner,
              error,
              now + decision.delayMs,
              processingTimeMs,
            )
          : this.ctx.ops.jobs.markFailed(job.id, this.owner, error, now, processingTimeMs);
      if (!ok) return { kind: 'lease_lost' };
      return { kind: decision.kind, job: this.ctx.ops.jobs.getById(job.id)! };
    });
  }

  /**
   * Gives a job back without spending a retry: the disk was full, which says
   * nothing about the image. Due again after `delayMs` (the worker also waits
   * for the free-space guard). False when our lease was taken over.
   */
  postponeJob(job: JobRow, error: string, delayMs: number): boolean {
    return writeTransaction(this.ctx.db, () =>
      this.ctx.ops.jobs.markPostponed(job.id, this.owner, error, this.now() + delayMs),
    );
  }

  /**
   * Gives back jobs left in processing by a process that died (same host, pid
   * gone) or whose lease expired, keeping their retry counts.
   */
  recoverAbandonedJobs(): number {
    return writeTransaction(this.ctx.db, () => {
      const dead = this.ctx.ops.jobs
        .listLeaseOwners()
        .filter((owner) => isLeaseOwnerDead(owner, this.owner));
      return (
        this.ctx.ops.jobs.requeueOwners(dead) + this.ctx.ops.jobs.requeueExpiredLeases(this.now())
      );
    });
  }

  /** Cancels every waiting job (pending or retry), or one regeneration session's. */
  cancelPendingJobs(sessionId: number | null = null): number {
    return writeTransaction(this.ctx.db, () =>
      this.ctx.ops.jobs.cancelPendingJobs(this.now(), sessionId),
    );
  }

  /** Deletes completed, failed and cancelled jobs older than the retention setting. */
  cleanupCompletedJobs(hours = this.ctx.settings.get('thumbnail_cleanup_hours')): number {
    return writeTransaction(this.ctx.db, () =>
      this.ctx.ops.jobs.deleteJobsOlderThan(this.now() - hours * HOUR_MS),
    );
  }

  /** Earliest time a waiting retry becomes due, if any. */
  nextRetryAt(): number | null {
    return this.ctx.ops.jobs.nextAttemptAfter(this.now());
  }

  // ---- pause and resume (kept in the database, obeyed by every process's claims)

  queueState(): QueueState {
    const row = this.ctx.ops.jobs.getQueueState();
    return {
      paused: row.paused_at !== null,
      paused_at: row.paused_at === null ? null : new Date(row.paused_at).toISOString(),
      paused_by: row.paused_by,
    };
  }

  isPaused(): boolean {
    return this.ctx.ops.jobs.getQueueState().paused_at !== null;
  }

  /** No process claims another job until resumed; jobs already running finish. */
  pauseQueue(): QueueState {
    return this.setPaused(true);
  }

  resumeQueue(): QueueState {
    return this.setPaused(false);
  }

  private setPaused(paused: boolean): QueueState {
    const changed = writeTransaction(this.ctx.db, () =>
      this.ctx.ops.jobs.setPaused(
        paused ? this.now() : null,
        paused ? `${hostname()}, pid ${process.pid}` : null,
      ),
    );
    const state = this.queueState();
    if (changed) this.ctx.events.emit({ type: 'queue_state', ...state });
    return state;
  }

  // ---- failed jobs

  /** Failed jobs newest first, of every kind or of one regeneration session. */
  listFailedJobs(
    limit = 50,
    beforeId: number | null = null,
    sessionId: number | null = null,
  ): FailedJobPage {
    const rows = this.ctx.ops.jobs.listFailed(limit, beforeId, sessionId);
    return {
      total: this.ctx.ops.jobs.countFailed(sessionId),
      jobs: rows.map((row) => ({
        job_id: row.job_id,
        image_id: row.image_id,
        camera_id: row.camera_id,
        camera_name: row.camera_name,
        timelapse_id: row.timelapse_id,
        timelapse_name: row.timelapse_name,
        captured_at: new Date(row.captured_at).toISOString(),
        file_path: row.file_path,
        error_message: row.error_message,
        attempts: row.retry_count + 1,
        failed_at: row.completed_at === null ? null : new Date(row.completed_at).toISOString(),
      })),
      next_before_id: rows.length === limit ? rows[rows.length - 1]!.job_id : null,
    };
  }

  /** Failed jobs (all, or the listed ones) due again now at high priority, with fresh attempts. */
  retryFailedJobs(jobIds: readonly number[] | null = null): RetryResult {
    const result = writeTransaction(this.ctx.db, () =>
      this.ctx.ops.jobs.retryFailed(jobIds, this.now()),
    );
    if (result.requeued > 0)
      this.ctx.events.emit({ type: 'jobs_queued', count: result.requeued, priority: 'high' });
    return result;
  }

  /** Deletes failed jobs (all, or the listed ones): the list is cleared, the frames keep what they have. */
  clearFailedJobs(jobIds: readonly number[] | null = null): number {
    return writeTransaction(this.ctx.db, () => this.ctx.ops.jobs.deleteFailed(jobIds));
  }

  // ---- statistics

  /**
   * Per priority: its waiting jobs, and when the last of them should be done:
   * every waiting job up to its worst claim rank (a bulk job ranks two below
   * its priority) at the measured throughput.
   */
  priorityEtas(paused: boolean): PriorityEta[] {
    const groups = this.ctx.ops.jobs.waitingByRank();
    const perSecond = this.throughput();
    return JOB_PRIORITIES.map((priority) => {
      const own = groups.filter((g) => g.priority === priority);
      const waiting = own.reduce((sum, g) => sum + g.n, 0);
      if (waiting === 0) return { priority, waiting, eta_seconds: 0 };
      if (paused || !perSecond) return { priority, waiting, eta_seconds: null };
      const lastRank = Math.max(...own.map((g) => g.claim_rank));
      const ahead = groups.filter((g) => g.claim_rank <= lastRank).reduce((sum, g) => sum + g.n, 0);
      return { priority, waiting, eta_seconds: Math.ceil(ahead / perSecond) };
    });
  }

  getJobStatistics(): JobStatistics {
    const now = this.now();
    const data = this.ctx.ops.jobs.getJobStatisticsData(now - 24 * HOUR_MS);
    const finished = data.completed_since + data.failed_since;
    const queue = this.queueState();
    return {
      by_status: data.by_status,
      by_priority: data.by_priority,
      pending_jobs: data.by_status.pending + data.by_status.retry,
      processing_jobs: data.by_status.processing,
      completed_jobs_24h: data.completed_since,
      failed_jobs_24h: data.failed_since,
      success_rate_24h: finished === 0 ? null : data.completed_since / finished,
      queue,
      priorities: this.priorityEtas(queue.paused),
      throughput_per_second: this.throughput(),
      oldest_pending_age_seconds:
        data.oldest_pending_created_at === null
          ? null
          : Math.max(0, (now - data.oldest_pending_created_at) / 1000),
      recent_failures: this.ctx.ops.jobs.getJobsByStatus('failed', 20).map((job) => ({
        job_id: job.id,
        image_id: job.image_id,
        error_message: job.error_message,
        completed_at: job.completed_at === null ? null : new Date(job.completed_at).toISOString(),
      })),
    };
  }
}
