import type { SqliteDatabase } from '../connection';
import { statementCache, type Prepare } from '../statements';

/** When the stored census was taken and when the tree last changed (epoch ms; null: never). */
export interface CensusHead {
  started_at: number | null;
  finished_at: number | null;
  changed_at: number | null;
}

/** Pure CRUD over library_census: one row, the newest scan's report (JSON text). */
export class CensusOperations {
  private readonly sql: Prepare;

  constructor(db: SqliteDatabase) {
    this.sql = statementCache(db);
  }

  head(): CensusHead {
    return this.sql<[], CensusHead>(
      'SELECT started_at, finished_at, changed_at FROM library_census WHERE id = 1',
    ).get()!;
  }

  report(): string | null {
    return this.sql<[], { report: string | null }>(
      'SELECT report FROM library_census WHERE id = 1',
    ).get()!.report;
  }

  /** Keeps a scan's report unless one that started later is stored; answers whether it was kept. */
  put(startedAt: number, finishedAt: number, report: string): boolean {
    return (
      this.sql(
        `UPDATE library_census SET started_at = @startedAt, finished_at = @finishedAt, report = @report
         WHERE id = 1 AND (started_at IS NULL OR started_at <= @startedAt)`,
      ).run({ startedAt, finishedAt, report }).changes > 0
    );
  }

  /** A maintenance action changed the tree: reports started before `at` are stale. */
  markChanged(at: number): void {
    this.sql(
      'UPDATE library_census SET changed_at = max(coalesce(changed_at, 0), ?) WHERE id = 1',
    ).run(at);
  }
}
