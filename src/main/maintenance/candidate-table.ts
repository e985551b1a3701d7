import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../database/connection';
import type { VariantKind } from '../files/names';
import type { VariantFile } from './variant-files';

export interface Candidate extends VariantFile {
  size: number;
}

interface CandidateRow {
  id: number;
  path: string;
  absolute_path: string;
  kind: VariantKind;
  timelapse_id: number;
  day: number;
  clock: string;
  seq: number;
  size: number;
}

let tables = 0;

/**
 * Cleanup's candidates between its scan and its deletes, in a TEMP table of
 * this connection: on disk past SQLite's cache, never all in memory, and
 * private (writing it takes no lock on the library database).
 */
export class CandidateTable {
  private readonly name = `temp.maintenance_candidates_${++tables}`;
  private readonly insert: Statement<unknown[]>;
  private readonly selectPage: Statement<[number, number], CandidateRow>;

  constructor(private readonly db: SqliteDatabase) {
    db.exec(`CREATE TABLE ${this.name} (
      id INTEGER PRIMARY KEY, path TEXT NOT NULL, absolute_path TEXT NOT NULL, kind TEXT NOT NULL, timelapse_id INTEGER NOT NULL,
      day INTEGER NOT NULL, clock TEXT NOT NULL, seq INTEGER NOT NULL, size INTEGER NOT NULL)`);
    this.insert = db.prepare(
      `INSERT INTO ${this.name} (path, absolute_path, kind, timelapse_id, day, clock, seq, size) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.selectPage = db.prepare(`SELECT * FROM ${this.name} WHERE id > ? ORDER BY id LIMIT ?`);
  }

  add(candidates: readonly Candidate[]): void {
    this.db.transaction(() => {
      for (const c of candidates) {
        this.insert.run(c.relativePath, c.absolutePath, c.kind, c.name.timelapseId, c.name.day, c.name.clock, c.name.seq, c.size);
      }
    })();
  }

  /** Candidates after `afterId`, with their row id for the next page. */
  page(afterId: number, limit: number): { id: number; candidate: Candidate }[] {
    return this.selectPage.all(afterId, limit).map((row) => ({
      id: row.id,
      candidate: {
        relativePath: row.path,
        absolutePath: row.absolute_path,
        kind: row.kind,
        size: row.size,
        name: { kind: row.kind, timelapseId: row.timelapse_id, day: row.day, clock: row.clock, seq: row.seq },
      },
    }));
  }

  drop(): void {
    if (this.db.open) this.db.exec(`DROP TABLE IF EXISTS ${this.name}`);
  }
}
