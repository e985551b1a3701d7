import { useMemo, useSyncExternalStore } from 'react';

/**
 * A tiny router for both homes of the UI: hash routes inside Electron
 * (file://, `#/kiosk`) and path routes in a browser (`/kiosk`). Routes are one
 * segment deep, details go in the query (`/timelapse?id=5`), so the built
 * page's relative asset URLs resolve from every route the server falls back on.
 * A browser also honours a hash route, so `#/kiosk` works there too.
 */
export interface Route {
  /** '' for the wall, else the segment: 'kiosk', 'camera', 'timelapse', 'settings', … */
  name: string;
  query: URLSearchParams;
}

export type RouterMode = 'hash' | 'path';

export function parseRoute(
  location: Pick<Location, 'pathname' | 'search' | 'hash'>,
  mode: RouterMode,
): Route {
  const useHash = mode === 'hash' || location.hash.startsWith('#/');
  const target = useHash
    ? location.hash.replace(/^#/, '') || '/'
    : `${location.pathname}${location.search}`;
  const [path = '/', search = ''] = target.split('?');
  const name = path.split('/').filter(Boolean).pop() ?? '';
  return {
    name: name === 'index.html' ? '' : decodeURIComponent(name),
    query: new URLSearchParams(search),
  };
}

export function formatRoute(
  name: string,
  query: Record<string, string | number | undefined> = {},
  mode: RouterMode = routerMode(),
): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined) params.set(key, String(value));
  const search = params.toString();
  const path = `/${name}${search ? `?${search}` : ''}`;
  return mode === 'hash' ? `#${path}` : path;
}

/** Hash routing whenever the page runs inside the app (its bridge is present) or from a file. */
export function routerMode(): RouterMode {
  return window.timelapser || window.location.protocol === 'file:' ? 'hash' : 'path';
}

const NAVIGATE_EVENT = 'timelapser:navigate';

export function navigate(name: string, query?: Record<string, string | number | undefined>): void {
  const href = formatRoute(name, query);
  if (href.startsWith('#')) window.location.hash = href.slice(1);
  else {
    window.history.pushState(null, '', href);
    window.dispatchEvent(new Event(NAVIGATE_EVENT));
  }
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener('hashchange', onChange);
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

const snapshot = () =>
  `${window.location.pathname}${window.location.search}${window.location.hash}`;

export function useRoute(): Route {
  const href = useSyncExternalStore(subscribe, snapshot);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- href is the location, in one string
  return useMemo(() => parseRoute(window.location, routerMode()), [href]);
}
