import { app } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * better-sqlite3 is built for plain Node in node_modules (the tests need that
 * build). In development Electron loads a second build, made for its own ABI by
 * `scripts/prepare-electron.mjs` into .cache/; a packaged app carries a build
 * that electron-builder made for Electron, so it needs no override.
 */
export function electronNativeBinding(): string | undefined {
  if (app.isPackaged) return undefined;
  const built = join(app.getAppPath(), '.cache', 'electron-native', 'better_sqlite3.node');
  return existsSync(built) ? built : undefined;
}
