// npm run bench:timelapse-grid — the timelapse browser over 100,000 frames, in
// headless Chromium against `timelapser serve` (the built app). Printed, not
// asserted. Target: scrolling stays smooth (p95 frame time close to the same
// scroll over an empty page of the same height, measured in the same run as
// the baseline), the DOM holds only the rows on screen, and a jump to the last
// frame shows its thumbnail within a few seconds (the frame index comes whole
// in one compact answer, then one batch of thumbnails).
// Flags: --frames N (100000), --json
import { copyFile, link, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { DemoSource } from '../src/main/capture/sources/demo-source';
import { openCore } from '../src/main/core';
import { writeTransaction } from '../src/main/database/connection';
import { clockOf } from '../src/main/files/names';
import { makeTempDir, seedFrame } from '../test/helpers/temp-library';
import { buildApp, launchChromium, startServe } from '../test/e2e/harness';

const { values } = parseArgs({ options: { frames: { type: 'string', default: '100000' }, json: { type: 'boolean', default: false } } });
const FRAMES = Number(values.frames);

// page.evaluate bodies run in Chromium; this file compiles with Node's types only.
declare const document: { querySelector(selector: string): { scrollHeight: number; scrollTop: number; clientHeight: number } | null; querySelectorAll(selector: string): { length: number } };
declare function requestAnimationFrame(callback: (time: number) => void): number;

interface ScrollFigures {
  frames: number;
  p50_ms: number;
  p95_ms: number;
  max_ms: number;
  long_frames: number;
  max_cells: number;
}

/** A timelapse of FRAMES images, each with a thumbnail (hard links of one real thumbnail: no disk cost). */
async function seed(dataRoot: string): Promise<number> {
  const core = await openCore({ dataRoot });
  try {
    const camera = core.ops.cameras.create({ name: 'Bench', source_type: 'folder', enabled: false });
    const start = Date.UTC(2025, 0, 1);
    const timelapse = core.ops.timelapses.create(camera.id, 'A year', start, 'completed');
    core.tree.ensureTimelapseDirs(camera.id, timelapse.id);
    const jpeg = await new DemoSource(3, { width: 1280, height: 720 }, () => start).grab(new AbortController().signal);
    const first = await seedFrame(core, camera.id, timelapse.id, new Date(start), jpeg);
    core.jobs.queueJob(first.image.id, 'high');
    await core.worker.runUntilEmpty();
    const made = core.ops.images.getById(first.image.id)!;
    const thumbnail = core.tree.resolve(made.thumbnail_path!);
    const rows: { relative: string; key: { timelapseId: number; day: number; clock: string; seq: number }; at: number }[] = [];
    for (let i = 1; i < FRAMES; i++) {
      const at = start + i * 5 * 60_000;
      const key = { timelapseId: timelapse.id, day: 1 + Math.floor((at - start) / 86_400_000), clock: clockOf(new Date(at)), seq: 0 };
      rows.push({ relative: core.tree.filePath(camera.id, timelapse.id, 'thumbnail', key), key, at });
    }
    await mkdir(dirname(thumbnail), { recursive: true });
    // A file takes at most ~65,000 links (ext4): start a fresh copy every 50,000.
    let source = thumbnail;
    for (const [i, row] of rows.entries()) {
      const target = core.tree.resolve(row.relative);
      if (i % 50_000 === 49_999) {
        await copyFile(thumbnail, target);
        source = target;
      } else await link(source, target);
    }
    writeTransaction(core.db, () => {
      for (const row of rows) {
        const image = core.ops.images.insert({
          timelapse_id: timelapse.id,
          camera_id: camera.id,
          file_path: core.tree.filePath(camera.id, timelapse.id, 'frame', row.key),
          captured_at: row.at,
          day_number: row.key.day,
          clock: row.key.clock,
          seq: 0,
          file_size: jpeg.length,
        });
        core.ops.images.setThumbnailPath(image.id, row.relative, made.thumbnail_size);
      }
    });
    return timelapse.id;
  } finally {
    await core.close();
  }
}

/** Scrolls `selector` top to bottom in `steps` animation frames; frame times from requestAnimationFrame. */
function scrollThrough(page: Page, selector: string, steps: number): Promise<ScrollFigures> {
  return page.evaluate(
    ({ selector, steps }) =>
      new Promise<ScrollFigures>((resolve) => {
        const element = document.querySelector(selector)!;
        const distance = element.scrollHeight - element.clientHeight;
        const deltas: number[] = [];
        let maxCells = 0;
        let last = 0;
        let step = 0;
        const frame = (time: number) => {
          if (last) deltas.push(time - last);
          last = time;
          maxCells = Math.max(maxCells, document.querySelectorAll('.frame-cell').length);
          if (step > steps) {
            deltas.sort((a, b) => a - b);
            const at = (q: number) => deltas[Math.min(deltas.length - 1, Math.floor(q * deltas.length))]!;
            resolve({
              frames: deltas.length,
              p50_ms: at(0.5),
              p95_ms: at(0.95),
              max_ms: deltas[deltas.length - 1]!,
              long_frames: deltas.filter((d) => d > 50).length,
              max_cells: maxCells,
            });
            return;
          }
          element.scrollTop = (distance * step++) / steps;
          requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      }),
    { selector, steps },
  );
}

const round = (value: number) => Math.round(value * 10) / 10;

async function main() {
  const dir = makeTempDir('timelapser-bench-grid-');
  const dataRoot = `${dir.path}/library`;
  const seededAt = performance.now();
  const timelapseId = await seed(dataRoot);
  const seedSeconds = (performance.now() - seededAt) / 1000;
  const build = await buildApp();
  const served = await startServe(build, dataRoot);
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    // tsx keeps function names with a __name() helper that does not exist inside the page.
    await page.addInitScript('globalThis.__name = (fn) => fn');

    const opened = performance.now();
    await page.goto(`${served.url}/timelapse?id=${timelapseId}`);
    await page.waitForFunction(() => document.querySelector('.frame-cell img') !== null, null, { timeout: 60_000 });
    const firstPaintMs = performance.now() - opened;
    const height = await page.evaluate(() => document.querySelector('.frame-grid')!.scrollHeight);

    // Baseline: the same scroll over an empty element of the same height, same page, same run.
    await page.evaluate((h) => {
      const host = (document as unknown as { body: { insertAdjacentHTML(where: string, html: string): void } }).body;
      host.insertAdjacentHTML('beforeend', `<div id="baseline" style="position:fixed;inset:0;overflow:auto;z-index:-1"><div style="height:${h}px"></div></div>`);
    }, height);
    const baseline = await scrollThrough(page, '#baseline', 300);
    const grid = await scrollThrough(page, '.frame-grid', 300);

    // A jump to the far end: the index is whole already, so one batch of thumbnails.
    const jumped = performance.now();
    await page.evaluate(() => {
      const element = document.querySelector('.frame-grid')!;
      element.scrollTop = element.scrollHeight;
    });
    await page.waitForFunction((last) => document.querySelector(`.frame-cell[data-position="${last}"] img`) !== null, FRAMES - 1, { timeout: 120_000 });
    const jumpToEndMs = performance.now() - jumped;

    const result = {
      frames: FRAMES,
      seed_seconds: round(seedSeconds),
      first_thumbnails_ms: Math.round(firstPaintMs),
      scroll: { grid, baseline, p95_ratio_vs_baseline: round(grid.p95_ms / baseline.p95_ms) },
      jump_to_end_ms: Math.round(jumpToEndMs),
    };
    console.log(`timelapse grid, ${FRAMES.toLocaleString('en')} frames (seeded in ${result.seed_seconds} s)`);
    console.log(`  first thumbnails on screen   ${result.first_thumbnails_ms} ms`);
    console.log(`  scroll top→bottom, 300 steps grid p50 ${round(grid.p50_ms)} ms, p95 ${round(grid.p95_ms)} ms, max ${round(grid.max_ms)} ms, ${grid.long_frames} frames > 50 ms`);
    console.log(`  same scroll, empty page      p50 ${round(baseline.p50_ms)} ms, p95 ${round(baseline.p95_ms)} ms, max ${round(baseline.max_ms)} ms`);
    console.log(`  p95 ratio grid ÷ baseline    ${result.scroll.p95_ratio_vs_baseline}`);
    console.log(`  frame cells in the DOM (max) ${grid.max_cells}`);
    console.log(`  jump to the last frame       ${result.jump_to_end_ms} ms`);
    console.log('  (2 shared CPU cores, other work running: figures are noisy)');
    if (values.json) console.log(JSON.stringify(result));
  } finally {
    await browser.close();
    await served.stop();
    build.remove();
    dir.remove();
  }
}

await main();
