import type { CoreContext } from '../context';
import type { Logger } from '../logging/logger';
import type { JobRow } from '../database/types';
import { isDiskFullError } from '../errors';
import { isPermanentImageError } from '../imaging/image-errors';
import type { SmallRetention } from './small-retention';
import type { ThumbnailGenerator } from './thumbnail-generator';
import type { ThumbnailJobService } from './thumbnail-job-service';
import type { ThumbnailPerformanceService } from './thumbnail-performance-service';

export interface ThumbnailWorkerParts {
  jobs: ThumbnailJobService;
  generator: ThumbnailGenerator;
  retention: SmallRetention;
  performance: ThumbnailPerformanceService;
  /** Jobs to keep in flight: the engine's keep_in_flight keeps every sharp worker busy. */
  capacity: () => number;
  poolStats?: () => { pool_size: number; busy_workers: number };
}

const CLEANUP_EVERY_MS = 3_600_000;
const QUEUE_DEPTH_EVERY_MS = 1000;
/** A job given back for want of space is due again after this (the guard's resume also wakes the worker). */
const DISK_FULL_DELAY_MS = 5_000;
/** After a database write failed for another reason, the next attempt to claim. */
const CLAIM_RETRY_MS = 1_000;

/**
 * The spec's ThumbnailWorker, event-driven: a queued job wakes it at once and
 * it keeps the sharp pool full, claiming more as slots free. The
 * thumbnail_worker_interval tick is only a fallback (jobs queued by another
 * process), plus lease renewal, recovery of expired leases and cleanup.
 * While the free-space guard pauses writers it claims nothing; a job that
 * fails for want of space goes back to the queue without spending a retry,
 * and no database write failure ever escapes the worker.
 */
