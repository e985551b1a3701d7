import { BrowserWindow, session, shell } from 'electron';
import { join } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';

export interface WindowOptions {
  kiosk: boolean;
  /** The dev server URL under `electron-vite dev`, else undefined. */
  devServerUrl?: string;
}

/** Session-wide hardening: CSP on every response, every permission request denied. */
export function hardenSession(): void {
  const ses = session.defaultSession;
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
}

export function createMainWindow(options: WindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    show: false,
    backgroundColor: '#0b0d10',
    title: 'Timelapser',
    kiosk: options.kiosk,
    fullscreen: options.kiosk,
    autoHideMenuBar: options.kiosk,
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());

  // The UI routes by hash, so it never navigates: block every navigation and
  // every new window; web links open in the user's browser instead.
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });

  const hash = options.kiosk ? 'kiosk' : '';
  if (options.devServerUrl) void window.loadURL(`${options.devServerUrl}#/${hash}`);
  else void window.loadFile(join(import.meta.dirname, '../renderer/index.html'), { hash: `/${hash}` });
  return window;
}
