import { stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Resolves true once `path` has stopped changing (same size and mtime) for
 * `stableMs`, false when it vanished or `signal` aborted. A file whose mtime
 * is already older than `stableMs` needs one unchanged poll only. Unlike
 * chokidar's awaitWriteFinish, this also covers files found by the initial
 * scan, which may still be mid-upload when watching starts.
 */
export async function waitUntilStable(
  path: string,
  stableMs: number,
  pollMs: number,
  signal: AbortSignal,
): Promise<boolean> {
  let last = await statOrNull(path);
  let unchangedSince = Date.now();
  while (last && !signal.aborted) {
    await sleep(pollMs, undefined, { signal }).catch(() => undefined);
    if (signal.aborted) return false;
    const current = await statOrNull(path);
    if (!current) return false;
    const now = Date.now();
    if (current.size !== last.size || current.mtimeMs !== last.mtimeMs) {
      unchangedSince = now;
    } else if (now - unchangedSince >= stableMs || now - current.mtimeMs >= stableMs) {
      return true;
    }
    last = current;
  }
  return false;
}

async function statOrNull(path: string): Promise<{ size: number; mtimeMs: number } | null> {
  try {
    const { size, mtimeMs } = await stat(path);
    return { size, mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
