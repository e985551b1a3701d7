import { ZodError } from 'zod';
import {
  DEFAULT_SETTINGS,
  settingsPatchSchema,
  settingsSchema,
  type SettingKey,
  type Settings,
  type SettingsPatch,
} from '../../shared/contract';
import type { SqliteDatabase } from '../database/connection';
import { writeTransaction } from '../database/connection';
import { SettingsOperations } from '../database/operations/settings-operations';
import { ValidationError } from '../errors';

/**
 * Typed settings over the key/value table. Reads are cheap (one small query) so
 * every step sees the value in force now, also when another process changed it.
 */
export class SettingsService {
  private readonly ops: SettingsOperations;

  constructor(private readonly db: SqliteDatabase) {
    this.ops = new SettingsOperations(db);
  }

  getAll(): Settings {
    const settings: Settings = { ...DEFAULT_SETTINGS };
    for (const row of this.ops.getAll()) {
      if (!(row.key in DEFAULT_SETTINGS)) continue;
      // A stored value that no longer validates falls back to its own default only.
      const key = row.key as SettingKey;
      const parsed = settingsSchema.shape[key].safeParse(JSON.parse(row.value));
      if (parsed.success) Object.assign(settings, { [key]: parsed.data });
    }
    return settings;
  }

  get<K extends SettingKey>(key: K): Settings[K] {
    return this.getAll()[key];
  }

  /** Validates the whole patch first: an unknown key or bad value changes nothing. */
  update(patch: unknown): Settings {
    const parsed = parseSettingsPatch(patch);
    writeTransaction(this.db, () => {
      for (const [key, value] of Object.entries(parsed)) this.ops.set(key, JSON.stringify(value));
    });
    return this.getAll();
  }
}

export function parseSettingsPatch(patch: unknown): SettingsPatch {
  try {
    return settingsPatchSchema.parse(patch);
  } catch (error) {
    if (error instanceof ZodError) {
      const issue = error.issues[0];
      const where = issue?.path.join('.') || (issue && 'keys' in issue ? String(issue.keys) : '');
      throw new ValidationError(`Invalid setting ${where}: ${issue?.message ?? 'invalid'}`, {
        issues: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
    }
    throw error;
  }
}
