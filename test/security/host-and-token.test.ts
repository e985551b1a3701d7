import { afterEach, describe, expect, it } from 'vitest';
import { hashToken, issueToken, tokenMatches } from '../../src/main/adapters/http/token';
import { createHttpApp, type RunningServer } from '../../src/main/adapters/http/server';
import { httpRequestFor } from '../../src/shared/contract';
import { useApiLibrary } from '../api/api-library';
import { fakeRenderer, serve } from '../adapters/http/http-helpers';
import { makeTempDir } from '../helpers/temp-library';
import { raw, snapshot, useTally } from './harness';

/** Who may talk to the server: the Host header (DNS rebinding), the token off loopback, the login redirect. */
describe('Host header and token', () => {
  const library = useApiLibrary();
  const tally = useTally('host-and-token');
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  describe('the Host check (DNS rebinding)', () => {
    it('answers 403 to a Host that is not ours, on loopback too, for reads and writes alike', async () => {
      server = await serve(library);
      const settings = httpRequestFor('settings.update', { thumbnail_quality: 9 });
      const before = snapshot(library.core);
      for (const host of [
        'evil.example',
        'evil.example:80',
        `127.0.0.1.evil.example:${server.port}`,
        'a:b:c',
        '127.0.0.1@evil.example',
        `[::2]:${server.port}`,
        '',
      ]) {
        const read = await raw(server.url, { path: '/api/cameras', headers: { host } });
        const write = await raw(server.url, {
          method: 'POST',
          path: settings.url,
          headers: { host, ...settings.headers },
          body: settings.body,
        });
        const held =
          [read, write].every((reply) => reply.status === 403 || reply.status === 400) &&
          snapshot(library.core) === before;
        tally('foreign Host headers', held);
        expect([host, read.status, write.status, held]).toEqual([
          host,
          expect.any(Number),
          expect.any(Number),
          true,
        ]);
      }
      expect(
        JSON.parse(
          (await raw(server.url, { path: '/api/health', headers: { host: 'evil.example' } })).body,
        ),
      ).toMatchObject({
        success: false,
        status_code: 403,
        error: 'Host not allowed',
      });
      for (const host of [
        `127.0.0.1:${server.port}`,
        `localhost:${server.port}`,
        'localhost',
        `[::1]:${server.port}`,
      ]) {
        expect(
          (await raw(server.url, { path: '/api/health', headers: { host } })).status,
          host,
        ).toBe(200);
      }
      // No Host header at all: refused before any route runs.
      expect([400, 403]).toContain((await raw(server.url, { path: '/api/health' })).status);
    });

    it('accepts configured names', async () => {
      server = await serve(library, { allowedHosts: ['nvr.home.arpa'] });
      expect(
        (await raw(server.url, { path: '/api/health', headers: { host: 'nvr.home.arpa:8420' } }))
          .status,
      ).toBe(200);
      expect(
        (await raw(server.url, { path: '/api/health', headers: { host: 'nvr2.home.arpa' } }))
          .status,
      ).toBe(403);
    });
  });

  describe('the token rule', () => {
    let renderer: ReturnType<typeof makeTempDir> | undefined;
    afterEach(() => renderer?.remove());

    /** The server bound off loopback, as `serve --host 0.0.0.0` runs it: answers the token shown once. */
    async function serveWithToken(): Promise<string> {
      const token = issueToken(library.core.tokens);
      renderer = makeTempDir('timelapser-ui-');
      server = await serve(library, {
        host: '0.0.0.0',
        tokenHash: library.core.tokens.readHash(),
        rendererDir: fakeRenderer(renderer.path),
      });
      return token;
    }

    it('refuses to bind a non-loopback address without a token', async () => {
      await expect(
        createHttpApp({ api: library.api, events: library.core.events, host: '0.0.0.0' }),
      ).rejects.toThrow(/requires a bearer token/);
    });

    it('stores only the hash and compares tokens whole', () => {
      const token = issueToken(library.core.tokens);
      const stored = library.core.tokens.readHash()!;
      expect(stored).toBe(hashToken(token));
      expect(JSON.stringify(library.core.ops.settings.getAll())).not.toContain(token);
      expect(Object.keys(library.core.settings.getAll())).not.toContain('http_token_sha256');
      expect(tokenMatches(token, stored)).toBe(true);
      expect(tokenMatches(token.slice(0, -1), stored)).toBe(false);
      expect(tokenMatches(`${token}x`, stored)).toBe(false);
      expect(tokenMatches('', stored)).toBe(false);
    });

    it('answers 401 to every request without the token when bound off loopback, and lets the right one in', async () => {
      const token = await serveWithToken();
      const base = `http://127.0.0.1:${server!.port}`;
      const before = snapshot(library.core);
      const wrong: Record<string, string>[] = [
        {},
        { authorization: 'Bearer wrong' },
        { authorization: `Basic ${token}` },
        { authorization: `Bearer ${token.slice(0, -1)}` },
        { authorization: `Bearer ${token} extra` },
        { cookie: 'timelapser_token=wrong' },
        { cookie: `other=${token}` },
        { cookie: 'timelapser_token=%E0%A4%A' },
      ];
      for (const headers of wrong) {
        for (const path of [
          '/api/health',
          '/api/cameras',
          '/api/images/1/thumbnail',
          '/api/events',
          '/',
          '/kiosk',
        ]) {
          const denied = await fetch(base + path, { headers });
          const held =
            denied.status === 401 &&
            denied.headers.get('www-authenticate')?.startsWith('Bearer') === true;
          tally('missing or wrong token', held);
          expect([path, headers, denied.status]).toEqual([path, headers, 401]);
          await denied.arrayBuffer();
        }
        const plan = httpRequestFor('settings.update', { thumbnail_quality: 9 });
        const write = await fetch(base + plan.url, {
          method: plan.method,
          headers: { ...plan.headers, ...headers },
          body: plan.body,
        });
        tally('missing or wrong token', write.status === 401);
        expect(write.status).toBe(401);
      }
      expect(snapshot(library.core)).toBe(before);
      expect(
        (await fetch(`${base}/api/health`, { headers: { authorization: `Bearer ${token}` } }))
          .status,
      ).toBe(200);

      // A browser logs in once with ?token=: it gets the cookie and a URL without the token.
      const login = await fetch(`${base}/kiosk?cameras=1&token=${token}`, { redirect: 'manual' });
      expect(login.status).toBe(303);
      expect(login.headers.get('location')).toBe('/kiosk?cameras=1');
      const cookie = login.headers.get('set-cookie')!;
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Strict/);
      expect(
        (await fetch(`${base}/api/cameras`, { headers: { cookie: cookie.split(';')[0]! } })).status,
      ).toBe(200);
      expect((await fetch(`${base}/kiosk?token=nope`, { redirect: 'manual' })).status).toBe(401);
      // The token in an API URL is not a login (it would end up in logs and histories).
      expect((await fetch(`${base}/api/health?token=${token}`)).status).toBe(401);
    });

    it('sends a login back only to a path of this server, whatever the URL it came with', async () => {
      const token = await serveWithToken();
      const origin = `http://127.0.0.1:${server!.port}`;
      const payloads = [
        '//evil.example/',
        '//evil.example/kiosk',
        '/.//evil.example/',
        '///evil.example/',
        '/\\evil.example/',
        '/\\/evil.example/',
        '/./\\evil.example',
        '/%2F%2Fevil.example/',
        '/%5C%5Cevil.example/',
        '/%2f/evil.example',
        '/kiosk/..//evil.example/',
        '/%09/evil.example/',
        '/https://evil.example/',
        '/kiosk?next=//evil.example/',
      ];
      for (const path of payloads) {
        const separator = path.includes('?') ? '&' : '?';
        const reply = await raw(server!.url, {
          path: `${path}${separator}token=${token}`,
          headers: { host: `127.0.0.1:${server!.port}` },
        });
        const location = String(reply.headers.location ?? '');
        const target = location ? new URL(location, origin) : null;
        const held =
          reply.status !== 303 ||
          (target?.origin === origin && !location.startsWith('//') && !location.includes('\\'));
        tally('login redirects', held);
        expect({ path, status: reply.status, location, lands: target?.origin ?? null }).toEqual({
          path,
          status: reply.status,
          location,
          lands: reply.status === 303 ? origin : null,
        });
        expect(held, `${path} → ${location}`).toBe(true);
      }
    });
  });
});
