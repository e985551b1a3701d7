import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/main/errors';
import { ThumbnailService } from '../../src/main/maintenance/thumbnail-service';
import { parseVariantPath } from '../../src/main/maintenance/variant-files';
import { describeRepair } from '../../src/shared/reports';
import { makeTempDir, useTestLibrary } from '../helpers/temp-library';
import {
  buildDamagedLibrary,
  captureLateFrame,
  fileExists,
  timelapseCounts,
  treeFiles,
} from './fixture';

describe('repair orphaned thumbnails', () => {
  const lib = useTestLibrary();
  let service: ThumbnailService | undefined;
  afterEach(async () => service?.close());
  const open = () => (service = new ThumbnailService(lib.core));

  it('matches orphans back, deletes the unmatched, leaves foreign names and frames/ alone', async () => {
    const { core } = lib;
    const fx = await buildDamagedLibrary(core);
    const before = treeFiles(core);
    const result = await open().repairOrphanedThumbnails();
    expect({
      ...result,
      unparseable_files: [...result.unparseable_files].sort(),
      files: [...result.files].sort(),
    }).toEqual({
      dry_run: false,
      force: false,
      orphaned_files_found: 6,
      files_matched: 2,
      files_unmatched: 4,
      files_deleted: 4,
      // The deleted files, listed.
      files: fx.unclaimed.map((u) => u.path).sort(),
      files_truncated: false,
      share: 4 / 32,
      safety_threshold: 0.5,
      exceeds_safety_threshold: false,
      deletion_refused: false,
      database_records_updated: 2,
      timelapses_affected: 3, // A (matched and deleted), B and the deleted timelapse 999 (deleted)
      files_scanned: 32,
      files_left: 0,
      unparseable_files: [...fx.unparseable].sort(),
      unparseable_count: 4,
      errors: [],
      error_count: 0,
    });

    const a3 = core.ops.images.getById(fx.a.images[3]!.id)!;
    const a4 = core.ops.images.getById(fx.a.images[4]!.id)!;
    const key3 = {
      timelapseId: fx.a.timelapseId,
      day: a3.day_number,
      clock: a3.clock,
      seq: a3.seq,
    };
    const key4 = {
      timelapseId: fx.a.timelapseId,
      day: a4.day_number,
      clock: a4.clock,
      seq: a4.seq,
    };
    expect(a3).toMatchObject({
      thumbnail_path: core.tree.filePath(fx.a.cameraId, fx.a.timelapseId, 'thumbnail', key3),
      thumbnail_size: fx.thumbnailSize,
    });
    expect(a4).toMatchObject({
      small_path: core.tree.filePath(fx.a.cameraId, fx.a.timelapseId, 'small', key4),
      small_size: fx.smallSize,
    });
    // Repair restores what it can match; the paths of files that are gone (A0, A1, A2) are verify's job.
    expect(timelapseCounts(core, fx.a.timelapseId)).toEqual({
      image_count: 10,
      thumbnail_count: 9,
      small_count: 10,
      thumbnail_bytes: 9 * fx.thumbnailSize,
      small_bytes: 10 * fx.smallSize,
    });
    expect(timelapseCounts(core, fx.b.timelapseId)).toMatchObject({
      thumbnail_count: 6,
      small_count: 6,
    });

    const gone = new Set(fx.unclaimed.map((u) => u.path));
    expect(treeFiles(core)).toEqual(before.filter((path) => !gone.has(path)));
    for (const path of [...fx.unparseable, ...fx.decoys]) expect(fileExists(core, path)).toBe(true);

    const again = await service!.repairOrphanedThumbnails();
    expect(again).toMatchObject({
      orphaned_files_found: 0,
      files_matched: 0,
      files_deleted: 0,
      unparseable_count: 4,
    });
  });

  it('deletes no more than the safety threshold allows: a reset database keeps its files unless forced', async () => {
    const { core } = lib;
    await buildDamagedLibrary(core);
    // A reset database: every image row gone, every thumbnail and small now matches nothing.
    core.db.exec('DELETE FROM images');
    const before = treeFiles(core);
    const svc = open();

    const preview = await svc.repairOrphanedThumbnails({ dry_run: true });
    expect(preview).toMatchObject({
      dry_run: true,
      files_scanned: 32,
      files_unmatched: 32,
      files_deleted: 0,
      share: 1,
      exceeds_safety_threshold: true,
      deletion_refused: false,
    });
    expect(preview.files).toHaveLength(32);
    expect(treeFiles(core)).toEqual(before);

    const refused = await svc.repairOrphanedThumbnails();
    expect(refused).toMatchObject({ files_deleted: 0, deletion_refused: true, files_left: 32 });
    expect(describeRepair(refused).join(' ')).toMatch(
      /32 files that match no image kept.*100%.*50%.*force/,
    );
    expect(treeFiles(core)).toEqual(before);

    const forced = await svc.repairOrphanedThumbnails({ force: true });
    expect(forced).toMatchObject({ force: true, files_deleted: 32, deletion_refused: false });
    // The result lists what went.
    expect([...forced.files].sort()).toEqual(
      before
        .filter((path) => /\/(thumbnails|smalls)\//.test(path) && parseVariantPath(path))
        .sort(),
    );
  });

  it('reports a folder it cannot read and repairs the rest', async () => {
    const { core } = lib;
    const fx = await buildDamagedLibrary(core);
    const thumbs = core.tree.kindDir(fx.b.cameraId, fx.b.timelapseId, 'thumbnail');
    rmSync(core.tree.resolve(thumbs), { recursive: true });
    symlinkSync(join(core.tree.root, thumbs), join(core.tree.root, thumbs));
    const result = await open().repairOrphanedThumbnails();
    expect(result).toMatchObject({
      orphaned_files_found: 5,
      files_matched: 2,
      files_deleted: 3,
      files_scanned: 32 - 7,
      errors: [{ path: thumbs, error: 'ELOOP' }],
      error_count: 1,
    });
  });

  it('never follows a folder that leads out of the data root', async () => {
    const { core } = lib;
    await buildDamagedLibrary(core);
    const outside = makeTempDir('timelapser-outside-');
    try {
      const victim = join(outside.path, 'timelapse-77_thumb_day001_000000.jpg');
      writeFileSync(victim, 'not ours');
      mkdirSync(core.tree.resolve('cameras/camera-77/timelapse-77'), { recursive: true });
      symlinkSync(outside.path, join(core.tree.root, 'cameras/camera-77/timelapse-77/thumbnails'));
      const svc = open();
      const repair = await svc.repairOrphanedThumbnails();
      expect(repair.errors).toContainEqual({
        path: join('cameras/camera-77/timelapse-77', 'thumbnails'),
        error: 'path_outside_root',
      });
      await svc.cleanupOrphanedThumbnails({ force: true });
      const path = 'cameras/camera-77/timelapse-77/thumbnails/timelapse-77_thumb_day001_000000.jpg';
      await expect(svc.repairService.deleteUnmatchedFiles([path])).rejects.toThrow(ValidationError);
      expect(existsSync(victim)).toBe(true);
    } finally {
      outside.remove();
    }
  });

  it('offers the per-file steps: match, repair one file, delete unmatched files re-checked first', async () => {
    const { core } = lib;
    const fx = await buildDamagedLibrary(core);
    const repair = open().repairService;
    const a3 = fx.a.images[3]!;
    const a3Thumb = core.tree.filePath(fx.a.cameraId, fx.a.timelapseId, 'thumbnail', {
      timelapseId: fx.a.timelapseId,
      day: a3.day_number,
      clock: a3.clock,
      seq: a3.seq,
    });
    expect(repair.matchFileToImage(a3Thumb)).toEqual({
      image_id: a3.id,
      timelapse_id: fx.a.timelapseId,
      kind: 'thumbnail',
      recorded_path: null,
    });
    expect(repair.matchFileToImage(fx.unclaimed[0]!.path)).toBeNull();
    expect(repair.matchFileToImage(fx.decoys[0]!)).toBeNull();

    await expect(repair.repairOrphanedFile(a3Thumb, fx.a.images[4]!.id)).rejects.toThrow(
      ValidationError,
    );
    expect(await repair.repairOrphanedFile(a3Thumb, a3.id)).toBe(true);
    expect(await repair.repairOrphanedFile(a3Thumb, a3.id)).toBe(false);
    expect(core.ops.images.getById(a3.id)).toMatchObject({
      thumbnail_path: a3Thumb,
      thumbnail_size: fx.thumbnailSize,
    });

    await expect(
      repair.deleteUnmatchedFiles([fx.decoys[0]!, fx.unclaimed[0]!.path]),
    ).rejects.toThrow(ValidationError);
    expect(fileExists(core, fx.unclaimed[0]!.path)).toBe(true);
    expect(fileExists(core, fx.decoys[0]!)).toBe(true);

    // A frame captured meanwhile claims the second orphan's name: it is kept.
    captureLateFrame(core, fx);
    const outcome = await repair.deleteUnmatchedFiles([
      fx.unclaimed[0]!.path,
      fx.unclaimed[1]!.path,
    ]);
    expect({ deleted: outcome.files_deleted, kept: outcome.files_kept }).toEqual({
      deleted: 1,
      kept: 1,
    });
    expect(fileExists(core, fx.unclaimed[0]!.path)).toBe(false);
    expect(fileExists(core, fx.unclaimed[1]!.path)).toBe(true);
  });
});
