import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../../src/main/database/connection';
import { SCHEMA_VERSION } from '../../src/main/database/migrations';
import { SchemaVersionError } from '../../src/main/errors';
import { useTempDir } from '../helpers/temp-library';

describe('database migrations', () => {
  const dir = useTempDir();

  it('migrates an empty file to the current version with the required pragmas', () => {
    const db = openDatabase(join(dir.path, 'a.db'));
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    expect(Number(db.pragma('busy_timeout', { simple: true }))).toBeGreaterThan(0);
    const tables = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
      .pluck()
      .all();
    expect(tables).toEqual(
      expect.arrayContaining(['cameras', 'timelapses', 'images', 'thumbnail_generation_jobs', 'settings']),
    );
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    closeDatabase(db);
  });

  it('reopens an up-to-date database without changing it', () => {
    const file = join(dir.path, 'b.db');
    closeDatabase(openDatabase(file));
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    closeDatabase(db);
  });

  it('refuses a database written by a newer version', () => {
    const file = join(dir.path, 'c.db');
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => openDatabase(file)).toThrow(SchemaVersionError);
    expect(() => openDatabase(file)).toThrow(/newer than this Timelapser supports/);
  });
});
