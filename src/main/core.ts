import { closeDatabase, openDatabase, type OpenDatabaseOptions, type SqliteDatabase } from './database/connection';
import { createOperations, type Operations } from './database/operations';
import { EventBus } from './events/event-bus';
import { DataTree } from './files/data-tree';
import { sweepTempFiles } from './files/file-operations';
import { LibraryService } from './library/library-service';
import { SettingsService } from './settings/settings-service';

export interface CoreOptions extends OpenDatabaseOptions {
  dataRoot: string;
}

/** The Electron-free core over one data root: database, file tree and services. */
export interface Core {
  tree: DataTree;
  db: SqliteDatabase;
  ops: Operations;
  settings: SettingsService;
  library: LibraryService;
  events: EventBus;
  close(): Promise<void>;
}

export async function openCore(options: CoreOptions): Promise<Core> {
  const tree = new DataTree(options.dataRoot);
  await sweepTempFiles(tree.tempDirectory);
  const db = openDatabase(tree.databasePath, options);
  const ops = createOperations(db);
  return {
    tree,
    db,
    ops,
    settings: new SettingsService(db),
    library: new LibraryService(ops, tree),
    events: new EventBus(),
    async close() {
      closeDatabase(db);
    },
  };
}
