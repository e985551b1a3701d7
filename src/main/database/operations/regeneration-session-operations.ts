import type { SqliteDatabase } from '../connection';
import { statementCache, type Prepare } from '../statements';
import type { JobStatus, RegenerationSessionRow } from '../types';

/**
 * A session row with what migrations 2 and 4 added: `total` is the images the
 * session covers (those up to max_image_id when it started), `queued` the jobs
 * created so far, `queue_cursor` the last image id visited.
 */
export type RegenerationSessionRecord = RegenerationSessionRow;

export interface NewRegenerationSession {
  timelapse_id: number | null;
  force_regenerate: boolean;
  include_smalls: boolean;
  image_limit: number | null;
  total: number;
  max_image_id: number;
  owner: string;
  lease_expires_at: number;
}

/** The queue at a glance, from partial indexes (no row reads): for statistics. */
/** A session's jobs by status, except completed (derived, so old-job cleanup cannot skew it). */
export type SessionJobCounts = Record<Exclude<JobStatus, 'completed'>, number>;

/** Pure CRUD over regeneration_sessions, plus the counts of a session's jobs. */
export class RegenerationSessionOperations {
  private readonly sql: Prepare;

  constructor(db: SqliteDatabase) {
    this.sql = statementCache(db);
  }

  /** Inserts a running session; the database refuses a second running one (unique index). */
  create(session: NewRegenerationSession, now: number): RegenerationSessionRecord {
    return this.sql<unknown[], RegenerationSessionRecord>(
      `INSERT INTO regeneration_sessions
         (timelapse_id, force_regenerate, include_smalls, image_limit, total, max_image_id, owner, lease_expires_at,
          status, started_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'running', ?) RETURNING *`,
    ).get(
      session.timelapse_id,
      session.force_regenerate ? 1 : 0,
      session.include_smalls ? 1 : 0,
      session.image_limit,
      session.total,
      session.max_image_id,
      session.owner,
      session.lease_expires_at,
      now,
    )!;
  }

  /**
   * Gives a running session to `owner` until `leaseUntil`, only if its owner is
   * still `expected` (compare and swap: two processes never both take it over).
   */
  setOwner(
    id: number,
    expected: string | null,
    owner: string | null,
    leaseUntil: number | null,
  ): boolean {
    return (
      this.sql(
        `UPDATE regeneration_sessions SET owner = ?, lease_expires_at = ?
         WHERE id = ? AND status = 'running' AND owner IS ?`,
      ).run(owner, leaseUntil, id, expected).changes > 0
    );
  }

  getById(id: number): RegenerationSessionRecord | undefined {
    return this.sql<[number], RegenerationSessionRecord>(
      'SELECT * FROM regeneration_sessions WHERE id = ?',
    ).get(id);
  }

  getRunning(): RegenerationSessionRecord | undefined {
    return this.sql<[], RegenerationSessionRecord>(
      `SELECT * FROM regeneration_sessions WHERE status = 'running'`,
    ).get();
  }

  getLatest(): RegenerationSessionRecord | undefined {
    return this.sql<[], RegenerationSessionRecord>(
      'SELECT * FROM regeneration_sessions ORDER BY id DESC LIMIT 1',
    ).get();
  }

  /** Records a queued chunk: the cursor moves to `cursor`, `queued` jobs are added. */
  advanceQueue(id: number, cursor: number, queued: number, done: boolean): boolean {
    return (
      this.sql(
        `UPDATE regeneration_sessions SET queue_cursor = ?, queued = queued + ?, queue_done = ?
         WHERE id = ? AND status = 'running'`,
      ).run(cursor, queued, done ? 1 : 0, id).changes > 0
    );
  }

  /** Ends a running session; false when it was no longer running. */
  finish(id: number, status: 'completed' | 'cancelled', now: number): boolean {
    return (
      this.sql(
        `UPDATE regeneration_sessions SET status = ?, finished_at = ? WHERE id = ? AND status = 'running'`,
      ).run(status, now, id).changes > 0
    );
  }

  /** Reads only the index entries of the listed statuses: live jobs stay within the session's window. */
  countJobs(sessionId: number): SessionJobCounts {
    const counts: SessionJobCounts = {
      pending: 0,
      processing: 0,
      retry: 0,
      failed: 0,
      cancelled: 0,
    };
    for (const row of this.sql<[number], { status: keyof SessionJobCounts; n: number }>(
      `SELECT status, count(*) AS n FROM thumbnail_generation_jobs
       WHERE session_id = ? AND status IN ('pending','processing','retry','failed','cancelled')
       GROUP BY status`,
    ).all(sessionId)) {
      counts[row.status] = row.n;
    }
    return counts;
  }
}
