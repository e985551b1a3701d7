import type { SqliteDatabase } from '../connection';
import { statementCache, type Prepare } from '../statements';
import type { FrameRejectionRow } from '../types';

/** How many refusals each camera's log keeps (the newest). */
export const REJECTIONS_KEPT = 500;

export type NewFrameRejection = Omit<FrameRejectionRow, 'id'>;

/** Pure CRUD over the rejection log: each camera's latest refused frames. */
export class RejectionOperations {
  private readonly sql: Prepare;

  constructor(db: SqliteDatabase) {
    this.sql = statementCache(db);
  }

  /** Adds a refusal and drops the camera's entries beyond the newest REJECTIONS_KEPT. */
  add(rejection: NewFrameRejection): FrameRejectionRow {
    const row = this.sql<unknown[], FrameRejectionRow>(
      `INSERT INTO frame_rejections (camera_id, rejected_at, source, reason, message, byte_size)
       VALUES (?, ?, ?, ?, ?, ?) RETURNING *`,
    ).get(
      rejection.camera_id,
      rejection.rejected_at,
      rejection.source,
      rejection.reason,
      rejection.message,
      rejection.byte_size,
    )!;
    this.sql(
      `DELETE FROM frame_rejections WHERE camera_id = @camera AND id <= (
         SELECT id FROM frame_rejections WHERE camera_id = @camera ORDER BY id DESC LIMIT 1 OFFSET @kept)`,
    ).run({ camera: rejection.camera_id, kept: REJECTIONS_KEPT });
    return row;
  }

  /** The camera's refusals, newest first, older than `beforeId` when given (keyset paging). */
  listForCamera(
    cameraId: number,
    limit: number,
    beforeId = Number.MAX_SAFE_INTEGER,
  ): FrameRejectionRow[] {
    return this.sql<[number, number, number], FrameRejectionRow>(
      'SELECT * FROM frame_rejections WHERE camera_id = ? AND id < ? ORDER BY id DESC LIMIT ?',
    ).all(cameraId, beforeId, limit);
  }

  countForCamera(cameraId: number): number {
    return this.sql<[number], { n: number }>(
      'SELECT count(*) AS n FROM frame_rejections WHERE camera_id = ?',
    ).get(cameraId)!.n;
  }
}
