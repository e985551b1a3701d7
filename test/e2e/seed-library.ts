import { link, mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DemoSource } from '../../src/main/capture/sources/demo-source';
import { openCore, type Core } from '../../src/main/core';
import { clockOf } from '../../src/main/files/names';
import { seedCamera, seedFrame } from '../helpers/temp-library';

export interface SeededCamera {
  id: number;
  name: string;
  timelapseId: number;
  latestImageId: number;
  /** The camera's watch folder: a JPEG dropped here is captured by the running server. */
  inbox: string;
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
 * A library for the end-to-end tests, built with the core itself: three
 * watch-folder cameras with a fresh frame each (thumbnail and small made by
 * the real engine) that capture only what a test drops in their inbox, one
 * disabled camera whose capture failed, an old session of `bulkFrames` frames
 * (hard links of one JPEG: real files, no disk cost), and orphaned thumbnail
 * and small files. Watch folders live in `inboxRoot`, outside the data root.
 */
export async function seedLibrary(dataRoot: string, inboxRoot: string, bulkFrames = 800): Promise<SeededLibrary> {
  const core = await openCore({ dataRoot });
  try {
    core.settings.update({ thumbnail_worker_interval: 1 });
    const now = Date.now();
    const cameras: SeededCamera[] = [];
    for (const [index, name] of CAMERA_NAMES.entries()) {
      const { camera, timelapse } = seedCamera(core, name);
      const inbox = join(inboxRoot, `camera-${camera.id}`);
      await mkdir(inbox, { recursive: true });
      core.ops.cameras.update(camera.id, {
        source_type: 'folder',
        source_url: inbox,
        source_options: JSON.stringify({ stable_ms: 200 }),
        capture_interval_s: 60,
      });
      const frame = await demoFrame(core, camera.id, timelapse.id, index + 1, new Date(now - 5_000));
      cameras.push({ id: camera.id, name, timelapseId: timelapse.id, latestImageId: frame, inbox });
    }
    const garage = cameras[3]!;
    core.ops.cameras.update(garage.id, { enabled: false });
    core.ops.cameras.recordError(garage.id, 'Snapshot URL answered HTTP 503');

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

function demoJpeg(seed: number, at: number): Promise<Buffer> {
  return new DemoSource(seed, { width: FRAME_WIDTH, height: FRAME_HEIGHT }, () => at).grab(new AbortController().signal);
}

/** One demo-source frame as the camera's latest capture. */
async function demoFrame(core: Core, cameraId: number, timelapseId: number, seed: number, at: Date): Promise<number> {
  const { image } = await seedFrame(core, cameraId, timelapseId, at, await demoJpeg(seed, at.getTime()));
  core.ops.cameras.recordCapture(cameraId, at.getTime());
  return image.id;
}

/**
 * Drops a new camera frame into the camera's watch folder, as an FTP upload
 * would: written under a hidden name, then renamed, so it appears whole.
 */
export async function dropFrame(camera: SeededCamera, seed: number): Promise<void> {
  const name = `upload-${Date.now()}-${seed}.jpg`;
  await writeFile(join(camera.inbox, `.${name}`), await demoJpeg(seed, Date.now()));
  await rename(join(camera.inbox, `.${name}`), join(camera.inbox, name));
}

async function linkedFrames(core: Core, cameraId: number, timelapseId: number, count: number, start: number): Promise<void> {
  const first = await seedFrame(core, cameraId, timelapseId, new Date(start), await demoJpeg(7, start));
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
