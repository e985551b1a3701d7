import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../src/main/core';
import { DiskFullError } from '../../src/main/errors';
import type { CoreEvent } from '../../src/shared/contract';
import { imagesOf, useEngine, waitFor } from '../capture/support';
import { makeTempDir } from '../helpers/temp-library';
import { mountSmallDisk, smallDiskUnavailable, type SmallDisk } from '../helpers/small-disk';
import { frameFolder, libraryFacts } from './support';

const MB = 1024 * 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The free-space guard (min_free_space_mb, statfs on the data root) pauses
 * capture, generation and import *before* the disk is full and resumes them
 * by itself. Mechanism: a real 64 MB tmpfs (mount -t tmpfs, as root; skipped
 * with the reason elsewhere), filled until 10 MB are left, with the minimum
 * set to 20 MB: nothing ever fails for want of space, the guard alone pauses.
 */
const unavailable = smallDiskUnavailable();

describe.skipIf(unavailable !== null)(
  `free-space guard on a real tmpfs${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    const pool = useEngine();
    let disk: SmallDisk;
    let core: Core | undefined;
    const sources = makeTempDir('timelapser-guard-sources-');

    beforeAll(() => {
      disk = mountSmallDisk(64);
    });
    afterAll(async () => {
      await core?.close();
      disk?.unmount();
      sources.remove();
    });

    it(
      'pauses capture, generation and import below the minimum, and resumes by itself when space returns',
      { timeout: 120_000 },
      async () => {
        const root = join(disk.path, 'library');
        core = await openCore({
          dataRoot: root,
          engine: pool.engine,
          disk: { intervalMs: 200, pausedIntervalMs: 200 },
        });
        core.settings.update({ min_free_space_mb: 20 });
        await core.disk.check();
        expect(core.disk.status()).toMatchObject({
          state: 'ok',
          paused: false,
          min_free_bytes: 20 * MB,
        });
        const events: CoreEvent[] = [];
        core.events.subscribe((event) => event.type === 'storage_changed' && events.push(event));
        const camera = core.cameras.create({
          name: 'Yard',
          source_type: 'demo',
          source_options: { width: 320, height: 240 },
          capture_interval_s: 1,
        });
        const timelapse = core.timelapses.start(camera.id);
        core.start();
        await waitFor(
          () => imagesOf(core!, timelapse.id).length >= 2,
          15_000,
          'the first captures',
        );

        await disk.fill(10 * MB);
        await waitFor(() => core!.disk.status().state === 'low', 5_000, 'the guard to notice');
        expect(events.at(-1)).toMatchObject({
          type: 'storage_changed',
          state: 'low',
          paused: true,
        });
        await waitFor(
          () =>
            core!.capture.status().find((s) => s.camera_id === camera.id)?.state ===
            'paused_disk_full',
          5_000,
          'capture to pause',
        );
        const captured = imagesOf(core, timelapse.id).length;
        // Generation waits too: a regeneration queues nothing while paused.
        const regeneration = await core.thumbnails.startThumbnailRegeneration({
          force_regenerate: true,
        });
        await sleep(2_500);
        expect(imagesOf(core, timelapse.id)).toHaveLength(captured);
        expect(core.thumbnails.getThumbnailRegenerationStatus()).toMatchObject({
          session_id: regeneration.session_id,
          status: 'running',
          completed: 0,
        });
        // An import is refused at once, in words, with 507; nothing of it is written.
        await frameFolder(join(sources.path, 'late'), 3, new Date(2026, 4, 2, 9, 0));
        const refusal = await core
          .importFolder({ folder: join(sources.path, 'late'), cameraName: 'Archive' })
          .catch((error: unknown) => error);
        expect(refusal).toBeInstanceOf(DiskFullError);
        expect(refusal).toMatchObject({
          statusCode: 507,
          message: expect.stringMatching(/almost full .*minimum is 20 MB/),
        });
        expect(core.ops.cameras.getByName('Archive')).toBeUndefined();
        expect(disk.freeBytes()).toBeGreaterThan(5 * MB); // never full: the guard paused first

        await disk.free();
        await waitFor(() => !core!.disk.status().paused, 5_000, 'the pause to end by itself');
        expect(events.at(-1)).toMatchObject({ state: 'ok', paused: false });
        await waitFor(
          () => imagesOf(core!, timelapse.id).length > captured,
          10_000,
          'capture to resume',
        );
        await waitFor(
          () => core!.thumbnails.getThumbnailRegenerationStatus().status === 'completed',
          60_000,
          'the regeneration to finish',
        );
        await core.capture.stop();
        await core.worker.runUntilEmpty();
        await core.close();
        core = undefined;

        const facts = libraryFacts(root);
        expect(facts.integrity).toBe('ok');
        expect(facts.withoutThumbnail).toEqual([]);
        expect(facts.withoutSmall).toEqual([]);
        expect(facts.strays).toEqual([]);
        expect({ failed: facts.failedJobs, retried: facts.retriedJobs }).toEqual({
          failed: 0,
          retried: 0,
        });
      },
    );
  },
);
