import { existsSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../src/main/errors';
import { seedCamera, seedFrame, useTestLibrary } from '../helpers/temp-library';

/** Gives a seeded frame real thumbnail and small files and paths. */
function addVariants(core: ReturnType<typeof useTestLibrary>['core'], frame: Awaited<ReturnType<typeof seedFrame>>) {
  const { image } = frame;
  const key = { timelapseId: image.timelapse_id, day: image.day_number, clock: image.clock, seq: image.seq };
  const thumb = core.tree.filePath(image.camera_id, image.timelapse_id, 'thumbnail', key);
  const small = core.tree.filePath(image.camera_id, image.timelapse_id, 'small', key);
  writeFileSync(core.tree.resolve(thumb), 'thumb');
  writeFileSync(core.tree.resolve(small), 'small');
  core.ops.images.updateThumbnailPaths(image.id, { thumbnail_path: thumb, thumbnail_size: 5, small_path: small, small_size: 5 });
  return [frame.absolutePath, core.tree.resolve(thumb), core.tree.resolve(small)];
}

describe('cascade deletes', () => {
  const lib = useTestLibrary();

  it('deleting an image removes its frame, thumbnail and small and fixes the counts', async () => {
    const { core } = lib;
    const { camera, timelapse } = seedCamera(core);
    const keep = await seedFrame(core, camera.id, timelapse.id, new Date(2025, 0, 1, 8, 0, 0));
    const gone = await seedFrame(core, camera.id, timelapse.id, new Date(2025, 0, 1, 8, 0, 1));
    const keptFiles = addVariants(core, keep);
    const goneFiles = addVariants(core, gone);
    expect(core.ops.timelapses.getById(timelapse.id)).toMatchObject({ thumbnail_count: 2, small_count: 2 });
    await core.library.deleteImage(gone.image.id);
    for (const f of goneFiles) expect(existsSync(f)).toBe(false);
    for (const f of keptFiles) expect(existsSync(f)).toBe(true);
    expect(core.ops.timelapses.getById(timelapse.id)).toMatchObject({ image_count: 1, thumbnail_count: 1, small_count: 1 });
    await expect(core.library.deleteImage(gone.image.id)).rejects.toThrow(NotFoundError);
  });

  it('deleting a timelapse removes its rows, jobs and folder; other timelapses stay', async () => {
    const { core } = lib;
    const a = seedCamera(core, 'A');
    const b = seedCamera(core, 'B');
    const fa = await seedFrame(core, a.camera.id, a.timelapse.id, new Date(2025, 0, 1, 9, 0, 0));
    const fb = await seedFrame(core, b.camera.id, b.timelapse.id, new Date(2025, 0, 1, 9, 0, 0));
    const filesA = addVariants(core, fa);
    core.ops.jobs.createJob({ image_id: fa.image.id, priority: 'medium' });
    await core.library.deleteTimelapse(a.timelapse.id);
    for (const f of filesA) expect(existsSync(f)).toBe(false);
    expect(existsSync(core.tree.resolve(core.tree.timelapseDir(a.camera.id, a.timelapse.id)))).toBe(false);
    expect(core.ops.images.getById(fa.image.id)).toBeUndefined();
    expect(core.ops.jobs.getLiveJobForImage(fa.image.id)).toBeUndefined();
    expect(existsSync(fb.absolutePath)).toBe(true);
  });

  it('deleting a camera removes its timelapses, images and camera folder', async () => {
    const { core } = lib;
    const { camera, timelapse } = seedCamera(core);
    const frame = await seedFrame(core, camera.id, timelapse.id, new Date(2025, 0, 1, 9, 0, 0));
    const files = addVariants(core, frame);
    await core.library.deleteCamera(camera.id);
    for (const f of files) expect(existsSync(f)).toBe(false);
    expect(existsSync(core.tree.resolve(core.tree.cameraDir(camera.id)))).toBe(false);
    expect(core.ops.timelapses.getById(timelapse.id)).toBeUndefined();
    expect(core.ops.images.getById(frame.image.id)).toBeUndefined();
    await expect(core.library.deleteCamera(camera.id)).rejects.toThrow(NotFoundError);
  });
});
