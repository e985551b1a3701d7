/**
 * npm run bench:regenerate [-- --frames N] [--engine-frames N] [--json]
 *
 * A whole regeneration, end to end: a library of 1080p camera-like frames
 * (default 20,000: one a minute for two weeks) with no thumbnails is
 * regenerated through the real queue (`thumbnails.regenerateAll`, the job
 * queue in SQLite, the thumbnail worker, files renamed into the data tree,
 * events). Prints frames/s, CPU per frame, the projected time for a million
 * frames, and the ratio to the engine alone (the same ThumbnailEngine fed
 * the same frames as fast as it takes them, measured in the same run,
 * half before the queue's run and half after), which is what the queue and
 * the database add (target ≥ 0.9).
 */
import { linkSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { createApi } from '../src/main/api';
import { openCore, type Core } from '../src/main/core';
import { writeTransaction } from '../src/main/database/connection';
import { clockOf } from '../src/main/files/names';
import { ThumbnailEngine } from '../src/main/imaging/thumbnail-engine';
import { createStderrLogger } from '../src/main/logging/logger';
import { seedCamera } from '../test/helpers/temp-library';
import { ThreadCpu } from './breakdown';
import { cameraFrame } from './scene-frames';

const { values } = parseArgs({
  options: {
    frames: { type: 'string', default: '20000' },
    'engine-frames': { type: 'string', default: '2000' },
    json: { type: 'boolean', default: false },
  },
});
const FRAMES = positive('frames');
const ENGINE_FRAMES = Math.min(positive('engine-frames'), FRAMES);
const DISTINCT = 6;
const MINUTE = 60_000;

function positive(name: 'frames' | 'engine-frames'): number {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} needs a positive integer`);
  return value;
}

interface Run {
  frames: number;
  wallMs: number;
  cpuMs: number;
}

const fps = (run: Run) => (run.frames * 1000) / run.wallMs;
const cpuPerFrame = (run: Run) => run.cpuMs / run.frames;
const round = (value: number, digits = 2) => Number(value.toFixed(digits));

async function measured(frames: number, work: () => Promise<void>): Promise<Run> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await work();
  const used = process.cpuUsage(cpu);
  return { frames, wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
}

/**
 * The library: FRAMES rows one minute apart, each a hard link to one of a few
 * distinct frames (the files are real JPEGs under their spec names; linking
 * keeps 20,000 of them from filling the disk).
 */
async function seedLibrary(core: Core, work: string): Promise<string[]> {
  const distinct: string[] = [];
  for (let seed = 1; seed <= DISTINCT; seed++) {
    const path = join(work, `scene-${seed}.jpg`);
    writeFileSync(path, await cameraFrame({ width: 1920, height: 1080 }, seed));
    distinct.push(path);
  }
  const { camera, timelapse } = seedCamera(core, 'Yard');
  const start = new Date(2026, 0, 5, 0, 0, 0).getTime();
  const sources: string[] = [];
  const made = new Set<string>();
  for (let first = 0; first < FRAMES; first += 1000) {
    writeTransaction(core.db, () => {
      for (let i = first; i < Math.min(FRAMES, first + 1000); i++) {
        const capturedAt = new Date(start + i * MINUTE);
        const day = 1 + Math.floor(i / 1440);
        const clock = clockOf(capturedAt);
        const relative = core.tree.filePath(camera.id, timelapse.id, 'frame', {
          timelapseId: timelapse.id,
          day,
          clock,
          seq: 0,
        });
        const absolute = core.tree.resolve(relative);
        if (!made.has(dirname(absolute))) mkdirSync(dirname(absolute), { recursive: true });
        made.add(dirname(absolute));
        linkSync(distinct[i % DISTINCT]!, absolute);
        sources.push(absolute);
        core.ops.images.insert({
          timelapse_id: timelapse.id,
          camera_id: camera.id,
          file_path: relative,
          captured_at: capturedAt.getTime(),
          day_number: day,
          clock,
          seq: 0,
          file_size: 0,
        });
      }
    });
  }
  return sources;
}

/**
 * The engine alone over `count` of the library's frames, with as many in
 * flight as the queue keeps (what the engine runs at once, plus one waiting
 * per worker).
 */
async function engineOnly(
  sources: string[],
  first: number,
  count: number,
  out: string,
  threads: ThreadCpu,
) {
  const engine = new ThumbnailEngine();
  const temp = join(out, '.tmp');
  mkdirSync(temp, { recursive: true });
  let next = first;
  const end = first + count;
  const frame = async (i: number) => {
    await engine.generate({
      sourcePath: sources[i % sources.length]!,
      thumbnailPath: join(out, `${i}-thumb.jpg`),
      smallPath: join(out, `${i}-small.jpg`),
      thumbnailQuality: 80,
      smallQuality: 85,
      tempDirectory: temp,
    });
  };
  await frame(end); // warms the workers outside the figure
  const run = await threads.measure(count, () =>
    measured(count, async () => {
      const lane = async () => {
        while (next < end) await frame(next++);
      };
      await Promise.all(Array.from({ length: engine.stats.keep_in_flight }, lane));
    }),
  );
  await engine.close();
  return run;
}

/** The regeneration through the API and the queue, waited for to the end. */
async function throughQueue(core: Core, threads: ThreadCpu): Promise<Run & { failed: number }> {
  const api = createApi(core);
  let failed = 0;
  const run = await threads.measure(FRAMES, () =>
    measured(FRAMES, async () => {
      core.worker.start();
      let shown = 0;
      const done = new Promise<void>((resolve) => {
        const off = core.events.on('regeneration_progress', (event) => {
          if (event.completed - shown >= FRAMES / 10) {
            shown = event.completed;
            console.log(`  … ${event.completed} of ${event.total} frames`);
          }
          if (event.status === 'running') return;
          off();
          failed = event.failed;
          resolve();
        });
      });
      // Throws the API's typed error if the regeneration is refused.
      await api.call('thumbnails.regenerateAll', { include_smalls: true });
      await done;
    }),
  );
  return { ...run, failed };
}

async function main() {
  console.log(
    `Timelapser regeneration bench: ${FRAMES} 1080p frames through the queue, ${availableParallelism()} CPUs, ` +
      `load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} (other load makes frames/s noisy; the ratio compares runs made side by side)`,
  );
  const work = mkdtempSync(join(tmpdir(), 'timelapser-regenerate-'));
  try {
    const core = await openCore({
      dataRoot: join(work, 'library'),
      logger: createStderrLogger('warn'),
    });
    const seeded = performance.now();
    const sources = await seedLibrary(core, work);
    console.log(
      `library: ${FRAMES} frames over ${Math.ceil(FRAMES / 1440)} days, seeded in ${((performance.now() - seeded) / 1000).toFixed(1)} s`,
    );
    const half = Math.ceil(ENGINE_FRAMES / 2);
    const threads = { engine: new ThreadCpu(), queue: new ThreadCpu() };
    const before = await engineOnly(sources, 0, half, join(work, 'engine-before'), threads.engine);
    const queue = await throughQueue(core, threads.queue);
    const after = await engineOnly(
      sources,
      half,
      ENGINE_FRAMES - half,
      join(work, 'engine-after'),
      threads.engine,
    );
    const made = core.db
      .prepare(
        'SELECT COUNT(*) AS n FROM images WHERE thumbnail_path IS NOT NULL AND small_path IS NOT NULL',
      )
      .get() as { n: number };
    await core.close();
    const engine: Run = {
      frames: before.frames + after.frames,
      wallMs: before.wallMs + after.wallMs,
      cpuMs: before.cpuMs + after.cpuMs,
    };
    const figures = {
      frames: FRAMES,
      frames_with_both_variants: made.n,
      failed: queue.failed,
      fps_queue: round(fps(queue)),
      fps_engine: round(fps(engine)),
      queue_over_engine: round(fps(queue) / fps(engine)),
      cpu_ms_per_frame_queue: round(cpuPerFrame(queue)),
      cpu_ms_per_frame_engine: round(cpuPerFrame(engine)),
      hours_per_million: round(1e6 / fps(queue) / 3600),
      peak_rss_mb: round(process.resourceUsage().maxRSS / 1024),
    };
    console.log(`
                     frames/s   CPU ms/frame
  through the queue  ${figures.fps_queue.toFixed(1).padStart(8)} ${figures.cpu_ms_per_frame_queue.toFixed(1).padStart(14)}
  engine alone       ${figures.fps_engine.toFixed(1).padStart(8)} ${figures.cpu_ms_per_frame_engine.toFixed(1).padStart(14)}   (${engine.frames} frames, half before and half after)
  queue ÷ engine: ${figures.queue_over_engine}× (target ≥ 0.9)
  a million frames at this rate: ${figures.hours_per_million} h
  ${made.n} of ${FRAMES} frames have both variants, ${queue.failed} failed; peak RSS ${figures.peak_rss_mb} MB`);
    for (const [name, cpu] of Object.entries(threads)) {
      console.log(
        `  CPU per frame by thread, ${name === 'queue' ? 'through the queue' : 'engine alone'}:`,
      );
      for (const line of cpu.lines()) console.log(line);
    }
    if (values.json) console.log(JSON.stringify(figures));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
