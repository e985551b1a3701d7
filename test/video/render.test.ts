import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { openCore } from '../../src/main/core';
import { FfmpegNotFoundError } from '../../src/main/system/ffmpeg';
import { waitFor } from '../capture/support';
import { makeTempDir, openTestLibrary, useTestLibrary } from '../helpers/temp-library';
import { probe, seedTimelapse } from './support';

/** Renders with the system's ffmpeg, checked by decoding the result with ffprobe. */
describe('MP4 export', { timeout: 120_000 }, () => {
  const library = useTestLibrary({ poolSize: 1 });

  it.each([
    ['full', 1280, 720, 1280, 720],
    ['1080p', 1280, 720, 1920, 1080],
    ['small', 1280, 720, 800, 450],
    ['1080p', 640, 480, 1440, 1080],
    ['small', 640, 480, 640, 480],
  ] as const)(
    'renders %s from %i×%i frames as %i×%i H.264, frames ÷ fps long',
    async (size, w, h, width, height) => {
      const { core, api } = library;
      const seeded = await seedTimelapse(core, { days: 2, perDay: 12, width: w, height: h });
      const queued = await api.call('videos.render', {
        timelapse_id: seeded.timelapseId,
        fps: 12,
        size,
      });
      expect(queued).toMatchObject({ status: 'queued', frame_count: 24, duration_seconds: 2 });
      const video = await core.videos.renderHere(queued.id);
      expect(video).toMatchObject({ status: 'completed', frames_done: 24, width, height });
      const file = core.videos.filePath(video.id);
      expect(file).toMatch(
        new RegExp(
          `/timelapse-${seeded.timelapseId}/videos/timelapse-${seeded.timelapseId}_${size}_12fps_v01\\.mp4$`,
        ),
      );
      const result = await probe(file);
      expect(result).toEqual({
        codec: 'h264',
        pix_fmt: 'yuv420p',
        width,
        height,
        frames: 24,
        duration: 2,
        faststart: true,
      });
    },
  );

  it('renders only the days asked for, at the rate asked for', async () => {
    const { core, api } = library;
    const seeded = await seedTimelapse(core, { days: 4, perDay: 10, width: 640, height: 360 });
    const queued = await api.call('videos.render', {
      timelapse_id: seeded.timelapseId,
      fps: 5,
      size: 'small',
      from_day: 2,
      to_day: 3,
    });
    expect(queued.file_name).toBe(`timelapse-${seeded.timelapseId}_small_5fps_day002-003_v01.mp4`);
    await core.videos.renderHere(queued.id);
    expect(await probe(core.videos.filePath(queued.id))).toMatchObject({ frames: 20, duration: 4 });
    const again = await api.call('videos.render', {
      timelapse_id: seeded.timelapseId,
      fps: 5,
      size: 'small',
      from_day: 4,
    });
    expect(again).toMatchObject({
      file_name: `timelapse-${seeded.timelapseId}_small_5fps_day004-end_v02.mp4`,
      frame_count: 10,
    });
    await expect(
      api.call('videos.render', { timelapse_id: seeded.timelapseId, from_day: 7 }),
    ).rejects.toMatchObject({ statusCode: 400 });
    await expect(
      api.call('videos.render', { timelapse_id: seeded.timelapseId, from_day: 3, to_day: 2 }),
    ).rejects.toMatchObject({ statusCode: 400 });
    await expect(
      api.call('videos.render', { timelapse_id: seeded.timelapseId, fps: 61 }),
    ).rejects.toMatchObject({ statusCode: 400 });
  });

  it('reads a frame whose file is gone from its small (the fallback chain), skipping none', async () => {
    const { core, api } = library;
    const seeded = await seedTimelapse(core, { days: 1, perDay: 8, width: 640, height: 480 });
    core.jobs.queueJob(seeded.ids[3]!, 'high');
    await core.worker.runUntilEmpty();
    const row = core.ops.images.getById(seeded.ids[3]!)!;
    expect(row.small_path).not.toBeNull();
    await rm(core.tree.resolve(row.file_path));
    const queued = await api.call('videos.render', {
      timelapse_id: seeded.timelapseId,
      fps: 8,
      size: 'full',
    });
    const video = await core.videos.renderHere(queued.id);
    expect(video).toMatchObject({ status: 'completed', frame_count: 8 });
    expect(await probe(core.videos.filePath(video.id))).toMatchObject({
      frames: 8,
      width: 640,
      height: 480,
    });
  });

  it('cancels a render mid-way: ffmpeg is stopped, no file is left under its name or in the temp folder', async () => {
    const { core, api } = library;
    const seeded = await seedTimelapse(core, { days: 1, perDay: 300 });
    const queued = await api.call('videos.render', {
      timelapse_id: seeded.timelapseId,
      fps: 24,
      size: 'full',
    });
    let cancelled = false;
    const video = await core.videos.renderHere(queued.id, {
      onProgress: (done) => {
        if (done > 0 && !cancelled) {
          cancelled = true;
          api.call('videos.cancel', { video_id: queued.id }).catch(() => undefined);
        }
      },
    });
    expect(cancelled).toBe(true);
    expect(video.status).toBe('cancelled');
    expect(video.frames_done).toBeLessThan(300);
    expect(existsSync(core.videos.filePath(video.id))).toBe(false);
    expect(await readdir(core.tree.tempDirectory)).toEqual([]);
  });

  it('says clearly that ffmpeg is missing, and queues nothing', async () => {
    const other = await openTestLibrary({ poolSize: 1, video: { ffmpeg: '/nonexistent/ffmpeg' } });
    try {
      const seeded = await seedTimelapse(other.core, {
        days: 1,
        perDay: 2,
        width: 320,
        height: 240,
      });
      const error = await other.api
        .call('videos.render', { timelapse_id: seeded.timelapseId })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FfmpegNotFoundError);
      expect(error).toMatchObject({ code: 'ffmpeg_missing', statusCode: 500 });
      expect((error as Error).message).toMatch(/ffmpeg was not found .*install it/);
      expect(await other.api.call('videos.list', { timelapse_id: seeded.timelapseId })).toEqual([]);
    } finally {
      await other.cleanup();
    }
  });

  it('renders the queue in the background once started, with progress events, and deletes a video with its file', async () => {
    const { core, api } = library;
    const seeded = await seedTimelapse(core, { days: 1, perDay: 30, width: 640, height: 360 });
    const events: string[] = [];
    core.events.on('video_changed', (event) => events.push(`${event.status}`));
    const first = await api.call('videos.render', {
      timelapse_id: seeded.timelapseId,
      fps: 10,
      size: 'small',
    });
    const second = await api.call('videos.render', {
      timelapse_id: seeded.timelapseId,
      fps: 30,
      size: 'small',
    });
    core.videos.start();
    await waitFor(
      () => core.ops.videos.getById(second.id)?.status === 'completed',
      60_000,
      'both renders',
    );
    expect(core.ops.videos.getById(first.id)?.status).toBe('completed');
    expect(events.filter((status) => status === 'completed')).toHaveLength(2);
    expect(events.indexOf('rendering')).toBeGreaterThan(events.indexOf('queued'));

    const listed = await api.call('videos.list', { timelapse_id: seeded.timelapseId });
    expect(listed.map((v) => [v.id, v.status, v.url])).toEqual([
      [second.id, 'completed', `/api/videos/${second.id}/file`],
      [first.id, 'completed', `/api/videos/${first.id}/file`],
    ]);
    const file = core.videos.filePath(first.id);
    await api.call('videos.delete', { video_id: first.id });
    expect(existsSync(file)).toBe(false);
    await expect(api.call('videos.get', { video_id: first.id })).rejects.toMatchObject({
      statusCode: 404,
    });
    expect(events.at(-1)).toBe('null');
  });

  it(
    'gives a render stopped by closing the app back to the queue, and the next start renders it',
    { timeout: 240_000 },
    async () => {
      const dir = makeTempDir();
      try {
        const first = await openCore({ dataRoot: dir.path, poolSize: 1 });
        const seeded = await seedTimelapse(first, { days: 1, perDay: 150 });
        const queued = await first.videos.render({
          timelapse_id: seeded.timelapseId,
          fps: 30,
          size: 'full',
        });
        first.videos.start();
        await waitFor(
          () => (first.ops.videos.getById(queued.id)?.frames_done ?? 0) > 0,
          60_000,
          'the render under way',
        );
        await first.close();

        const core = await openCore({ dataRoot: dir.path, poolSize: 1 });
        try {
          expect(core.ops.videos.getById(queued.id)).toMatchObject({
            status: 'queued',
            frames_done: 0,
          });
          expect(existsSync(core.videos.filePath(queued.id))).toBe(false);
          core.videos.start();
          await waitFor(
            () => core.ops.videos.getById(queued.id)?.status === 'completed',
            120_000,
            'the resumed render',
          );
          expect(await probe(core.videos.filePath(queued.id))).toMatchObject({
            frames: 150,
            duration: 5,
          });
        } finally {
          await core.close();
        }
      } finally {
        dir.remove();
      }
    },
  );
});
