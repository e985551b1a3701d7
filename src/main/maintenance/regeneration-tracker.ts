import { setImmediate as nextTurn } from 'node:timers/promises';
import { z } from 'zod';
import {
  NO_REGENERATION,
  type RegenerateOptions,
  type RegenerationStatus,
} from '../../shared/contract';
import type { CoreContext } from '../context';
import type { Logger } from '../logging/logger';
import { writeTransaction } from '../database/connection';
import type { MissingVariants } from '../database/operations/image-operations';
import type {
  RegenerationSessionRecord,
  SessionJobCounts,
} from '../database/operations/regeneration-session-operations';
import { ConflictError, NotFoundError, ValidationError } from '../errors';

export interface RegenerationTrackerOptions {
  /** Jobs per second the worker achieves now (the performance service's measure), if known. */
  throughput?: () => number | null;
  now?: () => number;
  /** Most jobs of a session waiting or running at once; it is topped up as they finish. */
  window?: number;
  /** Images visited per queueing transaction. */
  chunkSize?: number;
  /** Least time between two regeneration_progress events. */
  progressIntervalMs?: number;
}

/** Used for estimates before anything was measured: a small box, full-HD frames. */
export const DEFAULT_THROUGHPUT_PER_SECOND = 2;
const RATE_WINDOW_MS = 60_000;

const optionsSchema = z
  .object({
    timelapse_id: z.number().int().positive().nullable().optional(),
    force_regenerate: z.boolean().optional(),
    include_smalls: z.boolean().optional(),
    limit: z.number().int().min(1).nullable().optional(),
  })
  .strict();

/**
 * Regeneration sessions: one at a time, kept in the database so a session
 * survives a restart. A session covers the images that exist when it starts;
 * its jobs are queued in a window (at most `window` waiting or running), topped
 * up when half of it is done: on tick(), on job events and when the status is
 * read. So a million-image regeneration starts in a moment and the queue, its
 * cancel and its status stay small. Each chunk is one IMMEDIATE transaction
 * that also moves the session's cursor, so queueing resumes where it stopped
 * and two processes never queue the same chunk twice. A session is completed
 * when every image is queued and none of its jobs is waiting or running.
 */
export class RegenerationTracker {
  private readonly now: () => number;
  private readonly window: number;
  private readonly chunkSize: number;
  private readonly progressIntervalMs: number;
  private readonly loops = new Map<number, Promise<void>>();
  private readonly closing = new AbortController();
  private readonly samples = new Map<number, { t: number; done: number }[]>();
  private readonly unsubscribe: () => void;
  private progressTimer: NodeJS.Timeout | null = null;
  private lastProgressAt = 0;
  private readonly log: Logger;

  constructor(
    private readonly ctx: CoreContext,
    private readonly options: RegenerationTrackerOptions = {},
  ) {
    this.log = ctx.log.child({ component: 'maintenance' });
    this.now = options.now ?? Date.now;
    this.window = options.window ?? 10_000;
    // Small chunks keep each write lock short: capture inserts wait behind them.
    this.chunkSize = options.chunkSize ?? 2000;
    this.progressIntervalMs = options.progressIntervalMs ?? 500;
    this.unsubscribe = ctx.events.subscribe((event) => {
      if (event.type === 'job_completed' || event.type === 'job_failed') this.scheduleProgress();
    });
  }

  /** Starts a session; its first window of jobs is queued in the background. */
  start(options: RegenerateOptions = {}): RegenerationStatus {
    const session = this.createSession(options);
    this.topUp(session.id);
    return this.status();
  }

  /** Starts a session and answers once its first window of jobs is queued. */
  async startAndQueue(options: RegenerateOptions): Promise<RegenerationSessionRecord> {
    const session = this.createSession(options);
    await this.topUp(session.id);
    return this.ctx.ops.sessions.getById(session.id)!;
  }

  /** The running session, else the latest one, else idle. */
  status(): RegenerationStatus {
    const session = this.ctx.ops.sessions.getRunning() ?? this.ctx.ops.sessions.getLatest();
    return session ? this.settle(session) : { ...NO_REGENERATION };
  }

  /** Throws the 409 a start would, before any work is done for it. */
  assertIdle(): void {
    const running = this.ctx.ops.sessions.getRunning();
    if (running) throw alreadyRunning(running.id);
  }

  /** Cancels the running session and its waiting jobs; jobs already running finish. */
  cancel(): RegenerationStatus {
    const now = this.now();
    writeTransaction(this.ctx.db, () => {
      const running = this.ctx.ops.sessions.getRunning();
      if (!running) return;
      this.ctx.ops.sessions.finish(running.id, 'cancelled', now);
      this.ctx.ops.jobs.cancelPendingJobs(now, running.id);
    });
    const status = this.status();
    if (status.session_id !== null) this.emitProgress(status);
    return status;
  }

