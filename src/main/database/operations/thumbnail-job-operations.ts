import type { SqliteDatabase } from '../connection';
import { statementCache, type Prepare } from '../statements';
import { JOB_PRIORITIES, JOB_STATUSES, type JobStatistics } from '../../../shared/contract';
import type { JobPriority, JobRow, JobStatus, JobType } from '../types';
import {
  MISSING_VARIANTS_SQL,
  missingVariantsParams,
  type MissingVariants,
} from './image-operations';

export const LIVE_STATUSES: readonly JobStatus[] = ['pending', 'processing', 'retry'];

export interface NewJob {
  image_id: number;
  priority: JobPriority;
  job_type?: JobType;
  session_id?: number | null;
  force_regenerate?: boolean;
  include_smalls?: boolean;
}

export interface QueueCounts {
  pending: number;
  retry: number;
  processing: number;
  completed_since: number;
  failed_since: number;
}

export interface QueueStateRow {
  /** Epoch ms the queue was paused, or null while it runs. */
  paused_at: number | null;
  /** Who paused it: "app", "serve", "cli" and the process id. */
  paused_by: string | null;
}

/** A failed job with the frame it was for. */
export interface FailedJobRow {
  job_id: number;
  image_id: number;
  priority: JobPriority;
  error_message: string | null;
  retry_count: number;
  completed_at: number | null;
  camera_id: number;
  camera_name: string;
  timelapse_id: number;
  timelapse_name: string;
  captured_at: number;
  file_path: string;
}

export interface JobStatisticsData extends Pick<JobStatistics, 'by_status' | 'by_priority'> {
  completed_since: number;
  failed_since: number;
  oldest_pending_created_at: number | null;
}

/** A priority's rank (high first), as SQL: the order JOB_PRIORITIES declares, like the schema's priority_rank. */
const PRIORITY_RANK_SQL = (p: string) =>
  `(CASE ${p} ${JOB_PRIORITIES.map((priority, rank) => `WHEN '${priority}' THEN ${rank}`).join(' ')} END)`;

const zeroes = <K extends string>(keys: readonly K[]) =>
  Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;

/**
 * Pure CRUD over thumbnail_generation_jobs. Uniqueness of the live job per image
 * is the database's (a partial unique index); these statements only use it.
 */
export class ThumbnailJobOperations {
  private readonly sql: Prepare;

  constructor(db: SqliteDatabase) {
    this.sql = statementCache(db);
  }

  /**
   * Inserts a job, or merges into the image's live job: the priority only rises,
   * force and smalls only widen, and a waiting retry becomes due now.
   */
  createJob(job: NewJob, now = Date.now()): JobRow {
    return this.sql<unknown[], JobRow>(
      `INSERT INTO thumbnail_generation_jobs
         (image_id, priority, job_type, session_id, force_regenerate, include_smalls, created_at, next_attempt_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(image_id) WHERE status IN ('pending','processing','retry') DO UPDATE SET
         priority = CASE WHEN ${PRIORITY_RANK_SQL('excluded.priority')} < priority_rank THEN excluded.priority ELSE priority END,
         next_attempt_at = CASE WHEN ${PRIORITY_RANK_SQL('excluded.priority')} < priority_rank
                                THEN min(next_attempt_at, excluded.next_attempt_at) ELSE next_attempt_at END,
         job_type = CASE WHEN excluded.job_type = 'single' THEN 'single' ELSE job_type END,
         session_id = coalesce(excluded.session_id, session_id),
         force_regenerate = max(force_regenerate, excluded.force_regenerate),
         include_smalls = max(include_smalls, excluded.include_smalls)
       RETURNING *`,
    ).get(
      job.image_id,
      job.priority,
      job.job_type ?? 'single',
      job.session_id ?? null,
      job.force_regenerate ? 1 : 0,
      job.include_smalls === false ? 0 : 1,
      now,
      now,
    )!;
  }

