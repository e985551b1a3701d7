import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import sharp from 'sharp';
import type { Core } from '../../src/main/core';
import type { ImageRow } from '../../src/main/database/types';
import type { VariantKind } from '../../src/main/files/names';
import { cameraLikeJpeg, seedCamera, seedFrame, useTestLibrary, type TestLibrary } from '../helpers/temp-library';

/** A fresh library per test with one sharp worker, and the API over it. */
export function useApiLibrary(): TestLibrary {
  return useTestLibrary({ poolSize: 1 });
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
