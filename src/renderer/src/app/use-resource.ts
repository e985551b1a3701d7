import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../api/transport';

export interface Resource<T> {
  data: T | null;
  error: string | null;
  reload(): void;
}

/** Loads once per key, again on reload() and, with `everyMs`, on a timer while the page is visible. */
export function useResource<T>(load: () => Promise<T>, key: unknown, everyMs?: number): Resource<T> {
  const [state, setState] = useState<{ data: T | null; error: string | null }>({ data: null, error: null });
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  useEffect(() => {
    let live = true;
    load().then(
      (data) => live && setState({ data, error: null }),
      (error: unknown) => live && setState((current) => ({ data: current.data, error: errorMessage(error) })),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` names what `load` reads
  }, [key, generation]);

  useEffect(() => {
    if (!everyMs) return;
    const timer = setInterval(() => document.visibilityState !== 'hidden' && reload(), everyMs);
    return () => clearInterval(timer);
  }, [everyMs, reload]);

  return { ...state, reload };
}
