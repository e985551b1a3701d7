import { describe, expect, it } from 'vitest';
import { formatFileName, parseFileName } from '../../src/main/files/names';
import { KeyIndex, packKey, unpackKey } from '../../src/main/maintenance/key-index';
import { seedCamera, useTestLibrary } from '../helpers/temp-library';

const KEYS = [
  { day: 1, clock: '000000', seq: 0 },
  { day: 1, clock: '235959', seq: 0 },
  { day: 7, clock: '143022', seq: 2 },
  { day: 999, clock: '120000', seq: 17 },
  { day: 1000, clock: '010203', seq: 0 },
  { day: 12345, clock: '235958', seq: 65535 },
  { day: 1_048_575, clock: '000001', seq: 3 },
];

describe('packed name keys', () => {
  it('round-trip every key our naming makes, in name order', () => {
    const packed = KEYS.map((k) => packKey(k.day, k.clock, k.seq)!);
    expect(packed.every((p) => Number.isSafeInteger(p))).toBe(true);
    expect([...packed].sort((a, b) => a - b)).toEqual(packed);
    for (const [i, key] of KEYS.entries()) {
      const name = formatFileName('thumbnail', unpackKey(42, packed[i]!));
      expect(parseFileName(name)).toEqual({ kind: 'thumbnail', timelapseId: 42, ...key });
    }
  });

  it('refuse what does not fit (such names are reported as foreign, never deleted)', () => {
    expect(packKey(1_048_576, '000000', 0)).toBeNull();
    expect(packKey(1, '000000', 65_536)).toBeNull();
    expect(packKey(1, '246000', 0)).toBeNull();
    expect(packKey(0, '000000', 0)).toBeNull();
  });

  it('index: find by binary search, claim, and list the unclaimed in order', () => {
    const index = new KeyIndex();
    const keys = Array.from({ length: 5000 }, (_, i) => packKey(1 + (i % 50), '000000', (i * 7919) % 5000)!);
    for (const key of keys) index.add(key);
    index.seal();
    expect(index.size).toBe(5000);
    expect(index.find(packKey(60, '000000', 0)!)).toBe(-1);
    const claimed = new Set(keys.filter((_, i) => i % 3 !== 0));
    for (const key of claimed) index.claim(index.find(key));
    const unclaimed = [...index.unclaimed()];
    expect(unclaimed).toEqual(keys.filter((k) => !claimed.has(k)).sort((a, b) => a - b));
  });
});

describe('row states for matching', () => {
  const lib = useTestLibrary();

  it('mark a recorded path as the canonical one exactly when names.ts would build it', () => {
    const { core } = lib;
    const { camera, timelapse } = seedCamera(core);
    const folders = {
      thumbnail: core.tree.kindDir(camera.id, timelapse.id, 'thumbnail') + '/',
      small: core.tree.kindDir(camera.id, timelapse.id, 'small') + '/',
    };
    const ids = KEYS.map((k, i) => {
      const key = { timelapseId: timelapse.id, ...k };
      const image = core.ops.images.insert({
        timelapse_id: timelapse.id,
        camera_id: camera.id,
        file_path: core.tree.filePath(camera.id, timelapse.id, 'frame', key),
        captured_at: i,
        day_number: k.day,
        clock: k.clock,
        seq: k.seq,
        file_size: 1,
      });
      // Canonical thumbnail everywhere; the small is canonical, elsewhere, or none.
      core.ops.images.setThumbnailPath(image.id, core.tree.filePath(camera.id, timelapse.id, 'thumbnail', key), 1);
      const small = [core.tree.filePath(camera.id, timelapse.id, 'small', key), `elsewhere/${i}.jpg`, null][i % 3]!;
      core.ops.images.setSmallPath(image.id, small, small ? 1 : null);
      return image.id;
    });
    const page = core.ops.images.pageVariantStates(timelapse.id, folders, { captured_at: -1, id: 0 }, 100);
    expect(page.map((r) => r.id)).toEqual(ids);
    expect(page.map((r) => [r.thumbnail, r.thumbnail_path])).toEqual(KEYS.map(() => [1, null]));
    expect(page.map((r) => [r.small, r.small_path])).toEqual(
      KEYS.map((_, i) => [[1, null], [2, `elsewhere/${i}.jpg`], [0, null]][i % 3]),
    );
  });
});
