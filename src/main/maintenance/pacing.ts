import { setImmediate as nextTurn } from 'node:timers/promises';
import { OperationCancelledError } from './errors';

/**
 * Between two batches: stop if the caller aborted, and give the event loop a
 * turn so capture, HTTP and IPC stay responsive during a long operation.
 */
export async function checkpoint(signal: AbortSignal | undefined, operation: string): Promise<void> {
  if (signal?.aborted) throw new OperationCancelledError(operation);
  await nextTurn();
  if (signal?.aborted) throw new OperationCancelledError(operation);
}

/** Runs `fn` over `items` with at most `limit` in flight (file system calls use libuv's pool). */
export async function mapConcurrent<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
