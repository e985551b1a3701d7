import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ImageProcessingError, isPermanentImageError } from '../../src/main/imaging/image-errors';
import {
  ThumbnailEngine,
  type ThumbnailEngineOptions,
} from '../../src/main/imaging/thumbnail-engine';
import { baselineJpeg } from '../helpers/images';
import { frameRequest, leftovers, useScratchDir } from './engine-support';

const dir = useScratchDir('timelapser-workers-');
let frame: Buffer;
let engines: ThumbnailEngine[] = [];

beforeAll(async () => {
  frame = await baselineJpeg(1280, 720);
});
afterEach(async () => {
  await Promise.all(engines.map((engine) => engine.close()));
  engines = [];
});

function engineWith(options: ThumbnailEngineOptions): ThumbnailEngine {
  const engine = new ThumbnailEngine(options);
  engines.push(engine);
  return engine;
}

/** An engine whose worker dies (exit) or hangs after writing the temp files of any source named *doomed*. */
function sabotaged(action: 'exit' | 'hang', options: ThumbnailEngineOptions = {}): ThumbnailEngine {
  return engineWith({
    poolSize: 1,
    ...options,
    testHooks: { sabotage: { whenSourceContains: 'doomed', action } },
  });
}

async function expectRecovered(engine: ThumbnailEngine, name = 'after.jpg') {
  const result = await engine.generate(await frameRequest(dir.path, name, frame));
  expect(result.small).toMatchObject({ width: 800, height: 450 });
  expect(engine.stats).toMatchObject({ busy_workers: 0, queued_tasks: 0 });
}

describe('a worker that dies mid-task', () => {
  it('fails its task as transient, leaves no file under a real name or in temp, and is replaced', async () => {
    const engine = sabotaged('exit');
    const request = await frameRequest(dir.path, 'doomed.jpg', frame);
    const error = await engine.generate(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageProcessingError);
    expect(error).toMatchObject({ failure: 'worker_crashed', permanent: false });
    expect((error as Error).message).toMatch(/worker died .*replaced/);
    expect(isPermanentImageError(error)).toBe(false);
    expect(await leftovers(dir.path)).toEqual([]);
    await expectRecovered(engine);
  });

  it('fails only the frames that worker held; the others finish', async () => {
    const engine = sabotaged('exit', { poolSize: 2 });
    const doomed = engine
      .generate(await frameRequest(dir.path, 'doomed.jpg', frame))
      .catch((e: unknown) => e);
    const others = await Promise.allSettled(
      [1, 2, 3].map(async (i) =>
        engine.generate(await frameRequest(dir.path, `ok-${i}.jpg`, frame)),
      ),
    );
    expect(await doomed).toMatchObject({ failure: 'worker_crashed' });
    const finished = others.filter((outcome) => outcome.status === 'fulfilled');
    const lost = others.flatMap((outcome) =>
      outcome.status === 'rejected' ? [outcome.reason] : [],
    );
    // A worker holds at most two frames: the doomed one and one beside it, which may be retried.
    expect(finished.length).toBeGreaterThanOrEqual(2);
    for (const error of lost)
      expect(error).toMatchObject({ failure: 'worker_crashed', permanent: false });
    await expectRecovered(engine);
  });
});

/** Fills every slot of a one-worker engine with frames that hang it. */
async function hungFrames(engine: ThumbnailEngine): Promise<Promise<unknown>[]> {
  const requests = await Promise.all(
    [1, 2].map((i) => frameRequest(dir.path, `doomed-${i}.jpg`, frame)),
  );
  const pending = requests.map((request) => engine.generate(request).catch((e: unknown) => e));
  expect(engine.stats).toMatchObject({ capacity: 2, running_tasks: 2, queued_tasks: 0 });
  return pending;
}

