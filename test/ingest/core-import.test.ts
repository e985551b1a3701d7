import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { truncated, uniformFrame } from '../helpers/images';
import { cameraLikeJpeg, useTempDir, useTestLibrary } from '../helpers/temp-library';

describe('core.importFolder', () => {
  const lib = useTestLibrary();
  const folder = useTempDir('timelapser-import-');

  it('queues imported frames at low priority, behind live captures', async () => {
    for (let i = 0; i < 3; i++)
      writeFileSync(join(folder.path, `f${i}.jpg`), await cameraLikeJpeg(320, 240, i + 1));
    const result = await lib.core.importFolder({ folder: folder.path, cameraName: 'Archive' });
    expect(result.imported).toBe(3);
    const stats = lib.core.jobs.getJobStatistics();
    expect(stats.by_priority).toEqual({ high: 0, medium: 0, low: 3 });
  });

  it.each([
    ['full', ['flat.jpg', 'truncated.jpg']],
    ['quick', ['truncated.jpg']],
  ] as const)('refuses what the %s corruption check finds', async (check, refused) => {
    lib.core.settings.update({ corruption_check: check });
    const good = await cameraLikeJpeg(640, 480, 1);
    writeFileSync(join(folder.path, 'a-good.jpg'), good);
    writeFileSync(join(folder.path, 'flat.jpg'), await uniformFrame(640, 480));
    writeFileSync(join(folder.path, 'truncated.jpg'), truncated(good));
    const result = await lib.core.importFolder({
      folder: folder.path,
      cameraName: `Check ${check}`,
    });
    expect(result.rejected.map((rejection) => rejection.file).sort()).toEqual(refused);
    expect(result.imported).toBe(3 - refused.length);
  });
});