  /**
   * Queues one job per image selected by `imageFilter` (a WHERE over images),
   * for ids in (afterId, afterId+limit]; answers the highest id visited.
   */
  createBulkJobs(
    imageFilter: { timelapseId: number | null; missing: MissingVariants | null },
    job: Omit<NewJob, 'image_id'>,
    afterId: number,
    limit: number,
    now = Date.now(),
  ): { lastId: number | null; queued: number } {
    const missing = imageFilter.missing
      ? missingVariantsParams(imageFilter.missing)
      : { smalls: 'none', noSmallsWhenCompleted: 0 };
    const params = {
      timelapseId: imageFilter.timelapseId,
      afterId,
      missingOnly: imageFilter.missing ? 1 : 0,
      ...missing,
    };
    const range = this.sql<[typeof params & { limit: number }], { last: number | null }>(
      `SELECT max(id) AS last FROM (
         SELECT id FROM images
         WHERE (@timelapseId IS NULL OR timelapse_id = @timelapseId) AND id > @afterId
           AND (@missingOnly = 0 OR ${MISSING_VARIANTS_SQL})
         ORDER BY id LIMIT @limit)`,
    ).get({ ...params, limit })!;
    if (range.last === null) return { lastId: null, queued: 0 };
    const { changes } = this.sql(
      `INSERT INTO thumbnail_generation_jobs
         (image_id, priority, job_type, session_id, force_regenerate, include_smalls, created_at, next_attempt_at)
       SELECT id, @priority, @jobType, @sessionId, @force, @includeSmalls, @now, @now FROM images
       WHERE (@timelapseId IS NULL OR timelapse_id = @timelapseId) AND id > @afterId AND id <= @lastId
         AND (@missingOnly = 0 OR ${MISSING_VARIANTS_SQL})
       ON CONFLICT(image_id) WHERE status IN ('pending','processing','retry') DO UPDATE SET
         priority = CASE WHEN ${PRIORITY_RANK_SQL('excluded.priority')} < priority_rank THEN excluded.priority ELSE priority END,
         session_id = coalesce(excluded.session_id, session_id),
         force_regenerate = max(force_regenerate, excluded.force_regenerate),
         include_smalls = max(include_smalls, excluded.include_smalls)`,
    ).run({
      ...params,
      lastId: range.last,
      priority: job.priority,
      jobType: job.job_type ?? 'bulk',
      sessionId: job.session_id ?? null,
      force: job.force_regenerate ? 1 : 0,
      includeSmalls: job.include_smalls === false ? 0 : 1,
      now,
    });
    return { lastId: range.last, queued: changes };
  }

  getById(id: number): JobRow | undefined {
    return this.sql<[number], JobRow>('SELECT * FROM thumbnail_generation_jobs WHERE id = ?').get(
      id,
    );
  }

  getLiveJobForImage(imageId: number): JobRow | undefined {
    return this.sql<[number], JobRow>(
      `SELECT * FROM thumbnail_generation_jobs WHERE image_id = ? AND status IN ('pending','processing','retry')`,
    ).get(imageId);
  }

  /**
   * Atomically takes up to `limit` due jobs, best claim_rank first then oldest,
   * and leases them to `owner` until `leaseUntil`. A paused queue gives none:
   * the pause is read in the claim itself, so every process obeys it at once.
   */
  claimPendingJobs(limit: number, owner: string, now: number, leaseUntil: number): JobRow[] {
    return this.sql<[{ now: number; owner: string; leaseUntil: number; limit: number }], JobRow>(
      `UPDATE thumbnail_generation_jobs
       SET status = 'processing', started_at = @now, lease_owner = @owner, lease_expires_at = @leaseUntil
       WHERE id IN (
         SELECT id FROM thumbnail_generation_jobs
         WHERE status IN ('pending','retry') AND next_attempt_at <= @now
           AND (SELECT paused_at FROM queue_state WHERE id = 1) IS NULL
         ORDER BY claim_rank, id LIMIT @limit)
       RETURNING *`,
    )
      .all({ now, owner, leaseUntil, limit })
      .sort((a, b) => rank(a) - rank(b) || a.id - b.id);
  }

  /** Extends the leases an owner holds. */
  renewLeases(owner: string, leaseUntil: number): number {
    return this.sql(
      `UPDATE thumbnail_generation_jobs SET lease_expires_at = ? WHERE status = 'processing' AND lease_owner = ?`,
    ).run(leaseUntil, owner).changes;
  }

