import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  describeCleanup,
  describeDeleteAll,
  describeRegeneration,
  describeRepair,
  describeVerification,
} from '../../src/main/api/report-text';
import { cameraLikeJpeg } from '../helpers/temp-library';
import { seedLibrary, useApiLibrary } from './api-library';

describe('maintenance reports in words (menu dialogs)', () => {
  const library = useApiLibrary();

  it('describes real verify, cleanup, repair, regenerate and delete-all results', async () => {
    const { camera, timelapse } = await seedLibrary(library.core);
    // An orphan no image can claim: a thumbnail for a time no frame was taken at.
    const thumbs = library.core.tree.resolve(library.core.tree.kindDir(camera.id, timelapse.id, 'thumbnail'));
    await writeFile(join(thumbs, `timelapse-${timelapse.id}_thumb_day001_235959.jpg`), await cameraLikeJpeg(200, 150));

    const verification = await library.api.call('thumbnails.verifyAll');
    expect(describeVerification(verification)).toBe(
      [
        '1/3 thumbnails valid, 2 missing files.',
        '2/3 smalls valid, 1 missing file.',
        'The stored counts were right.',
        'Missing thumbnails detected: Repair Orphaned Thumbnails may find them.',
      ].join('\n'),
    );

    const preview = await library.api.call('thumbnails.cleanup', { dry_run: true });
    expect(describeCleanup(preview)).toMatch(/^1 orphaned file \(0\.0 MB\) would be deleted\./);

    const repair = await library.api.call('thumbnails.repair');
    expect(describeRepair(repair)).toBe(
      '1 orphaned file found: 0 matched to their images, 1 deleted.\n0 database records updated; 1 timelapse affected.',
    );

    const status = await library.api.call('thumbnails.regenerateAll', { force_regenerate: true });
    expect(describeRegeneration(status)).toMatch(/^Regeneration running: 0\/\d+ done, 0 failed, \d+ pending\./);
    await library.api.call('thumbnails.cancelRegeneration');

    const deleted = await library.api.call('thumbnails.deleteAll', { confirm: true });
    expect(describeDeleteAll(deleted)).toBe('1 thumbnail and 2 smalls deleted; 2 image records cleared.');
  });
});
