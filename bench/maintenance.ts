// npm run bench:maintenance — verify, repair, cleanup, statistics, regeneration
// and delete-all on a synthetic library, with the figures extrapolated to
// 1,000,000 images (printed, not asserted). Targets: statistics < 100 ms at 1M
// rows; verify <= 15 s per 1M images; repair scan <= 30 s per 1M files;
// queueing a 1M-image regeneration < 10 s; peak RSS < 300 MB.
//
// The library: N images over T timelapses, each with a thumbnail and a small on
// disk, built by a child process (so peak RSS is the operations', not the
// build's). The files are hard links to real JPEGs: real directory entries in
// real folders (what listing, stat and unlink cost), without paying for N file
// creations (1.7 ms each on this machine's ext4). Damage: 1% of thumbnail files
// deleted, 0.5% of thumbnail paths cleared (orphans that match), 0.5% orphans
// that match nothing, 100 foreign names. Then the database grows to --rows
// images (rows only) for statistics and regeneration at that scale.
//
// Regeneration keeps a window of jobs queued (10,000) and tops it up as jobs
// finish. Here a stand-in for the worker completes each window at once with one
// UPDATE (not timed), so the queueing work for every image is measured: the
// start, each top-up, and their longest pause of the event loop.
//
// Flags: --images N (200000) --timelapses T (4) --rows R (1000000) --root DIR
//        (where to build, default the OS temp dir) --keep --json
import { execFileSync, spawnSync } from 'node:child_process';
import { linkSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { opendir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { openCore, type Core } from '../src/main/core';
import { writeTransaction } from '../src/main/database/connection';
import { formatFileName, type FrameKey, type VariantKind } from '../src/main/files/names';
import { VARIANT_KINDS } from '../src/main/maintenance/file-scanner';
import { ThumbnailService } from '../src/main/maintenance/thumbnail-service';
import { cameraLikeJpeg, seedCamera } from '../test/helpers/temp-library';

const { values } = parseArgs({
  options: {
    images: { type: 'string', default: '200000' },
    timelapses: { type: 'string', default: '4' },
    rows: { type: 'string', default: '1000000' },
    root: { type: 'string', default: tmpdir() },
    keep: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    'build-only': { type: 'string' },
  },
});
const IMAGES = Number(values.images);
const TIMELAPSES = Math.max(1, Number(values.timelapses));
const ROWS = Math.max(IMAGES, Number(values.rows));
const MILLION = 1_000_000;
const INSERT_CHUNK = 20_000;

interface Timelapse {
  cameraId: number;
  timelapseId: number;
  images: number;
}

const figures: Record<string, number | string | boolean> = {
  images: IMAGES,
  timelapses: TIMELAPSES,
  rows: ROWS,
};
const log = (line: string) => {
  if (!values.json) console.log(line);
};
const seconds = (ms: number) => (ms / 1000).toFixed(2);

function keyOf(timelapseId: number, index: number): FrameKey {
  const at = index * 10; // one frame every 10 s
  const day = Math.floor(at / 86_400) + 1;
  const s = at % 86_400;
  const clock = [s / 3600, (s / 60) % 60, s % 60]
    .map((n) => String(Math.floor(n)).padStart(2, '0'))
    .join('');
  return { timelapseId, day, clock, seq: 0 };
}

/** Image rows with both paths, in IMMEDIATE chunks (the triggers keep counts and bytes). */
function insertRows(
  core: Core,
  t: Timelapse,
  from: number,
  to: number,
  sizes: { thumb: number; small: number } | null,
): void {
  const insert = core.db.prepare(
    `INSERT INTO images (timelapse_id, camera_id, file_path, captured_at, day_number, clock, seq, file_size,
       thumbnail_path, thumbnail_size, small_path, small_size, created_at)
     VALUES (?, ?, ?, ?, ?, ?, 0, 1, ?, ?, ?, ?, 0)`,
  );
  for (let start = from; start < to; start += INSERT_CHUNK) {
    writeTransaction(core.db, () => {
      for (let i = start; i < Math.min(to, start + INSERT_CHUNK); i++) {
        const key = keyOf(t.timelapseId, i);
        const path = (kind: 'frame' | 'thumbnail' | 'small') =>
          core.tree.filePath(t.cameraId, t.timelapseId, kind, key);
        insert.run(
          t.timelapseId,
          t.cameraId,
          path('frame'),
          1_700_000_000_000 + i * 10_000,
          key.day,
          key.clock,
          sizes ? path('thumbnail') : null,
          sizes?.thumb ?? null,
          sizes ? path('small') : null,
          sizes?.small ?? null,
        );
      }
    });
  }
}

/**
 * Creates files as hard links to real JPEG templates, starting a new template
 * before ext4's 65,000-links-per-inode limit. Templates live in the tree's temp
 * folder (same file system), named with our pid so no sweep takes them.
 */
function linker(
  core: Core,
  bytes: Record<VariantKind, Buffer>,
): (kind: VariantKind, path: string) => void {
  const LINKS_PER_TEMPLATE = 60_000;
  const state = {
    thumbnail: { template: '', links: LINKS_PER_TEMPLATE },
    small: { template: '', links: LINKS_PER_TEMPLATE },
  };
  let templates = 0;
  return (kind, path) => {
    const current = state[kind];
    if (current.links >= LINKS_PER_TEMPLATE) {
      current.template = join(
        core.tree.tempDirectory,
        `${process.pid}.template-${templates++}.jpg`,
      );
      writeFileSync(current.template, bytes[kind]);
      current.links = 0;
    }
    linkSync(current.template, path);
    current.links++;
  };
}

async function buildLibrary(
  core: Core,
): Promise<{ timelapses: Timelapse[]; damage: Record<string, number> }> {
  const thumb = await cameraLikeJpeg(32, 24, 1);
  const small = await cameraLikeJpeg(64, 48, 2);
  const link = linker(core, { thumbnail: thumb, small });
  const timelapses: Timelapse[] = [];
  for (let n = 0; n < TIMELAPSES; n++) {
    const { camera, timelapse } = seedCamera(core, `Cam ${n + 1}`);
    timelapses.push({
      cameraId: camera.id,
      timelapseId: timelapse.id,
      images: Math.floor(IMAGES / TIMELAPSES) + (n < IMAGES % TIMELAPSES ? 1 : 0),
    });
  }
  let t0 = performance.now();
  for (const t of timelapses)
    insertRows(core, t, 0, t.images, { thumb: thumb.length, small: small.length });
  figures.build_rows_s = Number(seconds(performance.now() - t0));
  t0 = performance.now();
  const damage = {
    thumbnail_files_deleted: 0,
    thumbnail_paths_cleared: 0,
    unmatched_orphans: 0,
    foreign_names: 0,
  };
  const clear = core.db.prepare(
    'UPDATE images SET thumbnail_path = NULL, thumbnail_size = NULL WHERE timelapse_id = ? AND day_number = ? AND clock = ?',
  );
  for (const t of timelapses) {
    const dirs = Object.fromEntries(
      VARIANT_KINDS.map((kind) => [
        kind,
        core.tree.resolve(core.tree.kindDir(t.cameraId, t.timelapseId, kind)),
      ]),
    );
    writeTransaction(core.db, () => {
      for (let i = 0; i < t.images; i++) {
        const key = keyOf(t.timelapseId, i);
        for (const kind of VARIANT_KINDS) link(kind, join(dirs[kind]!, formatFileName(kind, key)));
        if (i % 100 === 7) {
          unlinkSync(join(dirs.thumbnail!, formatFileName('thumbnail', key)));
          damage.thumbnail_files_deleted++;
        } else if (i % 200 === 11) {
          clear.run(t.timelapseId, key.day, key.clock);
          damage.thumbnail_paths_cleared++;
        }
      }
    });
    for (let i = 0; i < Math.floor(t.images / 200); i++) {
      link(
        'thumbnail',
        join(
          dirs.thumbnail!,
          formatFileName('thumbnail', { ...keyOf(t.timelapseId, i), day: 90_000 }),
        ),
      );
      damage.unmatched_orphans++;
    }
    for (let i = 0; i < Math.ceil(100 / TIMELAPSES); i++) {
      link('thumbnail', join(dirs.thumbnail!, `copy of frame ${i}.jpg`));
      damage.foreign_names++;
    }
  }
  figures.build_files_s = Number(seconds(performance.now() - t0));
  return { timelapses, damage };
}

/**
 * Lets the build's writes reach the disk before anything is timed: a library is
 * not normally being written at 20,000 files a second while it is verified.
 */
async function settle(core: Core): Promise<void> {
  core.db.pragma('wal_checkpoint(TRUNCATE)');
  try {
    execFileSync('sync');
  } catch {
    // No sync(1) here (Windows): the timings then include write-back.
  }
}

/** Peak resident memory so far, in MB. */
function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Baseline: the bare cost of listing every thumbnails/ and smalls/ folder once. */
async function listingBaseline(
  core: Core,
  timelapses: Timelapse[],
): Promise<{ ms: number; entries: number }> {
  const t0 = performance.now();
  let entries = 0;
  for (const t of timelapses) {
    for (const kind of VARIANT_KINDS) {
      for await (const _ of await opendir(
        core.tree.resolve(core.tree.kindDir(t.cameraId, t.timelapseId, kind)),
        { bufferSize: 512 },
      ))
        entries++;
    }
  }
  return { ms: performance.now() - t0, entries };
}

/** Runs `fn`, answering its result, wall time and the worst event-loop delay meanwhile. */
async function timed<T>(
  fn: () => Promise<T> | T,
): Promise<{ result: T; ms: number; loopMaxMs: number }> {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const t0 = performance.now();
  const result = await fn();
  const ms = performance.now() - t0;
  loop.disable();
  return { result, ms, loopMaxMs: loop.max / 1e6 };
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function statisticsMs(service: ThumbnailService, runs = 21): Promise<number> {
  await service.getThumbnailStatistics();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await service.getThumbnailStatistics();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

function target(label: string, value: number, limit: number, unit: string): void {
  figures[label] = Number(value.toFixed(3));
  log(
    `  ${label.padEnd(34)} ${value.toFixed(value < 10 ? 2 : 1).padStart(9)} ${unit.padEnd(3)} target < ${limit} ${unit}  ${value <= limit ? 'OK' : 'MISSED'}`,
  );
}

/** The child process: builds the library in `dir` and prints what it made as its last line. */
async function buildOnly(dir: string): Promise<void> {
  const core = await openCore({ dataRoot: dir });
  try {
    const built = await buildLibrary(core);
    await settle(core);
    console.log(
      JSON.stringify({
        ...built,
        build_rows_s: figures.build_rows_s,
        build_files_s: figures.build_files_s,
        build_peak_rss_mb: Math.round(peakRssMb()),
      }),
    );
  } finally {
    await core.close();
  }
}

function buildInChild(dir: string): {
  timelapses: Timelapse[];
  damage: Record<string, number>;
  build_rows_s: number;
  build_files_s: number;
  build_peak_rss_mb: number;
} {
  const args = [
    ...process.execArgv,
    process.argv[1]!,
    '--build-only',
    dir,
    '--images',
    String(IMAGES),
    '--timelapses',
    String(TIMELAPSES),
  ];
  const child = spawnSync(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (child.status !== 0) throw new Error(`building the library failed (exit ${child.status})`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!);
}

/**
 * Runs a regeneration of every image to the end, a stand-in for the worker
 * completing each window at once (not timed): answers the time start() took
 * and the sum of all queueing steps, with their longest event-loop pause.
 */
async function regenerateAll(core: Core, service: ThumbnailService) {
  const complete = core.db.prepare(
    `UPDATE thumbnail_generation_jobs SET status = 'completed', completed_at = ? WHERE session_id = ? AND status = 'pending'`,
  );
  let queueMs = 0;
  let loopMaxMs = 0;
  let topUps = 0;
  let statusMs = 0;
  const step = async <T>(fn: () => Promise<T> | T) => {
    const run = await timed(fn);
    queueMs += run.ms;
    loopMaxMs = Math.max(loopMaxMs, run.loopMaxMs);
    return run;
  };
  const started = await step(() => service.startThumbnailRegeneration());
  const sessionId = started.result.session_id!;
  for (;;) {
    await step(() => service.whenQueued());
    const t0 = performance.now();
    const status = service.getThumbnailRegenerationStatus();
    statusMs = Math.max(statusMs, performance.now() - t0);
    complete.run(Date.now(), sessionId);
    if (!status.queueing) break;
    await step(() => service.tick());
    topUps++;
  }
  service.tick();
  const done = service.getThumbnailRegenerationStatus();
  return { startMs: started.ms, queueMs, loopMaxMs, topUps, statusMs, done };
}

async function main(): Promise<void> {
  if (values['build-only']) return buildOnly(values['build-only']);
  const dir = mkdtempSync(join(values.root!, 'bench-maintenance-'));
  try {
    log(
      `Building ${IMAGES.toLocaleString()} images over ${TIMELAPSES} timelapses in ${dir} (child process) …`,
    );
    const built = buildInChild(dir);
    Object.assign(figures, built.damage, {
      build_rows_s: built.build_rows_s,
      build_files_s: built.build_files_s,
    });
    log(
      `  rows ${built.build_rows_s} s, files ${built.build_files_s} s; damage ${JSON.stringify(built.damage)}`,
    );
    await measure(dir, built.timelapses);
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
  }
  if (values.json) console.log(JSON.stringify(figures));
}

async function measure(dir: string, timelapses: Timelapse[]): Promise<void> {
  const core = await openCore({ dataRoot: dir });
  // No orphan scan behind the statistics' back: the figures below time the query alone.
  const service = new ThumbnailService(core, { orphanScanMaxAgeMs: Number.POSITIVE_INFINITY });
  try {
    await service.scanLibrary(); // seeds the census once, outside the timings

    const baseline = await listingBaseline(core, timelapses);
    figures.listing_baseline_s = Number(seconds(baseline.ms));
    log(
      `\nBaseline: listing ${baseline.entries.toLocaleString()} entries once takes ${seconds(baseline.ms)} s (peak RSS after opening and one orphan scan: ${peakRssMb().toFixed(0)} MB)`,
    );

    log(`\nAt ${IMAGES.toLocaleString()} images (${baseline.entries.toLocaleString()} files):`);
    const statsSmall = await statisticsMs(service);
    figures.statistics_ms_at_images = Number(statsSmall.toFixed(3));
    log(`  statistics                          ${statsSmall.toFixed(2).padStart(9)} ms`);

    const verify = await timed(() => service.verifyAllThumbnails());
    figures.verify_s = Number(seconds(verify.ms));
    figures.verify_loop_max_ms = Math.round(verify.loopMaxMs);
    log(
      `  verify                              ${seconds(verify.ms).padStart(9)} s   (${(verify.ms / baseline.ms).toFixed(1)}× the listing; cleared ${verify.result.paths_cleared.thumbnails} thumbnail paths; event loop max ${verify.loopMaxMs.toFixed(0)} ms; peak RSS ${peakRssMb().toFixed(0)} MB)`,
    );

    const dryRun = await timed(() => service.cleanupOrphanedThumbnails({ dry_run: true }));
    figures.cleanup_dry_run_s = Number(seconds(dryRun.ms));
    log(
      `  cleanup dry run                     ${seconds(dryRun.ms).padStart(9)} s   (${dryRun.result.orphaned_files_found} orphans no image can claim, share ${(dryRun.result.share * 100).toFixed(2)}%)`,
    );

    const repair = await timed(() => service.repairOrphanedThumbnails());
    figures.repair_s = Number(seconds(repair.ms));
    figures.repair_files_scanned = repair.result.files_scanned;
    figures.repair_loop_max_ms = Math.round(repair.loopMaxMs);
    log(
      `  repair                              ${seconds(repair.ms).padStart(9)} s   (${(repair.ms / baseline.ms).toFixed(1)}× the listing; found ${repair.result.orphaned_files_found}, matched ${repair.result.files_matched}, deleted ${repair.result.files_deleted}, foreign ${repair.result.unparseable_count}; event loop max ${repair.loopMaxMs.toFixed(0)} ms; peak RSS ${peakRssMb().toFixed(0)} MB)`,
    );

    log(`\nGrowing the database to ${ROWS.toLocaleString()} image rows (rows only) …`);
    const extra = {
      cameraId: timelapses[0]!.cameraId,
      timelapseId: core.ops.timelapses.create(timelapses[0]!.cameraId, 'rows only', 0, 'stopped')
        .id,
      images: ROWS - IMAGES,
    };
    const t0 = performance.now();
    insertRows(core, extra, 0, extra.images, null);
    await settle(core);
    log(
      `  ${extra.images.toLocaleString()} rows in ${seconds(performance.now() - t0)} s; peak RSS ${peakRssMb().toFixed(0)} MB`,
    );
    const statsAtRows = await statisticsMs(service);

    const regen = await regenerateAll(core, service);
    Object.assign(figures, {
      regeneration_images: regen.done.total,
      regeneration_start_ms: Number(regen.startMs.toFixed(1)),
      regeneration_top_ups: regen.topUps,
      regeneration_status_ms_max: Number(regen.statusMs.toFixed(1)),
      queue_loop_max_ms: Math.round(regen.loopMaxMs),
    });
    log(
      `  regenerate all: start answered in ${regen.startMs.toFixed(0)} ms; queueing every job took ${seconds(regen.queueMs)} s in ${regen.topUps + 1} windows (event loop max ${regen.loopMaxMs.toFixed(0)} ms, status read ≤ ${regen.statusMs.toFixed(1)} ms); session ${regen.done.status}, ${regen.done.completed.toLocaleString()} completed; peak RSS ${peakRssMb().toFixed(0)} MB`,
    );
    const statsWithJobs = await statisticsMs(service);

    await service.startThumbnailRegeneration();
    await service.whenQueued();
    const cancel = await timed(() => service.cancelThumbnailRegeneration());
    figures.cancel_ms = Number(cancel.ms.toFixed(1));
    log(
      `  cancel with a full window           ${cancel.ms.toFixed(0).padStart(9)} ms  (${cancel.result.cancelled.toLocaleString()} waiting jobs cancelled)`,
    );

    const purge = await timed(() => service.deleteAllThumbnails({ confirm: true }));
    figures.delete_all_s = Number(seconds(purge.ms));
    log(
      `  delete-all                          ${seconds(purge.ms).padStart(9)} s   (${purge.result.files_deleted.toLocaleString()} files, ${purge.result.database_records_cleared.toLocaleString()} rows; event loop max ${purge.loopMaxMs.toFixed(0)} ms)`,
    );

    log(
      `\nTargets (per 1,000,000; verify and repair extrapolated linearly from ${IMAGES.toLocaleString()} images; statistics and regeneration measured at ${ROWS.toLocaleString()} rows):`,
    );
    target('statistics_ms_at_rows', statsAtRows, 100, 'ms');
    target('statistics_ms_after_regeneration', statsWithJobs, 100, 'ms');
    target('verify_s_per_1M_images', (verify.ms / 1000) * (MILLION / IMAGES), 15, 's');
    target(
      'repair_s_per_1M_files',
      (repair.ms / 1000) * (MILLION / repair.result.files_scanned),
      30,
      's',
    );
    target('regeneration_start_s', regen.startMs / 1000, 10, 's');
    target('queue_s_per_1M_images', (regen.queueMs / 1000) * (MILLION / regen.done.total), 10, 's');
    target('peak_rss_mb', peakRssMb(), 300, 'MB');
    log('\nShared machine (2 cores, other sessions running): figures are noisy; rerun to compare.');
  } finally {
    await service.close();
    await core.close();
  }
}

await main();