  /** Gives jobs whose lease expired back to the queue, keeping their retry count. */
  requeueExpiredLeases(now: number): number {
    return this.sql(
      `UPDATE thumbnail_generation_jobs
       SET status = 'pending', lease_owner = NULL, lease_expires_at = NULL, started_at = NULL
       WHERE status = 'processing' AND lease_expires_at < ?`,
    ).run(now).changes;
  }

  /** Gives back the jobs leased by the named owners (processes known to be dead). */
  requeueOwners(owners: readonly string[]): number {
    if (owners.length === 0) return 0;
    return this.sql(
      `UPDATE thumbnail_generation_jobs
       SET status = 'pending', lease_owner = NULL, lease_expires_at = NULL, started_at = NULL
       WHERE status = 'processing' AND lease_owner IN (SELECT value FROM json_each(?))`,
    ).run(JSON.stringify(owners)).changes;
  }

  listLeaseOwners(): string[] {
    return this.sql<[], { lease_owner: string }>(
      `SELECT DISTINCT lease_owner FROM thumbnail_generation_jobs WHERE status = 'processing' AND lease_owner IS NOT NULL`,
    )
      .all()
      .map((r) => r.lease_owner);
  }

  /** Marks a leased job completed; false when the lease was lost to someone else. */
  markCompleted(id: number, owner: string, completedAt: number, processingTimeMs: number): boolean {
    return (
      this.sql(
        `UPDATE thumbnail_generation_jobs
         SET status = 'completed', completed_at = ?, processing_time_ms = ?, error_message = NULL,
             lease_owner = NULL, lease_expires_at = NULL
         WHERE id = ? AND status = 'processing' AND lease_owner = ?`,
      ).run(completedAt, processingTimeMs, id, owner).changes > 0
    );
  }

  /** Schedules a retry (status retry, next attempt at `nextAttemptAt`, retry_count + 1). */
  markRetry(
    id: number,
    owner: string,
    error: string,
    nextAttemptAt: number,
    processingTimeMs: number,
  ): boolean {
    return (
      this.sql(
        `UPDATE thumbnail_generation_jobs
         SET status = 'retry', retry_count = retry_count + 1, error_message = ?, next_attempt_at = ?,
             processing_time_ms = ?, lease_owner = NULL, lease_expires_at = NULL
         WHERE id = ? AND status = 'processing' AND lease_owner = ?`,
      ).run(error, nextAttemptAt, processingTimeMs, id, owner).changes > 0
    );
  }

  markFailed(
    id: number,
    owner: string,
    error: string,
    completedAt: number,
    processingTimeMs: number,
  ): boolean {
    return (
      this.sql(
        `UPDATE thumbnail_generation_jobs
         SET status = 'failed', error_message = ?, completed_at = ?, processing_time_ms = ?,
             lease_owner = NULL, lease_expires_at = NULL
         WHERE id = ? AND status = 'processing' AND lease_owner = ?`,
      ).run(error, completedAt, processingTimeMs, id, owner).changes > 0
    );
  }

  countDue(now: number): number {
    return this.sql<[number], { n: number }>(
      `SELECT count(*) AS n FROM thumbnail_generation_jobs WHERE status IN ('pending','retry') AND next_attempt_at <= ?`,
    ).get(now)!.n;
  }

  /** The earliest next_attempt_at of a waiting job that is not yet due. */
  nextAttemptAfter(now: number): number | null {
    return (
      this.sql<[number], { t: number | null }>(
        `SELECT min(next_attempt_at) AS t FROM thumbnail_generation_jobs
         WHERE status IN ('pending','retry') AND next_attempt_at > ?`,
      ).get(now)?.t ?? null
    );
  }

  getJobsByStatus(status: JobStatus, limit: number): JobRow[] {
    return this.sql<[JobStatus, number], JobRow>(
      'SELECT * FROM thumbnail_generation_jobs WHERE status = ? ORDER BY id DESC LIMIT ?',
    ).all(status, limit);
  }

