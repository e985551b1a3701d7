import { afterEach, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../src/main/core';
import { ConflictError, NotFoundError, ValidationError } from '../../src/main/errors';
import {
  ThumbnailService,
  type ThumbnailServiceOptions,
} from '../../src/main/maintenance/thumbnail-service';
import type { CoreEvent } from '../../src/shared/contract';
import { useTestLibrary } from '../helpers/temp-library';
import { buildDamagedLibrary, type DamagedLibrary } from './fixture';

/** Does what the ThumbnailWorker does with claimed jobs: completes them, failing `failures` of them. */
function finishJobs(core: Core, failures = 0): number[] {
  const now = Date.now();
  const jobs = core.ops.jobs.claimPendingJobs(1000, 'test-worker', now, now + 60_000);
  jobs.forEach((job, i) => {
    if (i < failures) core.ops.jobs.markFailed(job.id, 'test-worker', 'corrupt frame', now, 5);
    else core.ops.jobs.markCompleted(job.id, 'test-worker', now, 5);
  });
  return jobs.map((job) => job.image_id);
}

function sessionJobs(core: Core, sessionId: number) {
  return core.db
    .prepare<
      [number],
      {
        image_id: number;
        status: string;
        priority: string;
        job_type: string;
        force_regenerate: number;
        include_smalls: number;
      }
    >(
      'SELECT image_id, status, priority, job_type, force_regenerate, include_smalls FROM thumbnail_generation_jobs WHERE session_id = ? ORDER BY image_id',
    )
    .all(sessionId);
}

describe('regeneration sessions', () => {
  const lib = useTestLibrary();
  const services: ThumbnailService[] = [];
  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.close()));
  });
  const open = (core: Core, options: ThumbnailServiceOptions = {}) => {
    const service = new ThumbnailService(core, options);
    services.push(service);
    return service;
  };

  it('queues one high-priority bulk job per image in chunks, announces them, and completes when they are done', async () => {
    const { core } = lib;
    await buildDamagedLibrary(core);
    const events: CoreEvent[] = [];
    core.events.subscribe((e) => events.push(e));
    const service = open(core, { chunkSize: 5 });
    const started = await service.startThumbnailRegeneration();
    expect(started).toMatchObject({
      status: 'running',
      force_regenerate: true,
      include_smalls: true,
      timelapse_id: null,
    });
    await service.whenQueued();
    const sessionId = started.session_id!;
    expect(service.getThumbnailRegenerationStatus()).toMatchObject({
      session_id: sessionId,
      status: 'running',
      queueing: false,
      total: 16,
      queued: 16,
      pending: 16,
      completed: 0,
    });
    const jobs = sessionJobs(core, sessionId);
    expect(jobs).toHaveLength(16);
    for (const job of jobs) {
      expect(job).toMatchObject({
        status: 'pending',
        priority: 'high',
        job_type: 'bulk',
        force_regenerate: 1,
        include_smalls: 1,
      });
    }
    const queued = events.filter((e) => e.type === 'jobs_queued');
    expect(queued.map((e) => e.count)).toEqual([5, 5, 5, 1]);
    expect(queued.every((e) => e.priority === 'high')).toBe(true);

    finishJobs(core, 1);
    const done = service.getThumbnailRegenerationStatus();
    expect(done).toMatchObject({
      status: 'completed',
      total: 16,
      completed: 15,
      failed: 1,
      pending: 0,
      eta_seconds: 0,
    });
    expect(done.finished_at).not.toBeNull();
    expect(events.filter((e) => e.type === 'regeneration_progress').at(-1)).toMatchObject({
      session_id: sessionId,
      status: 'completed',
      completed: 15,
      failed: 1,
    });
  });

  it('allows one session at a time (409) and checks what it is given', async () => {
    const { core } = lib;
    await buildDamagedLibrary(core);
    const service = open(core);
    await service.startThumbnailRegeneration();
    await expect(service.startThumbnailRegeneration()).rejects.toThrow(ConflictError);
    await expect(service.generateForTimelapse(1)).rejects.toThrow(ConflictError);
    // A second process on the same database is refused by the database itself.
    await expect(open(core).startThumbnailRegeneration()).rejects.toThrow(ConflictError);
    service.cancelThumbnailRegeneration();
    await expect(service.startThumbnailRegeneration({ timelapse_id: 9999 })).rejects.toThrow(
      NotFoundError,
    );
    await expect(service.startThumbnailRegeneration({ limit: 0 })).rejects.toThrow(ValidationError);
    await expect(
      service.startThumbnailRegeneration({ force_regenerate: 'yes' } as never),
    ).rejects.toThrow(ValidationError);
  });

  it('"missing only" verifies first, then queues only images without a thumbnail (without smalls), and at most `limit`', async () => {
    const { core } = lib;
    const fx = await buildDamagedLibrary(core);
    const service = open(core);
    const missing = await service.startThumbnailRegeneration({
      force_regenerate: false,
      include_smalls: false,
    });
    await service.whenQueued();
    expect(
      sessionJobs(core, missing.session_id!).map((j) => [
        j.image_id,
        j.force_regenerate,
        j.include_smalls,
      ]),
    ).toEqual([
      // A0, A1: their thumbnail file was deleted (verify cleared the path); A3, A5: no path.
      [fx.a.images[0]!.id, 0, 0],
      [fx.a.images[1]!.id, 0, 0],
      [fx.a.images[3]!.id, 0, 0],
      [fx.a.images[5]!.id, 0, 0],
    ]);
    service.cancelThumbnailRegeneration();
    const limited = await service.startThumbnailRegeneration({ limit: 7 });
    await service.whenQueued();
    expect(service.getThumbnailRegenerationStatus()).toMatchObject({
      session_id: limited.session_id,
      total: 7,
      queued: 7,
      pending: 7,
      queueing: false,
    });
  });

  it.each([
    // A2's small file was deleted, A4's small path is NULL: under "all" they are missing too.
    {
      mode: 'all',
      purge: false,
      smallsOf: (fx: DamagedLibrary) => [
        fx.a.images[2]!.id,
        fx.a.images[4]!.id,
        fx.b.images[5]!.id,
      ],
    },
    // Only each timelapse's newest frame keeps a small: B's newest lost it.
    { mode: 'latest_only', purge: false, smallsOf: (fx: DamagedLibrary) => [fx.b.images[5]!.id] },
    { mode: 'none', purge: false, smallsOf: () => [] },
    // B is completed and its smalls are purged on completion: none is missing there.
    {
      mode: 'all',
      purge: true,
      smallsOf: (fx: DamagedLibrary) => [fx.a.images[2]!.id, fx.a.images[4]!.id],
    },
  ] as const)(
    '"missing only" with small_generation_mode $mode (purge on completion: $purge) queues the smalls it wants, and leaves nothing missing',
    async ({ mode, purge, smallsOf }) => {
      const { core } = lib;
      const fx = await buildDamagedLibrary(core);
      core.settings.update({ small_generation_mode: mode, purge_smalls_on_completion: purge });
      core.ops.images.setSmallPath(fx.b.images[5]!.id, null, null);
      core.ops.timelapses.setStatus(fx.b.timelapseId, 'completed', Date.now());
      const service = open(core);
      const first = await service.startThumbnailRegeneration({ force_regenerate: false });
      await service.whenQueued();
      const thumbnails = [0, 1, 3, 5].map((i) => fx.a.images[i]!.id);
      expect(sessionJobs(core, first.session_id!).map((j) => j.image_id)).toEqual(
        [...new Set([...thumbnails, ...smallsOf(fx)])].sort((a, b) => a - b),
      );
      // The real worker makes them; a second "missing only" then finds nothing: the generator and the query agree.
      await core.worker.runUntilEmpty();
      service.tick();
      expect(service.getThumbnailRegenerationStatus()).toMatchObject({
        status: 'completed',
        failed: 0,
      });
      const second = await service.startThumbnailRegeneration({ force_regenerate: false });
      expect(second).toMatchObject({ total: 0 });
    },
  );

  it('cancel stops queueing and cancels the waiting jobs; a running job finishes', async () => {
    const { core } = lib;
    await buildDamagedLibrary(core);
    const service = open(core, { chunkSize: 4 });
    const started = await service.startThumbnailRegeneration();
    expect(started).toMatchObject({ total: 16, queued: 4, pending: 16, queueing: true }); // the first chunk is in before start answers
    const [running] = core.ops.jobs.claimPendingJobs(
      1,
      'test-worker',
      Date.now(),
      Date.now() + 60_000,
    );
    const cancelled = service.cancelThumbnailRegeneration();
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      total: 16,
      queued: 4,
      cancelled: 3,
      pending: 1,
      queueing: false,
    });
    await service.whenQueued();
    expect(core.db.prepare('SELECT count(*) FROM thumbnail_generation_jobs').pluck().get()).toBe(4);
    core.ops.jobs.markCompleted(running!.id, 'test-worker', Date.now(), 5);
    expect(service.getThumbnailRegenerationStatus()).toMatchObject({
      status: 'cancelled',
      completed: 1,
      cancelled: 3,
      pending: 0,
    });
    // Cancelling with nothing running changes nothing.
    expect(service.cancelThumbnailRegeneration()).toMatchObject({
      session_id: started.session_id,
      status: 'cancelled',
    });
  });

  it('survives a restart mid-session: queueing resumes where it stopped and the session completes', async () => {
    const { core, root } = lib;
    await buildDamagedLibrary(core);
    const first = open(core, { chunkSize: 4 });
    const { session_id } = await first.startThumbnailRegeneration();
    await first.close();
    await core.close();

    const reopened = await openCore({ dataRoot: root });
    try {
      const second = open(reopened, { chunkSize: 4 });
      const status = second.getThumbnailRegenerationStatus();
      expect(status).toMatchObject({
        session_id,
        status: 'running',
        queueing: true,
        total: 16,
        queued: 4,
      });
      await second.whenQueued();
      expect(second.getThumbnailRegenerationStatus()).toMatchObject({
        status: 'running',
        queueing: false,
        total: 16,
        queued: 16,
        pending: 16,
      });
      const jobs = sessionJobs(reopened, session_id!);
      expect(new Set(jobs.map((j) => j.image_id)).size).toBe(16);

      await second.close();
      await reopened.close();
      const third = await openCore({ dataRoot: root });
      try {
        const service = open(third);
        expect(service.getThumbnailRegenerationStatus()).toMatchObject({
          status: 'running',
          pending: 16,
        });
        expect(finishJobs(third)).toHaveLength(16);
        service.tick();
        expect(third.ops.sessions.getById(session_id!)!.status).toBe('completed');
        expect(service.getThumbnailRegenerationStatus()).toMatchObject({
          status: 'completed',
          completed: 16,
        });
      } finally {
        await Promise.all(services.splice(0).map((s) => s.close()));
        await third.close();
      }
    } finally {
      await reopened.close();
    }
  });

  it('keeps at most a window of jobs queued and tops it up as they finish, until every image is done', async () => {
    const { core } = lib;
    await buildDamagedLibrary(core);
    const queued: number[] = [];
    core.events.on('jobs_queued', (e) => queued.push(e.count));
    const service = open(core, { window: 6, chunkSize: 4 });
    const { session_id } = await service.startThumbnailRegeneration();
    const seen: [number, number][] = [];
    for (let round = 0; round < 10; round++) {
      await service.whenQueued();
      const status = service.getThumbnailRegenerationStatus();
      if (status.status === 'completed') break;
      const live = core.ops.sessions.countJobs(session_id!);
      seen.push([status.queued, live.pending]);
      expect(live.pending).toBeLessThanOrEqual(6);
      finishJobs(core);
      service.tick();
    }
    expect(seen).toEqual([
      [6, 6],
      [12, 6],
      [16, 4],
    ]);
    expect(queued).toEqual([4, 2, 4, 2, 4]);
    expect(service.getThumbnailRegenerationStatus()).toMatchObject({
      status: 'completed',
      total: 16,
      queued: 16,
      completed: 16,
      pending: 0,
    });
    expect(new Set(sessionJobs(core, session_id!).map((j) => j.image_id)).size).toBe(16);
  });

  it('generates one timelapse, answering jobs queued and the completion the measured throughput predicts', async () => {
    const { core } = lib;
    const fx = await buildDamagedLibrary(core);
    const now = Date.now();
    const measured = open(core, { throughput: () => 4, now: () => now });
    expect(await measured.generateForTimelapse(fx.a.timelapseId)).toEqual({
      jobs_queued: 10,
      estimated_completion: new Date(now + 2500).toISOString(),
      session_id: expect.any(Number),
    });
    expect(measured.getThumbnailRegenerationStatus()).toMatchObject({
      timelapse_id: fx.a.timelapseId,
      total: 10,
    });
    measured.cancelThumbnailRegeneration();
    await expect(measured.generateForTimelapse(9999)).rejects.toThrow(NotFoundError);

    const unmeasured = open(core, { throughput: () => null, now: () => now });
    const result = await unmeasured.generateForTimelapse(fx.b.timelapseId, {
      force_regenerate: true,
      include_smalls: false,
    });
    expect(result).toMatchObject({
      jobs_queued: 6,
      estimated_completion: new Date(now + 3000).toISOString(),
    });
  });
});
