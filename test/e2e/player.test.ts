import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoSource } from '../../src/main/capture/sources/demo-source';
import { openCore } from '../../src/main/core';
import { makeTempDir, seedCamera, seedFrame } from '../helpers/temp-library';
import { probe } from '../video/support';
import {
  buildApp,
  launchChromium,
  requireChromium,
  startServe,
  type Build,
  type Served,
} from './harness';

// page.evaluate bodies run in Chromium; this file compiles with Node's types only.
interface PageElement {
  readonly dataset: Record<string, string | undefined>;
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
}
declare const document: {
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): PageElement[];
};
declare const window: { shown?: [number, number, number][] };
declare const performance: { now(): number };
declare class MutationObserver {
  constructor(callback: () => void);
  observe(target: PageElement, options: { attributes: boolean; attributeFilter: string[] }): void;
}
interface PageVideo {
  readonly readyState: number;
  readonly seeking: boolean;
  readonly duration: number;
  readonly videoWidth: number;
  currentTime: number;
  pause(): void;
}

const DAYS = 3;
const PER_DAY = 30;

/** Every 7th frame in capture order (positions 6, 13, …) was kept with a flag, as a "no signal" screen would be. */
const isFlagged = (position: number) => position % 7 === 6;

interface Seeded {
  timelapseId: number;
  /** Image ids in capture order (not id order: the second day was recorded first). */
  ids: number[];
}

/**
 * A 3-day timelapse of street-scene frames with thumbnails and smalls; day 2
 * was inserted before day 1; every 7th frame is flagged.
 */
async function seed(dataRoot: string): Promise<Seeded> {
  const core = await openCore({ dataRoot, poolSize: 2 });
  try {
    const { camera, timelapse } = seedCamera(core, 'Street');
    // A finished recording: nothing captures into it while the tests watch it.
    core.ops.cameras.update(camera.id, { enabled: false });
    core.ops.timelapses.setStatus(timelapse.id, 'completed', Date.now());
    const start = new Date(2025, 10, 26, 7, 0, 0).getTime();
    const byTime: { at: number; id: number }[] = [];
    for (const day of [2, 1, 3]) {
      for (let i = 0; i < PER_DAY; i++) {
        const at = start + (day - 1) * 86_400_000 + i * 20 * 60_000;
        const jpeg = await new DemoSource(day, { width: 640, height: 360 }, () => at).grab(
          new AbortController().signal,
        );
        const position = (day - 1) * PER_DAY + i;
        const flag = isFlagged(position) ? 'uniform' : null;
        const { image } = await seedFrame(
          core,
          camera.id,
          timelapse.id,
          new Date(at),
          jpeg,
          day,
          flag,
        );
        core.jobs.queueJob(image.id, 'high');
        byTime.push({ at, id: image.id });
      }
    }
    await core.worker.runUntilEmpty();
    byTime.sort((a, b) => a.at - b.at);
    return { timelapseId: timelapse.id, ids: byTime.map((frame) => frame.id) };
  } finally {
    await core.close();
  }
}

/**
 * The timelapse page's player, scrubber and videos in Debian's headless
 * Chromium against `timelapser serve` on a seeded library.
 */