  /** Periodic check: resumes queueing after a restart, completes a finished session, reports progress. */
  tick(): void {
    this.reportRunning();
  }

  /** Resolves when this process queues nothing more (for tests and shutdown). */
  async idle(): Promise<void> {
    while (this.loops.size > 0) await Promise.allSettled([...this.loops.values()]);
  }

  async close(): Promise<void> {
    this.unsubscribe();
    if (this.progressTimer) clearTimeout(this.progressTimer);
    this.progressTimer = null;
    this.closing.abort();
    await this.idle();
  }

  private createSession(options: RegenerateOptions): RegenerationSessionRecord {
    const parsed = optionsSchema.safeParse(options);
    if (!parsed.success) {
      throw new ValidationError(
        `Invalid regeneration options: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
        {
          issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        },
      );
    }
    const {
      timelapse_id = null,
      force_regenerate = true,
      include_smalls = true,
      limit = null,
    } = parsed.data;
    if (timelapse_id !== null && !this.ctx.ops.timelapses.getById(timelapse_id)) {
      throw new NotFoundError('Timelapse not found', { timelapse_id });
    }
    this.assertIdle();
    // Counted before the write lock is taken: images that arrive later get their own capture jobs.
    const maxImageId = this.ctx.ops.images.maxId();
    const images = this.ctx.ops.images.countForRegeneration(
      timelapse_id,
      force_regenerate ? null : this.missingVariants(include_smalls),
      maxImageId,
    );
    const session = {
      timelapse_id,
      force_regenerate,
      include_smalls,
      image_limit: limit,
      max_image_id: maxImageId,
    };
    try {
      return writeTransaction(this.ctx.db, () => {
        const running = this.ctx.ops.sessions.getRunning();
        if (running) throw alreadyRunning(running.id);
        return this.ctx.ops.sessions.create(
          { ...session, total: limit === null ? images : Math.min(images, limit) },
          this.now(),
        );
      });
    } catch (error) {
      // Another process started one between our check and our insert.
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE')
        throw alreadyRunning(null);
      throw error;
    }
  }

  /** Brings a session's state up to date (tops up its window, completes it) and describes it. */
  private settle(session: RegenerationSessionRecord): RegenerationStatus {
    let current = session;
    let counts = this.ctx.ops.sessions.countJobs(session.id);
    if (current.status === 'running' && !current.queue_done) {
      if (live(counts) <= this.window / 2) this.topUp(current.id);
    } else if (current.status === 'running' && live(counts) === 0) {
      const finished = writeTransaction(this.ctx.db, () => {
        // Re-read inside the lock: a job may have been requeued meanwhile.
        counts = this.ctx.ops.sessions.countJobs(session.id);
        return (
          live(counts) === 0 && this.ctx.ops.sessions.finish(session.id, 'completed', this.now())
        );
      });
      current = this.ctx.ops.sessions.getById(session.id) ?? current;
      if (finished) {
        const status = this.describe(current, counts);
        this.emitProgress(status);
        return status;
      }
    }
    return this.describe(current, counts);
  }

  private describe(
    session: RegenerationSessionRecord,
    counts: SessionJobCounts,
  ): RegenerationStatus {
    const running = session.status === 'running';
    const inQueue = live(counts);
    const total = Math.max(session.total, session.queued);
    const completed = Math.max(0, session.queued - inQueue - counts.failed - counts.cancelled);
    const pending = inQueue + (running ? total - session.queued : 0);
    const rate = running ? this.measureRate(session.id, completed + counts.failed) : 0;
    if (!running) this.samples.delete(session.id);
    const perSecond = rate > 0 ? rate : (this.options.throughput?.() ?? 0);
    return {
      session_id: session.id,
      status: session.status,
      timelapse_id: session.timelapse_id,
      force_regenerate: session.force_regenerate === 1,
      include_smalls: session.include_smalls === 1,
      queueing: running && session.queue_done === 0,
      total,
      queued: session.queued,
      completed,
      failed: counts.failed,
      cancelled: counts.cancelled,
      pending,
      rate_per_second: Math.round(rate * 100) / 100,
      eta_seconds: pending === 0 ? 0 : perSecond > 0 ? Math.ceil(pending / perSecond) : null,
      started_at: new Date(session.started_at).toISOString(),
      finished_at:
        session.finished_at === null ? null : new Date(session.finished_at).toISOString(),
    };
  }

  /** Finished jobs per second over the last minute of status reads. */
  private measureRate(sessionId: number, done: number): number {
    const now = this.now();
    const points = (this.samples.get(sessionId) ?? []).filter((p) => now - p.t <= RATE_WINDOW_MS);
    points.push({ t: now, done });
    this.samples.set(sessionId, points);
    const first = points[0]!;
    const seconds = (now - first.t) / 1000;
    return seconds >= 1 ? Math.max(0, done - first.done) / seconds : 0;
  }

  /** Fills (or joins this process's filling of) a session's window. */
  private topUp(sessionId: number): Promise<void> {
    const existing = this.loops.get(sessionId);
    if (existing) return existing;
    const loop = this.fillWindow(sessionId).finally(() => this.loops.delete(sessionId));
    this.loops.set(sessionId, loop);
    loop.catch((error: unknown) =>
      this.log.error({ err: error, session_id: sessionId }, 'queueing a regeneration failed'),
    );
    return loop;
  }

  private async fillWindow(sessionId: number): Promise<void> {
    while (!this.closing.signal.aborted) {
      const step = writeTransaction(this.ctx.db, () => this.queueChunk(sessionId));
      if (!step) return;
      if (step.queued > 0)
        this.ctx.events.emit({ type: 'jobs_queued', count: step.queued, priority: 'high' });
      this.scheduleProgress();
      if (step.stop) return;
      await nextTurn();
    }
  }

  /** Queues the next chunk into the window and moves the cursor, in the caller's transaction. */
  private queueChunk(sessionId: number): { queued: number; stop: boolean } | null {
    const session = this.ctx.ops.sessions.getById(sessionId);
    if (!session || session.status !== 'running' || session.queue_done) return null;
    const leftByLimit =
      session.image_limit === null ? Infinity : session.image_limit - session.queued;
    const room = Math.min(
      this.chunkSize,
      this.window - live(this.ctx.ops.sessions.countJobs(sessionId)),
      leftByLimit,
    );
    if (room <= 0) {
      if (leftByLimit <= 0)
        this.ctx.ops.sessions.advanceQueue(sessionId, session.queue_cursor, 0, true);
      return { queued: 0, stop: true };
    }
    const { lastId, queued } = this.ctx.ops.jobs.createBulkJobs(
      {
        timelapseId: session.timelapse_id,
        missing:
          session.force_regenerate === 1
            ? null
            : this.missingVariants(session.include_smalls === 1),
      },
      {
        priority: 'high',
        job_type: 'bulk',
        session_id: sessionId,
        force_regenerate: session.force_regenerate === 1,
        include_smalls: session.include_smalls === 1,
      },
      session.queue_cursor,
      room,
      this.now(),
    );
    const done =
      lastId === null || lastId >= (session.max_image_id ?? Infinity) || queued >= leftByLimit;
    this.ctx.ops.sessions.advanceQueue(sessionId, lastId ?? session.queue_cursor, queued, done);
    return { queued, stop: done };
  }

  /** "Missing only" under the settings in force: what the generator would make for each image. */
  private missingVariants(includeSmalls: boolean): MissingVariants {
    const settings = this.ctx.settings.getAll();
    return {
      smalls: includeSmalls ? settings.small_generation_mode : 'none',
      noSmallsWhenCompleted: settings.purge_smalls_on_completion,
    };
  }

  /** Coalesces progress: at most one regeneration_progress per interval. */
  private scheduleProgress(): void {
    if (this.progressTimer || this.closing.signal.aborted) return;
    const wait = Math.max(0, this.lastProgressAt + this.progressIntervalMs - performance.now());
    this.progressTimer = setTimeout(() => {
      this.progressTimer = null;
      try {
        this.reportRunning();
      } catch (error) {
        this.log.warn({ err: error }, 'reporting regeneration progress failed');
      }
    }, wait);
    this.progressTimer.unref();
  }

  /** Settles the running session; reports it if still running (settle reports the end itself). */
  private reportRunning(): void {
    const running = this.ctx.ops.sessions.getRunning();
    const status = running && this.settle(running);
    if (status && status.status === 'running') this.emitProgress(status);
  }

  private emitProgress(status: RegenerationStatus): void {
    if (status.session_id === null || status.status === 'idle') return;
    this.lastProgressAt = performance.now();
    this.ctx.events.emit({
      type: 'regeneration_progress',
      session_id: status.session_id,
      status: status.status,
      total: status.total,
      completed: status.completed,
      failed: status.failed,
      pending: status.pending,
      rate_per_second: status.rate_per_second,
      eta_seconds: status.eta_seconds,
    });
  }
}

function live(counts: SessionJobCounts): number {
  return counts.pending + counts.processing + counts.retry;
}

function alreadyRunning(sessionId: number | null): ConflictError {
  return new ConflictError(
    'A thumbnail regeneration is already running; cancel it or wait for it to finish',
    {
      session_id: sessionId,
    },
  );
}
