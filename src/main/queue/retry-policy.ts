/** The spec's backoff: 30 s, 2 min, 5 min between attempts. */
export const RETRY_DELAYS_MS: readonly number[] = [30_000, 120_000, 300_000];

export type FailureDecision = { kind: 'failed' } | { kind: 'retry'; delayMs: number };

/**
 * What to do with a failed attempt: errors that can never succeed fail at once;
 * others retry until `maxRetries` retries have been spent.
 */
export function decideFailure(retryCount: number, maxRetries: number, permanent: boolean): FailureDecision {
  if (permanent || retryCount >= maxRetries) return { kind: 'failed' };
  return { kind: 'retry', delayMs: RETRY_DELAYS_MS[Math.min(retryCount, RETRY_DELAYS_MS.length - 1)]! };
}
