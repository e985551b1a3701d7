import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../api/transport';
import { useReconnect } from './services';

export interface Resource<T> {
  data: T | null;
  error: string | null;
  /** A load is on its way (the first, a reload or a retry). */
  loading: boolean;
  reload(): void;
}

export interface ResourceOptions {
  /** Reload on a timer while the page is visible. */
  everyMs?: number;
  /** First pause before a failed load is tried again; it doubles up to 15 s. */
  retryMs?: number;
}

const MAX_RETRY_MS = 15_000;

/**
 * Loads once per key, again on reload(), on a timer with `everyMs`, when the
 * connection to the core comes back, and after a failure by itself with a
 * growing pause: a screen opened while the server was away fills in once it
 * is back, without a reload of the page. The last data stays shown meanwhile.
 */
export function useResource<T>(
  load: () => Promise<T>,
  key: unknown,
  { everyMs, retryMs = 2000 }: ResourceOptions = {},
): Resource<T> {
  const [generation, setGeneration] = useState(0);
  const [failures, setFailures] = useState(0);
  // What the data on screen answers; a load is on its way while it is not the current key and generation.
  const [state, setState] = useState<{
    data: T | null;
    error: string | null;
    settled: { key: unknown; generation: number } | null;
  }>({ data: null, error: null, settled: null });
  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  useEffect(() => {
    let live = true;
    const settled = { key, generation };
    load().then(
      (data) => {
        if (!live) return;
        setState({ data, error: null, settled });
        setFailures(0);
      },
      (error: unknown) => {
        if (!live) return;
        setState((current) => ({ data: current.data, error: errorMessage(error), settled }));
        setFailures((n) => n + 1);
      },
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` names what `load` reads
  }, [key, generation]);

  useEffect(() => {
    if (failures === 0) return;
    const timer = setTimeout(reload, Math.min(retryMs * 2 ** (failures - 1), MAX_RETRY_MS));
    return () => clearTimeout(timer);
  }, [failures, retryMs, reload]);

  useEffect(() => {
    if (!everyMs) return;
    const timer = setInterval(() => document.visibilityState !== 'hidden' && reload(), everyMs);
    return () => clearInterval(timer);
  }, [everyMs, reload]);

  useReconnect(reload);

  const loading = state.settled?.key !== key || state.settled?.generation !== generation;
  return { data: state.data, error: state.error, loading, reload };
}
