// npm run bench:playback — watching and exporting a timelapse. Printed, not asserted.
//
// (a) The player in headless Chromium against `timelapser serve` (the built
//     app), playing FRAMES frames at 30 frames/s from their smalls over HTTP:
//     time to the next frame after pressing play (target < 300 ms), also right
//     after a jump to a point nothing was loaded for; the share of frames shown
//     late (more than a frame interval after the one before) or skipped
//     (target < 2 %); peak JS heap. Baselines in the same run: the same clock
//     with nothing to load (what the page's own jank on this machine costs),
//     and a naive player swapping an <img>'s src every 33 ms (own cold cache).
// (b) `render` of FRAMES 1920×1080 frames to MP4 through the core (frame list,
//     ffmpeg, progress, publish) against ffmpeg run by hand over the same files
//     (image2 glob) with the same encoder settings and niceness, in the same
//     run: frames/s and the ratio (target ≥ 0.9×); ffmpeg's and the core's peak RSS.
// Flags: --frames N (1000), --json
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { link, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { DemoSource } from '../src/main/capture/sources/demo-source';
import { openCore, type Core } from '../src/main/core';
import { writeTransaction } from '../src/main/database/connection';
import type { ImageRow } from '../src/main/database/types';
import { clockOf } from '../src/main/files/names';
import { ENCODER_SETTINGS } from '../src/main/video/ffmpeg-encoder';
import { makeTempDir, seedCamera, seedFrame } from '../test/helpers/temp-library';
import { buildApp, launchChromium, startServe } from '../test/e2e/harness';

const { values } = parseArgs({
  options: {
    frames: { type: 'string', default: '1000' },
    json: { type: 'boolean', default: false },
  },
});
const FRAMES = Number(values.frames);
const FPS = 30;
const INTERVAL_MS = 1000 / FPS;
/** Distinct pictures per timelapse; the rest of the frames are hard links of them (real files, little disk). */
const DISTINCT = 60;
const NICENESS = 10;

// page.evaluate bodies run in Chromium; this file compiles with Node's types only.
interface PageElement {
  readonly dataset: Record<string, string | undefined>;
  src: string;
  readonly complete: boolean;
  readonly naturalWidth: number;
  append(child: PageElement): void;
}
declare const document: {
  querySelector(selector: string): PageElement | null;
  createElement(tag: string): PageElement;
  readonly body: PageElement;
  addEventListener(type: string, listener: () => void, capture: boolean): void;
};
declare const window: { shown?: [number, number][]; pressedAt?: number };
declare const performance: { now(): number };
declare function requestAnimationFrame(callback: (time: number) => void): number;
declare class MutationObserver {
  constructor(callback: () => void);
  observe(target: PageElement, options: { attributes: boolean; attributeFilter: string[] }): void;
}

// ---------------------------------------------------------------- seeding

/**
 * A timelapse of FRAMES frames a minute apart: DISTINCT real demo-camera
 * frames (and, with `variants`, their thumbnails and smalls from the real
 * engine), every other frame a hard link of one of them under its own name.
 */
async function seedTimelapse(
  core: Core,
  name: string,
  size: { width: number; height: number },
  variants: boolean,
): Promise<number> {
  const { camera, timelapse } = seedCamera(core, name);
  core.ops.cameras.update(camera.id, { enabled: false });
  core.ops.timelapses.setStatus(timelapse.id, 'completed', Date.now());
  const start = new Date(2025, 10, 24, 6, 0, 0).getTime();
  const sources: ImageRow[] = [];
  for (let i = 0; i < Math.min(DISTINCT, FRAMES); i++) {
    const at = start + i * 60_000;
    const jpeg = await new DemoSource(i + 1, size, () => at).grab(new AbortController().signal);
    const { image } = await seedFrame(
      core,
      camera.id,
      timelapse.id,
      new Date(at),
      jpeg,
      dayOf(at, start),
    );
    if (variants) core.jobs.queueJob(image.id, 'high');
    sources.push(image);
  }
  if (variants) await core.worker.runUntilEmpty();
  const made = sources.map((image) => core.ops.images.getById(image.id)!);
  const rows: {
    at: number;
    day: number;
    source: ImageRow;
    files: Record<'frame' | 'thumbnail' | 'small', string>;
  }[] = [];
  for (let i = made.length; i < FRAMES; i++) {
    const at = start + i * 60_000;
    const day = dayOf(at, start);
    const key = { timelapseId: timelapse.id, day, clock: clockOf(new Date(at)), seq: 0 };
    const files = {
      frame: core.tree.filePath(camera.id, timelapse.id, 'frame', key),
      thumbnail: core.tree.filePath(camera.id, timelapse.id, 'thumbnail', key),
      small: core.tree.filePath(camera.id, timelapse.id, 'small', key),
    };
    const source = made[i % made.length]!;
    const pairs: [string | null, string][] = [[source.file_path, files.frame]];
    if (variants)
      pairs.push([source.thumbnail_path, files.thumbnail], [source.small_path, files.small]);
    for (const [from, to] of pairs) {
      await mkdir(dirname(core.tree.resolve(to)), { recursive: true });
      await link(core.tree.resolve(from!), core.tree.resolve(to));
    }
    rows.push({ at, day, source, files });
  }
  writeTransaction(core.db, () => {
    for (const row of rows) {
      const image = core.ops.images.insert({
        timelapse_id: timelapse.id,
        camera_id: camera.id,
        file_path: row.files.frame,
        captured_at: row.at,
        day_number: row.day,
        clock: clockOf(new Date(row.at)),
        seq: 0,
        file_size: row.source.file_size,
        width: size.width,
        height: size.height,
      });
      if (variants) {
        core.ops.images.updateThumbnailPaths(image.id, {
          thumbnail_path: row.files.thumbnail,
          thumbnail_size: row.source.thumbnail_size,
          small_path: row.files.small,
          small_size: row.source.small_size,
        });
      }
    }
  });
  return timelapse.id;
}

function dayOf(at: number, start: number): number {
  return 1 + Math.floor((at - start) / 86_400_000);
}

// ---------------------------------------------------------------- (a) playback

interface PlaybackFigures extends Lateness {
  time_to_first_frame_ms: number;
  time_to_first_frame_after_jump_ms: number;
  peak_js_heap_mb: number;
}

interface Lateness {
  frames: number;
  late: number;
  skipped: number;
  late_or_skipped_share: number;
  achieved_fps: number;
}

/** Samples the page's JS heap (CDP) until stopped; answers the peak in MB. */
async function heapSampler(page: Page): Promise<() => Promise<number>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  let peak = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const { metrics } = await cdp.send('Performance.getMetrics');
      peak = Math.max(peak, metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  return async () => {
    running = false;
    await loop;
    return peak / 1024 / 1024;
  };
}

async function playWithPlayer(browser: Browser, url: string): Promise<PlaybackFigures> {
  const page = await (
    await browser.newContext({ viewport: { width: 1280, height: 800 } })
  ).newPage();
  page.on('pageerror', (error) => console.error('page error:', error.message));
  await page.addInitScript('globalThis.__name = (fn) => fn');
  await page.goto(url);
  await page.waitForSelector('.player-canvas[data-position="0"]', { timeout: 60_000 });
  await page.fill('input[aria-label="Frames per second"]', String(FPS));
  await page.evaluate(() => {
    window.shown = [];
    const canvas = document.querySelector('.player-canvas')!;
    // Each change of picture (a redraw of the same frame sets the attribute again: not a change).
    new MutationObserver(() => {
      const position = Number(canvas.dataset.position);
      if (window.shown!.at(-1)?.[1] !== position) window.shown!.push([performance.now(), position]);
    }).observe(canvas, { attributes: true, attributeFilter: ['data-position'] });
    document.addEventListener('keydown', () => (window.pressedAt = performance.now()), true);
  });
  // A viewer opens the page and presses play a moment later.
  await page.waitForTimeout(1000);
  const stopHeap = await heapSampler(page);
  await page.locator('.player').focus();
  await page.keyboard.press(' ');
  await page.waitForFunction(
    (last) => document.querySelector('.player-canvas')!.dataset.position === String(last),
    FRAMES - 1,
    {
      timeout: 120_000,
      polling: 250,
    },
  );
  const peakHeap = await stopHeap();
  const { shown, pressedAt } = await page.evaluate(() => ({
    shown: window.shown!.splice(0),
    pressedAt: window.pressedAt!,
  }));

  // A jump to the middle, where nothing is loaded yet, then play at once (it stopped at the end).
  const bar = (await page.locator('.scrubber').boundingBox())!;
  await page.mouse.click(bar.x + bar.width / 2, bar.y + bar.height / 2);
  const middle = Math.floor(FRAMES / 2);
  await page.waitForFunction(
    (p) => document.querySelector('.player-canvas')!.dataset.position === String(p),
    middle,
  );
  await page.evaluate(() => window.shown!.splice(0));
  await page.locator('.player').focus();
  await page.keyboard.press(' ');
  await page.waitForFunction(
    (p) => Number(document.querySelector('.player-canvas')!.dataset.position) > p,
    middle,
  );
  const afterJump = await page.evaluate(() => window.shown![0]![0] - window.pressedAt!);
  await page.close();

  return {
    time_to_first_frame_ms: Math.round(shown[0]![0] - pressedAt),
    time_to_first_frame_after_jump_ms: Math.round(afterJump),
    ...lateness(shown),
    peak_js_heap_mb: peakHeap,
  };
}

/**
 * Frames 1…FRAMES-1 as shown, [time, position]: late when more than two frame
 * intervals after the frame before (it missed its slot by a whole frame),
 * skipped when never shown.
 */
function lateness(shown: [number, number][]): Lateness {
  const seen = new Set(shown.map(([, position]) => position));
  let late = 0;
  for (let i = 1; i < shown.length; i++)
    if (shown[i]![0] - shown[i - 1]![0] > 2 * INTERVAL_MS) late++;
  const skipped = Array.from({ length: FRAMES - 1 }, (_, i) => i + 1).filter(
    (p) => !seen.has(p),
  ).length;
  return {
    frames: shown.length,
    late,
    skipped,
    late_or_skipped_share: (late + skipped) / (FRAMES - 1),
    achieved_fps: (shown.length - 1) / ((shown.at(-1)![0] - shown[0]![0]) / 1000),
  };
}

/**
 * What this machine allows right now: a player with nothing to load, showing
 * frame k at its due time from requestAnimationFrame, measured by the same
 * rules. Its late and skipped frames are the page's own jank (CPU starvation).
 */
async function playIdeal(browser: Browser, origin: string): Promise<Lateness> {
  const page = await (await browser.newContext()).newPage();
  await page.addInitScript('globalThis.__name = (fn) => fn');
  await page.goto(`${origin}/api/health`);
  const shown = await page.evaluate(
    ({ frames, interval }) =>
      new Promise<[number, number][]>((done) => {
        const shown: [number, number][] = [];
        let start = 0;
        const tick = (now: number) => {
          start ||= now;
          const due = Math.min(frames - 1, Math.floor((now - start) / interval) + 1);
          if (due !== shown.at(-1)?.[1]) shown.push([now, due]);
          if (due === frames - 1) done(shown);
          else requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
    { frames: FRAMES, interval: INTERVAL_MS },
  );
  await page.close();
  return lateness(shown);
}

/**
 * The naive way: an <img> whose src moves on every 33 ms, on a fixed clock; a
 * frame counts as shown if it had loaded when the next one's turn came.
 */
async function playWithImgSwap(
  browser: Browser,
  origin: string,
  urls: string[],
): Promise<{ late_or_skipped_share: number; peak_js_heap_mb: number }> {
  const page = await (await browser.newContext()).newPage();
  await page.addInitScript('globalThis.__name = (fn) => fn');
  // A page of the server's own origin (about:blank may not load from a local address).
  await page.goto(`${origin}/api/health`);
  const stopHeap = await heapSampler(page);
  const missed = await page.evaluate(
    ({ urls, interval }) =>
      new Promise<number>((done) => {
        const img = document.createElement('img');
        document.body.append(img);
        const start = performance.now();
        let missed = 0;
        let k = 0;
        const tick = () => {
          if (k > 0 && !(img.complete && img.naturalWidth > 0)) missed++;
          if (k === urls.length) return done(missed);
          img.src = urls[k++]!;
          setTimeout(tick, Math.max(0, start + k * interval - performance.now()));
        };
        tick();
      }),
    { urls, interval: INTERVAL_MS },
  );
  const peak = await stopHeap();
  await page.close();
  return { late_or_skipped_share: missed / urls.length, peak_js_heap_mb: peak };
}

// ---------------------------------------------------------------- (b) render

interface RenderRun {
  seconds: number;
  fps: number;
  ffmpeg_peak_rss_mb: number;
  /** This process, which runs the core (frame list, progress, publish); by hand: none. */
  core_peak_rss_mb: number;
}

/** Peak RSS (VmHWM) of the ffmpeg processes whose command line mentions `needle`, sampled until stopped. */
function ffmpegRssSampler(needle: string): () => number {
  let peak = 0;
  const timer = setInterval(() => {
    for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        if (!cmdline.startsWith('ffmpeg') && !cmdline.includes('/ffmpeg\0')) continue;
        if (!cmdline.includes(needle)) continue;
        const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        if (hwm) peak = Math.max(peak, Number(hwm[1]) / 1024);
      } catch {
        // gone between the listing and the read
      }
    }
  }, 100);
  return () => {
    clearInterval(timer);
    return peak;
  };
}

async function renderThroughCore(core: Core, timelapseId: number): Promise<RenderRun> {
  const stop = ffmpegRssSampler(core.tree.tempDirectory);
  let coreRss = process.memoryUsage().rss;
  const rss = setInterval(() => (coreRss = Math.max(coreRss, process.memoryUsage().rss)), 100);
  const started = performance.now();
  const queued = await core.videos.render({ timelapse_id: timelapseId, fps: FPS, size: '1080p' });
  const video = await core.videos.renderHere(queued.id);
  const seconds = (performance.now() - started) / 1000;
  clearInterval(rss);
  if (video.status !== 'completed')
    throw new Error(`render ${video.status}: ${video.error_message}`);
  await core.videos.delete(video.id);
  return {
    seconds,
    fps: FRAMES / seconds,
    ffmpeg_peak_rss_mb: stop(),
    core_peak_rss_mb: coreRss / 1024 / 1024,
  };
}

/** What a person would type: the frames folder as an image2 glob, the same encoder settings and niceness. */
async function renderByHand(framesDir: string, output: string): Promise<RenderRun> {
  const stop = ffmpegRssSampler(output);
  const started = performance.now();
  const args = [
    '-n',
    String(NICENESS),
    'ffmpeg',
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-framerate',
    String(FPS),
    '-pattern_type',
    'glob',
    '-i',
    join(framesDir, '*.jpg'),
    '-an',
    ...ENCODER_SETTINGS,
    output,
  ];
  await new Promise<void>((resolve, reject) => {
    const child = spawn('nice', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`ffmpeg by hand exited ${code}: ${stderr}`)),
    );
  });
  const seconds = (performance.now() - started) / 1000;
  return { seconds, fps: FRAMES / seconds, ffmpeg_peak_rss_mb: stop(), core_peak_rss_mb: 0 };
}

