import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { beforeEach, describe, expect, it } from 'vitest';
import { imageUrl, parseImageUrl as parseAny, type ImageVariant } from '../../src/shared/contract';
import { serveImageUrl } from '../../src/main/shell/image-response';
import { devServerUrl, isTrustedRendererUrl } from '../../src/main/shell/renderer-origin';
import { seedLibrary, useApiLibrary } from '../api/api-library';

const imageSchemeUrl = (id: number, variant: ImageVariant) =>
  imageUrl('scheme', { kind: 'image', id }, variant);
const cameraLatestSchemeUrl = (id: number, variant: ImageVariant) =>
  imageUrl('scheme', { kind: 'camera', id }, variant);
const parseImageUrl = (url: string) => parseAny('scheme', url);

describe('timelapser: URLs', () => {
  it('parses only the three image forms, ids only', () => {
    expect(parseImageUrl(imageSchemeUrl(12, 'small'))).toEqual({
      target: { kind: 'image', id: 12 },
      variant: 'small',
    });
    expect(parseImageUrl('timelapser://images/5/serve?size=full')).toEqual({
      target: { kind: 'image', id: 5 },
      variant: 'full',
    });
    expect(parseImageUrl('timelapser://images/5/small?v=17')).toEqual({
      target: { kind: 'image', id: 5 },
      variant: 'small',
    });
    expect(parseImageUrl('timelapser://images/5/serve?size=full&v=2')?.variant).toBe('full');
    expect(parseImageUrl('timelapser://images/5/serve')).toEqual({
      target: { kind: 'image', id: 5 },
      variant: 'thumbnail',
    });
    expect(parseImageUrl(cameraLatestSchemeUrl(3, 'thumbnail'))).toEqual({
      target: { kind: 'camera', id: 3 },
      variant: 'thumbnail',
    });
    for (const url of [
      'timelapser://images/../../etc/passwd',
      'timelapser://images/1/..%2F..%2Fsecret',
      'timelapser://images/%2e%2e/thumbnail',
      'timelapser://images/0/thumbnail',
      'timelapser://images/01/thumbnail',
      'timelapser://images/1/thumbnail/extra',
      'timelapser://images/1/serve?size=../../x',
      'timelapser://files/etc/passwd',
      'timelapser:///etc/passwd',
      'file:///etc/passwd',
      'https://images/1/thumbnail',
      'not a url',
    ]) {
      expect(parseImageUrl(url), url).toBeNull();
    }
  });
});

describe('the image protocol answer (same handler as HTTP)', () => {
  const library = useApiLibrary();
  let seeded: Awaited<ReturnType<typeof seedLibrary>>;
  beforeEach(async () => {
    seeded = await seedLibrary(library.core);
  });

  it('streams the variant with the spec headers, 304s a known ETag, falls back, 404s in the spec shape', async () => {
    const image = seeded.images[0]!;
    const etag = `"image-${image.id}-${Math.floor(image.captured_at / 1000)}"`;
    const response = await serveImageUrl(library.api, imageSchemeUrl(image.id, 'thumbnail'));
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe(etag);
    expect(response.headers.get('cache-control')).toBe('public, max-age=3600, s-maxage=3600');
    expect(await sharp(Buffer.from(await response.arrayBuffer())).metadata()).toMatchObject({
      width: 200,
      height: 150,
    });

    const latest = await serveImageUrl(
      library.api,
      cameraLatestSchemeUrl(seeded.camera.id, 'full'), // the latest frame is bare
    );
    expect(latest.headers.get('cache-control')).toBe('public, max-age=300, s-maxage=300');
    await latest.arrayBuffer();

    const cached = await serveImageUrl(library.api, imageSchemeUrl(image.id, 'thumbnail'), etag);
    expect(cached.status).toBe(304);

    await rm(library.core.tree.resolve(image.thumbnail_path!));
    const fallback = await serveImageUrl(library.api, imageSchemeUrl(image.id, 'thumbnail'));
    expect(fallback.headers.get('x-timelapser-variant')).toBe('small');
    expect(fallback.headers.get('etag')).toBe(etag.replace(/"$/, '-small"'));
    expect(fallback.headers.get('cache-control')).toBe('no-cache');
    await fallback.arrayBuffer();
    const stale = await serveImageUrl(library.api, imageSchemeUrl(image.id, 'thumbnail'), etag);
    expect(stale.status).toBe(200); // the thumbnail's ETag does not validate the small
    await stale.arrayBuffer();

    const missing = await serveImageUrl(library.api, imageSchemeUrl(999, 'thumbnail'));
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({
      success: false,
      status_code: 404,
      details: { image_id: 999 },
    });
    const bogus = await serveImageUrl(library.api, 'timelapser://images/../../etc/passwd');
    expect(bogus.status).toBe(404);
  });
});

describe('IPC sender check', () => {
  const indexFile = join(
    '/opt',
    'Timelapser',
    'resources',
    'app.asar',
    'out',
    'renderer',
    'index.html',
  );
  const location = { indexFile };

  it('trusts our built index.html with any hash route, and the dev server origin when set', () => {
    const index = pathToFileURL(indexFile).href;
    expect(isTrustedRendererUrl(index, location)).toBe(true);
    expect(isTrustedRendererUrl(`${index}#/kiosk`, location)).toBe(true);
    const dev = { indexFile, devServerUrl: 'http://localhost:5173' };
    expect(isTrustedRendererUrl('http://localhost:5173/#/settings', dev)).toBe(true);
  });

  it('refuses any other page, file or origin', () => {
    for (const url of [
      undefined,
      '',
      'file:///etc/passwd',
      pathToFileURL(join('/opt', 'Timelapser', 'evil', 'index.html')).href,
      'https://example.com/',
      'http://localhost:5173/',
      'http://localhost:5174/',
      'about:blank',
      'data:text/html,hi',
    ]) {
      expect(isTrustedRendererUrl(url, location), String(url)).toBe(false);
    }
    expect(
      isTrustedRendererUrl('http://localhost:5174/', {
        indexFile,
        devServerUrl: 'http://localhost:5173',
      }),
    ).toBe(false);
  });

  it('loads the UI from ELECTRON_RENDERER_URL only in development, and only from this machine', () => {
    const env = (url: string) => ({ ELECTRON_RENDERER_URL: url });
    expect(devServerUrl(false, env('http://localhost:5173'))).toBe('http://localhost:5173');
    expect(devServerUrl(false, env('http://127.0.0.1:5173/'))).toBe('http://127.0.0.1:5173/');
    expect(devServerUrl(true, env('http://localhost:5173'))).toBeUndefined();
    expect(devServerUrl(false, {})).toBeUndefined();
    for (const url of ['https://evil.example/', 'file:///tmp/evil.html', 'javascript:alert(1)', 'not a url', 'http://localhost.evil.example:5173'])
      expect(devServerUrl(false, env(url)), url).toBeUndefined();
  });
});