describe('the player end to end', () => {
  const dir = makeTempDir('timelapser-e2e-player-');
  let seeded: Seeded;
  let build: Build;
  let served: Served;
  let browser: Browser;

  beforeAll(async () => {
    requireChromium();
    [build, seeded] = await Promise.all([buildApp(), seed(`${dir.path}/library`)]);
    served = await startServe(build, `${dir.path}/library`);
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    build?.remove();
    dir.remove();
  });

  async function open(): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      acceptDownloads: true,
    });
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error('page error:', error.message));
    // tsx keeps function names with a __name() helper that does not exist inside the page.
    await page.addInitScript('globalThis.__name = (fn) => fn');
    await page.goto(`${served.url}/timelapse?id=${seeded.timelapseId}`);
    await page.waitForSelector('.player-canvas[data-position="0"]', { timeout: 30_000 });
    // Every change of the picture: [page time, position, image id].
    await page.evaluate(() => {
      window.shown = [];
      const canvas = document.querySelector('.player-canvas')!;
      new MutationObserver(() => {
        const id = Number(canvas.dataset.imageId);
        // A redraw of the same frame sets the attribute again: not a change of picture.
        if (window.shown!.at(-1)?.[2] !== id)
          window.shown!.push([performance.now(), Number(canvas.dataset.position), id]);
      }).observe(canvas, { attributes: true, attributeFilter: ['data-image-id'] });
    });
    return page;
  }

  const shown = (page: Page) => page.evaluate(() => window.shown!.splice(0));
  const onScreen = (page: Page) =>
    page.evaluate(() => {
      const canvas = document.querySelector('.player-canvas')!;
      return { position: Number(canvas.dataset.position), id: Number(canvas.dataset.imageId) };
    });

  it('plays the frames in capture order at about the chosen rate', async () => {
    const page = await open();
    await page.fill('input[aria-label="Frames per second"]', '10');
    await page.locator('.player-stage').click();
    await page.waitForTimeout(2500);
    await page.keyboard.press(' ');
    const frames = await shown(page);
    expect(frames.length).toBeGreaterThan(5);
    // Each frame is the one after the last, in capture order, never one by id.
    for (const [i, [, position, id]] of frames.entries()) {
      expect(id, `frame ${i}`).toBe(seeded.ids[position]);
      if (i > 0) expect(position).toBe(frames[i - 1]![1] + 1);
    }
    expect(frames[0]![1]).toBe(1);
    const rate = (frames.length - 1) / ((frames.at(-1)![0] - frames[0]![0]) / 1000);
    // About 10 a second: never faster; slower only if this shared machine stalls the page.
    expect(rate).toBeLessThan(11);
    expect(rate).toBeGreaterThan(4);
    await page.close();
  });

  it('steps frame by frame and jumps to either end with the keyboard', async () => {
    const page = await open();
    await page.locator('.player').focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await page.waitForFunction(
      () => document.querySelector('.player-canvas')!.dataset.position === '3',
    );
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(
      () => document.querySelector('.player-canvas')!.dataset.position === '2',
    );
    expect(await onScreen(page)).toEqual({ position: 2, id: seeded.ids[2] });
    expect(await page.textContent('.player-frame')).toBe(`Frame 3 / ${DAYS * PER_DAY}`);
    await page.keyboard.press('End');
    await page.waitForFunction(
      (last) => document.querySelector('.player-canvas')!.dataset.position === String(last),
      DAYS * PER_DAY - 1,
    );
    await page.keyboard.press('Home');
    await page.waitForFunction(
      () => document.querySelector('.player-canvas')!.dataset.position === '0',
    );
    await page.close();
  });

  it('skips flagged frames when asked, playing and stepping', async () => {
    const page = await open();
    await page.check('text=Skip flagged');
    await page.locator('.player').focus();
    // From frame 6 (position 5) the next step passes over the flagged position 6.
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    await page.waitForFunction(
      () => document.querySelector('.player-canvas')!.dataset.position === '5',
    );
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(
      () => document.querySelector('.player-canvas')!.dataset.position === '7',
    );
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(
      () => document.querySelector('.player-canvas')!.dataset.position === '5',
    );
    await shown(page);
    await page.fill('input[aria-label="Frames per second"]', '15');
    await page.locator('.player').focus();
    await page.keyboard.press(' ');
    await page.waitForTimeout(3000);
    await page.keyboard.press(' ');
    const frames = await shown(page);
    expect(frames.length).toBeGreaterThan(15);
    // Forward through the unflagged frames, never a flagged one on screen, each
    // step to the next unflagged frame (one passed over only when this shared
    // machine stalls the page, as any player drops frames to keep the rate).
    const positions = frames.map(([, position]) => position);
    expect(positions[0]).toBe(7);
    expect(positions.filter(isFlagged)).toEqual([]);
    let flaggedPassed = 0;
    let dropped = 0;
    for (let i = 1; i < positions.length; i++) {
      expect(positions[i]).toBeGreaterThan(positions[i - 1]!);
      for (let p = positions[i - 1]! + 1; p < positions[i]!; p++) {
        if (isFlagged(p)) flaggedPassed++;
        else dropped++;
      }
    }
    expect(flaggedPassed).toBeGreaterThanOrEqual(2);
    expect(dropped).toBeLessThanOrEqual(Math.ceil(positions.length / 10));
    for (const [, position, id] of frames) expect(id).toBe(seeded.ids[position]);
    // The grid beside it, flagged only, shows just those frames (and the player still has them all).
    const flaggedIds = seeded.ids.filter((_, position) => isFlagged(position));
    expect(await page.textContent('.flag-filter')).toContain(`Flagged only (${flaggedIds.length})`);
    await page.check('text=Flagged only');
    await page.waitForFunction(
      (first) =>
        document.querySelector('.frame-grid [data-image-id]')?.getAttribute('data-image-id') ===
        String(first),
      flaggedIds[0],
    );
    const inGrid = await page.$$eval('.frame-grid [data-image-id]', (cells) =>
      cells.map((cell) => Number(cell.getAttribute('data-image-id'))),
    );
    expect(inGrid.length).toBeGreaterThan(0);
    for (const id of inGrid) expect(flaggedIds).toContain(id);
    expect(await page.textContent('.player-frame')).toMatch(new RegExp(`/ ${DAYS * PER_DAY}$`));
    await page.close();
  });

  it('scrubs to the last day by dragging, showing frames on the way, with a preview under the pointer', async () => {
    const page = await open();
    const bar = (await page.locator('.scrubber').boundingBox())!;
    const y = bar.y + bar.height / 2;
    // Hovering previews the thumbnail of the frame under the pointer.
    await page.mouse.move(bar.x + bar.width * 0.5, y);
    const previewed = Math.floor(0.5 * DAYS * PER_DAY);
    await page.waitForSelector('.scrubber-preview img');
    expect(await page.getAttribute('.scrubber-preview img', 'src')).toMatch(
      new RegExp(`^(data:image/jpeg|.*/api/images/${seeded.ids[previewed]}/thumbnail)`),
    );
    await page.mouse.move(bar.x + 2, y);
    await page.mouse.down();
    for (let step = 1; step <= 10; step++) {
      await page.mouse.move(bar.x + (bar.width * 0.95 * step) / 10, y);
      await page.waitForTimeout(120);
    }
    await page.mouse.up();
    const target = Math.floor(0.95 * DAYS * PER_DAY);
    await page.waitForFunction(
      (p) => document.querySelector('.player-canvas')!.dataset.position === String(p),
      target,
    );
    const path = await shown(page);
    expect(path.length).toBeGreaterThan(2);
    expect(path.map(([, position]) => position)).toEqual(
      [...path.map(([, position]) => position)].sort((a, b) => a - b),
    );
    expect(target).toBeGreaterThanOrEqual((DAYS - 1) * PER_DAY);
    expect(await page.textContent('.player-where .muted')).toMatch(/^Day 3 · /);
    await page.close();
  });

  it('shows the grid by day with dated headings', async () => {
    const page = await open();
    const headings = await page.$$eval('.frame-day', (elements) =>
      elements.map((element) => element.textContent),
    );
    expect(headings[0]).toMatch(
      /^Day 1 · \w{3}, \w{3} 26 · 30 frames$|^Day 1 · \w{3} 26 \w{3} · 30 frames$/,
    );
    await page.close();
  });

  it('renders an MP4, plays it seeking with ranges, and downloads it', async () => {
    const page = await open();
    await page.selectOption('.render-form select >> nth=0', 'small');
    await page.fill('input[aria-label="Video frames per second"]', '15');
    await page.selectOption('.render-form select >> nth=1', '3');
    await page.click('text=Render MP4');
    await page.waitForSelector('.video-completed', { timeout: 120_000 });
    expect(await page.textContent('.video-completed .muted')).toMatch(
      /small size, days 3–end · 30 frames at 15 fps \(0:02, 640×360, /,
    );

    const statuses: number[] = [];
    page.on(
      'response',
      (response) => response.url().includes('/api/videos/') && statuses.push(response.status()),
    );
    await page.click('.video-completed >> text=Play');
    await page.waitForFunction(
      () =>
        ((document.querySelector('video') as unknown as PageVideo | null)?.readyState ?? 0) >= 3,
    );
    const seeked = await page.evaluate(async () => {
      const video = document.querySelector('video') as unknown as PageVideo;
      video.pause();
      video.currentTime = 1.5;
      while (video.seeking) await new Promise((resolve) => setTimeout(resolve, 20));
      return { at: video.currentTime, duration: video.duration, width: video.videoWidth };
    });
    expect(seeked).toEqual({ at: 1.5, duration: 2, width: 640 });
    // The browser asked for byte ranges, and got them.
    expect(statuses).toContain(206);
    await page.keyboard.press('Escape');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('.video-completed >> text=Download'),
    ]);
    expect(download.suggestedFilename()).toBe(
      `timelapse-${seeded.timelapseId}_small_15fps_day003-end_v01.mp4`,
    );
    const file = `${dir.path}/downloaded.mp4`;
    await download.saveAs(file);
    expect(await probe(file)).toMatchObject({
      codec: 'h264',
      frames: PER_DAY,
      duration: 2,
      width: 640,
      height: 360,
      faststart: true,
    });
    await page.close();
  });
});
