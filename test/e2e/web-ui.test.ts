import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore } from '../../src/main/core';
import type { CameraDto, RegenerationStatus } from '../../src/shared/contract';
import { makeTempDir } from '../helpers/temp-library';
import {
  artifactPath,
  buildApp,
  launchChromium,
  REPO_ROOT,
  requireChromium,
  startServe,
  type Build,
  type Served,
} from './harness';
import {
  dropFrame,
  FRAME_HEIGHT,
  FRAME_WIDTH,
  seedLibrary,
  type SeededCamera,
  type SeededLibrary,
} from './seed-library';

// Functions given to page.evaluate run in Chromium. This file compiles with Node's
// types (no DOM lib), so the few DOM parts those functions touch are declared here.
interface PageElement {
  readonly dataset: Record<string, string | undefined>;
  readonly scrollHeight: number;
  readonly scrollWidth: number;
  querySelector(selector: string): PageElement | null;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { width: number; height: number };
  scrollTo(x: number, y: number): void;
}
interface PageImage extends PageElement {
  readonly src: string;
  readonly complete: boolean;
  readonly naturalWidth: number;
  readonly naturalHeight: number;
}
declare const document: {
  querySelector(selector: string): PageElement | null;
  readonly documentElement: PageElement;
  readonly activeElement: PageElement | null;
};
declare const window: {
  readonly innerWidth: number;
  readonly innerHeight: number;
  blanks?: number;
};
declare function getComputedStyle(element: PageElement): { readonly cursor: string };
declare class MutationObserver {
  constructor(callback: () => void);
  observe(
    target: PageElement,
    options: { subtree: boolean; childList: boolean; attributes: boolean },
  ): void;
}

/**
 * The built web UI in Debian's headless Chromium against `timelapser serve`
 * on a seeded temporary library: what a browser on the LAN, or a wall screen
 * in kiosk mode, gets.
 */
