import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach } from 'vitest';
import { createApi, type Api } from '../../src/main/api';
import { openCore, type Core } from '../../src/main/core';
import type { ImageRow } from '../../src/main/database/types';
import type { VariantKind } from '../../src/main/files/names';
import { cameraLikeJpeg, makeTempDir, seedCamera, seedFrame } from '../helpers/temp-library';

export interface ApiLibrary {
  core: Core;
  api: Api;
  root: string;
  cleanup(): Promise<void>;
}

/** A real core (one sharp worker) on a temporary data root, with the API over it. */
export async function openApiLibrary(): Promise<ApiLibrary> {
  const dir = makeTempDir('timelapser-api-');
  const core = await openCore({ dataRoot: dir.path, poolSize: 1 });
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

/** A fresh API library per test, closed and removed afterwards. */
export function useApiLibrary(): ApiLibrary {
  let current: ApiLibrary | undefined;
  beforeEach(async () => {
    current = await openApiLibrary();
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

const VARIANT_BOX: Record<VariantKind, { width: number; height: number }> = {
  thumbnail: { width: 200, height: 150 },
  small: { width: 800, height: 600 },
};

/** Makes a real thumbnail or small from the frame (sharp, fit inside the spec's box) and records it. */
export async function addVariant(core: Core, image: ImageRow, kind: VariantKind): Promise<string> {
  const key = { timelapseId: image.timelapse_id, day: image.day_number, clock: image.clock, seq: image.seq };
  const relative = core.tree.filePath(image.camera_id, image.timelapse_id, kind, key);
  const absolute = core.tree.resolve(relative);
  const bytes = await sharp(core.tree.resolve(image.file_path))
    .resize({ ...VARIANT_BOX[kind], fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 80 })
    .toBuffer();
  await mkdir(dirname(absolute), { recursive: true });
  await writeFile(absolute, bytes);
  if (kind === 'thumbnail') core.ops.images.setThumbnailPath(image.id, relative, bytes.length);
  else core.ops.images.setSmallPath(image.id, relative, bytes.length);
  return absolute;
}

export const FIRST_CAPTURE = new Date(2026, 0, 2, 10, 0, 0);

/**
 * One camera, one timelapse, three real 1024×768 frames a minute apart:
 * the first with thumbnail and small, the second with a small only, the third bare.
 */
export async function seedLibrary(core: Core) {
  const { camera, timelapse } = seedCamera(core, 'Yard');
  const frames: ImageRow[] = [];
  for (let i = 0; i < 3; i++) {
    const at = new Date(FIRST_CAPTURE.getTime() + i * 60_000);
    frames.push((await seedFrame(core, camera.id, timelapse.id, at, await cameraLikeJpeg(1024, 768, i + 1))).image);
  }
  await addVariant(core, frames[0]!, 'thumbnail');
  await addVariant(core, frames[0]!, 'small');
  await addVariant(core, frames[1]!, 'small');
  const images = frames.map((frame) => core.ops.images.getById(frame.id)!);
  return { camera, timelapse, images };
}
