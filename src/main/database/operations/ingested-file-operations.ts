import type { IngestOutcomeKind } from '../../../shared/contract';
import type { SqliteDatabase } from '../connection';
import { statementCache, type Prepare } from '../statements';

/** A file a watch folder offered, as it was when taken: path, size and whole-millisecond mtime. */
export interface IngestedFileKey {
  camera_id: number;
  path: string;
  size: number;
  mtime_ms: number;
}

/** Pure CRUD over ingested_files: what each folder camera took or refused. */
export class IngestedFileOperations {
  private readonly sql: Prepare;

  constructor(db: SqliteDatabase) {
    this.sql = statementCache(db);
  }

  /** Records a file's outcome; a second record of the same file changes nothing. */
  record(
    key: IngestedFileKey,
    outcome: IngestOutcomeKind,
    imageId: number | null,
    now = Date.now(),
  ): void {
    this.sql(
      `INSERT INTO ingested_files (camera_id, path, size, mtime_ms, outcome, image_id, ingested_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    ).run(key.camera_id, key.path, key.size, Math.floor(key.mtime_ms), outcome, imageId, now);
  }

  /** Whether this camera already took or refused the file in this exact state. */
  has(key: IngestedFileKey): boolean {
    return (
      this.sql<[number, string, number, number], { one: number }>(
        'SELECT 1 AS one FROM ingested_files WHERE camera_id = ? AND path = ? AND size = ? AND mtime_ms = ?',
      ).get(key.camera_id, key.path, key.size, Math.floor(key.mtime_ms)) !== undefined
    );
  }

  countForCamera(cameraId: number): number {
    return this.sql<[number], { n: number }>(
      'SELECT count(*) AS n FROM ingested_files WHERE camera_id = ?',
    ).get(cameraId)!.n;
  }
}