describe('web UI end to end', () => {
  const dir = makeTempDir('timelapser-e2e-');
  const dataRoot = `${dir.path}/library`;
  let library: SeededLibrary;
  let build: Build;
  let served: Served;
  let browser: Browser;

  beforeAll(async () => {
    requireChromium();
    build = await buildApp();
    library = await seedLibrary(dataRoot, `${dir.path}/inbox`);
    served = await startServe(build, dataRoot);
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    build?.remove();
    dir.remove();
  });

  /** A fresh context per step: its own cache, so a deleted file is fetched again, not remembered. */
  async function open(path: string, viewport = { width: 1280, height: 800 }): Promise<Page> {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error(`page error on ${path}:`, error.message));
    await page.goto(served.url + path);
    return page;
  }

  /** What a camera's tile shows: the layer's variant and the decoded picture's size. */
  function picture(page: Page, cameraId: number) {
    return page.evaluate((id) => {
      const tile = document.querySelector(`.tile[data-camera-id="${id}"]`);
      const live = tile?.querySelector('.live-image');
      const img = tile?.querySelector('img.live-image-front') as PageImage | null | undefined;
      return {
        variant: live?.dataset.variant ?? null,
        frame: live?.dataset.frame ?? null,
        src: img?.src ?? null,
        complete: img ? img.complete && img.naturalWidth > 0 : false,
        width: img?.naturalWidth ?? 0,
        height: img?.naturalHeight ?? 0,
      };
    }, cameraId);
  }

  async function waitForPicture(page: Page, cameraId: number) {
    await page.waitForFunction(
      (id) => {
        const tile = document.querySelector(`.tile[data-camera-id="${id}"]`);
        const img = tile?.querySelector('img.live-image-front') as PageImage | null | undefined;
        return (
          Boolean(tile?.querySelector('.live-image-placeholder')) ||
          Boolean(img && img.complete && img.naturalWidth > 0)
        );
      },
      cameraId,
      { timeout: 15_000 },
    );
    return picture(page, cameraId);
  }

  /** Drops a frame in the camera's watch folder; answers the image id the server captured it as. */
  async function captureThroughInbox(camera: SeededCamera, seed: number): Promise<number> {
    const before = await latestImageId(camera.id);
    await dropFrame(camera, seed);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const now = await latestImageId(camera.id);
      if (now !== null && now !== before) return now;
      if (Date.now() > deadline)
        throw new Error(`the server captured nothing from ${camera.inbox}\n${served.stderr()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function latestImageId(cameraId: number): Promise<number | null> {
    const body = (await (await fetch(`${served.url}/api/cameras/${cameraId}`)).json()) as {
      data: CameraDto;
    };
    return body.data.latest_image?.id ?? null;
  }

  function waitForFrame(page: Page, cameraId: number, imageId: number) {
    return page.waitForFunction(
      ({ id, image }) =>
        document
          .querySelector(`.tile[data-camera-id="${id}"] .live-image`)
          ?.getAttribute('data-frame')
          ?.startsWith(`${image}:`),
      { id: cameraId, image: imageId },
      { timeout: 30_000 },
    );
  }

  it('shows one tile per camera, each with its latest frame, filling the window without scrolling', async () => {
    const page = await open('/');
    await page.locator('.tile').first().waitFor();
    expect(await page.locator('.tile').count()).toBe(library.cameras.length);
    for (const camera of library.cameras) {
      const tile = page.locator(`.tile[data-camera-id="${camera.id}"]`);
      expect(await tile.locator('.tile-name').textContent()).toBe(camera.name);
      const shown = await waitForPicture(page, camera.id);
      expect(shown.complete).toBe(true);
      expect(shown.frame).toMatch(new RegExp(`^${camera.latestImageId}:`));
      expect(await tile.locator('img.live-image-front').getAttribute('alt')).toBe(
        `Latest frame from ${camera.name}`,
      );
    }
    const garage = page.locator(`.tile[data-camera-id="${library.cameras[3]!.id}"]`);
    expect(await garage.getAttribute('data-health')).toBe('disabled');
    expect(await garage.locator('.tile-problem').textContent()).toContain(
      'Snapshot URL answered HTTP 503',
    );
    const layout = await page.evaluate(() => {
      const wall = document.querySelector('.wall')!;
      return {
        cells: Number(wall.dataset.cols) * Number(wall.dataset.rows),
        scrolls:
          document.documentElement.scrollHeight > window.innerHeight ||
          document.documentElement.scrollWidth > window.innerWidth,
      };
    });
    expect(layout.cells).toBeGreaterThanOrEqual(library.cameras.length);
    expect(layout.scrolls).toBe(false);
    await page.screenshot({ path: await artifactPath('camera-wall.png') });
    await page.context().close();
  }, 60_000);

  it('opens a camera with Enter after moving there with the arrow keys', async () => {
    const page = await open('/');
    const first = page.locator(`.tile[data-camera-id="${library.cameras[0]!.id}"]`);
    await first.focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.dataset.cameraId)).toBe(
      String(library.cameras[1]!.id),
    );
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/camera\?id=2$/);
    const stage = await waitForPicture(page, library.cameras[1]!.id);
    expect(stage.frame).toMatch(/:full$/); // a fullscreen tile asks for the full frame
    expect(stage.width).toBe(FRAME_WIDTH);
    await page.context().close();
  }, 60_000);

  it('/kiosk renders the wall alone, honours deep links and hides an idle cursor', async () => {
    const page = await open('/kiosk');
    await page.locator('.tile').first().waitFor();
    expect(await page.locator('.tile').count()).toBe(library.cameras.length);
    expect(await page.locator('header, nav').count()).toBe(0);
    const covers = await page.evaluate(() => {
      const box = document.querySelector('.kiosk')!.getBoundingClientRect();
      return box.width === window.innerWidth && box.height === window.innerHeight;
    });
    expect(covers).toBe(true);
    for (const camera of library.cameras) await waitForPicture(page, camera.id);
    await page.screenshot({ path: await artifactPath('kiosk.png') });

    await page.goto(`${served.url}/kiosk?cameras=3,1&cycle=10`);
    await page.locator('.tile').first().waitFor();
    const ids = await page
      .locator('.tile')
      .evaluateAll((tiles) =>
        tiles.map((tile) => (tile as unknown as PageElement).dataset.cameraId),
      );
    expect(ids).toEqual(['3', '1']);

    await page.mouse.move(200, 200);
    expect(await page.locator('.kiosk-idle').count()).toBe(0);
    await page.waitForSelector('.kiosk-idle', { timeout: 6000 });
    expect(
      await page.evaluate(() => getComputedStyle(document.querySelector('.tile')!).cursor),
    ).toBe('none');
    await page.context().close();
  }, 60_000);

  it('rotates kiosk pages when the cameras need more than one', async () => {
    const page = await open('/kiosk?per_page=2&cycle=2');
    await page.locator('.tile').first().waitFor();
    const pageIds = () =>
      page
        .locator('.tile')
        .evaluateAll((tiles) =>
          tiles.map((tile) => (tile as unknown as PageElement).dataset.cameraId),
        );
    expect(await pageIds()).toEqual(['1', '2']);
    expect(await page.locator('.kiosk').getAttribute('data-pages')).toBe('2');
    await page.waitForFunction(
      () => document.querySelector('.kiosk')?.getAttribute('data-page') === '1',
      null,
      { timeout: 6000 },
    );
    expect(await pageIds()).toEqual(['3', '4']);
    await page.context().close();
  }, 60_000);

  it('browses a timelapse of 800 frames in a virtualized grid fed by the batch route, and steps through frames', async () => {
    const page = await open(`/timelapse?id=${library.bulkTimelapseId}`);
    const batches: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/images/batch')) batches.push(request.url());
    });
    await page.locator('.frame-cell[data-image-id]').first().waitFor();
    await page.waitForFunction(() => document.querySelector('.frame-cell img') !== null, null, {
      timeout: 15_000,
    });
    const cells = await page.locator('.frame-cell').count();
    expect(cells).toBeGreaterThan(0);
    expect(cells).toBeLessThan(200); // only the rows on screen exist
    expect(batches.length).toBeGreaterThan(0);
    expect(new URL(batches[0]!).searchParams.get('ids')!.split(',').length).toBeLessThanOrEqual(
      200,
    );

    await page.locator('.frame-grid').evaluate((grid) => grid.scrollTo(0, grid.scrollHeight));
    await page.locator('.frame-cell[data-position="799"]').waitFor({ timeout: 15_000 });
    await page
      .locator('.frame-cell[data-position="799"][data-image-id]')
      .waitFor({ timeout: 15_000 });

    await page.locator('.frame-cell[data-position="799"]').click();
    await page.getByRole('dialog', { name: 'Frame 800 of 800' }).waitFor();
    await page.keyboard.press('ArrowLeft');
    await page.getByRole('dialog', { name: 'Frame 799 of 800' }).waitFor();
    await page.getByRole('button', { name: 'Open full frame' }).click();
    await page.waitForFunction(() => {
      const img = document.querySelector('.viewer img.live-image-front') as PageImage | null;
      return img?.complete && img.naturalWidth > 0 && img.src.includes('size=full');
    });
    await page.screenshot({ path: await artifactPath('timelapse-viewer.png') });
    await page.keyboard.press('Escape');
    expect(await page.getByRole('dialog').count()).toBe(0);
    await page.context().close();
  }, 90_000);

  it('updates a tile live when a new frame gets its thumbnails, swapping without a blank moment', async () => {
    const camera = library.cameras[1]!;
    const page = await open('/');
    await waitForPicture(page, camera.id);
    await page.waitForFunction(() => !document.querySelector('[data-connection]'), null, {
      timeout: 10_000,
    });
    // Watch the tile: at no moment may it show nothing or a half-loaded picture.
    await page.evaluate((id) => {
      const tile = document.querySelector(`.tile[data-camera-id="${id}"]`)!;
      const blank = () => {
        const img = tile.querySelector('img.live-image-front') as PageImage | null;
        return !(img && img.complete && img.naturalWidth > 0);
      };
      window.blanks = 0;
      new MutationObserver(() => {
        if (blank()) window.blanks = (window.blanks ?? 0) + 1;
      }).observe(tile, { subtree: true, childList: true, attributes: true });
    }, camera.id);

    const newId = await captureThroughInbox(camera, 42);
    await waitForFrame(page, camera.id, newId);
    const shown = await picture(page, camera.id);
    expect(shown.src).toContain(`/api/images/${newId}/`);
    expect(shown.complete).toBe(true);
    expect(await page.evaluate(() => window.blanks)).toBe(0);
    await page.context().close();
  }, 60_000);

  it('falls back to the full frame when thumbnail and small are gone, then to the placeholder', async () => {
    const camera = library.cameras[0]!;
    const paths = await imagePaths(dataRoot, camera.latestImageId);
    await rm(paths.thumbnail);
    await rm(paths.small);

    let page = await open('/');
    const full = await waitForPicture(page, camera.id);
    expect({ width: full.width, height: full.height }).toEqual({
      width: FRAME_WIDTH,
      height: FRAME_HEIGHT,
    });
    await page.screenshot({ path: await artifactPath('fallback-full.png') });
    await page.context().close();

    await rm(paths.full);
    page = await open('/');
    const placeholder = await waitForPicture(page, camera.id);
    const expected = await sharp(`${REPO_ROOT}/resources/placeholder.jpg`).metadata();
    const served = await page.evaluate(
      async (src) => (await fetch(src!)).headers.get('x-timelapser-variant'),
      placeholder.src,
    );
    // The server's cascade ends in its placeholder image; the page's own placeholder covers a failed request.
    if (placeholder.variant === 'placeholder') expect(placeholder.src).toBeNull();
    else {
      expect(served).toBe('placeholder');
      expect({ width: placeholder.width, height: placeholder.height }).toEqual({
        width: expected.width,
        height: expected.height,
      });
    }
    await page.screenshot({ path: await artifactPath('fallback-placeholder.png') });
    await page.context().close();
  }, 60_000);

  it("cleanup's dry run lists the orphaned files and deletes nothing", async () => {
    const page = await open('/settings');
    await page.getByRole('button', { name: 'Preview cleanup (dry run)' }).click();
    const list = page.getByRole('list', { name: 'Files that would be deleted' });
    await list.waitFor({ timeout: 30_000 });
    const text = await list.textContent();
    for (const orphan of library.orphans) expect(text).toContain(orphan.split('/').pop());
    expect(
      await page
        .getByText(/^Dry run: \d+ orphaned files? would be deleted .*Nothing was deleted\.$/)
        .count(),
    ).toBe(1);
    for (const orphan of library.orphans) expect(existsSync(`${dataRoot}/${orphan}`)).toBe(true);
    await page
      .locator('[data-action="cleanup"]')
      .screenshot({ path: await artifactPath('cleanup-dry-run.png') });
    await page.context().close();
  }, 60_000);

  it('regenerates all thumbnails with progress, and cancels', async () => {
    const page = await open('/settings');
    await page.getByRole('button', { name: 'Everything' }).click();
    const progress = page.getByRole('progressbar', { name: 'Regeneration progress' });
    await progress.waitFor({ timeout: 30_000 });
    await page.waitForFunction(
      () =>
        Number(
          document
            .querySelector('[aria-label="Regeneration progress"]')
            ?.getAttribute('aria-valuenow'),
        ) > 0,
      null,
      { timeout: 30_000 },
    );
    await page
      .locator('[data-regeneration="running"]', {
        hasText: /Regenerating \(everything\): \d+\/\d+ \(\d+%\)/,
      })
      .waitFor({ timeout: 30_000 });
    await page
      .locator('[data-action="regenerate"]')
      .screenshot({ path: await artifactPath('regeneration-progress.png') });
    await page.getByRole('button', { name: 'Cancel regeneration' }).click();
    await page.locator('[data-regeneration="cancelled"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-regeneration="cancelled"]').textContent()).toMatch(
      /Regeneration \(everything\) cancelled after \d+\/\d+ images/,
    );
    const body = (await (
      await fetch(`${served.url}/api/thumbnails/regenerate-all/status`)
    ).json()) as { data: RegenerationStatus };
    const status = body.data;
    expect(status.status).toBe('cancelled');
    expect(status.completed).toBeLessThan(status.total);
    await page.context().close();
  }, 90_000);

  it('says so when the server goes away, keeps the pictures up, and reconnects by itself when it is back', async () => {
    const camera = library.cameras[2]!;
    const page = await open('/kiosk');
    await waitForPicture(page, camera.id);
    await page.waitForFunction(() => !document.querySelector('[data-connection]'), null, {
      timeout: 10_000,
    });
    const port = Number(new URL(served.url).port);

    await served.stop();
    await page.locator('[data-connection="down"]').waitFor({ timeout: 15_000 });
    const tile = page.locator(`.tile[data-camera-id="${camera.id}"]`);
    expect(await tile.getAttribute('data-health')).toBe('offline');
    expect((await picture(page, camera.id)).complete).toBe(true);
    await page.screenshot({ path: await artifactPath('kiosk-disconnected.png') });

    served = await startServe(build, dataRoot, port);
    await page.waitForFunction(() => !document.querySelector('[data-connection]'), null, {
      timeout: 30_000,
    });
    expect(await tile.getAttribute('data-health')).not.toBe('offline');
    await waitForFrame(page, camera.id, await captureThroughInbox(camera, 43));
    await page.context().close();
  }, 90_000);
});

/** Absolute paths of an image's three files, read from its row. */
async function imagePaths(dataRoot: string, imageId: number) {
  const core = await openCore({ dataRoot, poolSize: 1 });
  try {
    const row = core.ops.images.getById(imageId)!;
    return {
      thumbnail: core.tree.resolve(row.thumbnail_path!),
      small: core.tree.resolve(row.small_path!),
      full: core.tree.resolve(row.file_path),
    };
  } finally {
    await core.close();
  }
}
