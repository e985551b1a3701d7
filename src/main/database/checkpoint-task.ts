import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { isDiskFullError } from '../errors';

/** What the thread tells the main thread besides 'ready'. */
export type CheckpointTaskMessage = { type: 'disk_full'; error: string };

/** What the checkpointer hands its thread. */
export interface CheckpointTaskData {
  file: string;
  nativeBinding?: string;
  intervalMs: number;
}

/**
 * Checkpoint thread (built to out/main/checkpoint-task.js): its own
 * connection copies WAL frames into the database file on a timer, so that
 * work, tens of milliseconds under heavy writing, never runs on the main
 * thread. PASSIVE waits for no one, and writers never wait for it. Says
 * 'ready' once its connection is open; stops on 'stop', closing it first.
 */
const { file, nativeBinding, intervalMs } = workerData as CheckpointTaskData;
const db = new Database(file, nativeBinding ? { nativeBinding } : {});
db.pragma('wal_autocheckpoint = 0');

// A failing checkpoint (a full disk: the database file cannot grow) is retried
// on every tick, logged once per run of failures, and a full disk is told to
// the main thread, whose free-space guard pauses the writers.
let failing = false;
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    failing = false;
  } catch (error) {
    if (isDiskFullError(error)) {
      const message: CheckpointTaskMessage = { type: 'disk_full', error: (error as Error).message };
      parentPort!.postMessage(message);
    }
    if (!failing) console.warn('WAL checkpoint failed (retrying):', error);
    failing = true;
  }
}, intervalMs);

parentPort!.postMessage('ready');
parentPort!.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort!.close();
});
