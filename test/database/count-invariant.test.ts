import { describe, expect, it } from 'vitest';
import { seedCamera, useTestLibrary } from '../helpers/temp-library';

/** Deterministic PRNG so a failure reproduces. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

describe('thumbnail_count and small_count', () => {
  const lib = useTestLibrary();

  it('always equal the images with a non-null path, after thousands of random writes', () => {
    const { ops, db } = lib.core;
    const timelapses = [seedCamera(lib.core, 'A'), seedCamera(lib.core, 'B'), seedCamera(lib.core, 'C')].map(
      (s) => s.timelapse,
    );
    const random = prng(42);
    const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
    const live: number[] = [];
    let clock = 0;
    const truth = db.prepare(
      `SELECT t.id, t.image_count, t.thumbnail_count, t.small_count,
              (SELECT count(*) FROM images i WHERE i.timelapse_id = t.id) AS images,
              (SELECT count(*) FROM images i WHERE i.timelapse_id = t.id AND i.thumbnail_path IS NOT NULL) AS thumbs,
              (SELECT count(*) FROM images i WHERE i.timelapse_id = t.id AND i.small_path IS NOT NULL) AS smalls
       FROM timelapses t`,
    );
    for (let batch = 0; batch < 40; batch++) {
      db.transaction(() => {
        for (let op = 0; op < 100; op++) {
          const r = random();
          if (r < 0.35 || live.length === 0) {
            const t = pick(timelapses);
            clock++;
            const row = ops.images.insert({
              timelapse_id: t.id,
              camera_id: t.camera_id,
              file_path: `f${clock}`,
              captured_at: clock,
              day_number: 1 + Math.floor(clock / 86400),
              clock: String(clock % 86400).padStart(6, '0').slice(0, 2) + '0000',
              seq: clock,
              file_size: 1,
            });
            live.push(row.id);
          } else if (r < 0.55) {
            const id = pick(live);
            ops.images.updateThumbnailPaths(id, {
              thumbnail_path: random() < 0.8 ? 't' : null,
              thumbnail_size: 1,
              small_path: random() < 0.6 ? 's' : null,
              small_size: 1,
            });
          } else if (r < 0.65) {
            ops.images.setSmallPath(pick(live), random() < 0.5 ? 's' : null, 1);
          } else if (r < 0.75) {
            ops.images.setThumbnailPath(pick(live), random() < 0.5 ? 't' : null, 1);
          } else if (r < 0.85) {
            ops.images.clearThumbnailPaths(pick(live));
          } else if (r < 0.97) {
            const index = Math.floor(random() * live.length);
            ops.images.delete(live[index]!);
            live.splice(index, 1);
          } else {
            ops.images.bulkClearThumbnailPaths();
          }
        }
      })();
      for (const row of truth.all() as Record<string, number>[]) {
        expect(row.image_count).toBe(row.images);
        expect(row.thumbnail_count).toBe(row.thumbs);
        expect(row.small_count).toBe(row.smalls);
      }
    }
    expect(live.length).toBeGreaterThan(100);
  });
});
