import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCheckpointer } from '../../src/main/database/checkpointer';
import {
  closeDatabase,
  openDatabase,
  type SqliteDatabase,
} from '../../src/main/database/connection';
import { useTempDir } from '../helpers/temp-library';

const dir = useTempDir('timelapser-checkpoint-');
const ROUNDS = 8;
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes ~1 MB per round with pauses between; answers the WAL file's size at the end. */
async function writeRounds(db: SqliteDatabase, file: string): Promise<number> {
  db.exec('CREATE TABLE IF NOT EXISTS filler (id INTEGER PRIMARY KEY, body BLOB)');
  const insert = db.prepare('INSERT INTO filler (body) VALUES (?)');
  for (let round = 0; round < ROUNDS; round++) {
    db.transaction(() => {
      for (let i = 0; i < 250; i++) insert.run(Buffer.alloc(4096, round));
    })();
    await settle(150);
  }
  return statSync(`${file}-wal`).size;
}

describe('the WAL checkpointer', () => {
  it('keeps the WAL small from its own thread, where no checkpoint would let it grow', async () => {
    const unchecked = join(dir.path, 'unchecked.db');
    const control = openDatabase(unchecked);
    control.pragma('wal_autocheckpoint = 0');
    const grown = await writeRounds(control, unchecked);

    const file = join(dir.path, 'checked.db');
    const db = openDatabase(file);
    const checkpointer = startCheckpointer(db, { file, intervalMs: 50 });
    await checkpointer.ready;
    const kept = await writeRounds(db, file);
    await checkpointer.stop();

    expect(grown).toBeGreaterThan(ROUNDS * 1_000_000);
    // Each round's pages are copied back and the WAL restarts from its start.
    expect(kept).toBeLessThan(grown / 3);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    closeDatabase(control);
    closeDatabase(db);
  });

  it('stops its thread and hands checkpoints back to SQLite', async () => {
    const file = join(dir.path, 'stopped.db');
    const db = openDatabase(file);
    const checkpointer = startCheckpointer(db, { file, intervalMs: 50 });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    await checkpointer.stop();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    closeDatabase(db);
  });
});
