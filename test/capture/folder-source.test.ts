import { existsSync, readFileSync } from 'node:fs';
import { mkdir, open, readdir, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import type { CaptureWorker } from '../../src/main/capture/capture-worker';
import { REJECTED_SUBFOLDER } from '../../src/main/capture/sources/folder-source';
import { openCore, type Core } from '../../src/main/core';
import { sparseJpeg, truncated } from '../helpers/images';
import { cameraLikeJpeg, useTempDir, useTestLibrary } from '../helpers/temp-library';
import { framesOnDisk, imagesOf, liveJobsOf, recordEvents, useEngine, waitFor } from './support';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** EXIF DateTimeOriginal as cameras write it: local time, no zone. */
function exifTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}:${pad(date.getMonth() + 1)}:${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

describe('watch-folder source', () => {
  const pool = useEngine();
  const lib = useTestLibrary(() => ({
    engine: pool.engine,
    capture: { backoff: { baseMs: 1_000, maxMs: 1_000 } },
  }));
  const inbox = useTempDir('timelapser-inbox-');
  let worker: CaptureWorker | undefined;
  afterEach(async () => worker?.stop());

  function folderCamera(
    core: Core,
    folder = inbox.path,
    withTimelapse = true,
    afterIngest?: 'keep' | 'delete',
  ) {
    const camera = core.cameras.create({
      name: 'FTP drop',
      source_type: 'folder',
      source_url: folder,
      source_options: { stable_ms: 600, ...(afterIngest ? { after_ingest: afterIngest } : {}) },
      capture_interval_s: 1,
    });
    const timelapse = withTimelapse ? core.timelapses.start(camera.id) : undefined;
    worker = core.capture;
    return { camera, timelapse };
  }

  it('takes a file once, only after it stops growing, then deletes it when the camera says so', async () => {
    const { core } = lib;
    const { camera, timelapse } = folderCamera(core, inbox.path, true, 'delete');
    const taken = new Date(Date.now() + 5_000);
    taken.setMilliseconds(0);
    const bytes = await sharp(await cameraLikeJpeg(800, 600, 21))
      .withExif({ IFD2: { DateTimeOriginal: exifTime(taken) } })
      .jpeg()
      .toBuffer();
    worker!.start();
    await waitFor(() => worker!.status()[0]!.state === 'watching', 5_000, 'the watcher');

    const path = join(inbox.path, 'upload.jpg');
    const file = await open(path, 'w');
    await file.write(bytes.subarray(0, bytes.length >> 1));
    await sleep(350); // shorter than stable_ms: still being written
    expect(imagesOf(core, timelapse!.id)).toEqual([]);
    await file.write(bytes.subarray(bytes.length >> 1));
    await file.close();

    await waitFor(() => !existsSync(path), 10_000, 'the file to be taken');
    await sleep(800);
    const images = imagesOf(core, timelapse!.id);
    expect(images).toHaveLength(1);
    expect(images[0]).toMatchObject({ captured_at: taken.getTime(), width: 800, height: 600 });
    expect(readFileSync(core.tree.resolve(images[0]!.file_path)).equals(bytes)).toBe(true);
    expect(await framesOnDisk(core, camera.id, timelapse!.id)).toHaveLength(1);
    expect(liveJobsOf(core, images)).toMatchObject([{ priority: 'medium' }]);
    expect(core.ops.cameras.getById(camera.id)!.rejected_frames).toBe(0);

    // Cameras reuse one upload name: the next file under it is a new frame.
    const next = await cameraLikeJpeg(800, 600, 22);
    await writeFile(path, next);
    await waitFor(() => imagesOf(core, timelapse!.id).length === 2, 10_000, 'the second upload');
    expect(
      readFileSync(core.tree.resolve(imagesOf(core, timelapse!.id)[1]!.file_path)).equals(next),
    ).toBe(true);
  });

  it('does not take a file that is still being written when watching starts', async () => {
    const { core } = lib;
    const { timelapse } = folderCamera(core);
    const bytes = await cameraLikeJpeg(800, 600, 23);
    const path = join(inbox.path, 'inflight.jpg');
    const file = await open(path, 'w');
    await file.write(bytes.subarray(0, 5_000));
    worker!.start();
    for (let offset = 5_000; offset < bytes.length; offset += 20_000) {
      await sleep(200); // a slow upload: pauses shorter than stable_ms
      await file.write(bytes.subarray(offset, offset + 20_000));
    }
    await file.close();
    expect(imagesOf(core, timelapse!.id)).toEqual([]);
    await waitFor(
      () => imagesOf(core, timelapse!.id).length === 1,
      10_000,
      'the finished upload to be taken',
    );
    expect(
      readFileSync(core.tree.resolve(imagesOf(core, timelapse!.id)[0]!.file_path)).equals(bytes),
    ).toBe(true);
    // Copied, not moved: the user's file stays as it was.
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('as an inbox (after_ingest delete): takes waiting files with their own capture times, sets refused ones aside and ignores other files', async () => {
    const { core } = lib;
    const { camera, timelapse } = folderCamera(core, inbox.path, true, 'delete');
    const now = Math.floor(Date.now() / 1000);
    const frames = await Promise.all([1, 2].map((seed) => cameraLikeJpeg(640, 480, seed)));
    await writeFile(join(inbox.path, 'b.jpg'), frames[0]!);
    await writeFile(join(inbox.path, 'a.JPEG'), frames[1]!);
    await utimes(join(inbox.path, 'b.jpg'), now + 2, now + 2);
    await utimes(join(inbox.path, 'a.JPEG'), now + 4, now + 4);
    await writeFile(join(inbox.path, 'broken.jpg'), truncated(frames[0]!));
    await writeFile(join(inbox.path, 'notes.txt'), 'not a frame');
    const rejected = recordEvents(core, 'frame_rejected');

    worker!.start();
    await waitFor(
      () => imagesOf(core, timelapse!.id).length === 2 && rejected.length === 1,
      10_000,
      'two frames and one refusal',
    );
    await waitFor(
      async () => (await readdir(inbox.path)).length === 2,
      5_000,
      'the taken files to leave the folder',
    );

    const images = imagesOf(core, timelapse!.id);
    // Ids follow arrival; names and days follow each file's own capture time.
    expect(images.map((i) => i.captured_at).sort()).toEqual([(now + 2) * 1000, (now + 4) * 1000]);
    expect((await readdir(inbox.path)).sort()).toEqual(['notes.txt', REJECTED_SUBFOLDER]);
    expect(await readdir(join(inbox.path, REJECTED_SUBFOLDER))).toEqual(['broken.jpg']);
    expect(rejected[0]).toMatchObject({
      camera_id: camera.id,
      reason: 'truncated',
      rejected_total: 1,
    });
    expect(liveJobsOf(core, images)).toHaveLength(2);
  });

  it('copies by default: the folder stays as it was, refusals are remembered, and a restarted library takes nothing twice', async () => {
    const { core } = lib;
    const { camera, timelapse } = folderCamera(core);
    const frames = await Promise.all([5, 6, 7, 8, 9].map((seed) => cameraLikeJpeg(640, 480, seed)));
    for (const [i, frame] of frames.slice(0, 3).entries())
      await writeFile(join(inbox.path, `cam_000${i + 1}.jpg`), frame);
    await writeFile(join(inbox.path, 'broken.jpg'), truncated(frames[0]!));
    const folder = async () =>
      Promise.all(
        (await readdir(inbox.path)).sort().map(async (name) => {
          const path = join(inbox.path, name);
          return {
            name,
            bytes: readFileSync(path).toString('base64'),
            mtime: (await stat(path)).mtimeMs,
          };
        }),
      );
    const before = await folder();

    worker!.start();
    await waitFor(
      () =>
        imagesOf(core, timelapse!.id).length === 3 &&
        core.ops.ingestedFiles.countForCamera(camera.id) === 4,
      10_000,
      'three frames taken and one refusal remembered',
    );
    expect(await folder()).toEqual(before);
    expect(core.ops.cameras.getById(camera.id)!.rejected_frames).toBe(1);

    // A restart: a new core on the same library watches the same folder again.
    await core.close();
    const again = await openCore({
      dataRoot: lib.root,
      engine: pool.engine,
      capture: { backoff: { baseMs: 1_000, maxMs: 1_000 } },
    });
    try {
      const refused = recordEvents(again, 'frame_rejected');
      again.capture.start();
      await waitFor(() => again.capture.status()[0]!.state === 'watching', 5_000, 'the watcher');
      await sleep(1_500); // past stable_ms: the old files had their chance
      expect(imagesOf(again, timelapse!.id)).toHaveLength(3);
      expect(refused).toEqual([]);

      // New files, and an old name rewritten with a new picture, are frames.
      await writeFile(join(inbox.path, 'cam_0004.jpg'), frames[3]!);
      await writeFile(join(inbox.path, 'cam_0001.jpg'), frames[4]!);
      await waitFor(() => imagesOf(again, timelapse!.id).length === 5, 10_000, 'the new uploads');
      await sleep(1_000);
      expect(imagesOf(again, timelapse!.id)).toHaveLength(5);
      expect(existsSync(join(inbox.path, 'cam_0004.jpg'))).toBe(true);
    } finally {
      await again.capture.stop();
      await again.close();
    }
  });

  it('leaves a file over the frame byte cap where it is, says why once, and does not take it again', async () => {
    const { core } = lib;
    const { timelapse } = folderCamera(core);
    const failures = recordEvents(core, 'capture_failed');
    const huge = join(inbox.path, 'huge.jpg');
    await sparseJpeg(huge, 300 * 1024 * 1024); // sparse: no real disk used
    const size = (await stat(huge)).size;
    worker!.start();
    await waitFor(() => failures.length === 1, 15_000, 'the refusal');
    expect(failures[0]!.error).toMatch(/huge\.jpg is larger than any camera frame .*left in place/);
    // The watcher restarts after its backoff and looks at the folder again: the file is known now.
    await waitFor(() => worker!.status()[0]!.state === 'watching', 10_000, 'the watcher again');
    await writeFile(join(inbox.path, 'good.jpg'), await cameraLikeJpeg(640, 480, 11));
    await waitFor(() => imagesOf(core, timelapse!.id).length === 1, 15_000, 'the next frame');
    expect(failures).toHaveLength(1);
    expect((await stat(huge)).size).toBe(size);
    expect((await readdir(inbox.path)).sort()).toEqual(['good.jpg', 'huge.jpg']);
  });

  it('leaves files in place while the camera has no active timelapse, and takes them once one starts', async () => {
    const { core } = lib;
    const { camera } = folderCamera(core, inbox.path, false);
    await writeFile(join(inbox.path, 'early.jpg'), await cameraLikeJpeg(640, 480, 3));
    worker!.start();
    await waitFor(
      () => worker!.status()[0]!.state === 'no_active_timelapse',
      10_000,
      'the camera to notice',
    );
    expect(existsSync(join(inbox.path, 'early.jpg'))).toBe(true);

    const timelapse = core.timelapses.start(camera.id);
    await waitFor(
      () => imagesOf(core, timelapse.id).length === 1,
      10_000,
      'the kept file to be taken',
    );
    expect(existsSync(join(inbox.path, 'early.jpg'))).toBe(true);
  });

  it('reports a missing folder, backs off, and starts watching once the folder appears', async () => {
    const { core } = lib;
    const missing = join(inbox.path, 'not-yet');
    const { camera, timelapse } = folderCamera(core, missing);
    const failures = recordEvents(core, 'capture_failed');
    worker!.start();
    await waitFor(() => failures.length >= 2, 5_000, 'two capture_failed events');
    expect(failures[0]).toMatchObject({ camera_id: camera.id, retry_in_seconds: 1 });
    expect(failures[0]!.error).toMatch(/watch folder .*not-yet does not exist/);
    expect(worker!.status()[0]).toMatchObject({ state: 'backoff', consecutive_failures: 2 });
    expect(core.ops.cameras.getById(camera.id)!.last_error).toMatch(/does not exist/);

    await mkdir(missing);
    await writeFile(join(missing, 'first.jpg'), await cameraLikeJpeg(640, 480, 4));
    await waitFor(() => imagesOf(core, timelapse!.id).length === 1, 10_000, 'recovery');
    expect(worker!.status()[0]).toMatchObject({
      state: 'watching',
      consecutive_failures: 0,
      last_error: null,
    });
    expect(core.ops.cameras.getById(camera.id)!.last_error).toBeNull();
  });
});
