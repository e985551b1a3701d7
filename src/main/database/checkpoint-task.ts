import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

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

const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    console.warn('WAL checkpoint failed:', error);
  }
}, intervalMs);

parentPort!.postMessage('ready');
parentPort!.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort!.close();
});
