import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../src/main/adapters/http/server';
import {
  IMAGE_URL_TEMPLATES,
  fillPath,
  httpRequestFor,
  operations,
  type OperationName,
} from '../../../src/shared/contract';
import { seedLibrary, useApiLibrary } from '../../api/api-library';
import { makeTempDir } from '../../helpers/temp-library';
import { READING_OPERATIONS, snapshot } from '../../security/harness';
import { fakeRenderer, serve } from './http-helpers';

/**
 * What real clients send, found by running the original project's web client
 * against this server: JSON requests without a body, cache busters on GETs,
 * paths the API does not have, and deletes that race the capture.
 */
describe('HTTP that forgives what real clients send', () => {
  const library = useApiLibrary();
  let server: RunningServer;
  let seeded: Awaited<ReturnType<typeof seedLibrary>>;
  let ui: ReturnType<typeof makeTempDir>;
  beforeEach(async () => {
    seeded = await seedLibrary(library.core);
    ui = makeTempDir('timelapser-ui-');
    server = await serve(library, { rendererDir: fakeRenderer(ui.path) });
  });
  afterEach(async () => {
    await server.close();
    ui.remove();
  });

  /** The request the web client made: Content-Type set, no body at all. */
  const bodiless = (method: string, path: string) =>
    fetch(server.url + path, { method, headers: { 'Content-Type': 'application/json' } });

  it('answers a JSON POST or DELETE with an empty body as a call without arguments', async () => {
    const calls: [string, string][] = [
      ['POST', '/api/thumbnails/verify'],
      ['POST', '/api/thumbnails/repair'],
      ['POST', `/api/timelapses/${seeded.timelapse.id}/thumbnails/verify`],
      ['POST', '/api/thumbnails/regenerate-all'],
      ['POST', '/api/thumbnails/regenerate-all/cancel'],
      ['POST', '/api/jobs/cancel-pending'],
      ['DELETE', '/api/thumbnails/cleanup'],
      ['POST', `/api/timelapses/${seeded.timelapse.id}/thumbnails/generate`],
    ];
    for (const [method, path] of calls) {
      const response = await bodiless(method, path);
      expect([path, response.status, await response.clone().text()]).toEqual([
        path,
        200,
        expect.stringContaining('"success":true'),
      ]);
      expect(await response.json()).toMatchObject({ success: true });
    }
    // delete-all without arguments is the operation's own refusal (it needs confirm), not a body error.
    const unconfirmed = await bodiless('DELETE', '/api/thumbnails/delete-all');
    expect(unconfirmed.status).toBe(400);
    expect(await unconfirmed.json()).toMatchObject({
      details: { code: 'invalid_argument', confirm_required: true },
    });
    const confirmed = await fetch(`${server.url}/api/thumbnails/delete-all`, {
      method: 'DELETE',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ confirm: true }),
    });
    expect(confirmed.status).toBe(200);
  });

  /** Valid arguments for every GET operation, from the seeded library. */
  const readArgs = (): Record<string, Record<string, unknown>> => ({
    'cameras.get': { camera_id: seeded.camera.id },
    'cameras.latestImage': { camera_id: seeded.camera.id },
    'cameras.rejections': { camera_id: seeded.camera.id },
    'timelapses.list': { camera_id: seeded.camera.id },
    'timelapses.get': { timelapse_id: seeded.timelapse.id },
    'timelapses.images': { timelapse_id: seeded.timelapse.id, limit: 2 },
    'timelapses.thumbnailStats': { timelapse_id: seeded.timelapse.id },
    'images.get': { image_id: seeded.images[0]!.id },
    'images.batch': { ids: seeded.images.map((image) => image.id) },
    'timelapses.frames': { timelapse_id: seeded.timelapse.id },
    'videos.list': { timelapse_id: seeded.timelapse.id },
    'videos.get': { video_id: queuedVideo().id },
  });
  /** A render job waiting in the seeded timelapse (nothing renders it here). */
  const queuedVideo = () =>
    library.core.ops.videos.listForTimelapse(seeded.timelapse.id)[0] ??
    library.core.ops.videos.insert({
      timelapse_id: seeded.timelapse.id,
      file_path: library.core.tree.videoPath(
        seeded.camera.id,
        seeded.timelapse.id,
        'queued_v01.mp4',
      ),
      size: 'small',
      fps: 24,
      from_day: null,
      to_day: null,
      frame_count: seeded.images.length,
    });

  /** The disk's free space moves as anything on the machine writes: not part of an answer's equality. */
  const withoutLiveFigures = (body: unknown) =>
    JSON.parse(JSON.stringify(body), (key, value) =>
      key === 'disk_free_bytes' ? undefined : value,
    );

  it('lets every GET ignore query keys it does not know (cache busters), and keeps checking the ones it does', async () => {
    const args = readArgs();
    for (const name of READING_OPERATIONS) {
      const plan = httpRequestFor(name, args[name] as never);
      const plain = await fetch(server.url + plan.url);
      const busted = await fetch(
        `${server.url}${plan.url}${plan.url.includes('?') ? '&' : '?'}t=1699999999&_=42&callback=x`,
      );
      expect([name, plain.status, busted.status]).toEqual([name, 200, 200]);
      const [a, b] = [await plain.json(), await busted.json()];
      if (!name.startsWith('performance.') && name !== 'system.health')
        expect(withoutLiveFigures(b)).toEqual(withoutLiveFigures(a));
    }
    // A known key with a bad value is still an error; a body stays strict.
    expect((await fetch(`${server.url}/api/timelapses?camera_id=abc&t=1`)).status).toBe(400);
    expect(
      (await fetch(`${server.url}/api/timelapses/${seeded.timelapse.id}/images?limit=0`)).status,
    ).toBe(400);
    const strict = await fetch(`${server.url}/api/settings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ thumbnail_quality: 60, t: 1699999999 }),
    });
    expect(strict.status).toBe(400);
    expect(await strict.json()).toMatchObject({ details: { code: 'invalid_argument' } });
  });

  it('never changes anything on a GET or HEAD, on any route', async () => {
    const args = readArgs();
    const paths = READING_OPERATIONS.map((name) => httpRequestFor(name, args[name] as never).url);
    const { image, serve: universal, camera } = IMAGE_URL_TEMPLATES.http;
    for (const template of [
      ...Object.values(image),
      universal.replace(':variant', 'small'),
      camera.replace(':variant', 'thumbnail'),
    ])
      paths.push(
        fillPath(template, { image_id: seeded.images[0]!.id, camera_id: seeded.camera.id }).path,
      );
    // And the mutating routes' paths, with their arguments in the query.
    for (const name of Object.keys(operations) as OperationName[]) {
      if (operations[name].mutates)
        paths.push(
          `${fillPath(operations[name].http.path, { camera_id: 1, timelapse_id: 1, image_id: 1 }).path}?confirm=true&force_regenerate=true`,
        );
    }
    const before = snapshot(library.core);
    for (const path of paths) {
      for (const method of ['GET', 'HEAD']) {
        const response = await fetch(server.url + path, { method });
        await response.arrayBuffer();
        expect([method, path, snapshot(library.core) === before]).toEqual([method, path, true]);
      }
    }
  });

  it('answers an unknown /api path with the JSON 404 envelope, never the web page, for any method', async () => {
    const unknown = [
      '/api',
      '/api/',
      '/api?x=1',
      '/api/nothing',
      '/api/nothing.js',
      '/api/cameras/1/timelapses',
      '/api/images/1/medium/extra',
      '/api/v1/cameras',
      '/api/settings/thumbnail_quality',
    ];
    for (const path of unknown) {
      for (const method of ['GET', 'HEAD', 'POST', 'DELETE', 'PUT', 'PATCH']) {
        const init: RequestInit = { method, headers: { 'content-type': 'application/json' } };
        const response = await fetch(server.url + path, init);
        expect([method, path, response.status, response.headers.get('content-type')]).toEqual([
          method,
          path,
          404,
          'application/json; charset=utf-8',
        ]);
        if (method !== 'HEAD')
          expect(await response.json()).toMatchObject({
            success: false,
            status_code: 404,
            error: 'Route not found',
          });
      }
    }
    // Page paths still load the UI.
    for (const path of ['/', '/kiosk', '/timelapses/4', '/apix']) {
      const page = await fetch(server.url + path);
      expect([path, page.status, page.headers.get('content-type')]).toEqual([
        path,
        200,
        'text/html; charset=utf-8',
      ]);
    }
  });

  it('answers a camera delete that raced the capture with success: the row is gone, the folder follows', async () => {
    const { tree } = library.core;
    const frames = tree.resolve(tree.kindDir(seeded.camera.id, seeded.timelapse.id, 'frame'));
    // The capture and the thumbnail worker keep writing into the camera's folder while it is removed.
    let writing = true;
    let n = 0;
    const writer = (async () => {
      while (writing) {
        try {
          mkdirSync(frames, { recursive: true });
          writeFileSync(join(frames, `late-${n++}.jpg`), 'x');
        } catch {
          // the folder went away under us: try again
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const response = await bodiless('DELETE', `/api/cameras/${seeded.camera.id}`);
    writing = false;
    await writer;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      success: true,
      data: { deleted: true, id: seeded.camera.id },
    });
    expect(library.core.ops.cameras.getById(seeded.camera.id)).toBeUndefined();
    const again = await bodiless('DELETE', `/api/cameras/${seeded.camera.id}`);
    expect(again.status).toBe(404);
  });
});
