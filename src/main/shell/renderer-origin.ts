import { pathToFileURL } from 'node:url';

export interface RendererLocation {
  /** Absolute path of the built renderer's index.html. */
  indexFile: string;
  /** The dev server URL under `electron-vite dev`, else undefined. */
  devServerUrl?: string;
}

/**
 * Where the window loads its UI from while developing: `electron-vite dev`
 * sets ELECTRON_RENDERER_URL to its loopback dev server. A packaged app never
 * honours it (a stray variable would load a page of its choosing with our
 * API), nor a URL off this machine.
 */
export function devServerUrl(isPackaged: boolean, env: NodeJS.ProcessEnv): string | undefined {
  const value = env.ELECTRON_RENDERER_URL;
  if (isPackaged || !value) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return undefined;
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
  return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && loopback ? value : undefined;
}

/**
 * Whether an IPC sender frame shows our renderer: the built index.html (any
 * hash route) or a page of the dev server's origin. Anything else (a page the
 * window was navigated to, a subframe of another origin) gets no API.
 */
export function isTrustedRendererUrl(url: string | undefined, location: RendererLocation): boolean {
  if (!url) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'file:') {
    parsed.hash = '';
    parsed.search = '';
    return parsed.href === pathToFileURL(location.indexFile).href;
  }
  if (!location.devServerUrl) return false;
  return parsed.origin === new URL(location.devServerUrl).origin;
}
