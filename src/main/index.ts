import { app, BrowserWindow } from 'electron';
import { parseArgs } from 'node:util';
import { openCore, type Core } from './core';
import { resolveDataRoot } from './files/default-data-root';
import { electronNativeBinding } from './shell/native-binding';
import { createMainWindow, hardenSession } from './shell/window';

/**
 * The Electron shell: single instance, a hardened window, and the core opened
 * on the data root. Everything else lives in the Electron-free core.
 */
const { values: flags } = parseArgs({
  args: process.argv.slice(app.isPackaged ? 1 : 2),
  options: { kiosk: { type: 'boolean', default: false }, data: { type: 'string' } },
  strict: false,
});

let core: Core | undefined;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });
  app.whenReady().then(start, (error) => fail(error));
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', (event) => {
    if (!core) return;
    // Stop workers and close the database before Electron exits.
    event.preventDefault();
    const closing = core;
    core = undefined;
    void closing.close().finally(() => app.quit());
  });
}

async function start(): Promise<void> {
  hardenSession();
  const dataRoot = resolveDataRoot(
    typeof flags.data === 'string' ? flags.data : undefined,
    process.env,
    app.getPath('userData'),
  );
  core = await openCore({ dataRoot, nativeBinding: electronNativeBinding() });
  createMainWindow({ kiosk: flags.kiosk === true, devServerUrl: process.env.ELECTRON_RENDERER_URL });
}

function fail(error: unknown): void {
  console.error('Timelapser could not start:', error);
  app.exit(1);
}
