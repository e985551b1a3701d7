/**
 * npm run bench:thumbnails [-- --frames N] [--pool N] [--json]
 *
 * Thumbnail + small generation for camera-like 1080p and 4K JPEG frames (q90),
 * measured in one run: (a) naive sharp, two independent pipelines per frame;
 * (b) the engine (one decode per frame, worker pool); (c) the command-line
 * floor `djpeg -scale 1/N | cjpeg` and `vipsthumbnail`, where installed. All
 * methods keep the same number of frames in flight (the engine's capacity) with one
 * libvips thread each, so ratios compare methods, not parallelism. Besides
 * wall-clock frames/s it reports CPU ms per frame (whole process, or the
 * tools' own CPU), which other load on a shared machine disturbs far less.
 * Also both corruption checks' cost (the corruption_check setting: quick reads
 * the header, full decodes a preview) as a share of generation, with the full
 * check's libjpeg floor, and peak RSS.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sharp } from 'sharp';
import {
  calculateThumbnailDimensions,
  SMALL_SIZE,
  THUMBNAIL_SIZE,
  type Size,
} from '../src/main/imaging/dimensions';
import { jpegLoadShrink } from '../src/main/imaging/shrink-on-load';
import { ThumbnailEngine } from '../src/main/imaging/thumbnail-engine';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  const value = at >= 0 ? Number(args[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} needs a positive integer`);
  return value;
};

const FRAMES = option('frames', 200);
/** Child mode: build the frames in a separate process, so their memory is not in the measured RSS. */
const MAKE_FRAMES_IN = args.includes('--make-frames')
  ? args[args.indexOf('--make-frames') + 1]
  : undefined;
const POOL = option('pool', Math.max(1, availableParallelism()));
/** Frames every method keeps in flight: as many as the engine runs at once (set once it exists). */
let inFlight = POOL;
const DISTINCT_FRAMES = Math.min(FRAMES, 6);
const VALIDATIONS = FRAMES;
const QUALITY = { small: 85, thumbnail: 80 };
const RESOLUTIONS = {
  '1080p': { width: 1920, height: 1080 },
  '4k': { width: 3840, height: 2160 },
} as const;
type Resolution = keyof typeof RESOLUTIONS;

/**
 * sharp for the bench's own use, loaded on first need: the RSS phase runs
 * before, so the measured process holds libvips only through the engine.
 * Same libvips settings as the engine's workers.
 */
async function loadSharp() {
  const { default: sharp } = await import('sharp');
  sharp.concurrency(1);
  sharp.cache(false);
  return sharp;
}

// ---------------------------------------------------------------- frames

/** Sky gradient, buildings with lit windows, foliage texture, sensor noise and an OSD caption. */
async function cameraFrame({ width, height }: Size, seed: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  const random = lcg(seed);
  const horizon = Math.round(height * (0.45 + random() * 0.1));
  const buildings = Array.from({ length: 7 }, () => {
    const x0 = Math.floor(random() * width * 0.9);
    return {
      x0,
      x1: x0 + Math.floor(width * (0.05 + random() * 0.12)),
      top: Math.floor(horizon * (0.25 + random() * 0.6)),
      shade: 60 + random() * 90,
    };
  });
  const cell = Math.max(8, Math.round(width / 120));
  const gridWidth = Math.ceil(width / cell) + 1;
  const grid = Float32Array.from({ length: gridWidth * (Math.ceil(height / cell) + 1) }, () =>
    random(),
  );
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const noise = (random() - 0.5) * 8;
      let r: number, g: number, b: number;
      const building = buildings.find(
        (bd) => x >= bd.x0 && x < bd.x1 && y >= bd.top && y < horizon,
      );
      if (building) {
        const window =
          (x - building.x0) % cell < cell / 2 && (y - building.top) % (cell * 1.5) < cell * 0.7;
        const lit = window && (Math.floor(x / cell) * 7 + Math.floor(y / cell) * 13 + seed) % 5 < 2;
        r = lit ? 230 : window ? 40 : building.shade;
        g = lit ? 200 : window ? 45 : building.shade - 5;
        b = lit ? 120 : window ? 60 : building.shade - 15;
      } else if (y < horizon) {
        r = 90 + (y / horizon) * 90;
        g = 140 + (y / horizon) * 70;
        b = 220 - (y / horizon) * 30;
      } else {
        const foliage = smooth(grid, gridWidth, x / cell, y / cell);
        r = 50 + foliage * 80;
        g = 80 + foliage * 100;
        b = 30 + foliage * 40;
      }
      pixels[i] = clamp(r + noise);
      pixels[i + 1] = clamp(g + noise);
      pixels[i + 2] = clamp(b + noise);
    }
  }
  const fontSize = Math.round(height / 24);
  const caption = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
      `<text x="${fontSize}" y="${fontSize * 1.5}" font-family="sans-serif" font-size="${fontSize}" fill="#fff" stroke="#000" stroke-width="2">` +
      `CAM ${seed.toString().padStart(2, '0')}  2024-05-0${(seed % 9) + 1} 14:3${seed % 10}:22</text></svg>`,
  );
  const sharp = await loadSharp();
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .composite([{ input: caption }])
    .jpeg({ quality: 90 })
    .toBuffer();
}