  /** Cancels waiting jobs (pending and retry), optionally only one session's. */
  cancelPendingJobs(now: number, sessionId: number | null = null): number {
    return this.sql(
      `UPDATE thumbnail_generation_jobs SET status = 'cancelled', completed_at = ?
       WHERE status IN ('pending','retry') AND (? IS NULL OR session_id = ?)`,
    ).run(now, sessionId, sessionId).changes;
  }

  /** Marks jobs of one status cancelled (the spec's cancel_jobs_by_status). */
  cancelJobsByStatus(status: JobStatus, now: number): number {
    return this.sql(
      `UPDATE thumbnail_generation_jobs SET status = 'cancelled', completed_at = ? WHERE status = ?`,
    ).run(now, status).changes;
  }

  /** Deletes finished (completed, failed, cancelled) jobs that finished before `before`. */
  deleteJobsOlderThan(before: number): number {
    return this.sql(
      `DELETE FROM thumbnail_generation_jobs WHERE status IN ('completed','failed','cancelled') AND completed_at < ?`,
    ).run(before).changes;
  }

  /**
   * Waiting and running jobs of every kind, and those finished since `since`:
   * index-only counts, cheap with a million finished jobs in the table. The
   * finished counts repeat the partial index's own condition, which SQLite
   * needs to see to use it.
   */
  queueCounts(since: number): QueueCounts {
    return this.sql<[{ since: number }], QueueCounts>(
      `SELECT (SELECT count(*) FROM thumbnail_generation_jobs WHERE status = 'pending') AS pending,
              (SELECT count(*) FROM thumbnail_generation_jobs WHERE status = 'retry') AS retry,
              (SELECT count(*) FROM thumbnail_generation_jobs WHERE status = 'processing') AS processing,
              (SELECT count(*) FROM thumbnail_generation_jobs INDEXED BY idx_thumbnail_jobs_finished_status
               WHERE status IN ('completed','failed') AND status = 'completed' AND completed_at >= @since) AS completed_since,
              (SELECT count(*) FROM thumbnail_generation_jobs INDEXED BY idx_thumbnail_jobs_finished_status
               WHERE status IN ('completed','failed') AND status = 'failed' AND completed_at >= @since) AS failed_since`,
    ).get({ since })!;
  }

  /** Jobs per status (index counts, one per status) and live jobs per priority. */
  getJobStatisticsData(since: number): JobStatisticsData {
    const byStatus = zeroes(JOB_STATUSES);
    const countStatus = this.sql<[JobStatus], { n: number }>(
      'SELECT count(*) AS n FROM thumbnail_generation_jobs WHERE status = ?',
    );
    for (const status of JOB_STATUSES) byStatus[status] = countStatus.get(status)!.n;
    const byPriority = zeroes(JOB_PRIORITIES);
    for (const row of this.sql<[], { priority: JobPriority; n: number }>(
      `SELECT priority, count(*) AS n FROM thumbnail_generation_jobs
       WHERE status IN ('pending','processing','retry') GROUP BY priority`,
    ).all()) {
      byPriority[row.priority] = row.n;
    }
    const counts = this.queueCounts(since);
    return {
      by_status: byStatus,
      by_priority: byPriority,
      completed_since: counts.completed_since,
      failed_since: counts.failed_since,
      oldest_pending_created_at: this.oldestWaitingCreatedAt(),
    };
  }

  /** Waiting jobs (pending and retry) per priority and claim rank, in claim order. */
  waitingByRank(): { priority: JobPriority; claim_rank: number; n: number }[] {
    return this.sql<[], { priority: JobPriority; claim_rank: number; n: number }>(
      `SELECT priority, claim_rank, count(*) AS n FROM thumbnail_generation_jobs
       WHERE status IN ('pending','retry') GROUP BY priority, claim_rank ORDER BY claim_rank`,
    ).all();
  }

  // ---- the queue's pause (one row, read by every claim)

  getQueueState(): QueueStateRow {
    return this.sql<[], QueueStateRow>(
      'SELECT paused_at, paused_by FROM queue_state WHERE id = 1',
    ).get()!;
  }

