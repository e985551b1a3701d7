// npm run bench:memory — the server's resident memory under two loads that used to
// blow it up, each measured in a child process (its peak RSS, VmHWM, reset before
// the load) against a baseline measured in the same run. Printed, not asserted.
// Target: peak RSS < 400 MB in every loaded phase.
//
// 1. 100 concurrent GET /api/images/batch?size=small for 200 ids (~20 MB of inline
//    smalls each), from one client address and from 100 addresses (127.0.0.x):
//    with the default batch limits, and with the limits lifted (streaming alone).
//    Baseline: the same server after one batch.
// 2. A sparse 1.5 GB file that starts (and ends) as a JPEG, through folder import
//    and through a watch-folder camera: refused as too_large, unread.
//    Baseline: the same import of one ordinary frame.
// Flags: --concurrency N (100), --json
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { startHttpServer } from '../src/main/adapters/http/server';
import { createApi } from '../src/main/api';
import { openCore, type Core } from '../src/main/core';
import { clockOf } from '../src/main/files/names';
import { sparseJpeg } from '../test/helpers/images';
import { cameraLikeJpeg } from '../test/helpers/temp-library';

const { values } = parseArgs({
  options: {
    concurrency: { type: 'string', default: '100' },
    json: { type: 'boolean', default: false },
    // Child roles (the bench runs itself in a child process to measure that process alone).
    role: { type: 'string' },
    data: { type: 'string' },
    folder: { type: 'string' },
    caps: { type: 'string' },
  },
});
const CONCURRENCY = Number(values.concurrency);
// The libraries' info lines (here and in the children) would bury the figures; warnings still show.
process.env.TIMELAPSER_LOG_LEVEL ??= 'warn';
const BATCH_IDS = 200;
const HUGE_BYTES = 1.5 * 1024 ** 3;
const TARGET_MB = 400;

const mb = (kb: number) => Math.round(kb / 102.4) / 10;

/** VmRSS and VmHWM (peak) of a process, in MB. */
function memoryOf(pid: number | 'self'): { rss_mb: number; peak_mb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss_mb: mb(field('VmRSS')), peak_mb: mb(field('VmHWM')) };
}

/** Resets a process's peak RSS to its current RSS (Linux: 5 > clear_refs). */
function resetPeak(pid: number | 'self'): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

// ---------------------------------------------------------------- child roles

/** The HTTP server over a library, as `timelapser serve` runs it; prints its port, serves until killed. */
async function serveRole(): Promise<void> {
  const core = await openCore({ dataRoot: values.data!, poolSize: 1 });
  const lifted = values.caps === 'off' ? { total: 10_000, perClient: 10_000 } : undefined;
  const server = await startHttpServer({
    api: createApi(core),
    events: core.events,
    port: 0,
    rendererDir: null,
    batchLimits: lifted,
    rateLimits: { bulk: { max: 100_000, timeWindowMs: 60_000 } },
  });
  console.log(JSON.stringify({ port: server.port }));
}

/** One import (or a watch-folder camera taking the folder), then its peak RSS. */
async function ingestRole(kind: 'import' | 'watch'): Promise<void> {
  const core = await openCore({ dataRoot: values.data!, poolSize: 1 });
  resetPeak('self');
  let outcome: unknown;
  if (kind === 'import') {
    const result = await core.importFolder({ folder: values.folder!, cameraName: 'Bench import' });
    outcome = { imported: result.imported, rejected: result.rejected };
  } else {
    const camera = core.cameras.create({
      name: 'Bench drop',
      source_type: 'folder',
      source_url: values.folder!,
      source_options: { stable_ms: 200 },
      capture_interval_s: 1,
    });
    core.timelapses.start(camera.id);
    const failure = new Promise<string>((resolve) =>
      core.events.on('capture_failed', (event) => resolve(event.error)),
    );
    core.capture.start();
    outcome = { capture_failed: await failure };
  }
  const memory = memoryOf('self');
  await core.close();
  console.log(JSON.stringify({ outcome, ...memory }));
}