function lcg(seed: number): () => number {
  let state = (seed * 2654435761) >>> 0;
  return () => (state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

/** Bilinear value noise: soft blobs like leaves or grass out of focus. */
function smooth(grid: Float32Array, gridWidth: number, gx: number, gy: number): number {
  const x0 = Math.floor(gx);
  const y0 = Math.floor(gy);
  const fx = gx - x0;
  const fy = gy - y0;
  const at = (x: number, y: number) => grid[y * gridWidth + x] ?? 0;
  const top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx;
  const bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx;
  return top * (1 - fy) + bottom * fy;
}

const clamp = (value: number) => Math.max(0, Math.min(255, Math.round(value)));

// ---------------------------------------------------------------- measuring

interface Measure {
  frames: number;
  wallMs: number;
  cpuMs: number;
  /** Per-frame latencies; empty for command-line tools (one process per lane). */
  latencies: number[];
}

/** Runs `count` tasks in this process with `inFlight` at a time. CPU covers the main thread and all workers. */
async function inProcess(
  count: number,
  inFlight: number,
  task: (index: number) => Promise<void>,
): Promise<Measure> {
  let next = 0;
  const latencies: number[] = [];
  const cpu = process.cpuUsage();
  const started = performance.now();
  const lane = async () => {
    while (next < count) {
      const index = next++;
      const t = performance.now();
      await task(index);
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  const used = process.cpuUsage(cpu);
  return {
    frames: count,
    wallMs: performance.now() - started,
    cpuMs: (used.user + used.system) / 1000,
    latencies,
  };
}

/** Splits `count` frames over `inFlight` shell lanes; CPU is what the tools used (`times`). */
async function commandLanes(
  count: number,
  inFlight: number,
  script: (indices: number[]) => string,
): Promise<Measure> {
  const lanes = Array.from({ length: inFlight }, (_, lane) =>
    Array.from({ length: count }, (_, i) => i).filter((i) => i % inFlight === lane),
  );
  const started = performance.now();
  const cpu = await Promise.all(
    lanes.filter((indices) => indices.length > 0).map((indices) => shell(script(indices))),
  );
  return {
    frames: count,
    wallMs: performance.now() - started,
    cpuMs: cpu.reduce((a, b) => a + b, 0),
    latencies: [],
  };
}

/** Runs a shell script and answers the CPU ms its child processes used. */
function shell(script: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', `set -e\n${script}\ntimes`], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, VIPS_CONCURRENCY: '1' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`shell lane exited ${code}`));
      const childrenLine = output.trim().split('\n').at(-1) ?? '';
      const seconds = [...childrenLine.matchAll(/(\d+)m([\d.]+)s/g)].map(
        (m) => Number(m[1]) * 60 + Number(m[2]),
      );
      resolve(seconds.reduce((a, b) => a + b, 0) * 1000);
    });
  });
}

/** Rounds per comparison: more rounds spread drifting load more evenly, each adds a ramp-down. */
const ROUNDS = 4;

