import { existsSync, mkdirSync, readdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Core } from '../../src/main/core';
import type { ImageRow } from '../../src/main/database/types';
import { formatFileName, type VariantKind } from '../../src/main/files/names';
import { cameraLikeJpeg, seedCamera, seedFrame } from '../helpers/temp-library';

/**
 * A real library with every case maintenance must tell apart, in two
 * timelapses (A: 10 frames, B: 6 frames), all files real JPEGs:
 *   A0, A1  thumbnail file deleted, path still recorded
 *   A2      small file deleted, path still recorded
 *   A3      thumbnail path NULL, file still there (an orphan that matches)
 *   A4      small path NULL, file still there (an orphan that matches)
 *   A5      thumbnail path NULL and file deleted (simply none)
 *   orphans that match no image: one thumbnail and one small in A, one
 *     thumbnail in B, one in the folder of a deleted timelapse 999
 *   names our naming does not create in A's thumbnails/ (left alone)
 *   decoys in A's frames/: a thumbnail-like name and a frame with no row
 */
export interface DamagedLibrary {
  a: { cameraId: number; timelapseId: number; images: ImageRow[] };
  b: { cameraId: number; timelapseId: number; images: ImageRow[] };
  unclaimed: { path: string; kind: VariantKind; size: number }[];
  unparseable: string[];
  decoys: string[];
  thumbnailSize: number;
  smallSize: number;
}

export const A_FRAMES = 10;
export const B_FRAMES = 6;

export async function buildDamagedLibrary(core: Core): Promise<DamagedLibrary> {
  const thumbnail = await cameraLikeJpeg(200, 150, 7);
  const small = await cameraLikeJpeg(400, 300, 8);
  const a = await seedTimelapse(core, 'A', A_FRAMES, thumbnail, small);
  const b = await seedTimelapse(core, 'B', B_FRAMES, thumbnail, small);
  const abs = (path: string) => core.tree.resolve(path);

  unlinkSync(abs(a.images[0]!.thumbnail_path!));
  unlinkSync(abs(a.images[1]!.thumbnail_path!));
  unlinkSync(abs(a.images[2]!.small_path!));
  core.ops.images.setThumbnailPath(a.images[3]!.id, null, null);
  core.ops.images.setSmallPath(a.images[4]!.id, null, null);
  unlinkSync(abs(a.images[5]!.thumbnail_path!));
  core.ops.images.setThumbnailPath(a.images[5]!.id, null, null);

  const orphan = (cameraId: number, timelapseId: number, kind: VariantKind, clock: string) => {
    const path = core.tree.filePath(cameraId, timelapseId, kind, { timelapseId, day: 9, clock, seq: 0 });
    const bytes = kind === 'thumbnail' ? thumbnail : small;
    write(abs(path), bytes);
    return { path, kind, size: bytes.length };
  };
  const unclaimed = [
    orphan(a.cameraId, a.timelapseId, 'thumbnail', '120000'),
    orphan(a.cameraId, a.timelapseId, 'small', '120001'),
    orphan(b.cameraId, b.timelapseId, 'thumbnail', '120002'),
    orphan(a.cameraId, 999, 'thumbnail', '000000'),
  ];

  const aThumbs = core.tree.kindDir(a.cameraId, a.timelapseId, 'thumbnail');
  const unparseable = [
    'notes.txt',
    `timelapse-${a.timelapseId}_thumb_day001_999999.jpg`,
    `timelapse-${b.timelapseId}_thumb_day001_080000.jpg`,
    `timelapse-${a.timelapseId}_small_day001_080000.jpg`,
  ].map((name) => join(aThumbs, name));
  for (const path of unparseable) write(abs(path), thumbnail);

  const aFrames = core.tree.kindDir(a.cameraId, a.timelapseId, 'frame');
  const decoys = [
    join(aFrames, formatFileName('thumbnail', { timelapseId: a.timelapseId, day: 9, clock: '130000', seq: 0 })),
    join(aFrames, formatFileName('frame', { timelapseId: a.timelapseId, day: 9, clock: '130001', seq: 0 })),
  ];
  for (const path of decoys) write(abs(path), thumbnail);

  return {
    a: { ...a, images: reload(core, a.images) },
    b: { ...b, images: reload(core, b.images) },
    unclaimed,
    unparseable,
    decoys,
    thumbnailSize: thumbnail.length,
    smallSize: small.length,
  };
}

/** A camera and timelapse whose frames all have real thumbnail and small files and paths. */
export async function seedTimelapse(core: Core, name: string, frames: number, thumbnail: Buffer, small: Buffer) {
  const { camera, timelapse } = seedCamera(core, name);
  const jpeg = await cameraLikeJpeg(320, 240, 3);
  const images: ImageRow[] = [];
  for (let i = 0; i < frames; i++) {
    const { image } = await seedFrame(core, camera.id, timelapse.id, new Date(2025, 0, 1, 8, 0, i), jpeg);
    const key = { timelapseId: timelapse.id, day: image.day_number, clock: image.clock, seq: image.seq };
    const thumbPath = core.tree.filePath(camera.id, timelapse.id, 'thumbnail', key);
    const smallPath = core.tree.filePath(camera.id, timelapse.id, 'small', key);
    write(core.tree.resolve(thumbPath), thumbnail);
    write(core.tree.resolve(smallPath), small);
    core.ops.images.updateThumbnailPaths(image.id, {
      thumbnail_path: thumbPath,
      thumbnail_size: thumbnail.length,
      small_path: smallPath,
      small_size: small.length,
    });
    images.push(image);
  }
  return { cameraId: camera.id, timelapseId: timelapse.id, images: reload(core, images) };
}

/** Every file under the data root (relative paths, sorted), without the database and temp files. */
export function treeFiles(core: Core): string[] {
  const out: string[] = [];
  const walk = (relative: string) => {
    for (const entry of readdirSync(core.tree.resolve(relative), { withFileTypes: true })) {
      const path = relative ? join(relative, entry.name) : entry.name;
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) out.push(path);
    }
  };
  walk('cameras');
  return out.sort();
}

export function fileExists(core: Core, path: string): boolean {
  return existsSync(core.tree.resolve(path));
}

export function sizeOf(core: Core, path: string): number {
  return statSync(core.tree.resolve(path)).size;
}

export function timelapseCounts(core: Core, timelapseId: number) {
  return core.db
    .prepare<[number], { image_count: number; thumbnail_count: number; small_count: number; thumbnail_bytes: number; small_bytes: number }>(
      'SELECT image_count, thumbnail_count, small_count, thumbnail_bytes, small_bytes FROM timelapses WHERE id = ?',
    )
    .get(timelapseId)!;
}

function reload(core: Core, images: ImageRow[]): ImageRow[] {
  return images.map((image) => core.ops.images.getById(image.id)!);
}

function write(path: string, data: Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
}

/** A frame captured while maintenance runs: it claims the name of the second unclaimed orphan. */
export function captureLateFrame(core: Core, fx: DamagedLibrary): void {
  core.ops.images.insert({
    timelapse_id: fx.a.timelapseId,
    camera_id: fx.a.cameraId,
    file_path: 'cameras/late-frame.jpg',
    captured_at: Date.now(),
    day_number: 9,
    clock: '120001',
    seq: 0,
    file_size: 1,
  });
}
