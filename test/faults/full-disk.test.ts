import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore } from '../../src/main/core';
import {
  httpRequestFor,
  type OperationArgs,
  type OperationName,
  type OperationResult,
} from '../../src/shared/contract';
import { jsonOf, runCli, startServe, type ServeProcess } from '../adapters/cli/cli-helpers';
import { makeTempDir } from '../helpers/temp-library';
import { mountSmallDisk, smallDiskUnavailable, type SmallDisk } from '../helpers/small-disk';
import { waitFor } from '../capture/support';
import { crashed, frameFolder, libraryFacts } from './support';

/**
 * A full disk crashes nothing. Mechanism: a real 48 MB tmpfs (mount -t tmpfs,
 * as root; skipped with the reason where it cannot be mounted), filled with a
 * file until the kernel answers ENOSPC. `timelapser serve` (a child process)
 * captures a demo camera every second and runs a regeneration while a second
 * process imports; the disk fills under them (the import starts with less room
 * than it needs, so it runs out part-way), then space is freed and the folder
 * imported again. No process
 * may die, and afterwards every frame is there once with both variants.
 * min_free_space_mb is 0 here (the disk is far smaller than the 1 GB default),
 * so only real failed writes pause; the guard's own threshold has its test.
 */
const unavailable = smallDiskUnavailable();
/** Room left when the import starts: more than the guard's "full" mark, less than its twelve frames (4.4 MB) need. */
const IMPORT_ROOM_BYTES = 2.5 * 1024 * 1024;