/**
 * The frames in ROUNDS parts, every method in turn each round and a
 * different method first each time, so load drifting over minutes (a shared
 * VM's neighbours) lands on every method alike.
 */
async function alternating(
  methods: Record<string, (count: number) => Promise<Measure>>,
): Promise<Record<string, Measure>> {
  const parts = Array.from(
    { length: ROUNDS },
    (_, round) =>
      Math.floor((FRAMES * (round + 1)) / ROUNDS) - Math.floor((FRAMES * round) / ROUNDS),
  ).filter((n) => n > 0);
  const entries = Object.entries(methods);
  const totals: Record<string, Measure> = {};
  for (const [round, count] of parts.entries()) {
    const order = [
      ...entries.slice(round % entries.length),
      ...entries.slice(0, round % entries.length),
    ];
    for (const [name, run] of order) {
      const part = await run(count);
      const total = (totals[name] ??= { frames: 0, wallMs: 0, cpuMs: 0, latencies: [] });
      total.frames += part.frames;
      total.wallMs += part.wallMs;
      total.cpuMs += part.cpuMs;
      total.latencies.push(...part.latencies);
    }
  }
  return totals;
}

const fps = (m: Measure) => (m.frames * 1000) / m.wallMs;
const cpuPerFrame = (m: Measure) => m.cpuMs / m.frames;
/** Median latency, or for tools run one lane per process the mean wall time a frame took. */
const msPerFrame = (m: Measure) =>
  m.latencies.length ? median(m.latencies) : (m.wallMs * inFlight) / m.frames;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

// ---------------------------------------------------------------- methods

const work = MAKE_FRAMES_IN ?? mkdtempSync(join(tmpdir(), 'timelapser-bench-'));
const out = (method: string, resolution: Resolution) => {
  const dir = join(work, 'out', method, resolution);
  mkdirSync(dir, { recursive: true });
  return dir;
};
const sourceOf = (sources: string[], i: number) => sources[i % sources.length]!;

function naive(sharp: (input: string) => Sharp, sources: string[], resolution: Resolution) {
  const dir = out('naive', resolution);
  const variant = (source: string, size: Size, quality: number, file: string) =>
    sharp(source)
      .rotate()
      .resize(size.width, size.height, { fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality })
      .toFile(join(dir, file));
  // What one writes without thinking about decodes: two full pipelines per frame.
  return (count: number) =>
    inProcess(count, inFlight, async (i) => {
      await Promise.all([
        variant(sourceOf(sources, i), SMALL_SIZE, QUALITY.small, `${i}-small.jpg`),
        variant(sourceOf(sources, i), THUMBNAIL_SIZE, QUALITY.thumbnail, `${i}-thumb.jpg`),
      ]);
    });
}

function viaEngine(engine: ThumbnailEngine, sources: string[], resolution: Resolution) {
  const dir = out('engine', resolution);
  const temp = join(work, '.tmp');
  mkdirSync(temp, { recursive: true });
  return (count: number) =>
    inProcess(count, inFlight, async (i) => {
      await engine.generate({
        sourcePath: sourceOf(sources, i),
        thumbnailPath: join(dir, `${i}-thumb.jpg`),
        smallPath: join(dir, `${i}-small.jpg`),
        thumbnailQuality: QUALITY.thumbnail,
        smallQuality: QUALITY.small,
        tempDirectory: temp,
      });
    });
}

/** The libjpeg DCT scale 1/N the engine decodes at for this variant. */
const jpegScale = (source: Size, target: Size) =>
  jpegLoadShrink(source, calculateThumbnailDimensions(source, target));

/** The floor: libjpeg-turbo decoding at the DCT scale and encoding, no resize, no colour management. */
function djpegFloor(sources: string[], resolution: Resolution) {
  const dir = out('djpeg', resolution);
  const size = RESOLUTIONS[resolution];
  const small = jpegScale(size, SMALL_SIZE);
  const thumb = jpegScale(size, THUMBNAIL_SIZE);
  return (count: number) =>
    commandLanes(count, inFlight, (indices) =>
      indices
        .map((i) => {
          const source = sourceOf(sources, i);
          return (
            `djpeg -scale 1/${small} '${source}' | cjpeg -quality ${QUALITY.small} > '${dir}/${i}-small.jpg'\n` +
            `djpeg -scale 1/${thumb} '${source}' | cjpeg -quality ${QUALITY.thumbnail} > '${dir}/${i}-thumb.jpg'`
          );
        })
        .join('\n'),
    );
}

