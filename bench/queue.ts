// npm run bench:queue — the job queue's targets, printed (not asserted):
//  1. queueJob p99 with 100,000 jobs pending (target < 1 ms)
//  2. capture → thumbnail on disk and in the database, 1080p, idle (target p99 < 500 ms)
//  3. during a 10,000-image regeneration: capture-path queueJob p99 (< 2 ms) and
//     capture → thumbnail latency of new frames (< 2 s): bulk jobs rank below captures.
// Flags: --pending N (100000), --regen N (10000), --frames N (40), --json
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openCore, type Core } from '../src/main/core';
import { writeTransaction } from '../src/main/database/connection';
import { cameraLikeJpeg, seedCamera, seedFrame } from '../test/helpers/temp-library';

const { values } = parseArgs({
  options: {
    pending: { type: 'string', default: '100000' },
    regen: { type: 'string', default: '10000' },
    frames: { type: 'string', default: '40' },
    json: { type: 'boolean', default: false },
  },
});
const PENDING = Number(values.pending);
const REGEN = Number(values.regen);
const FRAMES = Number(values.frames);

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
}

function insertRows(
  core: Core,
  cameraId: number,
  timelapseId: number,
  n: number,
  firstSeq: number,
): void {
  writeTransaction(core.db, () => {
    for (let i = 0; i < n; i++) {
      core.ops.images.insert({
        timelapse_id: timelapseId,
        camera_id: cameraId,
        file_path: `cameras/camera-${cameraId}/timelapse-${timelapseId}/frames/x${i}.jpg`,
        captured_at: i,
        day_number: 1,
        clock: '000000',
        seq: firstSeq + i,
        file_size: 1,
      });
    }
  });
}

/** 1. queueJob latency with a deep queue. */
async function queueLatency(): Promise<{ p50: number; p99: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-queue-'));
  const core = await openCore({ dataRoot: dir });
  try {
    const { camera, timelapse } = seedCamera(core);
    insertRows(core, camera.id, timelapse.id, PENDING + 10_000, 2);
    for (let after = 0; ;) {
      const { lastId } = writeTransaction(core.db, () =>
        core.ops.jobs.createBulkJobs(
          { timelapseId: null, missing: null },
          { priority: 'low' },
          after,
          20_000,
        ),
      );
      if (lastId === null || lastId >= PENDING) break;
      after = lastId;
    }
    core.db.prepare('DELETE FROM thumbnail_generation_jobs WHERE image_id > ?').run(PENDING);
    const samples: number[] = [];
    for (let id = PENDING + 1; id <= PENDING + 10_000; id++) {
      const t0 = performance.now();
      core.jobs.queueJob(id, 'medium');
      samples.push(performance.now() - t0);
    }
    return { p50: percentile(samples, 0.5), p99: percentile(samples, 0.99) };
  } finally {
    await core.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Captures `count` 1080p frames one by one; answers capture → thumbnails_ready latencies. */
async function captureLatencies(
  core: Core,
  cameraId: number,
  timelapseId: number,
  count: number,
  gapMs: number,
) {
  const jpeg = await cameraLikeJpeg(1920, 1080, 3, 90);
  const camera = core.ops.cameras.getById(cameraId)!;
  const latencies: number[] = [];
  const queueTimes: number[] = [];
  const base = Date.now();
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const ready = new Promise<void>((resolve) => {
      const off = core.events.on('thumbnails_ready', (event) => {
        if (event.image_id === imageId) {
          off();
          resolve();
        }
      });
    });
    let imageId = -1;
    const frame = await seedFrame(core, cameraId, timelapseId, new Date(base + i * 1000), jpeg);
    imageId = frame.image.id;
    const q0 = performance.now();
    core.jobs.queueAfterCapture(frame.image, camera);
    queueTimes.push(performance.now() - q0);
    await ready;
    latencies.push(performance.now() - started);
    if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
  }
  return { latencies, queueTimes };
}

async function captureIdle() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-capture-'));
  const core = await openCore({ dataRoot: dir });
  try {
    core.worker.start();
    const { camera, timelapse } = seedCamera(core);
    await captureLatencies(core, camera.id, timelapse.id, 3, 0); // warm the pool
    const { latencies } = await captureLatencies(core, camera.id, timelapse.id, FRAMES, 50);
    return { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
  } finally {
    await core.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function captureDuringRegeneration() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-regen-'));
  const core = await openCore({ dataRoot: dir });
  try {
    const bulk = seedCamera(core, 'Bulk');
    const jpeg = await cameraLikeJpeg(1280, 720, 5, 90);
    for (let i = 0; i < REGEN; i++)
      await seedFrame(
        core,
        bulk.camera.id,
        bulk.timelapse.id,
        new Date(2025, 0, 1, 0, 0, i % 60),
        jpeg,
      );
    writeTransaction(core.db, () =>
      core.ops.jobs.createBulkJobs(
        { timelapseId: null, missing: null },
        { priority: 'high', job_type: 'bulk' },
        0,
        REGEN,
      ),
    );
    const live = seedCamera(core, 'Live');
    core.worker.start();
    await new Promise((r) => setTimeout(r, 2000)); // let the regeneration saturate the pool
    const { latencies, queueTimes } = await captureLatencies(
      core,
      live.camera.id,
      live.timelapse.id,
      FRAMES,
      200,
    );
    const remaining = core.jobs.getJobStatistics().pending_jobs;
    return {
      queue_p99: percentile(queueTimes, 0.99),
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      bulk_still_pending: remaining,
    };
  } finally {
    await core.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const queue = await queueLatency();
console.log(
  `queueJob with ${PENDING} pending: p50 ${queue.p50.toFixed(3)} ms, p99 ${queue.p99.toFixed(3)} ms (target p99 < 1 ms)`,
);
const idle = await captureIdle();
console.log(
  `capture → thumbnail, 1080p, idle: p50 ${idle.p50.toFixed(0)} ms, p99 ${idle.p99.toFixed(0)} ms (target p99 < 500 ms)`,
);
const busy = await captureDuringRegeneration();
console.log(
  `during a ${REGEN}-image regeneration: queueJob p99 ${busy.queue_p99.toFixed(3)} ms (target < 2 ms); ` +
    `capture → thumbnail p50 ${busy.p50.toFixed(0)} ms, p99 ${busy.p99.toFixed(0)} ms (target < 2000 ms); ` +
    `${busy.bulk_still_pending} bulk jobs still waiting, so the regeneration was running throughout`,
);
if (values.json) {
  console.log(
    JSON.stringify({
      queue_job_p50_ms: queue.p50,
      queue_job_p99_ms: queue.p99,
      capture_to_thumbnail_idle_p50_ms: idle.p50,
      capture_to_thumbnail_idle_p99_ms: idle.p99,
      queue_job_during_regen_p99_ms: busy.queue_p99,
      capture_to_thumbnail_during_regen_p50_ms: busy.p50,
      capture_to_thumbnail_during_regen_p99_ms: busy.p99,
      regen_jobs_still_pending: busy.bulk_still_pending,
    }),
  );
}
