import { link, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DemoSource } from '../../src/main/capture/sources/demo-source';
import { openCore, type Core } from '../../src/main/core';
import { clockOf } from '../../src/main/files/names';
import { seedCamera, seedFrame } from '../helpers/temp-library';

export interface SeededCamera {
  id: number;
  name: string;
  timelapseId: number;
  latestImageId: number;
}

export interface SeededLibrary {
  cameras: SeededCamera[];
  /** An older session of the first camera, many frames without thumbnails: the regeneration's work. */
  bulkTimelapseId: number;
  bulkFrames: number;
  /** Files in thumbnails/ and smalls/ that no image claims (cleanup's candidates), relative to the root. */
  orphans: string[];
}

/** The pictures the wall shows: the demo source's street scenes, 1280×720 like a real camera. */
export const FRAME_WIDTH = 1280;
export const FRAME_HEIGHT = 720;

const CAMERA_NAMES = ['Front door', 'Driveway', 'Garden', 'Garage'];

/**
 * A library for the end-to-end tests, built with the core itself: three live
 * cameras with a fresh frame each (thumbnail and small made by the real
 * engine), one disabled camera whose capture failed, an old session of
 * `bulkFrames` frames (hard links of one JPEG: real files, no disk cost), and
 * orphaned thumbnail and small files.
 */
export async function seedLibrary(dataRoot: string, bulkFrames = 800): Promise<SeededLibrary> {
  const core = await openCore({ dataRoot });
  try {
    core.settings.update({ thumbnail_worker_interval: 1 });
    const now = Date.now();
    const cameras: SeededCamera[] = [];
    for (const [index, name] of CAMERA_NAMES.entries()) {
      const { camera, timelapse } = seedCamera(core, name);
      const frame = await demoFrame(core, camera.id, timelapse.id, index + 1, new Date(now - 5_000));
      cameras.push({ id: camera.id, name, timelapseId: timelapse.id, latestImageId: frame });
    }
    const garage = cameras[3]!;
    core.ops.cameras.update(garage.id, { enabled: false });
    core.ops.cameras.recordError(garage.id, 'Snapshot URL answered HTTP 503', false);

    const bulk = core.ops.timelapses.create(cameras[0]!.id, 'Last winter', now - 90 * 86_400_000, 'completed');
    core.tree.ensureTimelapseDirs(cameras[0]!.id, bulk.id);
    await linkedFrames(core, cameras[0]!.id, bulk.id, bulkFrames, now - 90 * 86_400_000);

    for (const camera of cameras) core.jobs.queueJob(camera.latestImageId, 'high');
    await core.worker.runUntilEmpty();
    for (const camera of cameras) {
      const row = core.ops.images.getById(camera.latestImageId)!;
      if (!row.thumbnail_path || !row.small_path) throw new Error(`seeding: no thumbnail for ${camera.name}`);
    }
    const orphans = await writeOrphans(core, cameras[1]!);
    return { cameras, bulkTimelapseId: bulk.id, bulkFrames, orphans };
  } finally {
    await core.close();
  }
}

/** One demo-source frame as the camera's latest capture. */
async function demoFrame(core: Core, cameraId: number, timelapseId: number, seed: number, at: Date): Promise<number> {
  const jpeg = await new DemoSource(seed, { width: FRAME_WIDTH, height: FRAME_HEIGHT }, () => at.getTime()).grab(new AbortController().signal);
  const { image } = await seedFrame(core, cameraId, timelapseId, at, jpeg);
  core.ops.cameras.recordCapture(cameraId, at.getTime());
  return image.id;
}

/** Adds a frame to the camera's timelapse, as capture would (used while the server runs). */
export async function addLiveFrame(dataRoot: string, camera: SeededCamera, at: Date, seed: number): Promise<number> {
  const core = await openCore({ dataRoot, poolSize: 1 });
  try {
    const id = await demoFrame(core, camera.id, camera.timelapseId, seed, at);
    core.jobs.queueJob(id, 'high');
    return id;
  } finally {
    await core.close();
  }
}

async function linkedFrames(core: Core, cameraId: number, timelapseId: number, count: number, start: number): Promise<void> {
  const jpeg = await new DemoSource(7, { width: FRAME_WIDTH, height: FRAME_HEIGHT }, () => start).grab(new AbortController().signal);
  const first = await seedFrame(core, cameraId, timelapseId, new Date(start), jpeg);
  for (let i = 1; i < count; i++) {
    const at = new Date(start + i * 60_000);
    const day = 1 + Math.floor((i * 60_000) / 86_400_000);
    const key = { timelapseId, day, clock: clockOf(at), seq: 0 };
    const relative = core.tree.filePath(cameraId, timelapseId, 'frame', key);
    await mkdir(dirname(core.tree.resolve(relative)), { recursive: true });
    await link(first.absolutePath, core.tree.resolve(relative));
    core.ops.images.insert({
      timelapse_id: timelapseId,
      camera_id: cameraId,
      file_path: relative,
      captured_at: at.getTime(),
      day_number: day,
      clock: key.clock,
      seq: 0,
      file_size: first.image.file_size,
    });
  }
}

/** Thumbnail and small files named like ours, for a day no image has. */
async function writeOrphans(core: Core, camera: SeededCamera): Promise<string[]> {
  const orphans: string[] = [];
  for (const [kind, clock] of [
    ['thumbnail', '235901'],
    ['thumbnail', '235902'],
    ['small', '235903'],
  ] as const) {
    const relative = core.tree.filePath(camera.id, camera.timelapseId, kind, { timelapseId: camera.timelapseId, day: 9, clock, seq: 0 });
    await mkdir(dirname(core.tree.resolve(relative)), { recursive: true });
    await writeFile(core.tree.resolve(relative), Buffer.from('orphan'));
    orphans.push(relative);
  }
  return orphans;
}