export class ThumbnailWorker {
  private running = false;
  private inFlight = 0;
  private wakeScheduled = false;
  private tickTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void)[] = [];
  /** Jobs whose release failed (the database was full too): given back when space returns. */
  private readonly stranded = new Map<number, JobRow>();
  private lastCleanup = 0;
  private lastDepthEvent = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly log: Logger;

  constructor(
    private readonly ctx: CoreContext,
    private readonly parts: ThumbnailWorkerParts,
  ) {
    this.log = ctx.log.child({ component: 'queue' });
    parts.performance.setWorkerMetrics(() => ({
      pool_size: parts.poolStats?.().pool_size ?? parts.capacity(),
      busy_workers: parts.poolStats?.().busy_workers ?? this.inFlight,
      jobs_in_flight: this.inFlight,
    }));
  }

  get jobsInFlight(): number {
    return this.inFlight;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.guarded('recovering abandoned jobs', () => this.parts.jobs.recoverAbandonedJobs());
    this.unsubscribe = [
      this.ctx.events.on('jobs_queued', () => this.wake()),
      this.ctx.events.on('storage_changed', (event) => {
        if (!event.paused) this.resume();
      }),
      // Resumed here; another process's resume is seen at the next tick.
      this.ctx.events.on('queue_state', (event) => !event.paused && this.wake()),
    ];
    this.scheduleTick();
    this.wake();
  }

  /** Stops claiming and waits for the jobs in flight to finish. */
  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe.forEach((off) => off());
    this.unsubscribe = [];
    clearTimeout(this.tickTimer);
    clearTimeout(this.retryTimer);
    await this.idle();
  }

  /**
   * Processes until nothing is due and nothing is in flight (CLI `jobs run
   * --until-empty`); on a paused queue, until the jobs in flight are done. On
   * a full disk it stops with a DiskFullError: the jobs wait in the queue,
   * their retries unspent.
   */
  async runUntilEmpty(signal?: AbortSignal): Promise<void> {
    this.start();
    try {
      for (;;) {
        await this.idle();
        if (signal?.aborted) break;
        if (this.ctx.disk.paused) throw this.ctx.disk.error('Thumbnail generation stopped');
        if (!this.hasDueWork()) break;
        this.wake();
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      await this.stop();
    }
  }

  /** Coalesced: many wakes in one turn of the event loop make one pump. */
  wake(): void {
    if (!this.running || this.wakeScheduled) return;
    this.wakeScheduled = true;
    setImmediate(() => {
      this.wakeScheduled = false;
      this.pump();
    });
  }

  /** Claims while there is room in the pool; nothing while the free-space guard pauses writers. */
  private pump(): void {
    if (!this.running || this.ctx.disk.paused) return;
    try {
      const batchSize = this.ctx.settings.get('thumbnail_job_batch_size');
      while (this.running && this.inFlight < this.parts.capacity()) {
        const claimed = this.parts.jobs.claimJobs(
          Math.min(batchSize, this.parts.capacity() - this.inFlight),
        );
        if (claimed.length === 0) {
          this.scheduleRetryWake();
          break;
        }
        for (const job of claimed) this.launch(job);
      }
      this.emitQueueDepth();
    } catch (error) {
      this.writeFailed('claiming jobs', error);
      if (!this.ctx.disk.paused) this.wakeIn(CLAIM_RETRY_MS);
    }
  }

  /** Space is back: the jobs whose release failed go back to the queue, and work resumes. */
  private resume(): void {
    for (const job of [...this.stranded.values()]) {
      if (this.release(job, 'disk full', 0)) this.stranded.delete(job.id);
    }
    this.wake();
  }

  private launch(job: JobRow): void {
    this.inFlight++;
    void this.process(job).finally(() => {
      this.inFlight--;
      if (this.inFlight === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
      this.wake();
    });
  }

  private async process(job: JobRow): Promise<void> {
    const started = performance.now();
    this.ctx.events.emit({ type: 'job_started', job_id: job.id, image_id: job.image_id });
    try {
      const generation = await this.parts.generator.generate(job);
      const elapsed = Math.round(performance.now() - started);
      if (!this.parts.jobs.markJobCompleted(job, generation.paths, elapsed)) return; // lease taken over
      if (generation.madeLatestSmall) {
        await this.parts.retention.keepOnlyLatest(
          generation.image.timelapse_id,
          generation.image.id,
        );
      }
      if (!generation.skipped)
        this.parts.performance.trackGenerationPerformance(elapsed, generation.inputBytes, true);
      this.emitCompleted(job, generation.image, elapsed, {
        thumbnail: generation.paths.thumbnail_path ?? generation.image.thumbnail_path,
        small: generation.paths.small_path ?? generation.image.small_path,
      });
    } catch (error) {
      this.fail(job, error, Math.round(performance.now() - started));
    }
  }

  private fail(job: JobRow, error: unknown, elapsed: number): void {
    const message = error instanceof Error ? error.message : String(error);
    if (isDiskFullError(error)) {
      // Not the image's fault: back to the queue with its retries intact, and the worker pauses.
      this.ctx.disk.reportFull(error);
      if (!this.release(job, `disk full: ${message}`, DISK_FULL_DELAY_MS))
        this.stranded.set(job.id, job);
      return;
    }
    let outcome;
    try {
      this.parts.performance.trackGenerationPerformance(elapsed, 0, false);
      outcome = this.parts.jobs.markJobFailed(job, message, isPermanentImageError(error), elapsed);
    } catch (writeError) {
      // Its lease expires and the job is recovered with its retry count.
      this.writeFailed(`recording job ${job.id}'s failure`, writeError);
      return;
    }
    if (outcome.kind === 'retry') {
      this.ctx.events.emit({
        type: 'job_retry',
        job_id: job.id,
        image_id: job.image_id,
        retry_count: outcome.job.retry_count,
        next_attempt_at: new Date(outcome.job.next_attempt_at).toISOString(),
        error: message,
      });
    } else if (outcome.kind === 'failed') {
      this.ctx.events.emit({
        type: 'job_failed',
        job_id: job.id,
        image_id: job.image_id,
        error: message,
      });
    }
  }

  private emitCompleted(
    job: JobRow,
    image: { id: number; camera_id: number; timelapse_id: number; captured_at: number },
    elapsed: number,
    paths: { thumbnail: string | null; small: string | null },
  ): void {
    this.ctx.events.emit({
      type: 'job_completed',
      job_id: job.id,
      image_id: job.image_id,
      processing_time_ms: elapsed,
    });
    this.ctx.events.emit({
      type: 'thumbnails_ready',
      image_id: image.id,
      camera_id: image.camera_id,
      timelapse_id: image.timelapse_id,
      captured_at: new Date(image.captured_at).toISOString(),
      has_thumbnail: paths.thumbnail !== null,
      has_small: paths.small !== null,
    });
  }

  /** Gives a job back unspent; false when even that write failed for want of space. */
  private release(job: JobRow, message: string, delayMs: number): boolean {
    try {
      this.parts.jobs.postponeJob(job, message, delayMs);
      return true;
    } catch (error) {
      this.writeFailed(`giving job ${job.id} back`, error);
      return !isDiskFullError(error);
    }
  }

  /** A database write of the worker failed: a full disk pauses writers; anything else is logged. */
  private writeFailed(what: string, error: unknown): void {
    if (isDiskFullError(error)) this.ctx.disk.reportFull(error);
    else this.log.warn({ err: error }, `thumbnail worker: ${what} failed`);
  }

  private guarded(what: string, write: () => unknown): void {
    try {
      write();
    } catch (error) {
      this.writeFailed(what, error);
    }
  }

  private wakeIn(ms: number): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.wake(), ms);
    this.retryTimer.unref();
  }

  /** Sleeps until the earliest waiting retry is due (a paused queue waits for its resume). */
  private scheduleRetryWake(): void {
    clearTimeout(this.retryTimer);
    const next = this.parts.jobs.isPaused() ? null : this.parts.jobs.nextRetryAt();
    if (next === null) return;
    this.retryTimer = setTimeout(() => this.wake(), Math.max(0, next - this.parts.jobs.now()) + 5);
    this.retryTimer.unref();
  }

  private scheduleTick(): void {
    const interval = this.ctx.settings.get('thumbnail_worker_interval') * 1000;
    this.tickTimer = setTimeout(() => {
      if (!this.running) return;
      this.tick();
      this.scheduleTick();
    }, interval);
    this.tickTimer.unref();
  }

  private tick(): void {
    try {
      if (this.inFlight > 0) this.parts.jobs.renewLeases();
      this.parts.jobs.recoverAbandonedJobs();
      if (Date.now() - this.lastCleanup > CLEANUP_EVERY_MS) {
        this.lastCleanup = Date.now();
        this.parts.jobs.cleanupCompletedJobs();
      }
    } catch (error) {
      this.writeFailed('the periodic tick', error);
    }
    this.wake();
  }

  private emitQueueDepth(): void {
    const now = Date.now();
    if (now - this.lastDepthEvent < QUEUE_DEPTH_EVERY_MS) return;
    this.lastDepthEvent = now;
    const { pending, processing, retry } = this.ctx.ops.jobs.queueCounts(now);
    this.ctx.events.emit({ type: 'queue_depth', pending, processing, retry });
  }

  private hasDueWork(): boolean {
    return !this.parts.jobs.isPaused() && this.ctx.ops.jobs.countDue(this.parts.jobs.now()) > 0;
  }

  private idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