describe.skipIf(unavailable !== null)(
  `full disk on a real tmpfs${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let disk: SmallDisk;
    let root: string;
    const sources = makeTempDir('timelapser-full-disk-sources-');
    let before: string[];
    let during: string[];
    let serve: ServeProcess | undefined;

    beforeAll(async () => {
      disk = mountSmallDisk(48);
      root = join(disk.path, 'library');
      before = await frameFolder(join(sources.path, 'before'), 6, new Date(2026, 4, 1, 6, 0), 1);
      // Full-HD frames, so the import needs more room than it finds.
      during = await frameFolder(join(sources.path, 'during'), 12, new Date(2026, 4, 1, 7, 0), 20, {
        width: 1920,
        height: 1080,
      });
    });
    afterAll(async () => {
      await serve?.stop();
      disk?.unmount();
      sources.remove();
    });

    it(
      'pauses capture, generation and import with 507 while full, resumes when space is freed, and loses nothing',
      { timeout: 180_000 },
      async () => {
        // A library with imported frames and a demo camera, made in this process.
        const setup = await openCore({ dataRoot: root, poolSize: 1 });
        setup.settings.update({ min_free_space_mb: 0 });
        await setup.importFolder({ folder: join(sources.path, 'before'), cameraName: 'Archive' });
        const demo = setup.cameras.create({
          name: 'Yard',
          source_type: 'demo',
          source_options: { width: 320, height: 240 },
          capture_interval_s: 1,
        });
        setup.timelapses.start(demo.id);
        await setup.worker.runUntilEmpty();
        await setup.close();

        const runs = [];
        // Another process imports a folder into the library, as `timelapser import` does.
        const importDuring = () =>
          runCli([
            '--data',
            root,
            'import',
            join(sources.path, 'during'),
            '--camera',
            'Archive',
            '--json',
          ]);
        serve = await startServe(['--data', root]);
        const api = client(serve.info.url);
        const frames = async () =>
          (await api('cameras.get', { camera_id: demo.id })).latest_image?.id ?? 0;
        await waitFor(async () => (await frames()) >= 8, 20_000, 'the demo camera to capture');
        const regeneration = await api('thumbnails.regenerateAll', { force_regenerate: true });
        expect(regeneration.status).toBe('running');

        // The disk fills while another process imports: a little room is left, so the
        // first frames may fit and a later write hits ENOSPC (or capture takes the room first).
        await disk.fill(IMPORT_ROOM_BYTES);
        const refused = await importDuring();
        runs.push(refused);
        expect(refused.code, refused.stdout + refused.stderr).toBe(1);
        expect(jsonOf(refused)).toMatchObject({
          success: false,
          status_code: 507,
          error: expect.stringMatching(/disk is full/),
        });
        await disk.fill();
        await waitFor(
          async () =>
            (await api('cameras.get', { camera_id: demo.id })).capture?.state ===
            'paused_disk_full',
          20_000,
          'capture to pause',
        );
        const storage = await api('system.storage');
        expect(storage).toMatchObject({
          state: 'full',
          paused: true,
          free_bytes: expect.any(Number),
        });
        expect((await api('cameras.list')).find((c) => c.id === demo.id)?.capture?.state).toBe(
          'paused_disk_full',
        );

        const drain = await runCli(['--data', root, 'jobs', 'run', '--until-empty', '--json']);
        runs.push(drain);
        expect(drain.code).toBe(1);
        expect(jsonOf(drain)).toMatchObject({ status_code: 507 });
        // HTTP writes answer (a write that finds no room: 507), never 500.
        const write = await http(serve.info.url, 'cameras.create', {
          name: 'Gate',
          source_type: 'demo',
          enabled: false,
        });
        expect([200, 507]).toContain(write.status);

        await new Promise((resolve) => setTimeout(resolve, 3_000)); // capture, worker and checkpoints keep failing
        expect(serve.child.exitCode).toBeNull();

        await disk.free();
        await waitFor(
          async () => !(await api('system.storage')).paused,
          20_000,
          'the pause to end by itself',
        );
        const resumedAt = await frames();
        await waitFor(async () => (await frames()) > resumedAt, 20_000, 'capture to resume');
        await waitFor(
          async () => (await api('thumbnails.regenerationStatus')).status === 'completed',
          60_000,
          'the regeneration to finish',
        );
        const imported = await importDuring();
        runs.push(imported);
        expect(imported.code).toBe(0);
        expect(jsonOf(imported).data).toMatchObject({ rejected: [] });
        await waitFor(
          async () => {
            const jobs = await api('jobs.stats');
            return jobs.pending_jobs === 0 && jobs.processing_jobs === 0;
          },
          60_000,
          'the queue to drain',
        );
        expect(serve.child.exitCode).toBeNull();
        expect(await serve.stop()).toBe(0);
        serve = undefined;

        expect(runs.filter(crashed)).toEqual([]);
        const facts = libraryFacts(root);
        expect(facts.integrity).toBe('ok');
        expect(facts.withoutFrame).toEqual([]);
        expect(facts.withoutThumbnail).toEqual([]);
        expect(facts.withoutSmall).toEqual([]);
        expect(facts.strays).toEqual([]);
        expect(facts.temp).toEqual([]);
        // A full disk is not the image's fault: no job failed or spent a retry.
        expect({
          failed: facts.failedJobs,
          retried: facts.retriedJobs,
          live: facts.liveJobs,
        }).toEqual({
          failed: 0,
          retried: 0,
          live: 0,
        });
        // Every imported frame exactly once.
        expect([...before, ...during].map((hash) => facts.frameHashes.get(hash))).toEqual(
          Array(before.length + during.length).fill(1),
        );
      },
    );
  },
);

type Client = <N extends OperationName>(
  name: N,
  args?: OperationArgs<N>,
) => Promise<OperationResult<N>>;

/** The serve child's API over HTTP, as the web UI calls it; a failure throws with its body. */
function client(url: string): Client {
  return async (name, args) => {
    const reply = await http(url, name, args);
    if (reply.status !== 200)
      throw new Error(`${name}: ${reply.status} ${JSON.stringify(reply.body)}`);
    return (reply.body as { data: never }).data;
  };
}

async function http<N extends OperationName>(url: string, name: N, args?: OperationArgs<N>) {
  const plan = httpRequestFor(name, args);
  const response = await fetch(url + plan.url, {
    method: plan.method,
    headers: plan.body === undefined ? {} : { 'content-type': 'application/json' },
    body: plan.body,
  });
  return { status: response.status, body: (await response.json()) as unknown };
}
