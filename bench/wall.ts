// npm run bench:wall — the camera wall live, in headless Chromium against
// `timelapser serve` (the built app): 32 HTTP snapshot cameras served on
// 127.0.0.1 by this script, captured every 2 s for 60 s, thumbnails and all.
// Printed, not asserted. Figures:
//   - the renderer's main-thread busy share: CDP Performance.getMetrics
//     TaskDuration over wall time, live, and as a ratio to the same wall with
//     no capture running (the baseline, measured first in the same run);
//   - tile updates shown vs frames captured, per camera (a lost update is a
//     frame with thumbnails that its tile never showed);
//   - blank tiles: any moment a tile's picture was not a decoded image.
// Target: under 15 % of one core, no blank tile, no update lost.
// Flags: --cameras N (32), --interval S (2), --seconds N (60), --baseline N (15), --json
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { DemoSource } from '../src/main/capture/sources/demo-source';
import { openCore } from '../src/main/core';
import type { CameraDto, TimelapseDto } from '../src/shared/contract';
import { buildApp, launchChromium, startServe, type Served } from '../test/e2e/harness';
import { startSnapshotCamera } from '../test/helpers/snapshot-camera';
import { makeTempDir, seedFrame } from '../test/helpers/temp-library';

const { values } = parseArgs({
  options: {
    cameras: { type: 'string', default: '32' },
    interval: { type: 'string', default: '2' },
    seconds: { type: 'string', default: '60' },
    baseline: { type: 'string', default: '15' },
    json: { type: 'boolean', default: false },
    /** Also prints where the live wall's main-thread time goes (CDP Profiler, top functions by self time). */
    profile: { type: 'boolean', default: false },
  },
});
const CAMERAS = Number(values.cameras);
// The libraries' info lines (here and in serve) would bury the figures; warnings still show.
process.env.TIMELAPSER_LOG_LEVEL ??= 'warn';
const INTERVAL_S = Number(values.interval);
const SECONDS = Number(values.seconds);
const BASELINE_SECONDS = Number(values.baseline);
const TARGET_BUSY = 0.15;

/**
 * Watches every tile from inside the page: each frame a tile swaps in, and
 * any moment its picture is not a decoded image (checked at every swap and
 * four times a second). Runs in both phases, so it costs the baseline too.
 */
const MONITOR = `
globalThis.__name = (fn) => fn;
window.__wall = { shown: {}, blanks: 0, blankTiles: [] };
const check = (tile) => {
  const id = tile.dataset.cameraId;
  const img = tile.querySelector('img.live-image-front');
  const frame = tile.querySelector('.live-image')?.dataset.frame ?? '';
  if (img && img.complete && img.naturalWidth > 0) {
    (window.__wall.shown[id] ??= {})[frame.split(':')[0]] = true;
  } else if (!(img && !img.complete)) {
    // No image, or one that failed: blank (a loading front never happens: frames swap in loaded).
    window.__wall.blanks++;
    if (!window.__wall.blankTiles.includes(id)) window.__wall.blankTiles.push(id);
  }
};
const scan = () => document.querySelectorAll('.tile').forEach(check);
new MutationObserver((records) => {
  for (const record of records) {
    const tile = record.target.closest?.('.tile');
    if (tile) check(tile);
  }
}).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-frame'] });
setInterval(scan, 250);
`;

interface PageFigures {
  shown: Record<string, Record<string, true>>;
  blanks: number;
  blankTiles: string[];
}

/** A library with CAMERAS http cameras, each with one frame and its thumbnails, no timelapse running. */
async function seed(dataRoot: string, url: string): Promise<void> {
  const core = await openCore({ dataRoot });
  try {
    core.settings.update({ thumbnail_worker_interval: 1 });
    const jpeg = await new DemoSource(1, { width: 1280, height: 720 }).grab(
      new AbortController().signal,
    );
    for (let i = 1; i <= CAMERAS; i++) {
      const camera = core.cameras.create({
        name: `Camera ${String(i).padStart(2, '0')}`,
        source_type: 'http',
        source_url: `${url}?camera=${i}`,
        capture_interval_s: INTERVAL_S,
      });
      const timelapse = core.timelapses.create(camera.id, 'Before', Date.now() - 60_000, 'stopped');
      const { image } = await seedFrame(
        core,
        camera.id,
        timelapse.id,
        new Date(Date.now() - 30_000),
        jpeg,
      );
      core.ops.cameras.recordCapture(camera.id, image.captured_at);
      core.jobs.queueJob(image.id, 'high');
    }
    await core.worker.runUntilEmpty();
  } finally {
    await core.close();
  }
}

async function call<T>(served: Served, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${served.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = (await response.json()) as { success: boolean; data: T; error?: string };
  if (!answer.success) throw new Error(`${path}: ${answer.error}`);
  return answer.data;
}

/** Main-thread task seconds and wall seconds over `seconds`, from CDP's Performance domain. */
async function busyShare(
  page: Page,
  seconds: number,
  profile = false,
): Promise<{ task_s: number; wall_s: number; share: number }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const sample = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const value = (name: string) => metrics.find((m) => m.name === name)!.value;
    return { task: value('TaskDuration'), at: value('Timestamp') };
  };
  if (profile) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.start');
  }
  const start = await sample();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const end = await sample();
  if (profile) printProfile((await cdp.send('Profiler.stop')).profile);
  await cdp.detach();
  const task_s = end.task - start.task;
  const wall_s = end.at - start.at;
  return { task_s, wall_s, share: task_s / wall_s };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** The functions the samples landed in most, by self time. */
