import { useEffect, useRef } from 'react';
import type { CoreEvent } from '../../../shared/contract';
import { useCoreEvents } from './services';

/** Calls `reload` after core events that `matches`, at most once per `minGapMs` (a burst makes one reload). */
export function useEventReload(
  matches: (event: CoreEvent) => boolean,
  reload: () => void,
  minGapMs = 2000,
): void {
  const lastReload = useRef(0);
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(pending.current), []);
  useCoreEvents((event) => {
    if (!matches(event) || pending.current) return;
    const wait = Math.max(0, lastReload.current + minGapMs - Date.now());
    pending.current = setTimeout(() => {
      pending.current = undefined;
      lastReload.current = Date.now();
      reload();
    }, wait);
  });
}
