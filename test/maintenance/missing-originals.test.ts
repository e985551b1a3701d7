import { existsSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core';
import type { ImageRow } from '../../src/main/database/types';
import { describeMissingOriginals } from '../../src/shared/reports';
import { addVariant } from '../api/api-library';
import { cameraLikeJpeg, seedCamera, seedFrame, useTestLibrary } from '../helpers/temp-library';

/** Ten frames of a timelapse, each with its thumbnail and small on disk, and a queued job for each. */
async function tenFrames(core: Core): Promise<ImageRow[]> {
  const { camera, timelapse } = seedCamera(core, 'Drive');
  const start = new Date(2026, 3, 1, 12, 0, 0).getTime();
  const images: ImageRow[] = [];
  for (let i = 0; i < 10; i++) {
    const { image } = await seedFrame(
      core,
      camera.id,
      timelapse.id,
      new Date(start + i * 60_000),
      await cameraLikeJpeg(320, 240, i + 1),
    );
    await addVariant(core, image, 'thumbnail');
    await addVariant(core, image, 'small');
    core.jobs.queueJob(image.id, 'low');
    images.push(core.ops.images.getById(image.id)!);
  }
  return images;
}

const gone = (core: Core, path: string | null) =>
  path === null || !existsSync(core.tree.resolve(path));

describe('missing originals: image records whose frame file is gone', () => {
  const lib = useTestLibrary({ poolSize: 1 });

  it('are counted by verify, listed by a dry run, and removed with their thumbnails and jobs', async () => {
    const { core, api } = lib;
    const images = await tenFrames(core);
    const dead = [images[2]!, images[7]!];
    for (const image of dead) rmSync(core.tree.resolve(image.file_path));

    expect(await api.call('thumbnails.verifyAll')).toMatchObject({
      total_images: 10,
      missing_originals: 2,
    });

    const preview = await api.call('frames.removeMissing', { dry_run: true });
    expect(preview).toMatchObject({
      dry_run: true,
      images_scanned: 10,
      missing_originals: 2,
      records_removed: 0,
      share: 0.2,
      exceeds_safety_threshold: false,
    });
    expect(preview.files.sort()).toEqual(dead.map((image) => image.file_path).sort());
    expect(describeMissingOriginals(preview)[0]).toBe(
      'Dry run: 2 of 10 image records point at a frame file that is gone; they would be removed with their thumbnails. Nothing was changed.',
    );
    expect(core.ops.timelapses.getById(images[0]!.timelapse_id)!.image_count).toBe(10);

    const removed = await api.call('frames.removeMissing', {});
    expect(removed).toMatchObject({
      records_removed: 2,
      variant_files_deleted: 4,
      timelapses_affected: 1,
    });
    for (const image of dead) {
      expect(core.ops.images.getById(image.id)).toBeUndefined();
      expect(core.ops.jobs.getLiveJobForImage(image.id)).toBeUndefined();
      expect(gone(core, image.thumbnail_path) && gone(core, image.small_path)).toBe(true);
    }
    // The others keep everything, and the counts follow the rows.
    const kept = images.filter((image) => !dead.includes(image));
    for (const image of kept) expect(gone(core, image.small_path)).toBe(false);
    expect(core.ops.timelapses.getById(images[0]!.timelapse_id)).toMatchObject({
      image_count: 8,
      thumbnail_count: 8,
      small_count: 8,
    });
    expect(await api.call('frames.removeMissing', { dry_run: true })).toMatchObject({
      missing_originals: 0,
    });
  });

  it('refuses above the safety threshold unless forced: an unmounted disk looks like every original is gone', async () => {
    const { core, api } = lib;
    const images = await tenFrames(core);
    for (const image of images.slice(0, 8)) rmSync(core.tree.resolve(image.file_path));

    const preview = await api.call('frames.removeMissing', { dry_run: true });
    expect(preview).toMatchObject({
      missing_originals: 8,
      share: 0.8,
      exceeds_safety_threshold: true,
    });
    const refusal = await api.invoke('frames.removeMissing', {});
    expect(refusal).toMatchObject({
      success: false,
      status_code: 400,
      details: { force_required: true, would_delete: 8 },
    });
    expect((refusal as { error: string }).error).toMatch(
      /8 of 10 image records \(80%\).*safety threshold of 50%/,
    );
    expect(core.ops.timelapses.getById(images[0]!.timelapse_id)!.image_count).toBe(10);

    expect(await api.call('frames.removeMissing', { force: true })).toMatchObject({
      records_removed: 8,
    });
    expect(core.ops.timelapses.getById(images[0]!.timelapse_id)!.image_count).toBe(2);
  });
});
