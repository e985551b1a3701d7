import type { SqliteDatabase } from '../connection';
import { statementCache, type Prepare } from '../statements';
import type { VideoRow } from '../types';

/** A render job as it is asked for: which frames, how large, how fast, and where the file goes. */
export type NewVideo = Pick<
  VideoRow,
  'timelapse_id' | 'file_path' | 'size' | 'fps' | 'from_day' | 'to_day' | 'frame_count'
>;

/** How a render ended, written only by the process that holds it. */
export type VideoOutcome =
  | { status: 'completed'; file_size: number }
  | { status: 'failed' | 'cancelled'; error_message: string | null };

/**
 * Pure CRUD over videos. A render is claimed (queued → rendering) by one
 * process, which names itself as owner; every later write of that render is
 * conditional on status and owner, so a cancel, a delete or a recovery by
 * another process wins over a render still running.
 */
export class VideoOperations {
  private readonly sql: Prepare;

  constructor(db: SqliteDatabase) {
    this.sql = statementCache(db);
  }

  insert(video: NewVideo, now = Date.now()): VideoRow {
    return this.sql<unknown[], VideoRow>(
      `INSERT INTO videos (timelapse_id, file_path, size, fps, from_day, to_day, frame_count, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
    ).get(
      video.timelapse_id,
      video.file_path,
      video.size,
      video.fps,
      video.from_day,
      video.to_day,
      video.frame_count,
      now,
    )!;
  }

  getById(id: number): VideoRow | undefined {
    return this.sql<[number], VideoRow>('SELECT * FROM videos WHERE id = ?').get(id);
  }

  /** A timelapse's videos, newest first. */
  listForTimelapse(timelapseId: number): VideoRow[] {
    return this.sql<[number], VideoRow>(
      'SELECT * FROM videos WHERE timelapse_id = ? ORDER BY id DESC',
    ).all(timelapseId);
  }

  /** Every file name a timelapse's videos use or will use (the next version is picked from these). */
  filePathsOfTimelapse(timelapseId: number): string[] {
    return this.sql<[number], string>('SELECT file_path FROM videos WHERE timelapse_id = ?')
      .pluck()
      .all(timelapseId);
  }

  /** Claims the oldest queued render (or the one given) for `owner`; undefined when none is queued. */
  claim(owner: string, now: number, id?: number): VideoRow | undefined {
    return this.sql<[Record<string, unknown>], VideoRow>(
      `UPDATE videos SET status = 'rendering', owner = @owner, started_at = @now, heartbeat_at = @now, frames_done = 0
       WHERE id = (SELECT id FROM videos WHERE status = 'queued' AND (@id IS NULL OR id = @id) ORDER BY id LIMIT 1)
       RETURNING *`,
    ).get({ owner, now, id: id ?? null });
  }

  /** What the render found when it started: the frames it reads and the picture size it writes. */
  setPlan(
    id: number,
    owner: string,
    plan: Pick<VideoRow, 'frame_count' | 'width' | 'height'>,
  ): boolean {
    return (
      this.sql(
        `UPDATE videos SET frame_count = ?, width = ?, height = ?
         WHERE id = ? AND status = 'rendering' AND owner = ?`,
      ).run(plan.frame_count, plan.width, plan.height, id, owner).changes > 0
    );
  }

  /** Frames encoded so far; false when the render is no longer this owner's to continue. */
  setProgress(id: number, owner: string, framesDone: number, now: number): boolean {
    return (
      this.sql(
        `UPDATE videos SET frames_done = ?, heartbeat_at = ?
         WHERE id = ? AND status = 'rendering' AND owner = ?`,
      ).run(framesDone, now, id, owner).changes > 0
    );
  }

  /** Ends a render its owner holds; false when a cancel, delete or recovery came first. */
  finish(id: number, owner: string, outcome: VideoOutcome, now: number): boolean {
    const completed = outcome.status === 'completed';
    return (
      this.sql(
        `UPDATE videos SET status = ?, file_size = ?, error_message = ?, finished_at = ?, owner = NULL,
           frames_done = iif(? , frame_count, frames_done)
         WHERE id = ? AND status = 'rendering' AND owner = ?`,
      ).run(
        outcome.status,
        completed ? outcome.file_size : null,
        completed ? null : outcome.error_message,
        now,
        completed ? 1 : 0,
        id,
        owner,
      ).changes > 0
    );
  }

  /** Gives a render its owner stops (the app closing) back to the queue, to start over. */
  release(id: number, owner: string): boolean {
    return (
      this.sql(
        `UPDATE videos SET status = 'queued', owner = NULL, heartbeat_at = NULL, started_at = NULL, frames_done = 0
         WHERE id = ? AND status = 'rendering' AND owner = ?`,
      ).run(id, owner).changes > 0
    );
  }

  /** Cancels a render that has not ended, whoever runs it (its owner notices at its next write). */
  cancel(id: number, now: number): boolean {
    return (
      this.sql(
        `UPDATE videos SET status = 'cancelled', finished_at = ?, owner = NULL
         WHERE id = ? AND status IN ('queued','rendering')`,
      ).run(now, id).changes > 0
    );
  }

  /** Renders in progress, with their owners and heartbeats (recovery looks for dead ones). */
  listRendering(): VideoRow[] {
    return this.sql<[], VideoRow>(
      `SELECT * FROM videos WHERE status = 'rendering' ORDER BY id`,
    ).all();
  }

  /** How many renders wait. */
  countQueued(): number {
    return this.sql<[], number>(`SELECT count(*) FROM videos WHERE status = 'queued'`)
      .pluck()
      .get()!;
  }

  delete(id: number): boolean {
    return this.sql('DELETE FROM videos WHERE id = ?').run(id).changes > 0;
  }
}
