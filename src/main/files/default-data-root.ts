import { homedir } from 'node:os';
import { join } from 'node:path';

export const PRODUCT_NAME = 'Timelapser';

/**
 * Where Electron keeps this app's user data (app.getPath('userData')), computed
 * without Electron so the CLI and the app open the same library by default.
 */
export function defaultUserDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', PRODUCT_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), PRODUCT_NAME);
}

/** The data root: an explicit choice, else TIMELAPSER_DATA, else `<userData>/library`. */
export function resolveDataRoot(explicit?: string, env: NodeJS.ProcessEnv = process.env, userDataDir?: string): string {
  return explicit ?? env.TIMELAPSER_DATA ?? join(userDataDir ?? defaultUserDataDir(env), 'library');
}
