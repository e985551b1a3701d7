import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

/** What the checkpointer hands its thread. */
export interface CheckpointTaskData {
  file: string;
  nativeBinding?: string;
  intervalMs: number;
}

/**
 * What the thread tells the checkpointer: 'ready' once, then any failed
 * checkpoint (logged by the main thread; this bundle stays free of the logger).
 */
export type CheckpointTaskMessage =
  | 'ready'
  | {
      type: 'checkpoint-failed';
      error: { name: string; message: string; code?: string; stack?: string };
    };

/**
 * Checkpoint thread (built to out/main/checkpoint-task.js): its own
 * connection copies WAL frames into the database file on a timer, so that
 * work, tens of milliseconds under heavy writing, never runs on the main
 * thread. PASSIVE waits for no one, and writers never wait for it. Says
 * 'ready' once its connection is open and posts each failed checkpoint to
 * the main thread, which logs it; stops on 'stop', closing it first.
 */
const { file, nativeBinding, intervalMs } = workerData as CheckpointTaskData;
const db = new Database(file, nativeBinding ? { nativeBinding } : {});
db.pragma('wal_autocheckpoint = 0');

const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort!.postMessage(failure(error));
  }
}, intervalMs);

parentPort!.postMessage('ready' satisfies CheckpointTaskMessage);
parentPort!.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort!.close();
});

/** A failed checkpoint as plain data (better-sqlite3 throws SqliteError: name, message, code). */
function failure(error: unknown): CheckpointTaskMessage {
  const { name, message, stack, code } = error as Error & { code?: string };
  return { type: 'checkpoint-failed', error: { name, message, code, stack } };
}
