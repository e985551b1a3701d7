import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { CoreContext } from '../../src/main/context';
import type { Core, CoreOptions } from '../../src/main/core';
import type { ImageRow, JobRow } from '../../src/main/database/types';
import { ThumbnailEngine } from '../../src/main/imaging/thumbnail-engine';
import type { CoreEventBody, CoreEventType } from '../../src/shared/contract';
import { openTestLibrary, type TestLibrary } from '../helpers/temp-library';

/** The real thumbnail engine (one pool worker) for the whole file; its validate is capture's corruption check. */
export function useEngine(): { readonly engine: ThumbnailEngine } {
  let engine: ThumbnailEngine | undefined;
  beforeAll(() => {
    engine = new ThumbnailEngine({ poolSize: 1 });
  });
  afterAll(async () => engine?.close());
  return {
    get engine() {
      return engine!;
    },
  };
}

/**
 * Libraries opened by a test with its own capture options (sources, backoff,
 * tick probe), all on the file's shared engine; closed after each test.
 */
export function useCaptureLibraries(pool: {
  readonly engine: ThumbnailEngine;
}): (capture?: CoreOptions['capture']) => Promise<Core> {
  const open: TestLibrary[] = [];
  afterEach(async () => {
    for (const library of open.splice(0).reverse()) await library.cleanup();
  });
  return async (capture = {}) => {
    const library = await openTestLibrary({ engine: pool.engine, capture });
    open.push(library);
    return library.core;
  };
}

/** Every event of the given types, in order, from now on. */
/**
 * Records events of these types as they were announced: type and fields.
 * The time every event carries is checked here (an ISO string) and left out,
 * so tests can compare what happened.
 */
export function recordEvents<T extends CoreEventType>(
  ctx: CoreContext,
  ...types: T[]
): Extract<CoreEventBody, { type: T }>[] {
  const seen: Extract<CoreEventBody, { type: T }>[] = [];
  ctx.events.subscribe(({ timestamp, ...body }) => {
    if (new Date(timestamp).toISOString() !== timestamp) throw new Error(`bad event timestamp ${timestamp}`);
    if ((types as string[]).includes(body.type)) seen.push(body as Extract<CoreEventBody, { type: T }>);
  });
  return seen;
}

export function imagesOf(ctx: CoreContext, timelapseId: number): ImageRow[] {
  return ctx.ops.images.listByTimelapse(timelapseId, 0, 10_000);
}

export function liveJobsOf(ctx: CoreContext, images: ImageRow[]): JobRow[] {
  return images
    .map((image) => ctx.ops.jobs.getLiveJobForImage(image.id))
    .filter((job): job is JobRow => !!job);
}

/** Names in a timelapse's frames/ folder. */
export async function framesOnDisk(
  ctx: CoreContext,
  cameraId: number,
  timelapseId: number,
): Promise<string[]> {
  const dir = ctx.tree.resolve(ctx.tree.kindDir(cameraId, timelapseId, 'frame'));
  return (await readdir(dir).catch(() => [] as string[])).sort();
}

export async function tempFiles(ctx: CoreContext): Promise<string[]> {
  return readdir(ctx.tree.tempDirectory);
}

export async function waitFor<T>(
  probe: () => T | Promise<T>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export interface TestServer {
  url: string;
  requests: IncomingMessage[];
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 with an ephemeral port. */
export async function startServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<TestServer> {
  const requests: IncomingMessage[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