  /** Pauses (a time and who) or resumes (null); answers whether the state changed. */
  setPaused(pausedAt: number | null, pausedBy: string | null): boolean {
    return (
      this.sql(
        `UPDATE queue_state SET paused_at = @pausedAt, paused_by = @pausedBy
         WHERE id = 1 AND (paused_at IS NULL) != (@pausedAt IS NULL)`,
      ).run({ pausedAt, pausedBy }).changes > 0
    );
  }

  // ---- failed jobs, by frame

  countFailed(sessionId: number | null): number {
    return this.sql<[{ sessionId: number | null }], { n: number }>(
      `SELECT count(*) AS n FROM thumbnail_generation_jobs
       WHERE status = 'failed' AND (@sessionId IS NULL OR session_id = @sessionId)`,
    ).get({ sessionId })!.n;
  }

  /** Failed jobs newest first, before `beforeId`, with the frame each was for. */
  listFailed(limit: number, beforeId: number | null, sessionId: number | null): FailedJobRow[] {
    return this.sql<
      [{ limit: number; beforeId: number | null; sessionId: number | null }],
      FailedJobRow
    >(
      `SELECT j.id AS job_id, j.image_id, j.priority, j.error_message, j.retry_count, j.completed_at,
              i.camera_id, c.name AS camera_name, i.timelapse_id, t.name AS timelapse_name, i.captured_at, i.file_path
       FROM thumbnail_generation_jobs j
       JOIN images i ON i.id = j.image_id
       JOIN timelapses t ON t.id = i.timelapse_id
       JOIN cameras c ON c.id = i.camera_id
       WHERE j.status = 'failed' AND (@beforeId IS NULL OR j.id < @beforeId)
         AND (@sessionId IS NULL OR j.session_id = @sessionId)
       ORDER BY j.id DESC LIMIT @limit`,
    ).all({ limit, beforeId, sessionId });
  }

  /**
   * Gives failed jobs (all, or the listed ones) another go, due now at high
   * priority with fresh attempts: the newest failed job of each image whose
   * image has no live job. The others are superseded (an image has one live
   * job) and deleted. Answers the jobs requeued.
   */
  retryFailed(
    ids: readonly number[] | null,
    now: number,
  ): { requeued: number; superseded: number } {
    const params = { ids: ids === null ? null : JSON.stringify(ids), now };
    const selected = `status = 'failed' AND (@ids IS NULL OR id IN (SELECT value FROM json_each(@ids)))`;
    const { changes: requeued } = this.sql(
      `UPDATE thumbnail_generation_jobs
       SET status = 'pending', priority = 'high', retry_count = 0, error_message = NULL, started_at = NULL,
           completed_at = NULL, processing_time_ms = NULL, next_attempt_at = @now
       WHERE id IN (SELECT max(id) FROM thumbnail_generation_jobs WHERE ${selected} GROUP BY image_id)
         AND image_id NOT IN (SELECT image_id FROM thumbnail_generation_jobs WHERE status IN ('pending','processing','retry'))`,
    ).run(params);
    const { changes: superseded } = this.sql(
      `DELETE FROM thumbnail_generation_jobs WHERE ${selected}
         AND image_id IN (SELECT image_id FROM thumbnail_generation_jobs WHERE status IN ('pending','processing','retry'))`,
    ).run(params);
    return { requeued, superseded };
  }

  /** Deletes failed jobs (all, or the listed ones); answers how many. */
  deleteFailed(ids: readonly number[] | null): number {
    return this.sql(
      `DELETE FROM thumbnail_generation_jobs
       WHERE status = 'failed' AND (@ids IS NULL OR id IN (SELECT value FROM json_each(@ids)))`,
    ).run({ ids: ids === null ? null : JSON.stringify(ids) }).changes;
  }

  oldestWaitingCreatedAt(): number | null {
    return this.sql<[], { t: number | null }>(
      `SELECT min(created_at) AS t FROM thumbnail_generation_jobs WHERE status IN ('pending','retry')`,
    ).get()!.t;
  }
}

function rank(job: JobRow): number {
  return JOB_PRIORITIES.indexOf(job.priority) + (job.job_type === 'bulk' ? 2 : 0);
}
