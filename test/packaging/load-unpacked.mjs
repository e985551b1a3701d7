// Run in plain Node under record-loads.mjs: loads what a packaged app runs from
// app.asar.unpacked (both worker entries, each doing real work, and
// better-sqlite3) and prints what they did as JSON.
// Usage: node --import ./record-loads.mjs load-unpacked.mjs <app.asar.unpacked> <work dir>
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

const [unpacked, work] = process.argv.slice(2);
const main = join(unpacked, 'out', 'main');
const frame = join(work, 'frame.jpg');

const { default: runTask } = await import(pathToFileURL(join(main, 'thumbnail-task.js')).href);
const validated = await runTask({ kind: 'validate', input: frame, options: {} });
const rendered = await runTask({
  kind: 'generate',
  job: {
    sourcePath: frame,
    // The worker writes the temp file and renames it into place itself.
    thumbnail: {
      tempPath: join(work, 'thumb.jpg.tmp'),
      path: join(work, 'thumbnails', 'thumb.jpg'),
      quality: 80,
    },
    small: null,
    limitInputPixels: 100_000_000,
  },
});

const checkpointer = new Worker(join(main, 'checkpoint-task.js'), {
  workerData: { file: join(work, 'library.db'), intervalMs: 10 },
});
const [ready] = await once(checkpointer, 'message');
checkpointer.postMessage('stop');
const [exitCode] = await once(checkpointer, 'exit');

const Database = createRequire(join(main, 'index.js'))('better-sqlite3');
const db = new Database(':memory:');
const { sqlite } = db.prepare('select sqlite_version() as sqlite').get();
db.close();

const published = existsSync(join(work, 'thumbnails', 'thumb.jpg'));
console.log(
  JSON.stringify({ validated, rendered, published, checkpoint: { ready, exitCode }, sqlite }),
);