// ---------------------------------------------------------------- main

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

async function main() {
  const dir = makeTempDir('timelapser-bench-playback-');
  const dataRoot = `${dir.path}/library`;
  const seededAt = performance.now();
  const core = await openCore({ dataRoot, poolSize: 2 });
  const playbackId = await seedTimelapse(core, 'Playback', { width: 1280, height: 720 }, true);
  const renderId = await seedTimelapse(core, 'Render', { width: 1920, height: 1080 }, false);
  const renderRow = core.ops.timelapses.getById(renderId)!;
  const framesDir = core.tree.resolve(core.tree.kindDir(renderRow.camera_id, renderId, 'frame'));
  const smallIds = core.ops.images.frameIndex(playbackId, 0).map((frame) => frame.id);
  await core.close();
  const seedSeconds = (performance.now() - seededAt) / 1000;

  const build = await buildApp();
  const served = await startServe(build, dataRoot);
  const browser = await launchChromium();
  let playback: PlaybackFigures;
  let naive: Awaited<ReturnType<typeof playWithImgSwap>>;
  let ideal: Lateness;
  try {
    naive = await playWithImgSwap(
      browser,
      served.url,
      smallIds.map((id) => `${served.url}/api/images/${id}/small`),
    );
    ideal = await playIdeal(browser, served.url);
    playback = await playWithPlayer(browser, `${served.url}/timelapse?id=${playbackId}`);
  } finally {
    await browser.close();
    await served.stop();
    build.remove();
  }

  // Two rounds, alternating, best of each: the machine is shared and noisy.
  const renderCore = await openCore({ dataRoot, poolSize: 1 });
  const ours: RenderRun[] = [];
  const hand: RenderRun[] = [];
  try {
    for (let round = 0; round < 2; round++) {
      hand.push(await renderByHand(framesDir, join(dir.path, `by-hand-${round}.mp4`)));
      ours.push(await renderThroughCore(renderCore, renderId));
    }
  } finally {
    await renderCore.close();
  }
  const best = (runs: RenderRun[]) => runs.reduce((a, b) => (b.fps > a.fps ? b : a));
  const [oursBest, handBest] = [best(ours), best(hand)];
  const result = {
    frames: FRAMES,
    seed_seconds: round(seedSeconds),
    playback: {
      fps: FPS,
      time_to_first_frame_ms: playback.time_to_first_frame_ms,
      time_to_first_frame_after_jump_ms: playback.time_to_first_frame_after_jump_ms,
      late: playback.late,
      skipped: playback.skipped,
      late_or_skipped_percent: round(playback.late_or_skipped_share * 100, 2),
      achieved_fps: round(playback.achieved_fps),
      peak_js_heap_mb: round(playback.peak_js_heap_mb),
      baseline_nothing_to_load_percent: round(ideal.late_or_skipped_share * 100, 2),
      baseline_img_swap: {
        late_or_skipped_percent: round(naive.late_or_skipped_share * 100, 2),
        peak_js_heap_mb: round(naive.peak_js_heap_mb),
      },
    },
    render: {
      size: '1920x1080',
      ours_fps: round(oursBest.fps),
      by_hand_fps: round(handBest.fps),
      ratio: round(oursBest.fps / handBest.fps, 2),
      ours_ffmpeg_peak_rss_mb: round(oursBest.ffmpeg_peak_rss_mb),
      by_hand_ffmpeg_peak_rss_mb: round(handBest.ffmpeg_peak_rss_mb),
      core_peak_rss_mb: round(oursBest.core_peak_rss_mb),
      runs: { ours: ours.map((r) => round(r.fps)), by_hand: hand.map((r) => round(r.fps)) },
    },
  };
  dir.remove();

  const p = result.playback;
  const r = result.render;
  console.log(
    `playback: ${FRAMES.toLocaleString('en')} frames at ${FPS} fps from smalls over HTTP, headless Chromium (seeded in ${result.seed_seconds} s)`,
  );
  console.log(
    `  time to the next frame after play    ${p.time_to_first_frame_ms} ms (target < 300)`,
  );
  console.log(
    `  … right after a jump to an unloaded point ${p.time_to_first_frame_after_jump_ms} ms`,
  );
  console.log(
    `  late or skipped                      ${p.late_or_skipped_percent} % (${p.late} late, ${p.skipped} skipped; target < 2 %)`,
  );
  console.log(
    `  same clock, nothing to load          ${p.baseline_nothing_to_load_percent} % late or skipped (this machine's jank, now)`,
  );
  console.log(
    `  naive <img> swap, same frames        ${p.baseline_img_swap.late_or_skipped_percent} % late or skipped`,
  );
  console.log(`  achieved rate                        ${p.achieved_fps} fps`);
  console.log(
    `  peak JS heap                         ${p.peak_js_heap_mb} MB (naive: ${p.baseline_img_swap.peak_js_heap_mb} MB)`,
  );
  console.log(
    `render: ${FRAMES.toLocaleString('en')} 1920×1080 frames to H.264 MP4 (${ENCODER_SETTINGS.join(' ')}, nice ${NICENESS})`,
  );
  console.log(
    `  timelapser render (core, concat list) ${r.ours_fps} fps (runs ${r.runs.ours.join(', ')})`,
  );
  console.log(
    `  ffmpeg by hand (image2 glob)          ${r.by_hand_fps} fps (runs ${r.runs.by_hand.join(', ')})`,
  );
  console.log(`  ratio                                 ${r.ratio}× (target ≥ 0.9×)`);
  console.log(
    `  peak RSS: ffmpeg ${r.ours_ffmpeg_peak_rss_mb} MB (by hand ${r.by_hand_ffmpeg_peak_rss_mb} MB), this process ${r.core_peak_rss_mb} MB`,
  );
  console.log('  (2 shared CPU cores, other work running: figures are noisy)');
  if (values.json) console.log(JSON.stringify(result));
}

await main();
