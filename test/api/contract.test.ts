import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATION_NAMES, type OperationArgs, type OperationName } from '../../src/shared/contract';
import type { RunningServer } from '../../src/main/adapters/http/server';
import { callHttp, serve } from '../adapters/http/http-helpers';
import {
  cameraLikeJpeg,
  makeTempDir,
  openTestLibrary,
  type TestLibrary,
} from '../helpers/temp-library';
import { seedLibrary } from './api-library';

/**
 * Every operation of the contract, run once as a direct call on library A and
 * once over HTTP on an identically seeded library B: the answers (data or the
 * spec's error body) must be the same, field for field. Only wall-clock values
 * differ between two runs and are masked: ISO times, uptime, ages and the
 * free space of the disk the two share.
 */
const CLOCK_FIELDS = new Set([
  'uptime_seconds',
  'oldest_pending_age_seconds',
  'elapsed_ms',
  'disk_free_bytes',
  'free_bytes',
]);
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?Z$/;

function maskClock(value: unknown): unknown {
  if (typeof value === 'string' && ISO_TIME.test(value)) return '<time>';
  if (Array.isArray(value)) return value.map(maskClock);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        CLOCK_FIELDS.has(key) ? '<clock>' : maskClock(item),
      ]),
    );
  }
  return value;
}

type Step = {
  [N in OperationName]: { name: N; args: OperationArgs<N>; status: number };
}[OperationName];
const step = <N extends OperationName>(name: N, args: OperationArgs<N>, status = 200): Step =>
  ({ name, args, status }) as Step;

