import type { CoreContext } from '../context';
import type { Logger } from '../logging/logger';
import type { JobRow } from '../database/types';
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
  /** Frames in flight: the engine's pool size keeps every sharp worker busy. */
  capacity: () => number;
  poolStats?: () => { pool_size: number; busy_workers: number };
}

const CLEANUP_EVERY_MS = 3_600_000;
const QUEUE_DEPTH_EVERY_MS = 1000;

/**
 * The spec's ThumbnailWorker, event-driven: a queued job wakes it at once and
 * it keeps the sharp pool full, claiming more as slots free. The
 * thumbnail_worker_interval tick is only a fallback (jobs queued by another
 * process), plus lease renewal, recovery of expired leases and cleanup.
 */
export class ThumbnailWorker {
  private running = false;
  private inFlight = 0;
  private wakeScheduled = false;
  private tickTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
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
    this.parts.jobs.recoverAbandonedJobs();
    const stops = [
      this.ctx.events.on('jobs_queued', () => this.wake()),
      // Resumed here; another process's resume is seen at the next tick.
      this.ctx.events.on('queue_state', (event) => !event.paused && this.wake()),
    ];
    this.unsubscribe = () => stops.forEach((stop) => stop());
    this.scheduleTick();
    this.wake();
  }

  /** Stops claiming and waits for the jobs in flight to finish. */
  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    clearTimeout(this.tickTimer);
    clearTimeout(this.retryTimer);
    await this.idle();
  }

  /**
   * Processes until nothing is due and nothing is in flight (CLI `jobs run
   * --until-empty`); on a paused queue, until the jobs in flight are done.
   */
  async runUntilEmpty(signal?: AbortSignal): Promise<void> {
    this.start();
    for (;;) {
      await this.idle();
      if (signal?.aborted || !this.hasDueWork()) break;
      this.wake();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await this.stop();
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

  private pump(): void {
    if (!this.running) return;
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
    this.parts.performance.trackGenerationPerformance(elapsed, 0, false);
    const outcome = this.parts.jobs.markJobFailed(
      job,
      message,
      isPermanentImageError(error),
      elapsed,
    );
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
      this.log.warn({ err: error }, 'thumbnail worker tick failed');
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
