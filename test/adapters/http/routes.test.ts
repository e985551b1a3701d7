import { afterEach, describe, expect, it } from 'vitest';
import { operations } from '../../../src/shared/contract';
import type { RunningServer } from '../../../src/main/adapters/http/server';
import { makeTempDir } from '../../helpers/temp-library';
import { useApiLibrary } from '../../api/api-library';
import { fakeRenderer, serve } from './http-helpers';

/** The spec's "Thumbnail System API Endpoints", method and path exactly as written there. */
const SPEC_MANAGEMENT_ROUTES = [
  'GET /api/thumbnails/stats',
  'POST /api/thumbnails/regenerate-all',
  'GET /api/thumbnails/regenerate-all/status',
  'POST /api/thumbnails/regenerate-all/cancel',
  'POST /api/thumbnails/verify',
  'POST /api/thumbnails/repair',
  'DELETE /api/thumbnails/cleanup',
  'DELETE /api/thumbnails/delete-all',
  'POST /api/timelapses/:timelapse_id/thumbnails/generate',
  'POST /api/timelapses/:timelapse_id/thumbnails/verify',
  'GET /api/timelapses/:timelapse_id/thumbnails/stats',
  'GET /api/cameras/:camera_id/latest-image',
  'GET /api/images/batch',
];
const SPEC_IMAGE_ROUTES = [
  '/api/cameras/1/latest-image/thumbnail',
  '/api/cameras/1/latest-image/small',
  '/api/cameras/1/latest-image/full',
  '/api/images/1/thumbnail',
  '/api/images/1/small',
  '/api/images/1/serve?size=thumbnail',
];

describe('routes', () => {
  const library = useApiLibrary();
  let server: RunningServer;
  afterEach(() => server?.close());

  it('the contract holds every management endpoint of the spec at its method and path', () => {
    const routes = Object.values(operations).map((op) => `${op.http.method} ${op.http.path}`);
    for (const route of SPEC_MANAGEMENT_ROUTES) expect(routes).toContain(route);
    expect(new Set(routes).size).toBe(routes.length);
  });

  it('serves every image endpoint of the spec (404 JSON for a library without that camera)', async () => {
    server = await serve(library);
    for (const path of SPEC_IMAGE_ROUTES) {
      const response = await fetch(server.url + path);
      expect(response.status, path).toBe(404);
      expect(await response.json()).toMatchObject({ success: false, status_code: 404 });
    }
  });

  it('serves the web UI with an SPA fallback so /kiosk loads, and JSON 404s under /api', async () => {
    const dir = makeTempDir('timelapser-ui-');
    server = await serve(library, { rendererDir: fakeRenderer(dir.path) });
    for (const path of ['/', '/kiosk', '/kiosk?cameras=1,3&cycle=10', '/timelapses/4']) {
      const response = await fetch(server.url + path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await response.text()).toContain('<title>Timelapser UI</title>');
    }
    const asset = await fetch(`${server.url}/assets/app.js`);
    expect(await asset.text()).toContain('timelapser ui');
    const csp = asset.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(asset.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await fetch(`${server.url}/api/kiosk`)).status).toBe(404);
    dir.remove();
  });
});
