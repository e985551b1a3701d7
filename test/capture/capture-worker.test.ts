import { existsSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { CaptureTick } from '../../src/main/capture/camera-runner';
import { ensureDemoCameras } from '../../src/main/catalogue/demo-cameras';
import { DemoSource } from '../../src/main/capture/sources/demo-source';
import type { Core } from '../../src/main/core';
import { framesOnDisk, imagesOf, tempFiles, useCaptureLibraries, useEngine, waitFor } from './support';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const never = new AbortController().signal;

describe('demo source', () => {
  const pool = useEngine();

  it('renders camera-like 1280×720 frames whose scene and timestamp move, and that pass the corruption check', async () => {
    let now = new Date(2025, 0, 1, 12, 0, 0).getTime();
    const source = new DemoSource(3, {}, () => now);
    const first = await source.grab(never);
    now += 7_000;
    const second = await source.grab(never);
    for (const frame of [first, second]) {
      expect(await pool.engine.validate(frame)).toMatchObject({
        ok: true,
        format: 'jpeg',
        width: 1280,
        height: 720,
      });
    }
    // The car moved: the street band differs; the sky band's clock changed too.
    const band = (frame: Buffer, top: number) =>
      sharp(frame).extract({ left: 0, top, width: 1280, height: 120 }).raw().toBuffer();
    const difference = async (top: number) => {
      const [a, b] = await Promise.all([band(first, top), band(second, top)]);
      let changed = 0;
      for (let i = 0; i < a.length; i++) if (Math.abs(a[i]! - b[i]!) > 40) changed++;
      return changed;
    };
    expect(await difference(480)).toBeGreaterThan(5_000);
    expect(await difference(0)).toBeGreaterThan(200);
  });

  it('honours its size options and stops when aborted', async () => {
    const small = await new DemoSource(1, { width: 640, height: 360 }).grab(never);
    expect(await sharp(small).metadata()).toMatchObject({
      width: 640,
      height: 360,
      format: 'jpeg',
    });
    const aborted = new AbortController();
    aborted.abort();
    await expect(new DemoSource(1).grab(aborted.signal)).rejects.toMatchObject({
      name: 'AbortError',
    });
  });
});

describe('capture worker', () => {
  const pool = useEngine();
  const openLibrary = useCaptureLibraries(pool);

  /** A library whose capture worker runs (the thumbnail worker only when a test starts it). */
  async function capturing(onTick?: (tick: CaptureTick) => void): Promise<Core> {
    const core = await openLibrary({ onTick });
    core.capture.start();
    return core;
  }

  it('turns an empty library into a live wall: demo frames on disk, rows, jobs and thumbnails', async () => {
    const core = await openLibrary();
    for (const camera of ensureDemoCameras(core, 2))
      core.cameras.update(camera.id, { capture_interval_s: 1 });
    core.worker.start();
    core.capture.start();
    const timelapses = core.ops.timelapses.list();
    await waitFor(
      () => timelapses.every((t) => core.ops.timelapses.getById(t.id)!.thumbnail_count >= 2),
      30_000,
      'two thumbnailed frames per demo camera',
    );

    for (const timelapse of timelapses) {
      const images = imagesOf(core, timelapse.id);
      const onDisk = await framesOnDisk(core, timelapse.camera_id, timelapse.id);
      expect(onDisk).toEqual(images.map((i) => i.file_path.split('/').pop()).sort());
      expect(images[0]).toMatchObject({ width: 1280, height: 720, day_number: 1 });
      const thumbnailed = images.filter((i) => i.thumbnail_path !== null);
      expect(core.ops.timelapses.getById(timelapse.id)!.thumbnail_count).toBe(thumbnailed.length);
      for (const image of thumbnailed) {
        expect(await sharp(core.tree.resolve(image.thumbnail_path!)).metadata()).toMatchObject({
          width: 200,
          height: 113,
        });
        expect(core.ops.jobs.getLiveJobForImage(image.id)).toBeUndefined();
      }
    }
    expect(core.ops.jobs.getJobStatisticsData(0).by_status.failed).toBe(0);
  });

  it('follows camera changes: disable stops, enable resumes, a new interval restarts, delete forgets', async () => {
    const ticks: CaptureTick[] = [];
    const core = await capturing((tick) => ticks.push(tick));
    const { cameras, capture: worker } = core;
    const camera = cameras.create({
      name: 'Demo',
      source_type: 'demo',
      capture_interval_s: 1,
      source_options: { width: 320, height: 240 },
    });
    const timelapse = core.timelapses.start(camera.id);
    await waitFor(() => imagesOf(core, timelapse.id).length >= 1, 10_000, 'a first frame');

    cameras.setEnabled(camera.id, false);
    await worker.settled();
    expect(worker.status()).toMatchObject([{ camera_id: camera.id, state: 'disabled' }]);
    const frozen = imagesOf(core, timelapse.id).length;
    await sleep(1_500);
    expect(imagesOf(core, timelapse.id)).toHaveLength(frozen);

    cameras.setEnabled(camera.id, true);
    await waitFor(() => imagesOf(core, timelapse.id).length > frozen, 10_000, 'capture to resume');

    cameras.update(camera.id, { capture_interval_s: 2 });
    await worker.settled();
    ticks.length = 0;
    await waitFor(() => ticks.length >= 3, 10_000, 'three ticks at the new interval');
    expect(ticks[2]!.due - ticks[1]!.due).toBeCloseTo(2_000, 0);

    await cameras.delete(camera.id);
    await worker.settled();
    expect(worker.status()).toEqual([]);
    expect(existsSync(core.tree.resolve(core.tree.cameraDir(camera.id)))).toBe(false);
  });

  it('keeps a fixed grid of capture times at the camera interval', async () => {
    const ticks: CaptureTick[] = [];
    const core = await capturing((tick) => ticks.push(tick));
    const camera = core.cameras.create({
      name: 'Grid',
      source_type: 'demo',
      capture_interval_s: 1,
      source_options: { width: 320, height: 240 },
    });
    core.timelapses.start(camera.id);
    await waitFor(() => ticks.length >= 4, 10_000, 'four ticks');
    const spacing = ticks.slice(1, 4).map((t, i) => t.due - ticks[i]!.due);
    for (const gap of spacing) expect(gap).toBeCloseTo(1_000, 0);
  });

  it('keeps its grid while a slow grab runs: points during the grab are skipped, never bunched', async () => {
    const ticks: CaptureTick[] = [];
    const demo = new DemoSource(1, { width: 320, height: 240 });
    const core = await openLibrary({
      onTick: (tick) => ticks.push(tick),
      createSource: () => ({
        kind: 'poll',
        grab: async (signal) => (await sleep(1_500), demo.grab(signal)),
      }),
    });
    const camera = core.cameras.create({
      name: 'Slow',
      source_type: 'demo',
      capture_interval_s: 1,
    });
    const timelapse = core.timelapses.start(camera.id);
    const worker = core.capture;
    worker.start();
    await waitFor(() => imagesOf(core, timelapse.id).length >= 3, 15_000, 'three slow frames');
    await worker.stop();
    for (let i = 1; i < 5; i++) expect(ticks[i]!.due - ticks[i - 1]!.due).toBeCloseTo(1_000, 3);
    expect(ticks.slice(0, 5).map((t) => t.skipped)).toEqual([false, true, false, true, false]);
  });

  it('waits while a camera has no active timelapse and captures at once when one starts', async () => {
    const core = await capturing();
    const worker = core.capture;
    const camera = core.cameras.create({
      name: 'Idle',
      source_type: 'demo',
      capture_interval_s: 3_600,
    });
    await waitFor(
      () => worker.status()[0]?.state === 'no_active_timelapse',
      10_000,
      'the idle state',
    );
    expect(worker.status()[0]!.next_attempt_at).not.toBeNull();

    const timelapse = core.timelapses.start(camera.id);
    await waitFor(
      () => core.ops.cameras.getById(camera.id)!.last_capture_at,
      10_000,
      'a frame well before the hour is up',
    );
    expect(imagesOf(core, timelapse.id)).toHaveLength(1);
  });

  it('stops cleanly: no capture after stop and no temp files left', async () => {
    const core = await capturing();
    const worker = core.capture;
    const camera = core.cameras.create({
      name: 'Stop',
      source_type: 'demo',
      capture_interval_s: 1,
    });
    const timelapse = core.timelapses.start(camera.id);
    await waitFor(() => imagesOf(core, timelapse.id).length >= 1, 10_000, 'a frame');
    await worker.stop();
    const count = imagesOf(core, timelapse.id).length;
    await sleep(1_300);
    expect(imagesOf(core, timelapse.id)).toHaveLength(count);
    expect(await framesOnDisk(core, camera.id, timelapse.id)).toHaveLength(count);
    expect(await tempFiles(core)).toEqual([]);
  });
});