// ---------------------------------------------------------------- the parent

function child(args: string[]): {
  process: ChildProcess;
  firstLine: Promise<Record<string, unknown>>;
} {
  const proc = spawn(process.execPath, ['--import', 'tsx', import.meta.filename, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const firstLine = new Promise<Record<string, unknown>>((resolve, reject) => {
    createInterface({ input: proc.stdout! }).once('line', (line) =>
      resolve(JSON.parse(line) as Record<string, unknown>),
    );
    proc.once('exit', (code) => reject(new Error(`child ${args.join(' ')} exited with ${code}`)));
  });
  return { process: proc, firstLine };
}

/** A library of 200 frames, each with an 800×600 small (20 distinct files), made in this process. */
async function seedBatchLibrary(root: string): Promise<number[]> {
  const core: Core = await openCore({ dataRoot: root, poolSize: 1 });
  const camera = core.ops.cameras.create({ name: 'Yard', source_type: 'demo', enabled: false });
  const timelapse = core.ops.timelapses.create(camera.id, 'Yard session', Date.UTC(2026, 0, 2));
  core.tree.ensureTimelapseDirs(camera.id, timelapse.id);
  const frame = await cameraLikeJpeg(320, 240, 1);
  const smalls = await Promise.all(
    Array.from({ length: 20 }, (_, i) => cameraLikeJpeg(800, 600, i + 2)),
  );
  const ids: number[] = [];
  for (let i = 0; i < BATCH_IDS; i++) {
    const at = new Date(Date.UTC(2026, 0, 2, 10, Math.floor(i / 60), i % 60));
    const key = { timelapseId: timelapse.id, day: 1, clock: clockOf(at), seq: 0 };
    const framePath = core.tree.filePath(camera.id, timelapse.id, 'frame', key);
    writeFileSync(core.tree.resolve(framePath), frame);
    const image = core.ops.images.insert({
      timelapse_id: timelapse.id,
      camera_id: camera.id,
      file_path: framePath,
      captured_at: at.getTime(),
      day_number: 1,
      clock: key.clock,
      seq: 0,
      file_size: frame.length,
    });
    const smallPath = core.tree.filePath(camera.id, timelapse.id, 'small', key);
    const bytes = smalls[i % smalls.length]!;
    writeFileSync(core.tree.resolve(smallPath), bytes);
    core.ops.images.setSmallPath(image.id, smallPath, bytes.length);
    ids.push(image.id);
  }
  await core.close();
  return ids;
}

/** One batch request from `localAddress`, read to the end: its status and body size. */
function batch(
  port: number,
  path: string,
  localAddress: string,
): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, localAddress, agent: false }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode!, bytes }));
    }).on('error', reject);
  });
}

interface LoadFigures {
  statuses: Record<string, number>;
  response_mb: number;
  idle_rss_mb: number;
  peak_rss_mb: number;
  peak_vs_idle: number;
}

async function batchLoad(
  root: string,
  ids: number[],
  caps: 'on' | 'off',
  clients: 'one' | 'many',
): Promise<LoadFigures> {
  const server = child(['--role', 'serve', '--data', root, '--caps', caps]);
  const { port } = (await server.firstLine) as { port: number };
  const pid = server.process.pid!;
  const path = `/api/images/batch?ids=${ids.join(',')}&size=small`;
  const warm = await batch(port, path, '127.0.0.1'); // the baseline: a server that has sent one batch
  const idle = memoryOf(pid);
  resetPeak(pid);
  const replies = await Promise.all(
    Array.from({ length: CONCURRENCY }, (_, i) =>
      batch(port, path, clients === 'one' ? '127.0.0.1' : `127.0.0.${(i % 250) + 2}`),
    ),
  );
  const loaded = memoryOf(pid);
  server.process.kill();
  const statuses: Record<string, number> = {};
  for (const { status } of replies) statuses[status] = (statuses[status] ?? 0) + 1;
  return {
    statuses,
    response_mb: Math.round(warm.bytes / 1e5) / 10,
    idle_rss_mb: idle.rss_mb,
    peak_rss_mb: loaded.peak_mb,
    peak_vs_idle: Math.round((loaded.peak_mb / idle.rss_mb) * 100) / 100,
  };
}