/**
 * The pixel check's floor: libjpeg decoding at 1/8 scale and throwing the
 * pixels away. Any check that sees corrupt entropy data or a flat frame must
 * read every entropy-coded bit, which is most of this cost.
 */
function djpegEighth(sources: string[]) {
  return (count: number) =>
    commandLanes(count, inFlight, (indices) =>
      indices.map((i) => `djpeg -scale 1/8 '${sourceOf(sources, i)}' > /dev/null`).join('\n'),
    );
}

/** vipsthumbnail (Debian's libvips CLI), one process per lane and size, so start-up is paid once. */
function vipsthumbnail(sources: string[], resolution: Resolution) {
  const dir = out('vipsthumbnail', resolution);
  return (count: number) =>
    commandLanes(count, inFlight, (indices) => {
      const inputs = indices.map((i) => `'${sourceOf(sources, i)}'`).join(' ');
      return (
        `vipsthumbnail ${inputs} -s 800x600 -o '${dir}/%s-small.jpg[Q=${QUALITY.small},strip]'\n` +
        `vipsthumbnail ${inputs} -s 200x150 -o '${dir}/%s-thumb.jpg[Q=${QUALITY.thumbnail},strip]'`
      );
    });
}

const installed = (...tools: string[]) =>
  spawnSync('sh', ['-c', `command -v ${tools.join(' ')}`]).status === 0;

/** The corruption check as capture runs it: the frame's bytes, through the pool. */
async function validation(
  engine: ThumbnailEngine,
  sources: string[],
  depth: 'header' | 'pixels',
): Promise<Measure> {
  const bytes = sources.map((source) => readFileSync(source));
  return inProcess(VALIDATIONS, inFlight, async (i) => {
    const verdict = await engine.validate(bytes[i % bytes.length]!, { depth });
    if (!verdict.ok) throw new Error(`bench frame rejected: ${verdict.reason}`);
  });
}

// ---------------------------------------------------------------- main

