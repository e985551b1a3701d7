import type { CoreContext } from './context';
import { closeDatabase, openDatabase, type OpenDatabaseOptions } from './database/connection';
import { createOperations } from './database/operations';
import { EventBus } from './events/event-bus';
import { DataTree } from './files/data-tree';
import { sweepTempFiles } from './files/file-operations';
import { LibraryService } from './library/library-service';
import { SettingsService } from './settings/settings-service';

export interface CoreOptions extends OpenDatabaseOptions {
  dataRoot: string;
}

/** The Electron-free core over one data root: database, file tree and services. */
export interface Core extends CoreContext {
  library: LibraryService;
  close(): Promise<void>;
}

export async function openCore(options: CoreOptions): Promise<Core> {
  const tree = new DataTree(options.dataRoot);
  await sweepTempFiles(tree.tempDirectory);
  const db = openDatabase(tree.databasePath, options);
  const ops = createOperations(db);
  const context: CoreContext = { db, ops, tree, settings: new SettingsService(db), events: new EventBus() };
  return {
    ...context,
    library: new LibraryService(ops, tree),
    async close() {
      closeDatabase(db);
    },
  };
}
