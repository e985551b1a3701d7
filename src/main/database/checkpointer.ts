import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { defaultLogger, type Logger } from '../logging/logger';
import { workerEntry } from '../worker-entry';
import type { CheckpointTaskData, CheckpointTaskMessage } from './checkpoint-task';
import type { SqliteDatabase } from './connection';

export interface Checkpointer {
  /** Resolves once the thread has its connection open. */
  ready: Promise<void>;
  /** Stops the thread and hands checkpoints back to SQLite. */
  stop(): Promise<void>;
}

export interface CheckpointerOptions {
  /** The database file the main connection has open. */
  file: string;
  nativeBinding?: string;
  intervalMs?: number;
  /** Where the thread's failures are logged (default: defaultLogger()). */
  log?: Logger;
}

/**
 * Moves WAL checkpoints off the write path and off the main thread. SQLite's
 * automatic checkpoint runs inside whichever commit crosses 1,000 pages
 * (queueJob p99 4–10 ms instead of 0.2 ms); a timer on the main thread
 * still blocked its event loop 7–160 ms per checkpoint under heavy writing.
 * A thread with its own connection now does it. Should that thread die,
 * SQLite's automatic checkpoint takes over again, so the WAL never grows
 * unbounded.
 */
export function startCheckpointer(
  db: SqliteDatabase,
  { file, nativeBinding, intervalMs = 2000, log = defaultLogger() }: CheckpointerOptions,
): Checkpointer {
  db.pragma('wal_autocheckpoint = 0');
  const workerData: CheckpointTaskData = { file, nativeBinding, intervalMs };
  const worker = new Worker(new URL(workerEntry('checkpoint-task', import.meta.url)), {
    workerData,
  });
  const exited = once(worker, 'exit');
  // The thread says 'ready' before its first checkpoint, so the first message is always that.
  const ready = once(worker, 'message').then(() => undefined);
  worker.on('message', (message: CheckpointTaskMessage) => {
    if (message !== 'ready') log.warn({ err: message.error }, 'WAL checkpoint failed');
  });
  let stopping = false;
  const restoreAutomatic = () => {
    if (db.open) db.pragma('wal_autocheckpoint = 1000');
  };
  worker.on('error', (error) => log.warn({ err: error }, 'WAL checkpoint thread failed'));
  worker.on('exit', () => {
    if (!stopping) restoreAutomatic();
  });
  return {
    ready,
    async stop() {
      stopping = true;
      worker.postMessage('stop');
      await exited;
      restoreAutomatic();
    },
  };
}