function makeFrames(dir: string) {
  const result = spawnSync(
    process.execPath,
    [...process.execArgv, process.argv[1]!, '--make-frames', dir, '--frames', `${FRAMES}`],
    {
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) throw new Error('building the bench frames failed');
  const sources: Record<Resolution, string[]> = { '1080p': [], '4k': [] };
  for (const name of readdirSync(dir).sort()) {
    const resolution = name.split('-')[0] as Resolution;
    if (resolution in sources) sources[resolution].push(join(dir, name));
  }
  return sources;
}

async function writeFrames(dir: string) {
  for (const resolution of Object.keys(RESOLUTIONS) as Resolution[]) {
    for (let seed = 1; seed <= DISTINCT_FRAMES; seed++) {
      writeFileSync(
        join(dir, `${resolution}-${seed}.jpg`),
        await cameraFrame(RESOLUTIONS[resolution], seed),
      );
    }
  }
}

async function main() {
  const cpus = availableParallelism();
  console.log(
    `Timelapser thumbnail bench: ${FRAMES} frames per resolution and method, ${POOL} workers, ${cpus} CPUs`,
  );
  console.log(
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(
        ' ',
      )} (other processes share these CPUs: wall-clock figures are noisy, CPU ms/frame much less)`,
  );
  const cli = { djpeg: installed('djpeg', 'cjpeg'), vips: installed('vipsthumbnail') };
  if (!cli.djpeg)
    console.log('djpeg/cjpeg not installed (apt-get install libjpeg-turbo-progs): floor skipped');
  if (!cli.vips)
    console.log('vipsthumbnail not installed (apt-get install libvips-tools): skipped');

  const sources = makeFrames(join(work, 'frames'));
  for (const [resolution, paths] of Object.entries(sources)) {
    const sizes = paths.map((path) => readFileSync(path).length / 1024);
    console.log(
      `${resolution}: ${paths.length} distinct camera-like frames, JPEG q90, ${median(sizes).toFixed(0)} KB median`,
    );
  }
  const figures: Record<string, number> = {
    frames: FRAMES,
    pool_size: POOL,
    cpus,
    load_average_1m: round(loadavg()[0]!),
  };

  // Peak RSS first, on a clean process: the engine alone over every 4K frame (also the warm-up).
  const baselineRss = process.resourceUsage().maxRSS / 1024;
  const engine = new ThumbnailEngine({ poolSize: POOL });
  inFlight = figures.frames_in_flight = engine.stats.capacity;
  console.log(`every method keeps ${inFlight} frames in flight (the engine's capacity)`);
  await viaEngine(engine, sources['4k'], '4k')(FRAMES);
  figures.peak_rss_mb = round(process.resourceUsage().maxRSS / 1024);
  console.log(
    `\npeak RSS of the whole process over ${FRAMES} 4K frames through the engine: ${figures.peak_rss_mb} MB (${baselineRss.toFixed(0)} MB before the engine started)`,
  );
  console.log(
    '  (run from source, every worker also carries tsx; built workers, as shipped, carry less)',
  );

  const sharp = await loadSharp();
  for (const resolution of Object.keys(RESOLUTIONS) as Resolution[]) {
    const methods: Record<string, (count: number) => Promise<Measure>> = {
      naive: naive(sharp, sources[resolution], resolution),
      engine: viaEngine(engine, sources[resolution], resolution),
    };
    if (cli.djpeg) methods.djpeg = djpegFloor(sources[resolution], resolution);
    if (cli.vips) methods.vipsthumbnail = vipsthumbnail(sources[resolution], resolution);
    const runs = await alternating(methods);
    const checks = {
      header: await validation(engine, sources[resolution], 'header'),
      pixels: await validation(engine, sources[resolution], 'pixels'),
    };
    const eighth = cli.djpeg ? await djpegEighth(sources[resolution])(VALIDATIONS) : undefined;
    report(resolution, runs, checks, figures, eighth);
  }
  await engine.close();
  printTargets(figures);
  if (flag('json')) console.log(JSON.stringify(figures));
}

function report(
  resolution: Resolution,
  runs: Record<string, Measure>,
  checks: Record<'header' | 'pixels', Measure>,
  figures: Record<string, number>,
  eighth?: Measure,
) {
  const engine = runs.engine!;
  console.log(`\n${resolution}              ms/frame   frames/s   CPU ms/frame`);
  for (const [name, run] of Object.entries(runs)) {
    console.log(
      `  ${name.padEnd(15)} ${msPerFrame(run).toFixed(1).padStart(9)} ${fps(run).toFixed(1).padStart(10)} ${cpuPerFrame(run).toFixed(1).padStart(14)}`,
    );
    figures[`fps_${name}_${resolution}`] = round(fps(run));
    figures[`ms_per_frame_${name}_${resolution}`] = round(msPerFrame(run));
    figures[`cpu_ms_per_frame_${name}_${resolution}`] = round(cpuPerFrame(run));
  }
  figures[`ratio_${resolution}`] = round(fps(engine) / fps(runs.naive!));
  figures[`cpu_ratio_${resolution}`] = round(cpuPerFrame(runs.naive!) / cpuPerFrame(engine));
  console.log(
    `  engine ÷ naive: ${figures[`ratio_${resolution}`]}× frames/s, ${figures[`cpu_ratio_${resolution}`]}× less CPU per frame`,
  );
  for (const tool of ['djpeg', 'vipsthumbnail']) {
    const run = runs[tool];
    if (!run) continue;
    figures[`${tool}_over_engine_${resolution}`] = round(fps(run) / fps(engine));
    figures[`cpu_engine_over_${tool}_${resolution}`] = round(
      cpuPerFrame(engine) / cpuPerFrame(run),
    );
    console.log(
      `  ${tool} ÷ engine: ${figures[`${tool}_over_engine_${resolution}`]}× frames/s; engine uses ${figures[`cpu_engine_over_${tool}_${resolution}`]}× its CPU per frame`,
    );
  }
  for (const depth of ['header', 'pixels'] as const) {
    const check = checks[depth];
    const share = cpuPerFrame(check) / cpuPerFrame(engine);
    figures[`validate_${depth}_cpu_ms_${resolution}`] = round(cpuPerFrame(check), 3);
    figures[`validate_${depth}_latency_ms_${resolution}`] = round(median(check.latencies), 3);
    figures[`validate_${depth}_share_${resolution}`] = round(share, 4);
    console.log(
      `  corruption check ${depth === 'header' ? 'quick (header)' : 'full (pixels)'}: ${cpuPerFrame(check).toFixed(2)} CPU ms (${(share * 100).toFixed(1)} % of generating the frame), ` +
        `${median(check.latencies).toFixed(2)} ms round trip`,
    );
  }
  if (eighth) {
    const floor = cpuPerFrame(eighth);
    figures[`djpeg_eighth_cpu_ms_${resolution}`] = round(floor, 3);
    figures[`djpeg_eighth_share_${resolution}`] = round(floor / cpuPerFrame(engine), 4);
    figures[`validate_pixels_over_floor_${resolution}`] = round(
      cpuPerFrame(checks.pixels) / floor,
      3,
    );
    console.log(
      `  the full check's floor, libjpeg's 1/8 decode alone (djpeg -scale 1/8 > /dev/null): ${floor.toFixed(2)} CPU ms ` +
        `(${((floor / cpuPerFrame(engine)) * 100).toFixed(1)} % of generating the frame); full check ÷ floor ${(cpuPerFrame(checks.pixels) / floor).toFixed(2)}×`,
    );
  }
}

function printTargets(f: Record<string, number>) {
  const within = (key: string) => (f[key] === undefined ? undefined : f[key] <= 1.5);
  const checks: [string, boolean | undefined][] = [
    ['engine ≥ 1.5× naive frames/s at 4K', f.ratio_4k! >= 1.5],
    ['engine ≥ 1.2× naive frames/s at 1080p', f.ratio_1080p! >= 1.2],
    [
      'engine within 1.5× of the djpeg floor, frames/s (4K)',
      f.djpeg_over_engine_4k === undefined ? undefined : f.djpeg_over_engine_4k <= 1.5,
    ],
    [
      'engine within 1.5× of the djpeg floor, frames/s (1080p)',
      f.djpeg_over_engine_1080p === undefined ? undefined : f.djpeg_over_engine_1080p <= 1.5,
    ],
    ['engine within 1.5× of the djpeg floor, CPU (4K)', within('cpu_engine_over_djpeg_4k')],
    ['engine within 1.5× of the djpeg floor, CPU (1080p)', within('cpu_engine_over_djpeg_1080p')],
    ['peak RSS ≤ 300 MB over the 4K frames', f.peak_rss_mb! <= 300],
    [
      'quick corruption check (header) ≤ 5 % of generation',
      Math.max(f.validate_header_share_1080p!, f.validate_header_share_4k!) <= 0.05,
    ],
    [
      'full corruption check (pixels) ≤ 5 % of generation (floor: djpeg -scale 1/8)',
      Math.max(f.validate_pixels_share_1080p!, f.validate_pixels_share_4k!) <= 0.05,
    ],
    [
      'full corruption check within 1.5× of its floor, CPU (1080p)',
      within('validate_pixels_over_floor_1080p'),
    ],
    [
      'full corruption check within 1.5× of its floor, CPU (4K)',
      within('validate_pixels_over_floor_4k'),
    ],
  ];
  console.log('\ntargets (issues 4 and 15):');
  for (const [name, met] of checks)
    console.log(`  ${met === undefined ? 'n/a ' : met ? 'met ' : 'MISS'}  ${name}`);
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

if (MAKE_FRAMES_IN) {
  mkdirSync(MAKE_FRAMES_IN, { recursive: true });
  await writeFrames(MAKE_FRAMES_IN);
} else {
  await main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
  rmSync(work, { recursive: true, force: true });
}
