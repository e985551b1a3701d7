import { request as httpRequest } from 'node:http';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashToken, issueToken, tokenMatches } from '../../../src/main/adapters/http/token';
import { createHttpApp, type RunningServer } from '../../../src/main/adapters/http/server';
import { cameraLikeJpeg, makeTempDir } from '../../helpers/temp-library';
import { seedLibrary, useApiLibrary } from '../../api/api-library';
import { fakeRenderer, serve } from './http-helpers';

/** A raw request, so the Host header and the path go out exactly as written. */
function raw(
  url: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    // setHost false: the Host header is exactly the one given, or none at all.
    const options = { host: hostname, port, path, headers, method: 'GET', setHost: false };
    const req = httpRequest(options, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTP security', () => {
  const library = useApiLibrary();
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  describe('the token rule', () => {
    it('refuses to bind a non-loopback address without a token', async () => {
      await expect(createHttpApp({ api: library.api, events: library.core.events, host: '0.0.0.0' })).rejects.toThrow(
        /requires a bearer token/,
      );
    });

    it('stores only the hash and compares tokens whole', () => {
      const token = issueToken(library.core.tokens);
      const stored = library.core.tokens.readHash()!;
      expect(stored).toBe(hashToken(token));
      expect(JSON.stringify(library.core.ops.settings.getAll())).not.toContain(token);
      expect(Object.keys(library.core.settings.getAll())).not.toContain('http_token_sha256');
      expect(tokenMatches(token, stored)).toBe(true);
      expect(tokenMatches(token.slice(0, -1), stored)).toBe(false);
      expect(tokenMatches('', stored)).toBe(false);
    });

    it('answers 401 to every request without the token when bound off loopback', async () => {
      const token = issueToken(library.core.tokens);
      const renderer = makeTempDir('timelapser-ui-');
      server = await serve(library, { host: '0.0.0.0', tokenHash: library.core.tokens.readHash(), rendererDir: fakeRenderer(renderer.path) });
      const base = `http://127.0.0.1:${server.port}`;
      for (const path of ['/api/health', '/api/cameras', '/api/images/1/thumbnail', '/api/events', '/', '/kiosk']) {
        const denied = await fetch(base + path);
        expect(denied.status, path).toBe(401);
        expect(denied.headers.get('www-authenticate')).toMatch(/^Bearer/);
        expect(await denied.json()).toMatchObject({ success: false, status_code: 401 });
      }
      expect((await fetch(`${base}/api/health`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
      expect((await fetch(`${base}/api/health`, { headers: { authorization: `Basic ${token}` } })).status).toBe(401);
      const allowed = await fetch(`${base}/api/health`, { headers: { authorization: `Bearer ${token}` } });
      expect(allowed.status).toBe(200);

      // A browser logs in once with ?token=: it gets the cookie and a URL without the token.
      const login = await fetch(`${base}/kiosk?cameras=1&token=${token}`, { redirect: 'manual' });
      expect(login.status).toBe(303);
      expect(login.headers.get('location')).toBe('/kiosk?cameras=1');
      const cookie = login.headers.get('set-cookie')!;
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Strict/);
      const withCookie = await fetch(`${base}/api/cameras`, { headers: { cookie: cookie.split(';')[0]! } });
      expect(withCookie.status).toBe(200);
      expect((await fetch(`${base}/kiosk?token=nope`, { redirect: 'manual' })).status).toBe(401);
      expect((await fetch(`${base}/api/health?token=${token}`)).status).toBe(401);
      renderer.remove();
    });
  });

  describe('the Host check', () => {
    it('answers 403 to a Host that is not ours (DNS rebinding), on loopback too', async () => {
      server = await serve(library);
      for (const host of ['evil.example', 'evil.example:80', `127.0.0.1.evil.example:${server.port}`, 'a:b:c']) {
        const response = await raw(server.url, '/api/health', { host });
        expect(response.status, host).toBe(403);
        expect(JSON.parse(response.body)).toMatchObject({ success: false, status_code: 403, error: 'Host not allowed' });
      }
      for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, 'localhost', `[::1]:${server.port}`]) {
        expect((await raw(server.url, '/api/health', { host })).status, host).toBe(200);
      }
      // No Host header at all: refused before any route runs.
      expect([400, 403]).toContain((await raw(server.url, '/api/health')).status);
    });

    it('accepts configured names', async () => {
      server = await serve(library, { allowedHosts: ['nvr.home.arpa'] });
      expect((await raw(server.url, '/api/health', { host: 'nvr.home.arpa:8420' })).status).toBe(200);
      expect((await raw(server.url, '/api/health', { host: 'nvr2.home.arpa' })).status).toBe(403);
    });
  });

  describe('traversal', () => {
    let seeded: Awaited<ReturnType<typeof seedLibrary>>;
    let outside: ReturnType<typeof makeTempDir>;
    let renderer: ReturnType<typeof makeTempDir>;
    beforeEach(async () => {
      seeded = await seedLibrary(library.core);
      outside = makeTempDir('timelapser-outside-');
      writeFileSync(join(outside.path, 'secret.jpg'), await cameraLikeJpeg(333, 111, 9));
      writeFileSync(join(outside.path, 'secret.txt'), 'TOP-SECRET');
      renderer = makeTempDir('timelapser-ui-');
      server = await serve(library, { rendererDir: fakeRenderer(renderer.path) });
    });
    afterEach(() => {
      outside.remove();
      renderer.remove();
    });

    it('never serves a file outside the data root through the URL', async () => {
      const rel = outside.path.replace(/^\//, '');
      const attempts = [
        `/api/images/..%2F..%2Fetc%2Fpasswd/thumbnail`,
        `/api/images/%2e%2e/thumbnail`,
        `/api/images/1/..%2F..%2F..%2F${encodeURIComponent(rel)}%2Fsecret.txt`,
        `/api/images/1/serve?size=..%2F..%2Fsecret.txt`,
        `/api/cameras/1/latest-image/..%2F..%2Fsecret.txt`,
        `/..%2F..%2F..%2F..%2F..%2F${encodeURIComponent(rel)}%2Fsecret.txt`,
        `/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/${rel}/secret.txt`,
        `/assets/..%2F..%2F..%2F..%2F..%2F${rel}/secret.txt`,
        `/../../../../../${rel}/secret.txt`,
        `//${rel}/secret.txt`,
        `/${outside.path}/secret.txt`,
      ];
      for (const path of attempts) {
        const response = await raw(server!.url, path, { host: `127.0.0.1:${server!.port}` });
        expect(response.body, path).not.toContain('TOP-SECRET');
        expect(response.headers['x-timelapser-variant'], path).toBeUndefined();
      }
    });

    it('refuses stored paths that leave the root: relative .., absolute, symlinks', async () => {
      const [first] = seeded.images;
      const thumbDir = library.core.tree.resolve(library.core.tree.kindDir(first!.camera_id, first!.timelapse_id, 'thumbnail'));
      mkdirSync(thumbDir, { recursive: true });
      symlinkSync(join(outside.path, 'secret.jpg'), join(thumbDir, 'link.jpg'));
      symlinkSync(outside.path, join(thumbDir, 'linked-dir'));
      const depth = library.root.split('/').length;
      const hostile = [
        `${'../'.repeat(depth)}${outside.path.slice(1)}/secret.jpg`,
        `cameras/../../${outside.path.split('/').pop()}/secret.jpg`,
        join(outside.path, 'secret.jpg'),
        `${library.core.tree.kindDir(first!.camera_id, first!.timelapse_id, 'thumbnail')}/link.jpg`,
        `${library.core.tree.kindDir(first!.camera_id, first!.timelapse_id, 'thumbnail')}/linked-dir/secret.jpg`,
      ];
      for (const path of hostile) {
        library.core.ops.images.setThumbnailPath(first!.id, path, 1);
        const response = await fetch(`${server!.url}/api/images/${first!.id}/thumbnail`);
        expect(response.headers.get('x-timelapser-variant'), path).toBe('small');
        const batch = (await (await fetch(`${server!.url}/api/images/batch?ids=${first!.id}`)).json()) as {
          data: { images: { variant: string }[] };
        };
        expect(batch.data.images[0]!.variant, path).toBe('small');
      }
    });
  });
});
