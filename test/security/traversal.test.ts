import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/main/adapters/http/server';
import { seedLibrary, useApiLibrary } from '../api/api-library';
import { fakeRenderer, serve } from '../adapters/http/http-helpers';
import { cameraLikeJpeg, makeTempDir } from '../helpers/temp-library';
import { raw, recordReads, snapshot, useTally } from './harness';

/**
 * Path traversal: through the URL (encoded, double-encoded, backslashes, NUL,
 * absolute paths, into the static files and the image routes) and through
 * paths stored in the database or symlinks planted in the data root. Each try
 * must serve nothing from outside the root, open nothing there, and change nothing.
 */
describe('path traversal', () => {
  const library = useApiLibrary();
  const tally = useTally('traversal');
  let server: RunningServer;
  let seeded: Awaited<ReturnType<typeof seedLibrary>>;
  let outside: ReturnType<typeof makeTempDir>;
  let ui: ReturnType<typeof makeTempDir>;

  beforeEach(async () => {
    seeded = await seedLibrary(library.core);
    outside = makeTempDir('timelapser-outside-');
    writeFileSync(join(outside.path, 'secret.jpg'), await cameraLikeJpeg(333, 111, 9));
    writeFileSync(join(outside.path, 'secret.txt'), 'TOP-SECRET');
    ui = makeTempDir('timelapser-ui-');
    server = await serve(library, { rendererDir: fakeRenderer(ui.path) });
  });
  afterEach(async () => {
    await server.close();
    outside.remove();
    ui.remove();
  });

  const opensOutside = (paths: string[]) => paths.filter((path) => path.startsWith(outside.path));

  it('never reads a file outside the data root through the URL', async () => {
    const rel = outside.path.replace(/^\//, '');
    const encoded = encodeURIComponent(rel);
    const double = encoded.replace(/%/g, '%25');
    const up = '../'.repeat(8);
    const attempts = [
      `/api/images/..%2F..%2Fetc%2Fpasswd/thumbnail`,
      `/api/images/%2e%2e/thumbnail`,
      `/api/images/%252e%252e/thumbnail`,
      `/api/images/1/..%2F..%2F..%2F${encoded}%2Fsecret.txt`,
      `/api/images/1/serve?size=..%2F..%2Fsecret.txt`,
      `/api/images/1/serve?size=${encodeURIComponent(join(outside.path, 'secret.jpg'))}`,
      `/api/images/1%00/thumbnail`,
      `/api/images/1/thumbnail%00.jpg`,
      `/api/cameras/1/latest-image/..%2F..%2Fsecret.txt`,
      `/api/cameras/1/latest-image/..%5C..%5Csecret.txt`,
      `/api/images/batch?ids=..%2F..%2Fsecret&size=thumbnail`,
      `/..%2F..%2F..%2F..%2F..%2F${encoded}%2Fsecret.txt`,
      `/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/${rel}/secret.txt`,
      `/%252e%252e/%252e%252e/%252e%252e/%252e%252e/${double}%252Fsecret.txt`,
      `/assets/..%2F..%2F..%2F..%2F..%2F${rel}/secret.txt`,
      `/assets/..%5C..%5C..%5C..%5C..%5C${rel.replace(/\//g, '%5C')}%5Csecret.txt`,
      `/assets/..\\..\\..\\..\\..\\${rel.replace(/\//g, '\\')}\\secret.txt`,
      `/${up}${rel}/secret.txt`,
      `/assets/${up}${rel}/secret.txt`,
      `/.%2e/.%2e/.%2e/.%2e/.%2e/${rel}/secret.txt`,
      `//${rel}/secret.txt`,
      `/${outside.path}/secret.txt`,
      `/index.html%00/../../../../${rel}/secret.txt`,
      `/%00/${rel}/secret.txt`,
      `/..;/..;/..;/${rel}/secret.txt`,
    ];
    for (const path of attempts) {
      const before = snapshot(library.core, [outside.path]);
      const { result: response, paths } = await recordReads(() =>
        raw(server.url, { path, headers: { host: `127.0.0.1:${server.port}` } }),
      );
      const leaked =
        response.body.includes('TOP-SECRET') ||
        response.headers['x-timelapser-variant'] !== undefined;
      const held =
        !leaked &&
        opensOutside(paths).length === 0 &&
        snapshot(library.core, [outside.path]) === before;
      tally('url payloads', held);
      expect({ path, leaked, opened: opensOutside(paths) }).toEqual({
        path,
        leaked: false,
        opened: [],
      });
    }
  });

  it('refuses stored paths that leave the root: relative .., absolute, NUL, symlinks planted in the root', async () => {
    const [first] = seeded.images;
    const { tree } = library.core;
    const thumbDir = tree.resolve(tree.kindDir(first!.camera_id, first!.timelapse_id, 'thumbnail'));
    mkdirSync(thumbDir, { recursive: true });
    symlinkSync(join(outside.path, 'secret.jpg'), join(thumbDir, 'link.jpg'));
    symlinkSync(outside.path, join(thumbDir, 'linked-dir'));
    const depth = library.root.split('/').length;
    const kindDir = tree.kindDir(first!.camera_id, first!.timelapse_id, 'thumbnail');
    const hostile = [
      `${'../'.repeat(depth)}${outside.path.slice(1)}/secret.jpg`,
      `cameras/../../${outside.path.split('/').pop()}/secret.jpg`,
      join(outside.path, 'secret.jpg'),
      `${kindDir}/../../../../../..${outside.path}/secret.jpg`,
      `${kindDir}/link.jpg`,
      `${kindDir}/linked-dir/secret.jpg`,
      `${kindDir}/thumb\0/../../../../../..${outside.path}/secret.jpg`,
      `C:\\Windows\\win.ini`,
    ];
    for (const path of hostile) {
      library.core.ops.images.setThumbnailPath(first!.id, path, 1);
      const { result, paths } = await recordReads(async () => {
        const single = await fetch(`${server.url}/api/images/${first!.id}/thumbnail`);
        await single.arrayBuffer();
        const batch = (await (
          await fetch(`${server.url}/api/images/batch?ids=${first!.id}`)
        ).json()) as {
          data: { images: { variant: string }[] };
        };
        return {
          single: single.headers.get('x-timelapser-variant'),
          batch: batch.data.images[0]!.variant,
        };
      });
      const held =
        result.single === 'small' && result.batch === 'small' && opensOutside(paths).length === 0;
      tally('stored paths and planted symlinks', held);
      expect({ path, ...result, opened: opensOutside(paths) }).toEqual({
        path,
        single: 'small',
        batch: 'small',
        opened: [],
      });
    }
  });

  it('deletes a camera whose folder was swapped for a symlink out of the root without touching what it points at', async () => {
    const { tree } = library.core;
    const cameraDir = tree.resolve(tree.cameraDir(seeded.camera.id));
    const moved = join(outside.path, 'moved-camera');
    mkdirSync(moved);
    writeFileSync(join(moved, 'keep.jpg'), await cameraLikeJpeg(320, 240, 3));
    // The real folder goes away; a link to a folder outside takes its name.
    await import('node:fs/promises').then(({ rm }) => rm(cameraDir, { recursive: true }));
    symlinkSync(moved, cameraDir);
    const before = snapshot(library.core, [outside.path]);
    const response = await fetch(`${server.url}/api/cameras/${seeded.camera.id}`, {
      method: 'DELETE',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      success: true,
      data: { deleted: true, id: seeded.camera.id },
    });
    expect(library.core.ops.cameras.getById(seeded.camera.id)).toBeUndefined();
    // The link is gone; the folder it pointed at is as it was.
    expect(JSON.parse(snapshot(library.core, [outside.path])).outside).toEqual(
      JSON.parse(before).outside,
    );
    const again = await fetch(`${server.url}/api/cameras/${seeded.camera.id}`, {
      method: 'DELETE',
      headers: { 'content-type': 'application/json' },
    });
    expect(again.status).toBe(404);
    tally('delete through a planted symlink', true);
  });
});