function printProfile(profile: {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}): void {
  const byNode = new Map<number, number>();
  (profile.samples ?? []).forEach((id, i) =>
    byNode.set(id, (byNode.get(id) ?? 0) + (profile.timeDeltas?.[i] ?? 0)),
  );
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || '(anonymous)'} ${url.split('/').pop()}:${lineNumber}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + (byNode.get(node.id) ?? 0));
  }
  const top = [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 25);
  console.log('  main thread, self time (ms):');
  for (const [name, us] of top) console.log(`    ${(us / 1000).toFixed(0).padStart(7)}  ${name}`);
}

const pct = (share: number) => `${(share * 100).toFixed(1)} %`;

async function main() {
  const dir = makeTempDir('timelapser-bench-wall-');
  const dataRoot = `${dir.path}/library`;
  // Four real camera frames in turn: every capture is a new JPEG to decode and thumbnail.
  const frames = await Promise.all(
    [0, 1, 2, 3].map((i) =>
      new DemoSource(2, { width: 1280, height: 720 }, () => Date.now() + i * 7_000).grab(
        new AbortController().signal,
      ),
    ),
  );
  let requests = 0;
  const camera = await startSnapshotCamera({
    frame: () => frames[requests++ % frames.length]!,
    distinct: true,
  });
  await seed(dataRoot, camera.url);
  const build = await buildApp();
  const served = await startServe(build, dataRoot);
  const browser = await launchChromium();
  try {
    const page = await (
      await browser.newContext({ viewport: { width: 1920, height: 1080 } })
    ).newPage();
    await page.addInitScript(MONITOR);
    await page.goto(served.url);
    await page.waitForFunction(
      (count) =>
        (
          globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }
        ).document.querySelectorAll('.tile img.live-image-front').length === count,
      CAMERAS,
      { timeout: 60_000 },
    );

    const baseline = await busyShare(page, BASELINE_SECONDS);

    const cameras = await call<CameraDto[]>(served, '/api/cameras');
    const started: TimelapseDto[] = [];
    for (const c of cameras)
      started.push(
        await call<TimelapseDto>(served, `/api/cameras/${c.id}/timelapses/start`, {
          name: 'Bench',
        }),
      );
    const live = await busyShare(page, SECONDS, values.profile);
    for (const t of started) await call(served, `/api/timelapses/${t.id}/stop`, {});
    // Let the last thumbnails land and their tiles swap.
    for (let waited = 0; waited < 30; waited++) {
      const stats = await call<{ pending_jobs: number; processing_jobs: number }>(
        served,
        '/api/jobs/stats',
      );
      if (stats.pending_jobs + stats.processing_jobs === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    await new Promise((resolve) => setTimeout(resolve, 3000));

    const figures = (await page.evaluate('window.__wall')) as PageFigures;
    let captured = 0;
    let shown = 0;
    let withThumbnails = 0;
    const lostByCamera: Record<string, number> = {};
    for (const t of started) {
      const images: { id: number; has_thumbnail: boolean }[] = [];
      for (let after = 0; ;) {
        const pageOf = await call<{
          images: { id: number; has_thumbnail: boolean }[];
          next_after_id: number | null;
        }>(served, `/api/timelapses/${t.id}/images?after_id=${after}&limit=1000`);
        images.push(...pageOf.images);
        if (pageOf.next_after_id === null) break;
        after = pageOf.next_after_id;
      }
      const seen = figures.shown[String(t.camera_id)] ?? {};
      captured += images.length;
      const ready = images.filter((image) => image.has_thumbnail);
      withThumbnails += ready.length;
      const shownHere = ready.filter((image) => seen[String(image.id)]).length;
      shown += shownHere;
      if (ready.length > shownHere) lostByCamera[String(t.camera_id)] = ready.length - shownHere;
    }
    const expected = CAMERAS * Math.floor(SECONDS / INTERVAL_S);
    const result = {
      cameras: CAMERAS,
      interval_s: INTERVAL_S,
      seconds: SECONDS,
      renderer_main_thread: {
        baseline_share: baseline.share,
        live_share: live.share,
        ratio_vs_baseline: live.share / baseline.share,
        target_share: TARGET_BUSY,
      },
      frames_captured: captured,
      frames_expected: expected,
      frames_with_thumbnails: withThumbnails,
      tile_updates_shown: shown,
      updates_lost: withThumbnails - shown,
      lost_by_camera: lostByCamera,
      blank_tile_moments: figures.blanks,
      blank_tiles: figures.blankTiles,
    };
    console.log(
      `camera wall, ${CAMERAS} HTTP snapshot cameras on 127.0.0.1 every ${INTERVAL_S} s, ${SECONDS} s live, 1920×1080`,
    );
    console.log(
      `  renderer main thread busy, idle wall  ${pct(baseline.share)} of one core (${BASELINE_SECONDS} s, no capture)`,
    );
    console.log(
      `  renderer main thread busy, live wall  ${pct(live.share)} of one core (target < ${pct(TARGET_BUSY)})`,
    );
    console.log(
      `  live ÷ idle                           ${(live.share / baseline.share).toFixed(2)}`,
    );
    console.log(
      `  frames captured                       ${captured} (${expected} on the cameras' grid), ${withThumbnails} with thumbnails`,
    );
    console.log(
      `  tile updates shown                    ${shown} of ${withThumbnails} (${withThumbnails - shown} lost)`,
    );
    console.log(
      `  blank tiles                           ${figures.blankTiles.length} (${figures.blanks} blank moments)`,
    );
    console.log('  (2 shared CPU cores; serve, sharp and Chromium share them: figures are noisy)');
    if (values.json) console.log(JSON.stringify(result));
  } finally {
    await browser.close();
    await served.stop();
    await camera.close();
    build.remove();
    dir.remove();
  }
}

await main();