describe('contract: direct call and HTTP give identical results', () => {
  let direct: TestLibrary;
  let overHttp: TestLibrary;
  let server: RunningServer;
  const importDir = makeTempDir('timelapser-import-');

  beforeAll(async () => {
    [direct, overHttp] = await Promise.all([
      openTestLibrary({ poolSize: 1 }),
      openTestLibrary({ poolSize: 1 }),
    ]);
    await seedLibrary(direct.core);
    await seedLibrary(overHttp.core);
    server = await serve(overHttp);
    mkdirSync(join(importDir.path, 'roof'));
    for (let i = 0; i < 3; i++) {
      const file = join(importDir.path, 'roof', `frame-${i}.jpg`);
      writeFileSync(file, await cameraLikeJpeg(640, 480, 10 + i));
      const at = new Date(2026, 2, 1, 8, i, 0);
      utimesSync(file, at, at);
    }
  });
  afterAll(async () => {
    await server?.close();
    await direct?.cleanup();
    await overHttp?.cleanup();
    importDir.remove();
  });

  const steps: Step[] = [
    step('system.health', {}),
    step('settings.get', {}),
    step('settings.update', { thumbnail_quality: 70, small_generation_mode: 'latest_only' }),
    step('settings.update', { thumbnail_quality: 700 }, 400),
    step('cameras.list', {}),
    step('cameras.get', { camera_id: 1 }),
    step('cameras.get', { camera_id: 999 }, 404),
    step('cameras.get', { camera_id: 'abc' }, 400),
    step('cameras.create', {
      name: 'Gate',
      source_type: 'demo',
      capture_interval_s: 30,
      enabled: false,
    }),
    step('cameras.create', { name: 'Gate', source_type: 'demo' }, 409),
    step('cameras.update', { camera_id: 2, capture_interval_s: 45, generate_thumbnails: false }),
    step('cameras.latestImage', { camera_id: 1 }),
    step('cameras.latestImage', { camera_id: 2 }, 404),
    step('cameras.test', { source_type: 'folder', source_url: join(importDir.path, 'roof') }),
    step(
      'cameras.test',
      { source_type: 'folder', source_url: join(importDir.path, 'nowhere') },
      500,
    ),
    step('cameras.test', { source_type: 'http', source_url: 'file:///etc/passwd' }, 400),
    step('cameras.reorder', { camera_ids: [2, 1] }),
    step('cameras.reorder', { camera_ids: [2, 2] }, 400),
    step('timelapses.update', { timelapse_id: 1, name: 'Yard, first week' }),
    step('cameras.rejections', { camera_id: 1 }),
    step('cameras.rejections', { camera_id: 1, limit: '10' }),
    step('cameras.rejections', { camera_id: 999 }, 404),
    step('timelapses.list', {}),
    step('timelapses.list', { camera_id: 1 }),
    step('timelapses.get', { timelapse_id: 1 }),
    step('timelapses.get', { timelapse_id: 42 }, 404),
    step('timelapses.start', { camera_id: 1, name: 'Second' }, 409),
    step('timelapses.start', { camera_id: 2, name: 'Gate spring' }),
    step('timelapses.images', { timelapse_id: 1, limit: 2 }),
    step('timelapses.images', { timelapse_id: 1, after_id: 2, limit: 2 }),
    step('timelapses.images', { timelapse_id: 1, flagged: 'true' }),
    step('timelapses.frames', { timelapse_id: 1 }),
    step('timelapses.frames', { timelapse_id: 1, offset: 2, last_id: 2 }),
    step('timelapses.frames', { timelapse_id: 1, offset: 2, last_id: 3 }),
    step('timelapses.frames', { timelapse_id: 42 }, 404),
    step('videos.render', { timelapse_id: 1, fps: 12, size: 'small', from_day: 1 }),
    step('videos.render', { timelapse_id: 1, fps: 0 }, 400),
    step('videos.render', { timelapse_id: 1, from_day: 5 }, 400),
    step('videos.list', { timelapse_id: 1 }),
    step('videos.get', { video_id: 1 }),
    step('videos.get', { video_id: 9 }, 404),
    step('videos.cancel', { video_id: 1 }),
    step('videos.delete', { video_id: 1 }),
    step('videos.delete', { video_id: 1 }, 404),
    step('images.get', { image_id: 2 }),
    step('images.get', { image_id: 77 }, 404),
    step('images.batch', { ids: [1, 2, 3, 99], size: 'thumbnail' }),
    step('images.batch', { ids: '3,2', size: 'small' }),
    step('images.batch', { ids: Array.from({ length: 201 }, (_, i) => i + 1) }, 413),
    step('timelapses.thumbnailStats', { timelapse_id: 1 }),
    step('timelapses.verifyThumbnails', { timelapse_id: 1 }),
    step('thumbnails.verifyAll', {}),
    step('thumbnails.repair', { dry_run: true }),
    step('thumbnails.repair', {}),
    step('frames.removeMissing', { dry_run: true }),
    step('frames.removeMissing', {}),
    step('system.storage', {}),
    step('thumbnails.cleanup', { dry_run: true }),
    step('thumbnails.cleanup', { dry_run: false }),
    step('thumbnails.regenerationStatus', {}),
    step('timelapses.generateThumbnails', {
      timelapse_id: 1,
      force_regenerate: true,
      include_smalls: true,
    }),
    step('thumbnails.regenerateAll', { force_regenerate: true }, 409),
    step('thumbnails.regenerationStatus', {}),
    step('thumbnails.cancelRegeneration', {}),
    step('thumbnails.regenerateAll', { force_regenerate: false, limit: 2 }),
    step('jobs.stats', {}),
    step('jobs.pause', {}),
    step('jobs.stats', {}),
    step('jobs.resume', {}),
    step('jobs.failed', { limit: 10 }),
    step('jobs.failed', { limit: 0 }, 400),
    step('jobs.retryFailed', {}),
    step('jobs.clearFailed', { job_ids: [1, 2] }),
    step('jobs.cancelPending', {}),
    step('jobs.cleanup', { older_than_hours: 1 }),
    step('thumbnails.cancelRegeneration', {}),
    step('thumbnails.scan', {}),
    step('thumbnails.stats', {}),
    step('thumbnails.storage', {}),
    step('performance.stats', {}),
    step('performance.issues', {}),
    step('performance.recommendations', {}),
    step('thumbnails.deleteAll', {}, 400),
    step('thumbnails.deleteAll', { confirm: true }),
    step('capture.importFolder', { folder: join(importDir.path, 'roof'), camera: 'Roof' }),
    step('capture.importFolder', { folder: join(importDir.path, 'roof'), camera: 'Roof' }),
    step('timelapses.stop', { timelapse_id: 2 }),
    step('timelapses.complete', { timelapse_id: 2 }),
    step('timelapses.stop', { timelapse_id: 2 }, 409),
    step('images.delete', { image_id: 3 }),
    step('images.delete', { image_id: 3 }, 404),
    step('timelapses.delete', { timelapse_id: 2 }),
    step('cameras.delete', { camera_id: 2 }),
    step('cameras.list', {}),
  ];

  it.each(steps.map((s, i) => [`${i + 1}. ${s.name} → ${s.status}`, s] as const))(
    '%s',
    async (_label, { name, args, status }) => {
      const viaCall = JSON.parse(JSON.stringify(await direct.api.invoke(name, args)));
      const viaHttp = await callHttp(server, name, args as never);
      expect(viaHttp.status).toBe(status);
      expect(viaCall.success ? 200 : viaCall.status_code).toBe(status);
      if (!viaCall.success) expect(viaHttp.body).toMatchObject({ status_code: status });
      expect(maskClock(viaHttp.body)).toEqual(maskClock(viaCall));
    },
  );

  it('covers every operation of the contract', () => {
    expect(new Set(steps.map((s) => s.name))).toEqual(new Set(OPERATION_NAMES));
  });
});
