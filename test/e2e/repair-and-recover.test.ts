import { existsSync } from 'node:fs';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore } from '../../src/main/core';
import type { ThumbnailStatistics } from '../../src/shared/contract';
import { makeTempDir } from '../helpers/temp-library';
import {
  artifactPath,
  buildApp,
  launchChromium,
  requireChromium,
  startServe,
  type Build,
  type Served,
} from './harness';
import { seedLibrary, type SeededLibrary } from './seed-library';

// Functions given to page.evaluate run in Chromium; this file compiles with Node's types.
declare const document: {
  querySelector(selector: string): { textContent: string | null } | null;
  documentElement: unknown;
};

const BULK_FRAMES = 60;

/**
 * A library broken on purpose (thumbnails, smalls and frames deleted, orphans
 * added), repaired through the web UI with "Missing only" and a cleanup, every
 * count checked against the files on disk; then the server stopped and started
 * again under open pages, which must recover by themselves.
 */
describe('repair through the UI, and recovery, end to end', () => {
  const dir = makeTempDir('timelapser-e2e-repair-');
  const dataRoot = `${dir.path}/library`;
  let library: SeededLibrary;
  let build: Build;
  let served: Served;
  let browser: Browser;
  const broken = {
    thumbnails: [] as string[],
    smalls: [] as string[],
    frames: [] as string[],
    orphans: [] as string[],
  };

  beforeAll(async () => {
    requireChromium();
    build = await buildApp();
    library = await seedLibrary(dataRoot, `${dir.path}/inbox`, BULK_FRAMES);
    await breakLibrary();
    served = await startServe(build, dataRoot);
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    build?.remove();
    dir.remove();
  });

  /** Deletes two cameras' thumbnails, one small, two bulk frames; adds orphans beside the seeded ones. */
  async function breakLibrary() {
    const core = await openCore({ dataRoot, poolSize: 1 });
    try {
      for (const camera of library.cameras.slice(0, 2)) {
        const row = core.ops.images.getById(camera.latestImageId)!;
        broken.thumbnails.push(core.tree.resolve(row.thumbnail_path!));
      }
      const third = core.ops.images.getById(library.cameras[2]!.latestImageId)!;
      broken.smalls.push(core.tree.resolve(third.small_path!));
      const bulk = core.ops.images.listByTimelapse(library.bulkTimelapseId, 0, BULK_FRAMES);
      broken.frames.push(...[bulk[10]!, bulk[20]!].map((row) => core.tree.resolve(row.file_path)));
      for (const path of [...broken.thumbnails, ...broken.smalls, ...broken.frames]) await rm(path);
      const thumbs = core.tree.resolve(
        core.tree.kindDir(library.cameras[0]!.id, library.cameras[0]!.timelapseId, 'thumbnail'),
      );
      for (const clock of ['010101', '010102']) {
        const path = join(
          thumbs,
          `timelapse-${library.cameras[0]!.timelapseId}_thumb_day004_${clock}.jpg`,
        );
        await writeFile(path, Buffer.from('an orphan'));
        broken.orphans.push(path);
      }
    } finally {
      await core.close();
    }
  }

  async function open(path: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error(`page error on ${path}:`, error.message));
    await page.goto(served.url + path);
    return page;
  }

  async function stats(): Promise<ThumbnailStatistics> {
    return (
      (await (await fetch(`${served.url}/api/thumbnails/stats`)).json()) as {
        data: ThumbnailStatistics;
      }
    ).data;
  }

  /** The truth, from the files: images whose frame / thumbnail / small file exists, and orphan files. */
  async function truthOnDisk() {
    const core = await openCore({ dataRoot, poolSize: 1 });
    try {
      const counts = { images: 0, frames: 0, thumbnails: 0, smalls: 0 };
      for (const timelapse of core.ops.timelapses.list()) {
        for (const row of core.ops.images.listByTimelapse(timelapse.id, 0, 10_000)) {
          counts.images++;
          if (existsSync(core.tree.resolve(row.file_path))) counts.frames++;
          if (row.thumbnail_path && existsSync(core.tree.resolve(row.thumbnail_path)))
            counts.thumbnails++;
          if (row.small_path && existsSync(core.tree.resolve(row.small_path))) counts.smalls++;
        }
      }
      let variantFiles = 0;
      for (const camera of await readdir(core.tree.resolve('cameras')))
        for (const timelapse of await readdir(core.tree.resolve(`cameras/${camera}`)))
          for (const kind of ['thumbnails', 'smalls'])
            variantFiles += (
              await readdir(core.tree.resolve(`cameras/${camera}/${timelapse}/${kind}`)).catch(
                () => [],
              )
            ).length;
      return { ...counts, orphans: variantFiles - counts.thumbnails - counts.smalls };
    } finally {
      await core.close();
    }
  }

  const text = (page: Page, selector: string) => page.locator(selector).first().textContent();

  it('repairs a broken library through the UI with "Missing only" and a cleanup: every count returns to the truth', async () => {
    const before = await truthOnDisk();
    const total = library.cameras.length + BULK_FRAMES;
    expect(before).toMatchObject({ images: total, frames: total - 2, thumbnails: 2, smalls: 3 });
    expect(before.orphans).toBe(library.orphans.length + broken.orphans.length);

    // Statistics before: the database still believes in the deleted files; the scan finds the orphans.
    const page = await open('/statistics');
    await page.locator('[data-scan="done"]').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Scan now' }).click();
    await page.locator('[data-scan="done"]').waitFor({ timeout: 30_000 });
    await expectText(
      page,
      '[data-orphans]',
      `${library.orphans.length - 1 + broken.orphans.length} thumbnails, 1 small`,
    );
    const shownBefore = await stats();
    expect(shownBefore).toMatchObject({
      total_images: total,
      images_with_thumbnails: 4,
      images_with_smalls: 4,
    });
    await page.screenshot({ path: await artifactPath('statistics-broken.png'), fullPage: true });

    // Settings: "Missing only" checks the files, then makes what is missing; the two lost frames fail, listed by frame.
    await page.getByRole('link', { name: 'Settings' }).click();
    const missingOnly = page.getByRole('button', { name: 'Missing only' });
    await missingOnly.click();
    await page.locator('[data-regeneration="completed"]').waitFor({ timeout: 120_000 });
    expect(await text(page, '[data-regeneration="completed"]')).toMatch(
      new RegExp(
        `^Regeneration \\(missing only\\) complete: ${BULK_FRAMES - 2 + 3}/${BULK_FRAMES + 3} images, 2 failed`,
      ),
    );
    const failed = page.locator('[data-action="failed-jobs"]');
    await failed.getByText('2 failed jobs').waitFor({ timeout: 30_000 });
    for (const frame of broken.frames) await failed.getByText(frame.split('/').pop()!).waitFor();
    await page
      .locator('[data-action="regenerate"]')
      .screenshot({ path: await artifactPath('regenerate-missing-only.png') });

    // Cleanup: the dry run lists the orphans, the confirmation deletes them.
    await page.getByRole('button', { name: 'Preview cleanup (dry run)' }).click();
    const orphanCount = library.orphans.length + broken.orphans.length;
    await page.getByRole('button', { name: `Delete ${orphanCount} orphaned files` }).click();
    await page
      .getByText(`${orphanCount} orphaned files deleted`, { exact: false })
      .waitFor({ timeout: 30_000 });
    await page
      .locator('.maintenance')
      .screenshot({ path: await artifactPath('maintenance-panel-after-repair.png') });

    // Statistics after: every figure is the truth on disk, the orphan scan redone after the actions.
    const after = await truthOnDisk();
    expect(after).toMatchObject({
      images: total,
      frames: total - 2,
      thumbnails: total - 2,
      smalls: total - 2,
      orphans: 0,
    });
    await page.getByRole('link', { name: 'Statistics' }).click();
    await page.locator('[data-scan="done"]').waitFor({ timeout: 30_000 });
    await expectText(page, '[data-orphans]', '0 thumbnails, 0 smalls');
    const shownAfter = await stats();
    expect(shownAfter).toMatchObject({
      total_images: after.images,
      images_with_thumbnails: after.thumbnails,
      images_with_smalls: after.smalls,
      orphaned_thumbnail_files: 0,
      orphaned_small_files: 0,
      orphan_scan: { scanning: false, stale: false },
    });
    expect(Date.parse(shownAfter.orphan_scan.scanned_at!)).toBeGreaterThan(
      Date.parse(shownBefore.orphan_scan.scanned_at!),
    );
    await page.getByText(`${after.thumbnails}/${total} (`).first().waitFor();
    await page.screenshot({ path: await artifactPath('statistics-repaired.png'), fullPage: true });
    console.log(
      `repair through the UI: before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`,
    );
    await page.context().close();
  }, 240_000);

  it('every screen recovers by itself when the server goes away and comes back, the header always up', async () => {
    const port = Number(new URL(served.url).port);
    const pages = await Promise.all(['/settings', '/timelapses', '/'].map((path) => open(path)));
    await pages[0]!.getByLabel('Thumbnail JPEG quality').waitFor();
    await pages[1]!.locator('table.data-table').waitFor();
    await pages[2]!.locator('.tile').first().waitFor();

    await served.stop();
    for (const page of pages)
      await page.locator('[data-connection="down"]').waitFor({ timeout: 15_000 });
    // While it is away: the never-opened statistics screen cannot load its code, a reload of the settings fails.
    const [settings, timelapses] = pages as [Page, Page, Page];
    await timelapses.getByRole('link', { name: 'Statistics' }).click();
    await timelapses.getByText(/Loading statistics/).waitFor();
    await settings.getByRole('link', { name: 'Timelapses' }).click();
    await settings.getByRole('link', { name: 'Settings' }).click();
    await settings
      .getByText(/^Cannot load the settings: .*Trying again by itself…$/)
      .waitFor({ timeout: 15_000 });
    expect(await settings.getByText('Loading…', { exact: true }).count()).toBe(0);
    for (const page of pages) expect(await page.locator('header.app-header nav').count()).toBe(1);
    await settings.screenshot({ path: await artifactPath('settings-server-away.png') });

    served = await startServe(build, dataRoot, port);
    // No reload: each screen fills in by itself.
    await settings.getByLabel('Thumbnail JPEG quality').waitFor({ timeout: 30_000 });
    expect(await settings.getByText(/Cannot load/).count()).toBe(0);
    await timelapses.locator('#coverage-title').waitFor({ timeout: 30_000 });
    await timelapses.locator('#disk-title').waitFor();
    await pages[2]!.waitForFunction(() => !document.querySelector('[data-connection]'), null, {
      timeout: 30_000,
    });
    for (const page of pages) {
      expect(
        await page.evaluate(() => document.querySelector('header.app-header')?.textContent),
      ).toContain('Statistics');
      await page.context().close();
    }
  }, 120_000);

  it('shows an empty library as empty, not as loading for ever', async () => {
    const emptyRoot = `${dir.path}/empty`;
    await (await openCore({ dataRoot: emptyRoot, poolSize: 1 })).close(); // a library, without the demo cameras
    const empty = await startServe(build, emptyRoot);
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${empty.url}/statistics`);
      await page.locator('[data-empty="coverage"]').waitFor({ timeout: 30_000 });
      await page.locator('[data-empty="queue"]').waitFor();
      await page.locator('[data-empty="performance"]').waitFor();
      await page.locator('[data-empty="disk"]').waitFor({ timeout: 30_000 });
      expect(await page.locator('.progress-indeterminate').count()).toBe(0);
      await page.screenshot({ path: await artifactPath('statistics-empty.png'), fullPage: true });
      await context.close();
    } finally {
      await empty.stop();
    }
  }, 90_000);

  it('shows a tile as loading, not black, while its picture crawls over a slow link', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.route('**/api/images/**', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 2500));
      await route.continue();
    });
    const page = await context.newPage();
    await page.goto(`${served.url}/`);
    const loading = page.locator('.tile .live-image[data-loading] .live-image-loading');
    await loading.first().waitFor({ timeout: 15_000 });
    expect(await loading.first().textContent()).toBe('Loading…');
    await page.screenshot({ path: await artifactPath('wall-slow-link.png') });
    // Once the pictures arrive, nothing says loading any more.
    await page.waitForFunction(() => !document.querySelector('.live-image[data-loading]'), null, {
      timeout: 30_000,
    });
    await context.close();
  }, 60_000);

  it('fits the header at 360 px, and tells keyboard focus on a tile from a stale border', async () => {
    const page = await open('/', { width: 360, height: 740 });
    const tile = page.locator('.tile').first();
    await tile.waitFor();
    const header = await page.evaluate(() => {
      const element = document.querySelector('header.app-header') as unknown as {
        scrollWidth: number;
        clientWidth: number;
        getBoundingClientRect(): { height: number };
      };
      return {
        overflow: element.scrollWidth - element.clientWidth,
        height: element.getBoundingClientRect().height,
      };
    });
    expect(header.overflow).toBeLessThanOrEqual(0);
    expect(header.height).toBeLessThan(90); // the title and one line of sections
    const nav = await page
      .locator('header nav a')
      .evaluateAll((links) =>
        links.map((link) =>
          (
            link as unknown as { getBoundingClientRect(): { right: number; top: number } }
          ).getBoundingClientRect(),
        ),
      );
    expect(Math.max(...nav.map((box) => box.right))).toBeLessThanOrEqual(360);
    expect(new Set(nav.map((box) => Math.round(box.top))).size).toBe(1);
    await page.screenshot({
      path: await artifactPath('header-360.png'),
      clip: { x: 0, y: 0, width: 360, height: 200 },
    });

    await tile.focus();
    const looks = await tile.evaluate((element) => {
      const style = getComputedStyle(element as never) as unknown as {
        outlineColor: string;
        outlineStyle: string;
      };
      const root = getComputedStyle(document.documentElement as never) as unknown as {
        getPropertyValue(name: string): string;
      };
      return {
        outline: `${style.outlineStyle} ${style.outlineColor}`,
        warn: root.getPropertyValue('--warn').trim(),
      };
    });
    // The stale and offline borders wear --warn (#f2b84b, rgb(242, 184, 75)); focus is a blue-white outline.
    expect(looks.warn).toBe('#f2b84b');
    expect(looks.outline).toBe('solid rgb(143, 211, 255)');
    await page.screenshot({ path: await artifactPath('tile-focus-360.png') });
    await page.context().close();
  }, 60_000);
});

declare function getComputedStyle(element: never): unknown;

async function expectText(page: Page, selector: string, expected: string): Promise<void> {
  await page.waitForFunction(
    ({ selector, expected }) => document.querySelector(selector)?.textContent === expected,
    { selector, expected },
    { timeout: 30_000 },
  );
}
