import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { isDiskFullError } from '../errors';
import type { Logger } from '../logging/logger';
import { migrate } from './migrations';

export type { SqliteDatabase };

export interface OpenDatabaseOptions {
  /** Path of a better_sqlite3.node built for another ABI (Electron's). */
  nativeBinding?: string;
  /** How long a writer waits for another process's lock, in ms. */
  busyTimeoutMs?: number;
}

/**
 * Opens (creating if needed) the library database with the pragmas every
 * process on the same data root must agree on, and migrates it.
 */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): SqliteDatabase {
  const db = new Database(
    file,
    options.nativeBinding ? { nativeBinding: options.nativeBinding } : {},
  );
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Closes cleanly: folds the WAL back so the file alone is a complete copy. On
 * a full disk the fold fails; the WAL then stays beside the file (the next
 * open reads it) and the connection still closes.
 */
export function closeDatabase(db: SqliteDatabase, log?: Logger): void {
  if (!db.open) return;
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch (error) {
    if (!isDiskFullError(error)) log?.warn({ err: error }, 'folding the WAL back on close failed');
  } finally {
    db.close();
  }
}

/** Runs `fn` in a write transaction that takes the lock up front (BEGIN IMMEDIATE). */
export function writeTransaction<T>(db: SqliteDatabase, fn: () => T): T {
  return db.transaction(fn).immediate();
}
