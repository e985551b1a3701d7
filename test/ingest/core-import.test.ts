import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corruptJpeg, truncated, uniformFrame } from '../helpers/images';
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
    ['full', ['corrupt.jpg', 'truncated.jpg'], 1],
    ['quick', ['truncated.jpg'], 0],
  ] as const)('refuses what the %s corruption check finds', async (check, refused, flagged) => {
    lib.core.settings.update({ corruption_check: check });
    const good = await cameraLikeJpeg(640, 480, 1);
    writeFileSync(join(folder.path, 'a-good.jpg'), good);
    writeFileSync(join(folder.path, 'flat.jpg'), await uniformFrame(640, 480, { caption: true }));
    writeFileSync(join(folder.path, 'truncated.jpg'), truncated(good));
    writeFileSync(
      join(folder.path, 'corrupt.jpg'),
      corruptJpeg(await cameraLikeJpeg(1280, 720, 2, 95)),
    );
    const result = await lib.core.importFolder({
      folder: folder.path,
      cameraName: `Check ${check}`,
    });
    expect(result.rejected.map((rejection) => rejection.file).sort()).toEqual(refused);
    expect(result.imported).toBe(4 - refused.length);
    expect(result.flagged).toBe(flagged);
  });
});