describe('a worker that hangs', () => {
  it('is stopped at the task timeout, its task fails as transient, and the pool recovers', async () => {
    // The replacement worker boots from TypeScript inside this timeout: room for a loaded machine.
    const engine = sabotaged('hang', { taskTimeoutMs: 5_000 });
    const request = await frameRequest(dir.path, 'doomed.jpg', frame);
    const error = await engine.generate(request).catch((e: unknown) => e);
    expect(error).toMatchObject({
      failure: 'worker_timeout',
      permanent: false,
      details: { timeout_ms: 5_000 },
    });
    expect(await leftovers(dir.path)).toEqual([]);
    await expectRecovered(engine);
  });

  it('starts the timeout when a worker takes the task, not while it waits in the queue', async () => {
    const engine = sabotaged('hang', { taskTimeoutMs: 4_000 });
    const blockers = await hungFrames(engine);
    // Waits the blockers' full 4 s timeout, then runs: counted from submission it would time out too.
    const queued = engine.generate(await frameRequest(dir.path, 'patient.jpg', frame));
    expect(engine.stats.queued_tasks).toBe(1);
    for (const blocker of blockers) {
      expect(await blocker).toMatchObject({
        failure: expect.stringMatching(/^worker_(timeout|crashed)$/),
      });
    }
    expect((await queued).thumbnail).toMatchObject({ width: 200, height: 113 });
  });
});

describe('cancellation', () => {
  it("stops a running task with the caller's reason and replaces its worker", async () => {
    const engine = sabotaged('hang');
    const controller = new AbortController();
    const pending = engine.generate(
      await frameRequest(dir.path, 'doomed.jpg', frame),
      controller.signal,
    );
    setTimeout(() => controller.abort(new Error('job cancelled')), 500);
    await expect(pending).rejects.toThrow('job cancelled');
    expect(await leftovers(dir.path)).toEqual([]);
    await expectRecovered(engine);
  });

  it('removes a queued task without running it', async () => {
    const engine = sabotaged('hang', { taskTimeoutMs: 1_500 });
    const [blocker] = await hungFrames(engine);
    const controller = new AbortController();
    const queued = engine.generate(
      await frameRequest(dir.path, 'queued.jpg', frame),
      controller.signal,
    );
    expect(engine.stats.queued_tasks).toBe(1);
    controller.abort(new Error('not needed'));
    await expect(queued).rejects.toThrow('not needed');
    expect(engine.stats.queued_tasks).toBe(0);
    expect(await blocker).toMatchObject({ failure: 'worker_timeout' });
    expect(await leftovers(dir.path)).toEqual([]);
  });

  it('refuses at once with an already-aborted signal', async () => {
    const engine = engineWith({ poolSize: 1 });
    const signal = AbortSignal.abort(new Error('too late'));
    await expect(
      engine.generate(await frameRequest(dir.path, 'late.jpg', frame), signal),
    ).rejects.toThrow('too late');
    expect(engine.stats.completed_tasks).toBe(0);
  });
});

describe('write failures', () => {
  it('are transient and leave nothing behind when the destination cannot be created', async () => {
    const engine = engineWith({ poolSize: 1 });
    const request = await frameRequest(dir.path, 'blocked.jpg', frame);
    await writeFile(join(dir.path, 'smalls'), 'a file where the folder should be');
    const error = await engine.generate(request).catch((e: unknown) => e);
    expect(error).toMatchObject({ failure: 'write_failed', permanent: false });
    expect((await leftovers(dir.path)).filter((name) => name.startsWith('.tmp'))).toEqual([]);
  });

  it('are transient when the temp folder is gone', async () => {
    const engine = engineWith({ poolSize: 1 });
    const request = await frameRequest(dir.path, 'no-temp.jpg', frame);
    const error = await engine
      .generate({ ...request, tempDirectory: join(dir.path, 'missing-tmp') })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      failure: 'write_failed',
      permanent: false,
      details: { code: 'ENOENT' },
    });
    expect(await leftovers(dir.path)).toEqual([]);
  });
});

describe('close', () => {
  it('drains accepted tasks, then refuses new ones as engine_closed', async () => {
    const engine = engineWith({ poolSize: 1 });
    const requests = await Promise.all(
      [1, 2, 3].map((i) => frameRequest(dir.path, `drain-${i}.jpg`, frame)),
    );
    const pending = requests.map((request) => engine.generate(request));
    await engine.close();
    const results = await Promise.all(pending);
    expect(results.map((result) => result.thumbnail.width)).toEqual([200, 200, 200]);
    const error = await engine.generate(requests[0]!).catch((e: unknown) => e);
    expect(error).toMatchObject({ failure: 'engine_closed', permanent: false });
    await expect(engine.validate(frame)).rejects.toMatchObject({ failure: 'engine_closed' });
  });
});
