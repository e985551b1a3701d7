import type { SqliteDatabase } from './database/connection';
import type { Operations } from './database/operations';
import type { EventBus } from './events/event-bus';
import type { DataTree } from './files/data-tree';
import type { Logger } from './logging/logger';
import type { SettingsService } from './settings/settings-service';

/** What every service of the core is built from: one data root's parts. */
export interface CoreContext {
  db: SqliteDatabase;
  ops: Operations;
  tree: DataTree;
  settings: SettingsService;
  events: EventBus;
  /** The core's logger; each service logs through a child naming its component. */
  log: Logger;
}
