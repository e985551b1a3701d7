import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { CoreEvent } from '../../src/shared/contract';
import { openDatabase, closeDatabase } from '../../src/main/database/connection';
import { createOperations } from '../../src/main/database/operations';
import { RETRY_DELAYS_MS } from '../../src/main/queue/retry-policy';
import { ThumbnailJobService } from '../../src/main/queue/thumbnail-job-service';
import type { Core } from '../../src/main/core';
import { seedCamera, useTestLibrary } from '../helpers/temp-library';

/** Inserts `n` image rows (no files needed for queue bookkeeping). */
function seedImages(core: Core, n: number): number[] {
  const { camera, timelapse } = seedCamera(core);
  const ids: number[] = [];
  core.db.transaction(() => {
    for (let i = 0; i < n; i++) {
      ids.push(
        core.ops.images.insert({
          timelapse_id: timelapse.id,
          camera_id: camera.id,
          file_path: `f${i}.jpg`,
          captured_at: i,
          day_number: 1,
          clock: '000000',
          seq: i === 0 ? 0 : i + 1,
          file_size: 1,
        }).id,
      );
    }
  })();
  return ids;
}

function fakeClock(start = 1_700_000_000_000) {
  const clock = { t: start, now: () => clock.t };
  return clock;
}

describe('ThumbnailJobService', () => {
  const lib = useTestLibrary();

  it('keeps one live job per image and only ever raises its priority', () => {
    const [a] = seedImages(lib.core, 1);
    const jobs = new ThumbnailJobService(lib.core);
    const first = jobs.queueJob(a!, 'low');
    const second = jobs.queueJob(a!, 'high');
    const third = jobs.queueJob(a!, 'medium');
    expect(second.id).toBe(first.id);
    expect(third.id).toBe(first.id);
    expect(third.priority).toBe('high');
    expect(
      lib.core.db.prepare('SELECT count(*) FROM thumbnail_generation_jobs').pluck().get(),
    ).toBe(1);
  });

  it('claims high → medium → low, then oldest first, bulk jobs two steps down', () => {
    const ids = seedImages(lib.core, 6);
    const clock = fakeClock();
    const jobs = new ThumbnailJobService(lib.core, { now: clock.now });
    const order: [number, 'high' | 'medium' | 'low'][] = [
      [ids[0]!, 'low'],
      [ids[1]!, 'medium'],
      [ids[2]!, 'high'],
      [ids[3]!, 'medium'],
      [ids[4]!, 'high'],
    ];
    for (const [id, priority] of order) {
      jobs.queueJob(id, priority);
      clock.t += 1;
    }
    lib.core.ops.jobs.createJob({ image_id: ids[5]!, priority: 'high', job_type: 'bulk' }, clock.t);
    const claimed = jobs.claimJobs(10).map((j) => j.image_id);
    expect(claimed).toEqual([ids[2], ids[4], ids[1], ids[3], ids[0], ids[5]]);
    expect(jobs.claimJobs(10)).toEqual([]);
  });

  it('never gives one job to two claimers, also across connections', () => {
    const ids = seedImages(lib.core, 200);
    const a = new ThumbnailJobService(lib.core);
    for (const id of ids) a.queueJob(id, 'medium');
    const otherDb = openDatabase(lib.core.tree.databasePath);
    const b = new ThumbnailJobService({ ...lib.core, db: otherDb, ops: createOperations(otherDb) });
    const seen = new Set<number>();
    for (;;) {
      const batch = [...a.claimJobs(7), ...b.claimJobs(5)];
      if (batch.length === 0) break;
      for (const job of batch) {
        expect(seen.has(job.id)).toBe(false);
        seen.add(job.id);
      }
    }
    closeDatabase(otherDb);
    expect(seen.size).toBe(200);
  });

  it('follows the 30 s / 2 min / 5 min backoff, then fails after max retries', () => {
    const [id] = seedImages(lib.core, 1);
    const clock = fakeClock();
    const jobs = new ThumbnailJobService(lib.core, { now: clock.now });
    jobs.queueJob(id!, 'medium');
    for (let attempt = 0; attempt < 3; attempt++) {
      const [job] = jobs.claimJobs(1);
      expect(job?.retry_count).toBe(attempt);
      const outcome = jobs.markJobFailed(job!, 'disk hiccup', false, 5);
      expect(outcome.kind).toBe('retry');
      if (outcome.kind !== 'retry') return;
      expect(outcome.job.next_attempt_at - clock.t).toBe(RETRY_DELAYS_MS[attempt]);
      clock.t += RETRY_DELAYS_MS[attempt]! - 1;
      expect(jobs.claimJobs(1)).toEqual([]); // not due yet
      clock.t += 1;
    }
    expect(RETRY_DELAYS_MS).toEqual([30_000, 120_000, 300_000]);
    const [last] = jobs.claimJobs(1);
    const outcome = jobs.markJobFailed(last!, 'disk hiccup', false, 5);
    expect(outcome.kind).toBe('failed');
    expect(lib.core.ops.jobs.getById(last!.id)).toMatchObject({
      status: 'failed',
      error_message: 'disk hiccup',
      retry_count: 3,
    });
  });

  it('respects thumbnail_max_retries and fails permanent errors at once', () => {
    const [a, b] = seedImages(lib.core, 2);
    lib.core.settings.update({ thumbnail_max_retries: 0 });
    const jobs = new ThumbnailJobService(lib.core);
    jobs.queueJob(a!);
    jobs.queueJob(b!);
    const [ja, jb] = jobs.claimJobs(2);
    expect(jobs.markJobFailed(ja!, 'transient', false, 1).kind).toBe('failed');
    lib.core.settings.update({ thumbnail_max_retries: 3 });
    expect(jobs.markJobFailed(jb!, 'Source file is missing', true, 1).kind).toBe('failed');
    expect(lib.core.ops.jobs.getById(jb!.id)).toMatchObject({ status: 'failed', retry_count: 0 });
  });

  it('recovers a job left processing by a dead process, keeping its retry count', () => {
    const [id] = seedImages(lib.core, 1);
    const jobs = new ThumbnailJobService(lib.core);
    const job = jobs.queueJob(id!);
    lib.core.db
      .prepare(
        `UPDATE thumbnail_generation_jobs SET status = 'processing', retry_count = 2,
           lease_owner = ?, lease_expires_at = ? WHERE id = ?`,
      )
      .run(`${hostname()}|999999999|deadbeef`, Date.now() + 3_600_000, job.id);
    expect(jobs.claimJobs(1)).toEqual([]);
    expect(jobs.recoverAbandonedJobs()).toBe(1);
    const [again] = jobs.claimJobs(1);
    expect(again).toMatchObject({ id: job.id, retry_count: 2, status: 'processing' });
  });

  it('requeues expired leases and ignores the late completion of the old holder', () => {
    const [id] = seedImages(lib.core, 1);
    const clock = fakeClock();
    const first = new ThumbnailJobService(lib.core, { now: clock.now, leaseMs: 1000 });
    const second = new ThumbnailJobService(lib.core, { now: clock.now, leaseMs: 1000 });
    first.queueJob(id!);
    const [job] = first.claimJobs(1);
    clock.t += 1001;
    expect(second.recoverAbandonedJobs()).toBe(1);
    const [taken] = second.claimJobs(1);
    expect(taken?.id).toBe(job!.id);
    expect(first.markJobCompleted(job!, { thumbnail_path: 'late.jpg', thumbnail_size: 1 }, 5)).toBe(
      false,
    );
    expect(lib.core.ops.images.getById(id!)?.thumbnail_path).toBeNull();
    expect(second.markJobCompleted(taken!, { thumbnail_path: 't.jpg', thumbnail_size: 1 }, 5)).toBe(
      true,
    );
    expect(lib.core.ops.images.getById(id!)?.thumbnail_path).toBe('t.jpg');
  });

  it('completes job, image paths and counts in one transaction', () => {
    const [id] = seedImages(lib.core, 1);
    const jobs = new ThumbnailJobService(lib.core);
    jobs.queueJob(id!);
    const [job] = jobs.claimJobs(1);
    expect(
      jobs.markJobCompleted(
        job!,
        { thumbnail_path: 't.jpg', thumbnail_size: 10, small_path: 's.jpg', small_size: 20 },
        42,
      ),
    ).toBe(true);
    expect(lib.core.ops.jobs.getById(job!.id)).toMatchObject({
      status: 'completed',
      processing_time_ms: 42,
    });
    const image = lib.core.ops.images.getById(id!)!;
    expect(image).toMatchObject({ thumbnail_size: 10, small_size: 20 });
    expect(lib.core.ops.timelapses.getById(image.timelapse_id)).toMatchObject({
      thumbnail_count: 1,
      small_count: 1,
    });
  });

  it('cancels waiting jobs, cleans up old finished ones and reports statistics', () => {
    const ids = seedImages(lib.core, 5);
    const clock = fakeClock();
    const jobs = new ThumbnailJobService(lib.core, { now: clock.now });
    for (const id of ids) jobs.queueJob(id, id === ids[0] ? 'high' : 'low');
    const [done] = jobs.claimJobs(1);
    jobs.markJobCompleted(done!, {}, 3);
    const [failed] = jobs.claimJobs(1);
    jobs.markJobFailed(failed!, 'broken', true, 3);
    clock.t += 10_000;
    const stats = jobs.getJobStatistics();
    expect(stats.by_status).toMatchObject({ pending: 3, completed: 1, failed: 1 });
    expect(stats).toMatchObject({
      pending_jobs: 3,
      completed_jobs_24h: 1,
      failed_jobs_24h: 1,
      oldest_pending_age_seconds: 10,
    });
    expect(stats.by_priority).toEqual({ high: 0, medium: 0, low: 3 });
    expect(stats.recent_failures[0]).toMatchObject({
      image_id: failed!.image_id,
      error_message: 'broken',
    });
    expect(jobs.cancelPendingJobs()).toBe(3);
    expect(jobs.getJobStatistics().by_status.cancelled).toBe(3);
    expect(jobs.cleanupCompletedJobs(24)).toBe(0);
    clock.t += 25 * 3_600_000;
    expect(jobs.cleanupCompletedJobs(24)).toBe(5);
  });

  it('success rate and failure counts come from the same 24 h', () => {
    const ids = seedImages(lib.core, 4);
    const clock = fakeClock();
    const jobs = new ThumbnailJobService(lib.core, { now: clock.now });
    for (const id of ids) jobs.queueJob(id, 'medium');
    const claimed = jobs.claimJobs(4);
    jobs.markJobFailed(claimed[0]!, 'broken', true, 3);
    clock.t += 25 * 3_600_000; // that failure is now older than the window
    for (const job of claimed.slice(1, 3)) jobs.markJobCompleted(job, {}, 3);
    jobs.markJobFailed(claimed[3]!, 'broken', true, 3);
    const stats = jobs.getJobStatistics();
    expect(stats).toMatchObject({ completed_jobs_24h: 2, failed_jobs_24h: 1 });
    expect(stats.success_rate_24h).toBeCloseTo(2 / 3);
  });

  it('pauses and resumes the queue for every process: a paused queue gives no claim on any connection', () => {
    const ids = seedImages(lib.core, 3);
    const events: CoreEvent[] = [];
    lib.core.events.subscribe((e) => events.push(e));
    const a = new ThumbnailJobService(lib.core);
    for (const id of ids) a.queueJob(id, 'medium');
    const otherDb = openDatabase(lib.core.tree.databasePath);
    const b = new ThumbnailJobService({ ...lib.core, db: otherDb, ops: createOperations(otherDb) });
    try {
      const paused = b.pauseQueue();
      expect(paused).toMatchObject({
        paused: true,
        paused_by: `${hostname()}, pid ${process.pid}`,
      });
      expect(new Date(paused.paused_at!).getTime()).toBeGreaterThan(Date.now() - 5000);
      expect(a.queueState().paused).toBe(true);
      expect(a.claimJobs(10)).toEqual([]);
      expect(b.claimJobs(10)).toEqual([]);
      expect(a.getJobStatistics()).toMatchObject({ queue: { paused: true }, pending_jobs: 3 });
      expect(a.pauseQueue()).toEqual(paused); // pausing twice keeps the first time
      expect(a.resumeQueue()).toEqual({ paused: false, paused_at: null, paused_by: null });
      expect(b.claimJobs(10)).toHaveLength(3);
      expect(
        events.filter((e) => e.type === 'queue_state').map((e) => 'paused' in e && e.paused),
      ).toEqual([true, false]);
    } finally {
      closeDatabase(otherDb);
    }
  });

  it('lists failed jobs by frame with error and attempts, retries them with fresh attempts, and clears them', () => {
    const ids = seedImages(lib.core, 4);
    const clock = fakeClock();
    const jobs = new ThumbnailJobService(lib.core, { now: clock.now });
    for (const id of ids) jobs.queueJob(id, 'low');
    lib.core.settings.update({ thumbnail_max_retries: 1 });
    for (const job of jobs.claimJobs(4)) jobs.markJobFailed(job, 'temporary glitch', false, 3);
    clock.t += 60_000;
    for (const job of jobs.claimJobs(4))
      jobs.markJobFailed(job, `Input file is missing: f${job.image_id}.jpg`, false, 3);
    const page = jobs.listFailedJobs(3);
    const image = lib.core.ops.images.getById(ids[3]!)!;
    expect(page.total).toBe(4);
    expect(page.jobs).toHaveLength(3);
    expect(page.jobs[0]).toEqual({
      job_id: expect.any(Number),
      image_id: ids[3],
      camera_id: image.camera_id,
      camera_name: 'Cam',
      timelapse_id: image.timelapse_id,
      timelapse_name: 'Cam session',
      captured_at: new Date(image.captured_at).toISOString(),
      file_path: image.file_path,
      error_message: `Input file is missing: f${ids[3]}.jpg`,
      attempts: 2,
      failed_at: new Date(clock.t).toISOString(),
    });
    const rest = jobs.listFailedJobs(3, page.next_before_id);
    expect(rest).toMatchObject({ total: 4, next_before_id: null });
    expect(rest.jobs.map((j) => j.image_id)).toEqual([ids[0]]);

    // One image got a new live job meanwhile: its failed job is superseded, not requeued twice.
    jobs.queueJob(ids[1]!, 'medium');
    expect(jobs.retryFailedJobs([page.jobs[0]!.job_id, page.jobs[2]!.job_id])).toEqual({
      requeued: 1,
      superseded: 1,
    });
    const requeued = lib.core.ops.jobs.getById(page.jobs[0]!.job_id)!;
    expect(requeued).toMatchObject({
      status: 'pending',
      priority: 'high',
      retry_count: 0,
      error_message: null,
      next_attempt_at: clock.t,
    });
    expect(jobs.listFailedJobs().jobs.map((j) => j.image_id)).toEqual([ids[2], ids[0]]);
    expect(jobs.clearFailedJobs()).toBe(2);
    expect(jobs.listFailedJobs()).toEqual({ total: 0, jobs: [], next_before_id: null });
    expect(jobs.getJobStatistics().failed_jobs_24h).toBe(0);
  });

  it('gives each priority its ETA: the jobs claimed before its last one at the measured throughput', () => {
    const ids = seedImages(lib.core, 10);
    let throughput: number | null = null;
    const jobs = new ThumbnailJobService(lib.core, { throughput: () => throughput });
    ids.slice(0, 2).forEach((id) => jobs.queueJob(id, 'high'));
    ids.slice(2, 5).forEach((id) => jobs.queueJob(id, 'medium'));
    // A regeneration's bulk jobs are high but claimed after every medium and low single job.
    ids
      .slice(5, 9)
      .forEach((id) =>
        lib.core.ops.jobs.createJob({ image_id: id, priority: 'high', job_type: 'bulk' }),
      );
    expect(jobs.getJobStatistics().priorities).toEqual([
      { priority: 'high', waiting: 6, eta_seconds: null },
      { priority: 'medium', waiting: 3, eta_seconds: null },
      { priority: 'low', waiting: 0, eta_seconds: 0 },
    ]);
    throughput = 2;
    expect(jobs.getJobStatistics().priorities).toEqual([
      { priority: 'high', waiting: 6, eta_seconds: Math.ceil(9 / 2) },
      { priority: 'medium', waiting: 3, eta_seconds: Math.ceil(5 / 2) },
      { priority: 'low', waiting: 0, eta_seconds: 0 },
    ]);
    expect(jobs.getJobStatistics().throughput_per_second).toBe(2);
    jobs.pauseQueue();
    expect(jobs.getJobStatistics().priorities.map((p) => p.eta_seconds)).toEqual([null, null, 0]);
  });

  it('queues after capture only when thumbnails are on globally and for the camera', () => {
    const [id] = seedImages(lib.core, 1);
    const jobs = new ThumbnailJobService(lib.core);
    const events: CoreEvent[] = [];
    lib.core.events.subscribe((e) => events.push(e));
    expect(jobs.queueAfterCapture({ id: id! }, { generate_thumbnails: 0 })).toBeNull();
    lib.core.settings.update({ generate_thumbnails: false });
    expect(jobs.queueAfterCapture({ id: id! }, { generate_thumbnails: 1 })).toBeNull();
    lib.core.settings.update({ generate_thumbnails: true });
    expect(jobs.queueAfterCapture({ id: id! }, { generate_thumbnails: 1 })?.priority).toBe(
      'medium',
    );
    expect(jobs.queueAfterCapture({ id: 987654 }, { generate_thumbnails: 1 })).toBeNull(); // FK error swallowed
    expect(events.filter((e) => e.type === 'jobs_queued')).toHaveLength(1);
  });
});
