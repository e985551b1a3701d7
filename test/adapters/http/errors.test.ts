import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { OPERATION_NAMES, operations } from '../../../src/shared/contract';
import type { RunningServer } from '../../../src/main/adapters/http/server';
import { seedLibrary, useApiLibrary } from '../../api/api-library';
import { captureLog } from '../../helpers/log-capture';
import { openTestLibrary } from '../../helpers/temp-library';
import { callHttp, serve } from './http-helpers';

/** What a raw socket gets back after sending `text` and waiting (the server may close it). */
function rawExchange(server: RunningServer, text: string): Promise<{ reply: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(server.port, '127.0.0.1', () => socket.write(text));
    let reply = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (reply += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve({ reply, closedAfterMs: Date.now() - started }));
  });
}

describe('HTTP errors and hardening', () => {
  const library = useApiLibrary();
  let server: RunningServer;
  afterEach(() => server?.close());

  it('uses the spec error shape for 404, 409, 400 and unknown routes', async () => {
    await seedLibrary(library.core);
    server = await serve(library);
    const missing = await callHttp(server, 'timelapses.thumbnailStats', { timelapse_id: 999 });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({
      success: false,
      error: 'Timelapse not found',
      status_code: 404,
      details: { code: 'not_found', timelapse_id: 999 },
    });

    expect((await callHttp(server, 'thumbnails.regenerateAll', { force_regenerate: true })).status).toBe(200);
    const busy = await callHttp(server, 'thumbnails.regenerateAll', { force_regenerate: true });
    expect(busy.status).toBe(409);
    expect(busy.body).toMatchObject({ success: false, status_code: 409, details: { code: 'conflict' } });

    const invalid = await callHttp(server, 'timelapses.generateThumbnails', { timelapse_id: 1, force_regenerate: 'maybe' });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({
      success: false,
      status_code: 400,
      details: { code: 'invalid_argument', issues: [{ path: 'force_regenerate' }] },
    });

    const route = await fetch(`${server.url}/api/nothing/here`);
    expect(route.status).toBe(404);
    expect(await route.json()).toMatchObject({ success: false, status_code: 404, error: 'Route not found' });
    const notJson = await fetch(`${server.url}/api/settings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ success: false, status_code: 400 });
  });

  it('runs mutating operations only on POST or DELETE; a GET changes nothing', async () => {
    const mutating = OPERATION_NAMES.filter((name) => operations[name].mutates);
    expect(mutating.length).toBeGreaterThan(10);
    for (const name of OPERATION_NAMES) {
      expect(['GET', 'POST', 'DELETE']).toContain(operations[name].http.method);
      expect(operations[name].mutates).toBe(operations[name].http.method !== 'GET');
    }
    await seedLibrary(library.core);
    server = await serve(library);
    const before = library.core.ops.images.getById(1)!;
    for (const path of ['/api/thumbnails/delete-all?confirm=true', '/api/images/1', '/api/cameras/1', '/api/thumbnails/cleanup']) {
      const response = await fetch(server.url + path, { method: path === '/api/images/1' || path === '/api/cameras/1' ? 'PUT' : 'GET' });
      expect(response.status, path).toBe(404);
    }
    expect(library.core.ops.images.getById(1)).toEqual(before);
    expect(library.core.ops.cameras.getById(1)).toBeDefined();
  });

  it('answers 413 to an oversized body and touches nothing', async () => {
    server = await serve(library, { bodyLimitBytes: 4096 });
    const before = library.core.settings.getAll();
    const response = await fetch(`${server.url}/api/settings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ thumbnail_quality: 50, padding: 'x'.repeat(10_000) }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ success: false, status_code: 413 });
    expect(library.core.settings.getAll()).toEqual(before);
  });

  it('rate-limits maintenance and bulk routes per client with 429', async () => {
    server = await serve(library, {
      rateLimits: { maintenance: { max: 3, timeWindowMs: 60_000 }, bulk: { max: 5, timeWindowMs: 60_000 } },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await callHttp(server, 'thumbnails.verifyAll', {})).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const limited = await callHttp(server, 'thumbnails.repair', {});
    expect(limited.status).toBe(200); // a separate budget per route
    const body = (await callHttp(server, 'thumbnails.verifyAll', {})).body;
    expect(body).toMatchObject({ success: false, status_code: 429 });
    const batches: number[] = [];
    for (let i = 0; i < 6; i++) batches.push((await callHttp(server, 'images.batch', { ids: [1] })).status);
    expect(batches).toEqual([200, 200, 200, 200, 200, 429]);
    // Cheap routes are not limited.
    for (let i = 0; i < 10; i++) expect((await callHttp(server, 'thumbnails.stats', {})).status).toBe(200);
  });

  it('answers 500 with a generic message when the core fails unexpectedly, and logs the error once', async () => {
    const log = captureLog();
    const failing = await openTestLibrary({ poolSize: 1, logger: log.logger });
    try {
      server = await serve(failing);
      failing.core.db.close();
      const response = await callHttp(server, 'cameras.list', {});
      expect(response.status).toBe(500);
      expect(response.body).toEqual({ success: false, error: 'Internal error', status_code: 500, details: { code: 'internal' } });
      const errors = log.records.filter((record) => record.level >= 50);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ component: 'http', msg: 'an API operation failed', err: { message: 'The database connection is not open' } });
    } finally {
      await server.close();
      await failing.cleanup();
    }
  });

  it('cuts off slow headers and slow bodies with 408', async () => {
    server = await serve(library, { headersTimeoutMs: 300, requestTimeoutMs: 600 });
    const headers = await rawExchange(server, 'GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    expect(headers.reply).toMatch(/^HTTP\/1\.1 408/);
    expect(headers.closedAfterMs).toBeLessThan(5000);
    const body = await rawExchange(
      server,
      'POST /api/settings HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"thumb',
    );
    expect(body.reply).toMatch(/^HTTP\/1\.1 408/);
  });
});
