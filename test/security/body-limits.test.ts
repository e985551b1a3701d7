import { mkdirSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/main/adapters/http/server';
import { httpRequestFor } from '../../src/shared/contract';
import { seedLibrary, useApiLibrary } from '../api/api-library';
import { serve } from '../adapters/http/http-helpers';
import { cameraLikeJpeg } from '../helpers/temp-library';
import { raw, snapshot, useTally } from './harness';

/** What a request body may be: JSON objects of bounded size, nothing else; arguments nowhere else. */
describe('request bodies', () => {
  const library = useApiLibrary();
  const tally = useTally('body-limits');
  let server: RunningServer;
  beforeEach(async () => {
    await seedLibrary(library.core);
    server = await serve(library, { bodyLimitBytes: 64 * 1024 });
  });
  afterEach(() => server.close());

  const host = () => `127.0.0.1:${server.port}`;
  const post = (path: string, body: string | Buffer, type = 'application/json', method = 'POST') =>
    raw(server.url, { method, path, headers: { host: host(), 'content-type': type }, body });

  it('refuses what is not a bounded JSON object, and changes nothing', async () => {
    const tries: [string, () => ReturnType<typeof post>, number][] = [
      [
        'over the body limit',
        () =>
          post('/api/settings', JSON.stringify({ thumbnail_quality: 5, pad: 'x'.repeat(100_000) })),
        413,
      ],
      [
        'over the limit, on a DELETE',
        () =>
          post(
            '/api/thumbnails/delete-all',
            JSON.stringify({ confirm: true, pad: 'x'.repeat(100_000) }),
            'application/json',
            'DELETE',
          ),
        413,
      ],
      [
        'a claimed length far over the limit',
        () =>
          raw(server.url, {
            method: 'POST',
            path: '/api/settings',
            headers: {
              host: host(),
              'content-type': 'application/json',
              'content-length': String(10 ** 9),
            },
            body: '{}',
          }),
        413,
      ],
      ['not JSON', () => post('/api/settings', '{thumbnail_quality: 5'), 400],
      ['a JSON array', () => post('/api/settings', '[{"thumbnail_quality":5}]'), 400],
      ['JSON null', () => post('/api/settings', 'null'), 400],
      ['a JSON string', () => post('/api/settings', '"thumbnail_quality=5"'), 400],
      [
        '__proto__ poisoning',
        () => post('/api/settings', '{"__proto__":{"thumbnail_quality":5}}'),
        400,
      ],
      [
        'constructor.prototype poisoning',
        () => post('/api/settings', '{"constructor":{"prototype":{"thumbnail_quality":5}}}'),
        400,
      ],
      [
        'an unknown key next to a known one',
        () => post('/api/settings', '{"thumbnail_quality":5,"token":"x"}'),
        400,
      ],
      [
        'deeply nested JSON',
        () => post('/api/settings', `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`),
        400,
      ],
      [
        'application/json-patch+json',
        () => post('/api/settings', '{"thumbnail_quality":5}', 'application/json-patch+json'),
        415,
      ],
      ['text/json', () => post('/api/settings', '{"thumbnail_quality":5}', 'text/json'), 415],
      [
        'application/jsonx',
        () => post('/api/settings', '{"thumbnail_quality":5}', 'application/jsonx'),
        415,
      ],
      [
        'gzip bytes as JSON',
        () => post('/api/settings', Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0])),
        400,
      ],
      [
        'arguments in the query beside a JSON body (a dry run must not turn real)',
        () =>
          raw(server.url, {
            method: 'DELETE',
            path: '/api/thumbnails/cleanup?dry_run=true',
            headers: { host: host(), 'content-type': 'application/json' },
            body: '{}',
          }),
        400,
      ],
      [
        'no content type at all',
        () =>
          raw(server.url, {
            method: 'POST',
            path: '/api/settings',
            headers: { host: host() },
            body: '{"thumbnail_quality":5}',
          }),
        415,
      ],
    ];
    // An orphan thumbnail: a cleanup that ran for real would delete it.
    const orphanDir = library.core.tree.resolve(library.core.tree.kindDir(1, 1, 'thumbnail'));
    mkdirSync(orphanDir, { recursive: true });
    writeFileSync(
      `${orphanDir}/timelapse-1_thumb_day001_235959.jpg`,
      await cameraLikeJpeg(200, 150, 4),
    );
    const before = snapshot(library.core);
    for (const [name, send, status] of tries) {
      const reply = await send();
      const held = reply.status === status && snapshot(library.core) === before;
      tally('bodies refused', held);
      expect({ name, status: reply.status, envelope: JSON.parse(reply.body).success }).toEqual({
        name,
        status,
        envelope: false,
      });
    }
    expect(snapshot(library.core)).toBe(before);
  });

  it('takes what real clients send: JSON with a charset, an empty or blank body as no arguments', async () => {
    expect(
      (await post('/api/settings', '{"thumbnail_quality":50}', 'application/JSON; charset=UTF-8'))
        .status,
    ).toBe(200);
    expect(library.core.settings.get('thumbnail_quality')).toBe(50);
    for (const body of ['', '  \n']) {
      const reply = await post('/api/thumbnails/verify', body);
      expect(reply.status).toBe(200);
      expect(JSON.parse(reply.body)).toMatchObject({ success: true, data: { total_images: 3 } });
    }
    // A GET's body is never read; a GET changes nothing.
    const plan = httpRequestFor('settings.get');
    const get = await raw(server.url, {
      path: plan.url,
      headers: { host: host(), 'content-type': 'application/json' },
      body: '{"thumbnail_quality":5}',
    });
    expect(get.status).toBe(200);
    expect(library.core.settings.get('thumbnail_quality')).toBe(50);
  });
});
