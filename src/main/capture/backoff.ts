export interface BackoffOptions {
  /** First retry delay; doubles per consecutive failure. */
  baseMs?: number;
  /** Longest delay (a camera slower than this retries at its own interval). */
  maxMs?: number;
}

export const DEFAULT_BACKOFF: Required<BackoffOptions> = { baseMs: 5_000, maxMs: 300_000 };

/**
 * Delay before the next attempt after `failures` consecutive failures: doubling
 * from baseMs, never more often than the camera's interval, capped at maxMs
 * (or the interval, if that is longer).
 */
export function backoffDelayMs(
  failures: number,
  intervalMs: number,
  options: BackoffOptions = {},
): number {
  const { baseMs, maxMs } = { ...DEFAULT_BACKOFF, ...options };
  const doubled = baseMs * 2 ** Math.min(Math.max(failures - 1, 0), 30);
  return Math.min(Math.max(doubled, intervalMs), Math.max(maxMs, intervalMs));
}
