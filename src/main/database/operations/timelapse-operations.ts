import type { SqliteDatabase } from '../connection';
import { statementCache, type Prepare } from '../statements';
import type { TimelapseRow, TimelapseStatus } from '../types';

/** Pure CRUD over timelapses. */
export class TimelapseOperations {
  private readonly sql: Prepare;

  constructor(db: SqliteDatabase) {
    this.sql = statementCache(db);
  }

  create(cameraId: number, name: string, startedAt: number, status: TimelapseStatus = 'active'): TimelapseRow {
    return this
      .sql<unknown[], TimelapseRow>(
        `INSERT INTO timelapses (camera_id, name, status, started_at, created_at)
         VALUES (?, ?, ?, ?, ?) RETURNING *`,
      )
      .get(cameraId, name, status, startedAt, Date.now())!;
  }

  getById(id: number): TimelapseRow | undefined {
    return this.sql<[number], TimelapseRow>('SELECT * FROM timelapses WHERE id = ?').get(id);
  }

  getActiveForCamera(cameraId: number): TimelapseRow | undefined {
    return this
      .sql<[number], TimelapseRow>(`SELECT * FROM timelapses WHERE camera_id = ? AND status = 'active'`)
      .get(cameraId);
  }

  getByName(cameraId: number, name: string): TimelapseRow | undefined {
    return this
      .sql<[number, string], TimelapseRow>('SELECT * FROM timelapses WHERE camera_id = ? AND name = ? ORDER BY id LIMIT 1')
      .get(cameraId, name);
  }

  listForCamera(cameraId: number): TimelapseRow[] {
    return this.sql<[number], TimelapseRow>('SELECT * FROM timelapses WHERE camera_id = ? ORDER BY id').all(cameraId);
  }

  list(): TimelapseRow[] {
    return this.sql<[], TimelapseRow>('SELECT * FROM timelapses ORDER BY id').all();
  }

  /** Ids in pages, so callers never hold every row at once. */
  listIdsAfter(afterId: number, limit: number): number[] {
    return this
      .sql<[number, number], { id: number }>('SELECT id FROM timelapses WHERE id > ? ORDER BY id LIMIT ?')
      .all(afterId, limit)
      .map((r) => r.id);
  }

  setStatus(id: number, status: TimelapseStatus, completedAt: number | null = null): TimelapseRow | undefined {
    return this
      .sql<unknown[], TimelapseRow>('UPDATE timelapses SET status = ?, completed_at = ? WHERE id = ? RETURNING *')
      .get(status, completedAt, id);
  }

  rename(id: number, name: string): TimelapseRow | undefined {
    return this.sql<[string, number], TimelapseRow>('UPDATE timelapses SET name = ? WHERE id = ? RETURNING *').get(name, id);
  }

  setStartedAt(id: number, startedAt: number): void {
    this.sql('UPDATE timelapses SET started_at = ? WHERE id = ?').run(startedAt, id);
  }

  delete(id: number): boolean {
    return this.sql('DELETE FROM timelapses WHERE id = ?').run(id).changes > 0;
  }
}
