import { afterEach, beforeEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { createApi, type Api } from '../../src/main/api';
import { openCore, type Core, type CoreOptions } from '../../src/main/core';
import { clockOf } from '../../src/main/files/names';
import type { ImageRow } from '../../src/main/database/types';
import type { FrameFlag } from '../../src/shared/contract';

export function makeTempDir(prefix = 'timelapser-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A real, camera-like JPEG: gradient plus noise, so it compresses like a photo. */
export async function cameraLikeJpeg(width = 640, height = 480, seed = 1, quality = 85): Promise<Buffer> {
  const channels = 3;
  const pixels = Buffer.alloc(width * height * channels);
  let state = seed * 2654435761;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      state = (state * 1103515245 + 12345) >>> 0;
      const noise = (state >>> 24) % 32;
      const i = (y * width + x) * channels;
      pixels[i] = ((x * 255) / width + noise) & 255;
      pixels[i + 1] = ((y * 255) / height + noise) & 255;
      pixels[i + 2] = (((x + y + seed * 40) * 255) / (width + height) + noise) & 255;
    }
  }
  return sharp(pixels, { raw: { width, height, channels } }).jpeg({ quality }).toBuffer();
}

export interface SeededFrame {
  image: ImageRow;
  absolutePath: string;
}

export interface TestLibrary {
  core: Core;
  /** The contract's implementation over the core, as IPC, HTTP and the CLI get it. */
  api: Api;
  root: string;
  cleanup(): Promise<void>;
}

export type TestLibraryOptions = Partial<Omit<CoreOptions, 'dataRoot'>>;

/**
 * The one way tests build a library: the real composition root on a fresh
 * temporary data root, with the API over it.
 */
export async function openTestLibrary(options: TestLibraryOptions = {}): Promise<TestLibrary> {
  const dir = makeTempDir();
  const core = await openCore({ ...options, dataRoot: dir.path });
  return {
    core,
    api: createApi(core),
    root: core.tree.root,
    async cleanup() {
      await core.close();
      dir.remove();
    },
  };
}

/** Creates a camera with an active timelapse. */
export function seedCamera(core: Core, name = 'Cam') {
  const camera = core.ops.cameras.create({ name, source_type: 'demo' });
  const timelapse = core.ops.timelapses.create(camera.id, `${name} session`, Date.now());
  core.tree.ensureTimelapseDirs(camera.id, timelapse.id);
  return { camera, timelapse };
}

/**
 * Writes a real JPEG frame under the spec's name and inserts its image row;
 * `flag` marks it kept though it looks wrong, as frame keeping would.
 */
export async function seedFrame(
  core: Core,
  cameraId: number,
  timelapseId: number,
  capturedAt: Date,
  jpeg?: Buffer,
  day = 1,
  flag: FrameFlag | null = null,
): Promise<SeededFrame> {
  const key = { timelapseId, day, clock: clockOf(capturedAt), seq: 0 };
  const maxSeq = core.ops.images.maxSeqForKey(timelapseId, day, key.clock);
  if (maxSeq !== null) key.seq = Math.max(2, maxSeq + 1);
  const relative = core.tree.filePath(cameraId, timelapseId, 'frame', key);
  const absolutePath = core.tree.resolve(relative);
  const data = jpeg ?? (await cameraLikeJpeg(320, 240, capturedAt.getSeconds() + 1));
  await mkdir(dirname(absolutePath), { recursive: true });
  await writeFile(absolutePath, data);
  const image = core.ops.images.insert({
    timelapse_id: timelapseId,
    camera_id: cameraId,
    file_path: relative,
    captured_at: capturedAt.getTime(),
    day_number: day,
    clock: key.clock,
    seq: key.seq,
    file_size: data.length,
    flag_reason: flag,
  });
  return { image, absolutePath };
}

/** A fresh temporary folder for each test, removed afterwards. */
export function useTempDir(prefix?: string): { readonly path: string } {
  let current: ReturnType<typeof makeTempDir> | undefined;
  beforeEach(() => {
    current = makeTempDir(prefix);
  });
  afterEach(() => current?.remove());
  return {
    get path() {
      if (!current) throw new Error('useTempDir: no test is running');
      return current.path;
    },
  };
}

/**
 * A fresh test library for each test, closed and removed afterwards. Options
 * given as a function are read per test (e.g. an engine shared by the file).
 */
export function useTestLibrary(options: TestLibraryOptions | (() => TestLibraryOptions) = {}): TestLibrary {
  let current: TestLibrary | undefined;
  beforeEach(async () => {
    current = await openTestLibrary(typeof options === 'function' ? options() : options);
  });
  afterEach(async () => current?.cleanup());
  return {
    get core() {
      return current!.core;
    },
    get api() {
      return current!.api;
    },
    get root() {
      return current!.root;
    },
    cleanup: () => current!.cleanup(),
  };
}
