import { lazy, type ComponentType } from 'react';

/**
 * React.lazy for a screen, with retries: React keeps a failed import for good,
 * so a screen first opened while the server was down would stay broken until a
 * reload. The import is tried again with a growing pause (the Suspense
 * fallback shows meanwhile) until the server answers again.
 */
export function lazyScreen<T extends ComponentType<Record<string, never>>>(
  load: () => Promise<{ default: T }>,
  { firstDelayMs = 500, maxDelayMs = 5000 } = {},
) {
  return lazy(async () => {
    for (let delay = firstDelayMs; ; delay = Math.min(delay * 2, maxDelayMs)) {
      try {
        return await load();
      } catch {
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  });
}
