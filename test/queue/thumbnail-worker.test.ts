import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { CoreEvent } from '../../src/shared/contract';
import type { Core } from '../../src/main/core';
import { seedCamera, seedFrame, useTestLibrary } from '../helpers/temp-library';

/** Resolves with the events up to and including the first that matches. */
function waitFor(
  core: Core,
  match: (e: CoreEvent) => boolean,
  log: CoreEvent[] = [],
): Promise<CoreEvent[]> {
  return new Promise((resolve) => {
    const off = core.events.subscribe((event) => {
      log.push(event);
      if (match(event)) {
        off();
        resolve(log);
      }
    });
  });
}

const ready = (imageId: number) => (e: CoreEvent) =>
  (e.type === 'thumbnails_ready' || e.type === 'job_failed') &&
  'image_id' in e &&
  e.image_id === imageId;

async function captureAndWait(core: Core, cameraId: number, timelapseId: number, at: Date) {
  const frame = await seedFrame(core, cameraId, timelapseId, at);
  const done = waitFor(core, ready(frame.image.id));
  core.jobs.queueAfterCapture(frame.image, core.ops.cameras.getById(cameraId)!);
  const events = await done;
  return { frame, events, image: core.ops.images.getById(frame.image.id)! };
}

describe('ThumbnailWorker', () => {
  const lib = useTestLibrary();

  it("picks a queued job up at once and emits the job's event sequence", async () => {
    const { core } = lib;
    core.settings.update({ thumbnail_worker_interval: 3600 }); // the fallback tick cannot be what runs it
    core.worker.start();
    const { camera, timelapse } = seedCamera(core);
    const { events, image } = await captureAndWait(
      core,
      camera.id,
      timelapse.id,
      new Date(2025, 0, 1, 12, 0, 0),
    );
    const types = events.map((e) => e.type).filter((t) => t !== 'queue_depth');
    expect(types).toEqual(['jobs_queued', 'job_started', 'job_completed', 'thumbnails_ready']);
    const readyEvent = events.at(-1) as Extract<CoreEvent, { type: 'thumbnails_ready' }>;
    expect(readyEvent).toMatchObject({
      image_id: image.id,
      camera_id: camera.id,
      has_thumbnail: true,
      has_small: true,
    });
    const thumb = await sharp(core.tree.resolve(image.thumbnail_path!)).metadata();
    const small = await sharp(core.tree.resolve(image.small_path!)).metadata();
    expect([thumb.width, thumb.height]).toEqual([200, 150]);
    expect([small.width, small.height]).toEqual([320, 240]); // never enlarged
    expect(image.thumbnail_size).toBe(statSync(core.tree.resolve(image.thumbnail_path!)).size);
    expect(core.ops.timelapses.getById(timelapse.id)).toMatchObject({
      thumbnail_count: 1,
      small_count: 1,
    });
    expect(core.ops.jobs.getJobsByStatus('completed', 5)).toHaveLength(1);
  });

  it('is idempotent: running a job twice leaves the same files, paths and counts', async () => {
    const { core } = lib;
    core.worker.start();
    const { camera, timelapse } = seedCamera(core);
    const { image } = await captureAndWait(
      core,
      camera.id,
      timelapse.id,
      new Date(2025, 0, 1, 12, 0, 0),
    );
    const filesBefore = readdirSync(
      core.tree.resolve(core.tree.kindDir(camera.id, timelapse.id, 'thumbnail')),
    );
    const again = waitFor(core, ready(image.id));
    core.jobs.queueJob(image.id, 'high', { force: true });
    await again;
    const after = core.ops.images.getById(image.id)!;
    expect(after).toMatchObject({
      thumbnail_path: image.thumbnail_path,
      small_path: image.small_path,
    });
    expect(
      readdirSync(core.tree.resolve(core.tree.kindDir(camera.id, timelapse.id, 'thumbnail'))),
    ).toEqual(filesBefore);
    expect(core.ops.timelapses.getById(timelapse.id)).toMatchObject({
      thumbnail_count: 1,
      small_count: 1,
    });
    expect(readdirSync(core.tree.tempDirectory)).toEqual([]);
  });

  it('fails a corrupt frame at once with its reason, without retries', async () => {
    const { core } = lib;
    core.worker.start();
    const { camera, timelapse } = seedCamera(core);
    const frame = await seedFrame(core, camera.id, timelapse.id, new Date(2025, 0, 1, 12, 0, 0));
    writeFileSync(frame.absolutePath, 'this is not a jpeg at all');
    const done = waitFor(core, ready(frame.image.id));
    core.jobs.queueJob(frame.image.id);
    const failed = (await done).at(-1)!;
    expect(failed.type).toBe('job_failed');
    const job = core.ops.jobs.getJobsByStatus('failed', 1)[0]!;
    expect(job.retry_count).toBe(0);
    expect(job.error_message).toMatch(/not a JPEG, PNG or WebP/);
    expect(core.ops.images.getById(frame.image.id)?.thumbnail_path).toBeNull();
  });

  it('does not queue when generate_thumbnails is off, globally or for the camera', async () => {
    const { core } = lib;
    const { camera, timelapse } = seedCamera(core);
    const frame = await seedFrame(core, camera.id, timelapse.id, new Date(2025, 0, 1, 12, 0, 0));
    core.settings.update({ generate_thumbnails: false });
    expect(core.jobs.queueAfterCapture(frame.image, camera)).toBeNull();
    core.settings.update({ generate_thumbnails: true });
    const off = core.ops.cameras.update(camera.id, { generate_thumbnails: false })!;
    expect(core.jobs.queueAfterCapture(frame.image, off)).toBeNull();
    expect(core.jobs.getJobStatistics().pending_jobs).toBe(0);
  });

  it('small_generation_mode none makes thumbnails only', async () => {
    const { core } = lib;
    core.settings.update({ small_generation_mode: 'none' });
    core.worker.start();
    const { camera, timelapse } = seedCamera(core);
    const { image } = await captureAndWait(
      core,
      camera.id,
      timelapse.id,
      new Date(2025, 0, 1, 12, 0, 0),
    );
    expect(image.thumbnail_path).not.toBeNull();
    expect(image.small_path).toBeNull();
    expect(
      readdirSync(core.tree.resolve(core.tree.kindDir(camera.id, timelapse.id, 'small'))),
    ).toEqual([]);
    expect(core.ops.timelapses.getById(timelapse.id)).toMatchObject({
      thumbnail_count: 1,
      small_count: 0,
    });
  });

  it('latest_only keeps a small for the newest frame only, deleting the previous one', async () => {
    const { core } = lib;
    core.settings.update({ small_generation_mode: 'latest_only' });
    core.worker.start();
    const { camera, timelapse } = seedCamera(core);
    const first = await captureAndWait(
      core,
      camera.id,
      timelapse.id,
      new Date(2025, 0, 1, 12, 0, 0),
    );
    expect(first.image.small_path).not.toBeNull();
    const second = await captureAndWait(
      core,
      camera.id,
      timelapse.id,
      new Date(2025, 0, 1, 12, 0, 5),
    );
    expect(second.image.small_path).not.toBeNull();
    expect(core.ops.images.getById(first.image.id)?.small_path).toBeNull();
    expect(existsSync(core.tree.resolve(first.image.small_path!))).toBe(false);
    expect(
      readdirSync(core.tree.resolve(core.tree.kindDir(camera.id, timelapse.id, 'small'))),
    ).toHaveLength(1);
    expect(core.ops.timelapses.getById(timelapse.id)).toMatchObject({
      thumbnail_count: 2,
      small_count: 1,
    });
  });

  it("purge_smalls_on_completion deletes a completed timelapse's smalls and clears their paths", async () => {
    const { core } = lib;
    core.worker.start();
    const { camera, timelapse } = seedCamera(core);
    const a = await captureAndWait(core, camera.id, timelapse.id, new Date(2025, 0, 1, 12, 0, 0));
    const b = await captureAndWait(core, camera.id, timelapse.id, new Date(2025, 0, 1, 12, 0, 5));
    expect(await core.retention.onTimelapseCompleted(timelapse.id)).toBe(0); // setting off: nothing goes
    core.settings.update({ purge_smalls_on_completion: true });
    expect(await core.retention.onTimelapseCompleted(timelapse.id)).toBe(2);
    for (const { image } of [a, b]) {
      expect(existsSync(core.tree.resolve(image.small_path!))).toBe(false);
      expect(existsSync(core.tree.resolve(image.thumbnail_path!))).toBe(true);
      expect(core.ops.images.getById(image.id)?.small_path).toBeNull();
    }
    expect(core.ops.timelapses.getById(timelapse.id)).toMatchObject({
      thumbnail_count: 2,
      small_count: 0,
    });
  });

  it('runUntilEmpty drains the queue in priority order and stops', async () => {
    const { core } = lib;
    const { camera, timelapse } = seedCamera(core);
    const started: number[] = [];
    core.events.on('job_started', (e) => started.push(e.image_id));
    const ids: number[] = [];
    for (let i = 0; i < 6; i++) {
      const frame = await seedFrame(core, camera.id, timelapse.id, new Date(2025, 0, 1, 12, 0, i));
      ids.push(frame.image.id);
      core.jobs.queueJob(frame.image.id, i === 5 ? 'high' : 'low');
    }
    await core.worker.runUntilEmpty();
    expect(started[0]).toBe(ids[5]);
    expect(new Set(started)).toEqual(new Set(ids));
    expect(core.jobs.getJobStatistics().by_status.completed).toBe(6);
    expect(core.worker.jobsInFlight).toBe(0);
  });

  it('claims nothing while the queue is paused, and picks up at once when it is resumed here', async () => {
    const { core } = lib;
    const { camera, timelapse } = seedCamera(core);
    const frame = await seedFrame(core, camera.id, timelapse.id, new Date(2025, 0, 1, 12, 0, 0));
    core.jobs.pauseQueue();
    core.jobs.queueJob(frame.image.id, 'high');
    // A paused queue is not "work due": runUntilEmpty returns instead of spinning.
    await core.worker.runUntilEmpty();
    expect(core.jobs.getJobStatistics()).toMatchObject({ pending_jobs: 1, completed_jobs_24h: 0 });
    core.worker.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(core.jobs.getJobStatistics().pending_jobs).toBe(1);
      const done = waitFor(core, ready(frame.image.id));
      core.jobs.resumeQueue();
      await done;
      expect(core.ops.images.getById(frame.image.id)!.thumbnail_path).not.toBeNull();
    } finally {
      await core.worker.stop();
    }
  });
});
