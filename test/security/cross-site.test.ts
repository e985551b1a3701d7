import { createServer, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHttpServer, type RunningServer } from '../../src/main/adapters/http/server';
import {
  fillPath,
  httpRequestFor,
  operations,
  type OperationName,
} from '../../src/shared/contract';
import { seedLibrary, useApiLibrary } from '../api/api-library';
import { fakeRenderer } from '../adapters/http/http-helpers';
import { launchChromium } from '../e2e/harness';
import { baselineJpeg } from '../helpers/images';
import { makeTempDir } from '../helpers/temp-library';
import { MUTATING_OPERATIONS, raw, recordingApi, snapshot, useTally } from './harness';

/**
 * The attack: a page the user visits drives the loopback server with
 * requests a browser sends without asking (form posts, no-cors fetches,
 * images). Every mutating route of the contract is tried every way, raw and
 * from a page in real Chromium served from a second loopback origin; each try
 * must be refused before any handler runs and change nothing (rows, settings,
 * jobs, files in the library and in the folder the attacker points at).
 */

type Args = Record<string, unknown>;

describe('cross-site requests change nothing', () => {
  const library = useApiLibrary();
  const tally = useTally('cross-site');
  let server: RunningServer;
  let calls: OperationName[];
  let victim: ReturnType<typeof makeTempDir>;
  let ui: ReturnType<typeof makeTempDir>;
  let attacks: Record<OperationName, Args>;

  beforeEach(async () => {
    const seeded = await seedLibrary(library.core);
    victim = makeTempDir('timelapser-pictures-'); // the user's own photos, outside the library
    for (let i = 1; i <= 3; i++)
      writeFileSync(join(victim.path, `holiday-${i}.jpg`), await baselineJpeg(640, 480, i));
    ui = makeTempDir('timelapser-ui-');
    const recording = recordingApi(library.api);
    calls = recording.calls;
    server = await startHttpServer({
      api: recording.api,
      events: library.core.events,
      port: 0,
      rendererDir: fakeRenderer(ui.path),
    });
    const camera_id = seeded.camera.id;
    const timelapse_id = seeded.timelapse.id;
    const image_id = seeded.images[0]!.id;
    // A render job waiting (nothing renders it here): what cancel and delete would hit.
    const video_id = library.core.ops.videos.insert({
      timelapse_id,
      file_path: library.core.tree.videoPath(camera_id, timelapse_id, 'queued_v01.mp4'),
      size: 'small',
      fps: 24,
      from_day: null,
      to_day: null,
      frame_count: seeded.images.length,
    }).id;
    attacks = {
      'cameras.create': { name: 'Evil', source_type: 'folder', source_url: victim.path },
      'cameras.update': {
        camera_id,
        source_type: 'folder',
        source_url: victim.path,
        enabled: true,
      },
      'cameras.delete': { camera_id },
      // A page probing the user's folders (or the LAN) through the camera test.
      'cameras.test': { source_type: 'folder', source_url: victim.path },
      'cameras.reorder': { camera_ids: [camera_id] },
      'timelapses.start': { camera_id },
      'timelapses.update': { timelapse_id, name: 'Evil' },
      'timelapses.stop': { timelapse_id },
      'timelapses.complete': { timelapse_id },
      'timelapses.delete': { timelapse_id },
      'timelapses.generateThumbnails': { timelapse_id, force_regenerate: true },
      'timelapses.verifyThumbnails': { timelapse_id },
      'capture.importFolder': { folder: victim.path, camera: 'Evil' },
      'images.delete': { image_id },
      'thumbnails.regenerateAll': { force_regenerate: true },
      'thumbnails.cancelRegeneration': {},
      'thumbnails.verifyAll': {},
      'thumbnails.repair': {},
      'thumbnails.cleanup': { force: true },
      'thumbnails.deleteAll': { confirm: true },
      'frames.removeMissing': { force: true },
      'settings.update': { thumbnail_quality: 5 },
      'jobs.cancelPending': {},
      'jobs.cleanup': { older_than_hours: 1 },
      'videos.render': { timelapse_id, fps: 60, size: 'full' },
      'videos.cancel': { video_id },
      'videos.delete': { video_id },
      // Issue 19: the census, the queue's pause and its failed jobs.
      'thumbnails.scan': {},
      'jobs.pause': {},
      'jobs.resume': {},
      'jobs.retryFailed': {},
      'jobs.clearFailed': { job_ids: [1] },
    } as Partial<Record<OperationName, Args>> as Record<OperationName, Args>;
  });
  afterEach(async () => {
    await server.close();
    victim.remove();
    ui.remove();
  });

  it('knows an attack for every mutating operation of the contract', () => {
    expect(Object.keys(attacks).sort()).toEqual([...MUTATING_OPERATIONS].sort());
  });

  /** The route of `name` with its path filled and the rest of `args` as a query string. */
  const routeOf = (name: OperationName, args: Args) => {
    const { path, rest } = fillPath(operations[name].http.path, args);
    return { method: operations[name].http.method, path, rest };
  };
  const queryOf = (rest: Args) =>
    new URLSearchParams(
      Object.entries(rest).map(([k, v]): [string, string] => [k, String(v)]),
    ).toString();
  const host = () => `127.0.0.1:${server.port}`;
  const mutatingCalls = () => calls.filter((name) => operations[name].mutates);

  describe('raw requests, as a browser would send them', () => {
    const foreign = 'http://127.0.0.2:8080';
    type Request = Parameters<typeof raw>[1];
    /** The route's own method and path, these headers, and a body made from the arguments. */
    const formed =
      (headers: Record<string, string>, body: (rest: Args) => string) =>
      (name: OperationName, args: Args): Request => {
        const { method, path, rest } = routeOf(name, args);
        return { method, path, headers: { host: host(), ...headers }, body: body(rest) };
      };
    /** The request our own client makes (the contract's plan), with these headers added. */
    const planned =
      (headers: () => Record<string, string>) =>
      (name: OperationName, args: Args): Request => {
        const plan = httpRequestFor(name, args as never);
        const all = { host: host(), ...headers(), ...plan.headers };
        return { method: plan.method, path: plan.url, headers: all, body: plan.body };
      };
    const multipart = (rest: Args) =>
      Object.entries(rest)
        .map(
          ([k, v]) => `--b\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${String(v)}\r\n`,
        )
        .join('') + '--b--\r\n';
    const urlencoded = { 'content-type': 'application/x-www-form-urlencoded' };
    /** Each family: how the request is made, and the statuses that mean "refused". */
    const families: Record<
      string,
      { refused: number[]; make(name: OperationName, args: Args): Request }
    > = {
      'query string, no body (the issue)': {
        refused: [415],
        make: (name, args) => {
          const { method, path, rest } = routeOf(name, args);
          return { method, path: `${path}?${queryOf(rest)}`, headers: { host: host() } };
        },
      },
      'form urlencoded, foreign Origin': {
        refused: [403],
        make: formed({ origin: foreign, ...urlencoded }, queryOf),
      },
      'form urlencoded, no Origin': { refused: [415], make: formed(urlencoded, queryOf) },
      'multipart form, foreign Origin': {
        refused: [403],
        make: formed(
          { origin: foreign, 'content-type': 'multipart/form-data; boundary=b' },
          multipart,
        ),
      },
      'text/plain JSON, no Origin': {
        refused: [415],
        make: formed({ 'content-type': 'text/plain' }, JSON.stringify),
      },
      'JSON, foreign Origin': { refused: [403], make: planned(() => ({ origin: foreign })) },
      'JSON, another port of this host (same-site)': {
        refused: [403],
        make: planned(() => ({ origin: `http://127.0.0.1:${server.port + 1}` })),
      },
      'JSON, Origin null (sandboxed frame)': {
        refused: [403],
        make: planned(() => ({ origin: 'null' })),
      },
      'JSON, Sec-Fetch-Site cross-site without Origin': {
        refused: [403],
        make: planned(() => ({ 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' })),
      },
      'GET with the arguments in the query (img, link)': {
        refused: [200, 400, 404],
        make: (name, args) => {
          const { path, rest } = routeOf(name, args);
          return { method: 'GET', path: `${path}?${queryOf(rest)}`, headers: { host: host() } };
        },
      },
    };

    for (const [family, { refused, make }] of Object.entries(families)) {
      it(`refuses ${family} on every mutating route before any handler runs`, async () => {
        const outcomes: string[] = [];
        for (const name of MUTATING_OPERATIONS) {
          const before = snapshot(library.core, [victim.path]);
          const callsBefore = mutatingCalls().length;
          const reply = await raw(server.url, make(name, attacks[name]));
          const held =
            refused.includes(reply.status) &&
            mutatingCalls().length === callsBefore &&
            snapshot(library.core, [victim.path]) === before;
          tally(`raw: ${family}`, held);
          if (!held) outcomes.push(`${name}: ${reply.status} ${reply.body.slice(0, 120)}`);
        }
        expect(outcomes).toEqual([]);
      });
    }

    it('still takes the same changes from our own page and from curl (the checks can fail)', async () => {
      const before = snapshot(library.core, [victim.path]);
      const plan = httpRequestFor('settings.update', { thumbnail_quality: 55 });
      const own = await raw(server.url, {
        method: plan.method,
        path: plan.url,
        headers: {
          host: host(),
          origin: `http://${host()}`,
          'sec-fetch-site': 'same-origin',
          ...plan.headers,
        },
        body: plan.body,
      });
      expect(own.status).toBe(200);
      const viaLocalhost = await raw(server.url, {
        method: plan.method,
        path: plan.url,
        headers: {
          host: `localhost:${server.port}`,
          origin: `http://localhost:${server.port}`,
          ...plan.headers,
        },
        body: plan.body,
      });
      expect(viaLocalhost.status).toBe(200);
      const curl = httpRequestFor('cameras.create', { name: 'Porch', source_type: 'demo' });
      expect(
        (
          await raw(server.url, {
            method: 'POST',
            path: curl.url,
            headers: { host: host(), ...curl.headers },
            body: curl.body,
          })
        ).status,
      ).toBe(200);
      expect(snapshot(library.core, [victim.path])).not.toBe(before);
      expect(library.core.settings.get('thumbnail_quality')).toBe(55);
    });

    it('lets a link from another site open the web UI (a top-level navigation reads nothing back)', async () => {
      const navigation = {
        host: host(),
        'sec-fetch-site': 'cross-site',
        'sec-fetch-mode': 'navigate',
        'sec-fetch-dest': 'document',
      };
      expect((await raw(server.url, { path: '/kiosk', headers: navigation })).status).toBe(200);
      const image = { ...navigation, 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image' };
      expect(
        (await raw(server.url, { path: '/api/images/1/thumbnail', headers: image })).status,
      ).toBe(403);
      expect(
        (await raw(server.url, { method: 'POST', path: '/kiosk', headers: navigation })).status,
      ).toBe(403);
    });
  });

  describe('a page on a second loopback origin, in Chromium', () => {
    let browser: Browser;
    let attacker: Server;
    let attackerOrigin: string;

    beforeAll(async () => {
      browser = await launchChromium();
      attacker = createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(ATTACK_PAGE);
      });
      await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.2', resolve));
      const address = attacker.address() as { port: number };
      attackerOrigin = `http://127.0.0.2:${address.port}`;
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
      await new Promise((resolve) => attacker?.close(resolve));
    });

    const TECHNIQUES = [
      'form urlencoded',
      'form multipart',
      'form text/plain',
      'fetch no-cors',
      'fetch no-cors, no body',
      'fetch cors JSON',
      'img GET',
    ];
    type Attempt = {
      technique: string;
      method: string;
      url: string;
      fields: Record<string, string>;
    };

    it('tries forms, no-cors and cors fetches and images against every mutating route: nothing changes', async () => {
      const page = await browser.newPage();
      const seen: string[] = [];
      page.on('request', (request) => {
        if (request.url().startsWith(server.url)) seen.push(`${request.method()} ${request.url()}`);
      });
      await page.goto(`${attackerOrigin}/`);
      const breaches: string[] = [];
      for (const technique of TECHNIQUES) {
        for (const name of MUTATING_OPERATIONS) {
          const { method, path, rest } = routeOf(name, attacks[name]);
          const fields = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, String(v)]));
          const before = snapshot(library.core, [victim.path]);
          const callsBefore = mutatingCalls().length;
          const attempt: Attempt = { technique, method, url: server.url + path, fields };
          const outcome = await page.evaluate(
            (a) => (globalThis as unknown as { attempt(a: Attempt): Promise<string> }).attempt(a),
            attempt,
          );
          await new Promise((resolve) => setTimeout(resolve, 50)); // anything it caused has run by now
          const held =
            mutatingCalls().length === callsBefore &&
            snapshot(library.core, [victim.path]) === before;
          tally(`chromium: ${technique}`, held);
          if (!held) breaches.push(`${technique} ${name}: ${String(outcome)}`);
        }
      }
      await page.close();
      expect(breaches).toEqual([]);
      // The requests did reach the server (the test is not vacuous): all but the DELETEs
      // a no-cors fetch cannot send, and the cors ones whose preflight was refused.
      expect(seen.filter((line) => line.startsWith('POST')).length).toBeGreaterThanOrEqual(
        3 * MUTATING_OPERATIONS.length,
      );
      expect(seen.filter((line) => line.startsWith('GET')).length).toBeGreaterThanOrEqual(
        MUTATING_OPERATIONS.length,
      );
    }, 240_000);

    it('our own page still changes settings with a JSON fetch (same origin passes)', async () => {
      const page = await browser.newPage();
      await page.goto(`${server.url}/`);
      const status = await page.evaluate(async () => {
        const response = await fetch('/api/settings', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ thumbnail_quality: 61 }),
        });
        return response.status;
      });
      await page.close();
      expect(status).toBe(200);
      expect(library.core.settings.get('thumbnail_quality')).toBe(61);
    });
  });
});

