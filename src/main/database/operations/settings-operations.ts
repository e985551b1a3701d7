import type { SqliteDatabase } from '../connection';

export interface SettingRow {
  key: string;
  value: string;
}

/** Pure CRUD over the settings table; values are JSON text. */
export class SettingsOperations {
  private readonly selectAll;
  private readonly upsert;

  constructor(db: SqliteDatabase) {
    this.selectAll = db.prepare<[], SettingRow>('SELECT key, value FROM settings');
    this.upsert = db.prepare<[string, string, number]>(
      `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    );
  }

  getAll(): SettingRow[] {
    return this.selectAll.all();
  }

  set(key: string, value: string, now = Date.now()): void {
    this.upsert.run(key, value, now);
  }
}
