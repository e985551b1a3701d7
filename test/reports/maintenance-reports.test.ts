import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  describeCleanup,
  describeDeleteAll,
  describeFailedJob,
  describeOrphans,
  describeQueue,
  describeRegeneration,
  describeRepair,
  describeStorage,
  describeVerification,
} from '../../src/shared/reports';
import { cameraLikeJpeg } from '../helpers/temp-library';
import { seedLibrary, useApiLibrary } from '../api/api-library';

describe('maintenance reports in words (UI, menu and CLI)', () => {
  const library = useApiLibrary();

  it('describes real verify, cleanup, repair, regenerate and delete-all results', async () => {
    const { camera, timelapse } = await seedLibrary(library.core);
    // An orphan no image can claim: a thumbnail for a time no frame was taken at.
    const thumbs = library.core.tree.resolve(
      library.core.tree.kindDir(camera.id, timelapse.id, 'thumbnail'),
    );
    await writeFile(
      join(thumbs, `timelapse-${timelapse.id}_thumb_day001_235959.jpg`),
      await cameraLikeJpeg(200, 150),
    );

    const verification = await library.api.call('thumbnails.verifyAll');
    expect(describeVerification(verification)).toEqual([
      '1/3 thumbnails valid, 2 missing files',
      '2/3 smalls valid, 1 missing file',
      'Database counts were already correct',
    ]);

    const preview = await library.api.call('thumbnails.cleanup', { dry_run: true });
    expect(describeCleanup(preview)).toEqual([
      expect.stringMatching(
        /^Dry run: 1 orphaned file would be deleted \(\d+(\.\d)? KB\)\. Nothing was deleted\.$/,
      ),
    ]);

    const repair = await library.api.call('thumbnails.repair');
    expect(describeRepair(repair)).toEqual([
      '1 orphaned file found: 0 matched back to their images, 1 deleted',
      '0 database records updated across 1 timelapse',
    ]);

    const status = await library.api.call('thumbnails.regenerateAll', { force_regenerate: true });
    expect(describeRegeneration(status)).toMatch(/^Regenerating \(everything\): 0\/3 \(0%\)/);
    await library.api.call('thumbnails.cancelRegeneration');

    const deleted = await library.api.call('thumbnails.deleteAll', { confirm: true });
    expect(describeDeleteAll(deleted)).toEqual([
      'All thumbnails deleted: 1 thumbnail and 2 smalls removed, 2 database records cleared',
    ]);
  });

  it('describes the scan, disk use, the queue and a failed job from real answers', async () => {
    const { images } = await seedLibrary(library.core);
    const stats = await library.api.call('thumbnails.scan');
    expect(describeOrphans(stats)).toMatch(
      /^Orphaned files: 0 thumbnails, 0 smalls \(scanned .+\)$/,
    );
    expect(describeStorage(stats.storage)).toMatch(
      /^On disk: frames [\d.]+ KB, thumbnails [\d.]+ KB, smalls [\d.]+ KB, videos 0 B; [\d.]+ [GT]B free of [\d.]+ [GT]B$/,
    );
    library.core.jobs.queueJob(images[2]!.id, 'medium');
    await library.api.call('jobs.pause');
    expect(describeQueue(await library.api.call('jobs.stats'))).toEqual([
      expect.stringMatching(
        /^The queue is paused since .+ \(by .+, pid \d+\): no process starts another job until it is resumed$/,
      ),
      'High: nothing waiting',
      'Medium: 1 waiting, waiting for the queue to resume',
      'Low: nothing waiting',
    ]);
    await library.api.call('jobs.resume');
    const [job] = library.core.jobs.claimJobs(1);
    library.core.jobs.markJobFailed(job!, 'The image file does not exist', true, 5);
    const [failed] = (await library.api.call('jobs.failed')).jobs;
    expect(describeFailedJob(failed!)).toMatch(
      new RegExp(
        `^Yard / Yard session, .+ \\(${images[2]!.file_path}\\): The image file does not exist, 1 attempt$`,
      ),
    );
  });
});
