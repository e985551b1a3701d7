import { app, BrowserWindow, Menu } from 'electron';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createApi } from './api';
import { openCore, type Core } from './core';
import { resolveDataRoot } from './files/default-data-root';
import { createFileLogger, type FileLogger } from './logging/file-logger';
import { createStderrLogger, logLevel, type Logger } from './logging/logger';
import { registerIpc } from './shell/ipc';
import { buildAppMenu } from './shell/menu';
import { electronNativeBinding } from './shell/native-binding';
import { handleImageProtocol, registerImageSchemePrivileges } from './shell/protocol';
import { devServerUrl as devServerUrlFor } from './shell/renderer-origin';
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
/** Undo IPC and protocol registrations before the core closes. */
const disposers: (() => void)[] = [];
/** The log file in the data root (rotated by size), once the data root is known. */
let logFile: FileLogger | undefined;
/** stderr until then; TIMELAPSER_LOG_LEVEL overrides `info`. */
let log: Logger = createStderrLogger(logLevel('info')).child({ component: 'shell' });

registerImageSchemePrivileges();

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
  app.whenReady().then(start).catch(fail);
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', (event) => {
    if (!core) return;
    // Stop workers and close the database before Electron exits.
    event.preventDefault();
    const closing = core;
    core = undefined;
    disposers.splice(0).forEach((dispose) => dispose());
    void shutDown(closing);
  });
}

async function start(): Promise<void> {
  hardenSession();
  const dataRoot = resolveDataRoot(
    typeof flags.data === 'string' ? flags.data : undefined,
    process.env,
    app.getPath('userData'),
  );
  // The file, and in development the terminal too.
  logFile = createFileLogger({ dataRoot, level: logLevel('info'), stderr: !app.isPackaged });
  log = logFile.logger.child({ component: 'shell' });
  log.info(
    { version: app.getVersion(), electron: process.versions.electron, packaged: app.isPackaged },
    'starting',
  );
  core = await openCore({
    dataRoot,
    nativeBinding: electronNativeBinding(),
    logger: logFile.logger,
  });
  const api = createApi(core);
  const devServerUrl = devServerUrlFor(app.isPackaged, process.env);
  disposers.push(handleImageProtocol(api));
  const window = createMainWindow({ kiosk: flags.kiosk === true, devServerUrl });
  const indexFile = join(import.meta.dirname, '../renderer/index.html');
  disposers.push(registerIpc(api, core.events, window, { indexFile, devServerUrl }));
  Menu.setApplicationMenu(buildAppMenu(api, window));
  // A newcomer's first start shows a live wall of demo cameras at once.
  if (core.firstStart) core.ensureDemoCameras();
  core.start();
}

async function shutDown(closing: Core): Promise<void> {
  try {
    await closing.close();
  } catch (error) {
    log.error({ err: error }, 'closing the library failed');
  }
  await logFile?.close();
  app.quit();
}

function fail(error: unknown): void {
  log.fatal({ err: error }, 'Timelapser could not start');
  void (logFile?.close() ?? Promise.resolve()).finally(() => app.exit(1));
}
