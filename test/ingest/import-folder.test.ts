import { readFileSync } from 'node:fs';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { ImportFolderOptions } from '../../src/main/ingest/import-folder';
import type { Core } from '../../src/main/core';
import { ValidationError } from '../../src/main/errors';
import type { ImportProgress } from '../../src/shared/contract';
import { truncated } from '../helpers/images';
import { noSignalScreen } from '../helpers/scenes';
import { cameraLikeJpeg, useTempDir, useTestLibrary } from '../helpers/temp-library';
import { framesOnDisk, imagesOf, liveJobsOf, useEngine } from '../capture/support';

const local = (y: number, mo: number, d: number, h: number, mi: number, s: number) =>
  new Date(y, mo - 1, d, h, mi, s);

function exifText(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}:${pad(date.getMonth() + 1)}:${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

async function withExif(seed: number, taken: Date): Promise<Buffer> {
  return sharp(await cameraLikeJpeg(640, 480, seed))
    .withExif({ IFD2: { DateTimeOriginal: exifText(taken) } })
    .jpeg()
    .toBuffer();
}

async function put(folder: string, name: string, bytes: Buffer, mtime = new Date()): Promise<void> {
  await writeFile(join(folder, name), bytes);
  await utimes(join(folder, name), mtime, mtime);
}

describe('importFolder', () => {
  const pool = useEngine();
  const lib = useTestLibrary(() => ({ engine: pool.engine }));
  const scratch = useTempDir('timelapser-import-');

  const run = (core: Core, folder: string, extra: Partial<ImportFolderOptions> = {}) =>
    core.importFolder({ folder, cameraName: 'Garden archive', ...extra });

  it('imports in capture order (EXIF, else mtime) with day numbers from the first frame, reporting refusals', async () => {
    const { core } = lib;
    const folder = join(scratch.path, 'garden-2024');
    await mkdir(folder);
    const first = await withExif(1, local(2024, 3, 10, 23, 59, 58));
    const second = await cameraLikeJpeg(640, 480, 2);
    const third = await withExif(3, local(2024, 3, 11, 0, 0, 30));
    await put(folder, 'z-first.jpg', first); // EXIF wins over its fresh mtime
    await put(folder, 'a-second.jpg', second, local(2024, 3, 11, 0, 0, 30)); // no EXIF: mtime
    await put(folder, 'm-third.JPG', third);
    await put(folder, 'broken.jpg', truncated(second));
    await writeFile(join(folder, 'readme.txt'), 'not a frame');

    const result = await run(core, folder);

    expect(result).toEqual({
      imported: 3,
      flagged: 0,
      converted: 0,
      skipped_duplicates: 0,
      rejected: [
        { file: 'broken.jpg', reason: 'truncated', message: expect.stringMatching(/truncated/) },
      ],
      timed_by_file: 2,
      implausible_times: [],
      camera_id: expect.any(Number),
      timelapse_id: expect.any(Number),
    });
    const camera = core.ops.cameras.getById(result.camera_id)!;
    expect(camera).toMatchObject({
      name: 'Garden archive',
      source_type: 'folder',
      source_url: null,
      enabled: 0,
      rejected_frames: 1,
    });
    expect(JSON.parse(camera.source_options)).toEqual({ imported_from: folder });
    const timelapse = core.ops.timelapses.getById(result.timelapse_id)!;
    expect(timelapse).toMatchObject({
      name: basename(folder),
      status: 'active',
      started_at: local(2024, 3, 10, 23, 59, 58).getTime(),
      image_count: 3,
    });

    const images = imagesOf(core, timelapse.id);
    expect(images.map((i) => [i.day_number, i.clock, i.seq, i.captured_at])).toEqual([
      [1, '235958', 0, local(2024, 3, 10, 23, 59, 58).getTime()],
      [2, '000030', 0, local(2024, 3, 11, 0, 0, 30).getTime()],
      [2, '000030', 2, local(2024, 3, 11, 0, 0, 30).getTime()],
    ]);
    [first, second, third].forEach((bytes, i) =>
      expect(readFileSync(core.tree.resolve(images[i]!.file_path)).equals(bytes)).toBe(true),
    );
    const t = timelapse.id;
    expect(await framesOnDisk(core, camera.id, t)).toEqual([
      `timelapse-${t}_day001_235958.jpg`,
      `timelapse-${t}_day002_000030-2.jpg`,
      `timelapse-${t}_day002_000030.jpg`,
    ]);
    expect(liveJobsOf(core, images).map((j) => j.priority)).toEqual(['low', 'low', 'low']);
    expect(core.ops.cameras.getById(camera.id)!.last_capture_at).toBe(
      local(2024, 3, 11, 0, 0, 30).getTime(),
    );
  });

  it('is idempotent: importing the same folder again adds nothing', async () => {
    const { core } = lib;
    const folder = scratch.path;
    for (let i = 0; i < 3; i++)
      await put(folder, `f${i}.jpg`, await withExif(i + 1, local(2024, 5, 1, 12, 0, i)));
    const once = await run(core, folder);
    const filesBefore = await framesOnDisk(core, once.camera_id, once.timelapse_id);

    const twice = await run(core, folder);

    expect(twice).toEqual({ ...once, imported: 0, skipped_duplicates: 3 });
    expect(imagesOf(core, once.timelapse_id)).toHaveLength(3);
    expect(await framesOnDisk(core, once.camera_id, once.timelapse_id)).toEqual(filesBefore);
    expect(core.ops.jobs.getJobStatisticsData(0).by_status.pending).toBe(3);
    expect(core.ops.cameras.list()).toHaveLength(1);
    expect(core.ops.timelapses.list()).toHaveLength(1);
  });

  it('adds only new frames to a named session and refuses frames from before it started', async () => {
    const { core } = lib;
    const folder = scratch.path;
    await put(folder, 'noon.jpg', await withExif(1, local(2024, 6, 1, 12, 0, 0)));
    const first = await run(core, folder, { timelapseName: 'June' });
    await put(folder, 'later.jpg', await withExif(2, local(2024, 6, 3, 8, 0, 0)));
    await put(folder, 'earlier.jpg', await withExif(3, local(2024, 5, 31, 8, 0, 0)));

    const second = await run(core, folder, { timelapseName: 'June' });

    expect(second).toMatchObject({
      imported: 1,
      skipped_duplicates: 1,
      rejected: [{ file: 'earlier.jpg', reason: 'before_timelapse_start' }],
      camera_id: first.camera_id,
      timelapse_id: first.timelapse_id,
    });
    expect(core.ops.rejections.listForCamera(first.camera_id, 5)).toMatchObject([
      { source: 'earlier.jpg', reason: 'before_timelapse_start', byte_size: null },
    ]);
    expect(imagesOf(core, first.timelapse_id).map((i) => [i.day_number, i.clock])).toEqual([
      [1, '120000'],
      [3, '080000'],
    ]);
  });

  it('reports progress, can be cancelled, and a second run completes the import', async () => {
    const { core } = lib;
    const folder = scratch.path;
    const frame = await cameraLikeJpeg(320, 240, 5);
    for (let i = 0; i < 40; i++) {
      const bytes = Buffer.concat([
        frame.subarray(0, 2),
        Buffer.from([0xff, 0xfe, 0x00, 0x04, i, 0]),
        frame.subarray(2),
      ]); // a COM segment makes each file unique
      await put(
        folder,
        `frame-${String(i).padStart(2, '0')}.jpg`,
        bytes,
        new Date(Date.UTC(2024, 0, 1, 10, 0, i)),
      );
    }
    const controller = new AbortController();
    const progress: ImportProgress[] = [];
    const cancelled = run(core, folder, {
      signal: controller.signal,
      onProgress: (p) => {
        progress.push(p);
        if (p.phase === 'importing' && p.processed >= 32) controller.abort();
      },
    });
    await expect(cancelled).rejects.toMatchObject({ name: 'AbortError' });
    expect(progress.map((p) => [p.phase, p.processed, p.total])).toEqual([
      ['scanning', 32, 40],
      ['scanning', 40, 40],
      ['importing', 32, 40],
    ]);
    expect(progress.at(-1)).toMatchObject({ imported: 32, rejected: 0 });
    const timelapse = core.ops.timelapses.list()[0]!;
    expect(timelapse.image_count).toBe(32);

    const resumed = await run(core, folder);
    expect([resumed.imported, resumed.skipped_duplicates]).toEqual([8, 32]);
    expect(core.ops.timelapses.getById(timelapse.id)!.image_count).toBe(40);
  });

  it('refuses a missing or empty folder with a typed error and creates nothing', async () => {
    const { core } = lib;
    await expect(run(core, join(scratch.path, 'nope'))).rejects.toThrow(ValidationError);
    await writeFile(join(scratch.path, 'only.txt'), 'x');
    await expect(run(core, scratch.path)).rejects.toThrow(/no \.jpg, \.png or \.webp files/);
    expect(core.ops.cameras.list()).toEqual([]);
  });

  it('believes an EXIF time only when plausible, says so per file, and starts the session at the first accepted frame', async () => {
    const { core } = lib;
    const folder = scratch.path;
    // A broken file with an old EXIF date sorts first: it must move nothing.
    const broken = truncated(await withExif(9, local(2004, 2, 1, 8, 0, 0)));
    await put(folder, 'a-broken.jpg', broken);
    await put(
      folder,
      'b-1999.jpg',
      await withExif(1, local(1999, 12, 31, 23, 0, 0)),
      local(2024, 7, 1, 9, 0, 0),
    );
    await put(
      folder,
      'c-future.jpg',
      await withExif(2, local(2099, 1, 1, 0, 0, 0)),
      local(2024, 7, 1, 9, 0, 5),
    );
    await put(folder, 'd-good.jpg', await withExif(3, local(2024, 7, 2, 9, 0, 0)));

    const result = await run(core, folder);

    expect(result).toMatchObject({
      imported: 3,
      rejected: [{ file: 'a-broken.jpg', reason: 'truncated' }],
      timed_by_file: 2,
      implausible_times: [
        {
          file: 'b-1999.jpg',
          problem: 'before_2000',
          exif_time: local(1999, 12, 31, 23, 0, 0).toISOString(),
          used_time: local(2024, 7, 1, 9, 0, 0).toISOString(),
        },
        {
          file: 'c-future.jpg',
          problem: 'in_future',
          used_time: local(2024, 7, 1, 9, 0, 5).toISOString(),
        },
      ],
    });
    const timelapse = core.ops.timelapses.getById(result.timelapse_id)!;
    expect(timelapse.started_at).toBe(local(2024, 7, 1, 9, 0, 0).getTime());
    expect(imagesOf(core, timelapse.id).map((i) => [i.day_number, i.clock])).toEqual([
      [1, '090000'],
      [1, '090005'],
      [2, '090000'],
    ]);
  });

  it('knows a frame by its content: equal size and time are two frames, the same bytes twice are one', async () => {
    const { core } = lib;
    const folder = scratch.path;
    const when = local(2024, 8, 1, 12, 0, 0);
    const a = await cameraLikeJpeg(640, 480, 1);
    const b = Buffer.from(a);
    b[b.length - 3] = b[b.length - 3]! ^ 0x01; // another picture of exactly the same size
    await put(folder, 'a.jpg', a, when);
    await put(folder, 'b.jpg', b, when);
    await put(folder, 'a-copy.jpg', a, when);

    const result = await run(core, folder);

    expect([result.imported, result.skipped_duplicates, result.rejected]).toEqual([2, 1, []]);
    const images = imagesOf(core, result.timelapse_id);
    expect(images.map((i) => [i.captured_at, i.file_size])).toEqual([
      [when.getTime(), a.length],
      [when.getTime(), a.length],
    ]);
    // Nothing to log: the repeat in a folder is expected.
    expect(core.ops.rejections.countForCamera(result.camera_id)).toBe(0);
  });

  it('imports PNG and WebP snapshots as JPEG and flagged frames with their flag', async () => {
    const { core } = lib;
    const folder = scratch.path;
    await put(
      folder,
      'a.png',
      await sharp(await cameraLikeJpeg(640, 480, 1))
        .png()
        .toBuffer(),
      local(2024, 9, 1, 8, 0, 0),
    );
    await put(
      folder,
      'b.webp',
      await sharp(await cameraLikeJpeg(640, 480, 2))
        .webp()
        .toBuffer(),
      local(2024, 9, 1, 8, 1, 0),
    );
    await put(
      folder,
      'c.jpg',
      await (await noSignalScreen({ width: 640, height: 480 }, 'blue NO VIDEO')).jpeg().toBuffer(),
      local(2024, 9, 1, 8, 2, 0),
    );

    const result = await run(core, folder);

    expect(result).toMatchObject({ imported: 3, converted: 2, flagged: 1, rejected: [] });
    const images = imagesOf(core, result.timelapse_id);
    expect(images.map((i) => [i.file_path.slice(-10), i.flag_reason])).toEqual([
      ['080000.jpg', null],
      ['080100.jpg', null],
      ['080200.jpg', 'uniform'],
    ]);
    for (const image of images)
      expect((await sharp(core.tree.resolve(image.file_path)).metadata()).format).toBe('jpeg');
  });

  it('imports a folder from before content hashes again without storing a frame twice', async () => {
    const { core } = lib;
    const folder = scratch.path;
    await put(folder, 'old.jpg', await withExif(4, local(2024, 10, 1, 6, 0, 0)));
    const first = await run(core, folder);
    // As migration 5 left rows stored before it: no hash.
    core.db.prepare('UPDATE images SET content_hash = NULL').run();

    const again = await run(core, folder);

    expect([again.imported, again.skipped_duplicates]).toEqual([0, 1]);
    const [image] = imagesOf(core, first.timelapse_id);
    expect(image!.content_hash).not.toBeNull();
  });
});