/**
 * A page the user happens to visit: `attempt()` makes one request to our
 * server the way its technique says, and waits for it as far as a page can.
 * The arguments go in the URL's query (the attack needed no body)
 * and in whatever body the technique can send.
 */
const ATTACK_PAGE = `<!doctype html><title>A page the user visits</title><body><script>
const ENCTYPES = { 'form urlencoded': 'application/x-www-form-urlencoded', 'form multipart': 'multipart/form-data', 'form text/plain': 'text/plain' };
const settle = (promise) => Promise.race([
  promise.then(() => 'sent', (error) => 'refused by the browser: ' + error.name),
  new Promise((resolve) => setTimeout(() => resolve('timeout'), 4000)),
]);
window.attempt = async ({ technique, method, url, fields }) => {
  const target = url + '?' + new URLSearchParams(fields);
  if (technique in ENCTYPES) {
    const frame = document.createElement('iframe');
    frame.name = 'sink' + Math.random();
    document.body.append(frame);
    const form = document.createElement('form');
    form.method = 'POST';
    form.action = target;
    form.target = frame.name;
    form.enctype = ENCTYPES[technique];
    // text/plain sends name=value: a name that makes the whole body look like JSON.
    const entries = technique === 'form text/plain' ? [[JSON.stringify(fields).slice(0, -1) + ',"x":"', '"}']] : Object.entries(fields);
    for (const [name, value] of entries) {
      const input = document.createElement('input');
      input.type = 'hidden';
      input.name = name;
      input.value = value;
      form.append(input);
    }
    document.body.append(form);
    const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
    form.submit();
    return settle(loaded);
  }
  // no-cors allows GET, HEAD and POST only: a DELETE is refused by the browser itself.
  if (technique === 'fetch no-cors, no body') return settle(fetch(target, { method, mode: 'no-cors' }));
  if (technique === 'fetch no-cors') return settle(fetch(target, { method, mode: 'no-cors', body: JSON.stringify(fields), headers: { 'content-type': 'text/plain' } }));
  if (technique === 'fetch cors JSON') return settle(fetch(target, { method, mode: 'cors', body: JSON.stringify(fields), headers: { 'content-type': 'application/json' } }));
  const image = new Image();
  const done = new Promise((resolve, reject) => { image.onload = resolve; image.onerror = () => reject(new Error('image error')); });
  image.src = target;
  return settle(done);
};
</script></body>`;