async function ingestLoad(kind: 'import' | 'watch', files: 'huge' | 'ordinary') {
  const root = mkdtempSync(join(tmpdir(), 'timelapser-bench-memory-'));
  const folder = mkdtempSync(join(tmpdir(), 'timelapser-bench-inbox-'));
  try {
    if (files === 'huge') await sparseJpeg(join(folder, 'huge.jpg'), HUGE_BYTES);
    else writeFileSync(join(folder, 'ordinary.jpg'), await cameraLikeJpeg(1920, 1080, 9));
    if (kind === 'watch' && files === 'ordinary')
      throw new Error('the watch phase runs on the huge file only');
    const run = child(['--role', kind, '--data', root, '--folder', folder]);
    return (await run.firstLine) as { outcome: unknown; rss_mb: number; peak_mb: number };
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(folder, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (values.role === 'serve') return serveRole();
  if (values.role === 'import' || values.role === 'watch') return ingestRole(values.role);

  const root = mkdtempSync(join(tmpdir(), 'timelapser-bench-batch-'));
  let figures;
  try {
    const ids = await seedBatchLibrary(root);
    const batches = {
      capped_one_client: await batchLoad(root, ids, 'on', 'one'),
      capped_many_clients: await batchLoad(root, ids, 'on', 'many'),
      uncapped_many_clients: await batchLoad(root, ids, 'off', 'many'),
    };
    const baselineImport = await ingestLoad('import', 'ordinary');
    const hugeImport = await ingestLoad('import', 'huge');
    const hugeWatch = await ingestLoad('watch', 'huge');
    figures = { batches, baselineImport, hugeImport, hugeWatch };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }

  const { batches, baselineImport, hugeImport, hugeWatch } = figures;
  console.log(
    `${CONCURRENCY} concurrent batches of ${BATCH_IDS} smalls (${batches.capped_one_client.response_mb} MB each):`,
  );
  for (const [name, load] of Object.entries(batches)) {
    console.log(
      `  ${name.padEnd(24)} idle ${String(load.idle_rss_mb).padStart(6)} MB  peak ${String(load.peak_rss_mb).padStart(6)} MB  ${String(load.peak_vs_idle).padStart(5)}× idle  answers ${JSON.stringify(load.statuses)}`,
    );
  }
  console.log(
    `a sparse 1.5 GB file that starts as a JPEG (peak RSS of the process from open to refusal):`,
  );
  console.log(
    `  import, one ordinary 1080p frame (baseline)  peak ${baselineImport.peak_mb} MB  ${JSON.stringify(baselineImport.outcome)}`,
  );
  console.log(
    `  import, the 1.5 GB file                      peak ${hugeImport.peak_mb} MB  ${Math.round((hugeImport.peak_mb / baselineImport.peak_mb) * 100) / 100}× baseline  ${JSON.stringify(hugeImport.outcome)}`,
  );
  console.log(
    `  watch folder, the 1.5 GB file                peak ${hugeWatch.peak_mb} MB  ${Math.round((hugeWatch.peak_mb / baselineImport.peak_mb) * 100) / 100}× baseline  ${JSON.stringify(hugeWatch.outcome)}`,
  );
  const loaded = [
    batches.capped_one_client.peak_rss_mb,
    batches.capped_many_clients.peak_rss_mb,
    hugeImport.peak_mb,
    hugeWatch.peak_mb,
  ];
  const met = loaded.every((peak) => peak < TARGET_MB);
  console.log(
    `target peak RSS < ${TARGET_MB} MB with the default limits: ${met ? 'met' : 'MISSED'}`,
  );
  if (values.json)
    console.log(
      JSON.stringify({
        concurrency: CONCURRENCY,
        ...figures,
        target_mb: TARGET_MB,
        target_met: met,
      }),
    );
}

await main();
