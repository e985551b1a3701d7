import type { SqliteDatabase } from '../database/connection';
import { statementCache, type Prepare } from '../database/statements';

/**
 * The one read capture needs that the shared image operations lack: an image
 * of a timelapse with the same capture time and size (import's duplicate test),
 * served by idx_images_timelapse_captured.
 */
export class CaptureQueries {
  private readonly sql: Prepare;

  constructor(db: SqliteDatabase) {
    this.sql = statementCache(db);
  }

  findSameFrame(timelapseId: number, capturedAt: number, fileSize: number): number | undefined {
    return this.sql<[number, number, number], { id: number }>(
      'SELECT id FROM images WHERE timelapse_id = ? AND captured_at = ? AND file_size = ? LIMIT 1',
    ).get(timelapseId, capturedAt, fileSize)?.id;
  }
}
