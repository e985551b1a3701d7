import { useEffect, useRef } from 'react';
import type { CoreEvent } from '../../../shared/contract';
import { useCoreEvents } from './services';

/**
 * Calls `reload` when core events that `matches` accepts arrive, at most once
 * every `minIntervalMs` (a busy capture or a render's progress does not
 * re-read the page for every event).
 */
export function useReloadOn(
  matches: (event: CoreEvent) => boolean,
  reload: () => void,
  minIntervalMs: number,
): void {
  const lastReload = useRef(0);
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(pending.current), []);
  useCoreEvents((event) => {
    if (!matches(event) || pending.current) return;
    const wait = Math.max(0, lastReload.current + minIntervalMs - Date.now());
    pending.current = setTimeout(() => {
      pending.current = undefined;
      lastReload.current = Date.now();
      reload();
    }, wait);
  });
}
