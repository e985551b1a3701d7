import type { SqliteDatabase } from '../connection';
import { statementCache, type Prepare } from '../statements';
import type { CameraRow, SourceType } from '../types';

export interface NewCamera {
  name: string;
  source_type: SourceType;
  source_url?: string | null;
  source_options?: string;
  capture_interval_s?: number;
  generate_thumbnails?: boolean;
  enabled?: boolean;
}

export type CameraPatch = Partial<NewCamera>;

const EDITABLE = new Set<string>([
  'name', 'source_type', 'source_url', 'source_options', 'capture_interval_s', 'generate_thumbnails', 'enabled',
]);

/** Pure CRUD over cameras. */
export class CameraOperations {
  private readonly sql: Prepare;

  constructor(db: SqliteDatabase) {
    this.sql = statementCache(db);
  }

  create(camera: NewCamera, now = Date.now()): CameraRow {
    return this
      .sql<unknown[], CameraRow>(
        `INSERT INTO cameras (name, source_type, source_url, source_options, capture_interval_s,
           generate_thumbnails, enabled, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      )
      .get(
        camera.name,
        camera.source_type,
        camera.source_url ?? null,
        camera.source_options ?? '{}',
        camera.capture_interval_s ?? 60,
        camera.generate_thumbnails === false ? 0 : 1,
        camera.enabled === false ? 0 : 1,
        now,
        now,
      )!;
  }

  getById(id: number): CameraRow | undefined {
    return this.sql<[number], CameraRow>('SELECT * FROM cameras WHERE id = ?').get(id);
  }

  getByName(name: string): CameraRow | undefined {
    return this.sql<[string], CameraRow>('SELECT * FROM cameras WHERE name = ?').get(name);
  }

  list(): CameraRow[] {
    return this.sql<[], CameraRow>('SELECT * FROM cameras ORDER BY id').all();
  }

  update(id: number, patch: CameraPatch, now = Date.now()): CameraRow | undefined {
    const columns = Object.entries(patch).filter(([k, v]) => v !== undefined && EDITABLE.has(k));
    if (columns.length === 0) return this.getById(id);
    const sets = columns.map(([k]) => `${k} = ?`).join(', ');
    const values = columns.map(([, v]) => (typeof v === 'boolean' ? Number(v) : v));
    return this
      .sql<unknown[], CameraRow>(`UPDATE cameras SET ${sets}, updated_at = ? WHERE id = ? RETURNING *`)
      .get(...values, now, id);
  }

  recordCapture(id: number, capturedAt: number): void {
    this.sql('UPDATE cameras SET last_capture_at = ?, last_error = NULL WHERE id = ?').run(capturedAt, id);
  }

  recordError(id: number, error: string): void {
    this.sql('UPDATE cameras SET last_error = ? WHERE id = ?').run(error, id);
  }

  /** A refused frame: its error, the camera's total, and the run since its last stored frame. */
  recordRejection(id: number, error: string): Pick<CameraRow, 'rejected_frames' | 'rejections_since_frame'> | undefined {
    return this.sql<[string, number], Pick<CameraRow, 'rejected_frames' | 'rejections_since_frame'>>(
      `UPDATE cameras SET last_error = ?, rejected_frames = rejected_frames + 1,
         rejections_since_frame = rejections_since_frame + 1
       WHERE id = ? RETURNING rejected_frames, rejections_since_frame`,
    ).get(error, id);
  }

  /** A frame was stored: the run of refusals before it ends. */
  clearRejectionsSinceFrame(id: number): void {
    this.sql('UPDATE cameras SET rejections_since_frame = 0 WHERE id = ? AND rejections_since_frame != 0').run(id);
  }

  delete(id: number): boolean {
    return this.sql('DELETE FROM cameras WHERE id = ?').run(id).changes > 0;
  }
}
