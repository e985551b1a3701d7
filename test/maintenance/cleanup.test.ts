import { unlinkSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { CoreContext } from '../../src/main/context';
import { ValidationError } from '../../src/main/errors';
import { ThumbnailService } from '../../src/main/maintenance/thumbnail-service';
import type { SettingsService } from '../../src/main/settings/settings-service';
import { useTestLibrary } from '../helpers/temp-library';
import { buildDamagedLibrary, captureLateFrame, fileExists, treeFiles, type DamagedLibrary } from './fixture';

describe('cleanup orphaned files', () => {
  const lib = useTestLibrary();
  let service: ThumbnailService | undefined;
  afterEach(async () => service?.close());
  const open = (ctx: CoreContext = lib.core) => (service = new ThumbnailService(ctx));
  const databaseState = () => lib.core.db.prepare('SELECT * FROM images ORDER BY id').all();
  const orphanBytes = (fx: DamagedLibrary) => fx.unclaimed.reduce((sum, u) => sum + u.size, 0);

  it('dry run lists the files no image can claim and changes nothing', async () => {
    const { core } = lib;
    const fx = await buildDamagedLibrary(core);
    const [tree, rows] = [treeFiles(core), databaseState()];
    const result = await open().cleanupOrphanedThumbnails({ dry_run: true });
    expect({ ...result, files: [...result.files].sort() }).toEqual({
      dry_run: true,
      force: false,
      files_scanned: 32,
      orphaned_files_found: 4,
      orphaned_thumbnail_files: 3,
      orphaned_small_files: 1,
      orphaned_bytes: orphanBytes(fx),
      files_deleted: 0,
      bytes_freed: 0,
      files_kept: 0,
      files: fx.unclaimed.map((u) => u.path).sort(),
      files_truncated: false,
      share: 4 / 32,
      safety_threshold: 0.5,
      exceeds_safety_threshold: false,
      unparseable_count: 4,
      errors: [],
      error_count: 0,
    });
    expect(treeFiles(core)).toEqual(tree);
    expect(databaseState()).toEqual(rows);
  });

  it('deletes only those files; matchable orphans, foreign names and frames/ stay', async () => {
    const { core } = lib;
    const fx = await buildDamagedLibrary(core);
    const [tree, rows] = [treeFiles(core), databaseState()];
    const result = await open().cleanupOrphanedThumbnails();
    expect(result).toMatchObject({
      dry_run: false,
      orphaned_files_found: 4,
      files_deleted: 4,
      bytes_freed: orphanBytes(fx),
      files_kept: 0,
      error_count: 0,
    });
    const gone = new Set(fx.unclaimed.map((u) => u.path));
    expect(treeFiles(core)).toEqual(tree.filter((path) => !gone.has(path)));
    expect(databaseState()).toEqual(rows);
    const again = await service!.cleanupOrphanedThumbnails({ dry_run: true });
    expect(again).toMatchObject({ orphaned_files_found: 0, files: [] });
  });

  it('refuses above the safety threshold unless forced, and says why', async () => {
    const { core } = lib;
    const fx = await buildDamagedLibrary(core);
    core.settings.update({ cleanup_safety_threshold: 0.1 });
    const tree = treeFiles(core);
    const svc = open();
    const refusal = await svc.cleanupOrphanedThumbnails().catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ValidationError);
    expect((refusal as ValidationError).message).toMatch(/4 of 32 .*\(13%\).*safety threshold of 10%.*force/);
    expect((refusal as ValidationError).details).toEqual({
      would_delete: 4,
      files_scanned: 32,
      share: 0.125,
      safety_threshold: 0.1,
      force_required: true,
    });
    expect(treeFiles(core)).toEqual(tree);
    expect(await svc.cleanupOrphanedThumbnails({ dry_run: true })).toMatchObject({ exceeds_safety_threshold: true });
    const forced = await svc.cleanupOrphanedThumbnails({ force: true });
    expect(forced).toMatchObject({ force: true, files_deleted: 4 });
    for (const u of fx.unclaimed) expect(fileExists(core, u.path)).toBe(false);
  });

  it('refuses when the database no longer knows the files (a wrong data root looks like this)', async () => {
    const { core } = lib;
    await buildDamagedLibrary(core);
    core.db.exec('DELETE FROM images');
    const tree = treeFiles(core);
    await expect(open().cleanupOrphanedThumbnails()).rejects.toThrow(/more than the safety threshold of 50%/);
    expect(treeFiles(core)).toEqual(tree);
  });

  it('re-checks each file before deleting: a frame captured meanwhile keeps it, a vanished file is reported', async () => {
    const { core } = lib;
    const fx = await buildDamagedLibrary(core);
    // Between the scan and the deletes cleanup reads its threshold: act there as a capture would.
    const settings = {
      get: (key: Parameters<SettingsService['get']>[0]) => {
        captureLateFrame(core, fx);
        unlinkSync(core.tree.resolve(fx.unclaimed[2]!.path));
        return core.settings.get(key);
      },
    } as SettingsService;
    const result = await open({ ...core, settings }).cleanupOrphanedThumbnails();
    expect(result).toMatchObject({
      orphaned_files_found: 4,
      files_deleted: 2,
      files_kept: 1,
      bytes_freed: fx.unclaimed[0]!.size + fx.unclaimed[3]!.size,
      errors: [{ path: fx.unclaimed[2]!.path, error: 'ENOENT' }],
      error_count: 1,
    });
    expect(fileExists(core, fx.unclaimed[1]!.path)).toBe(true);
    expect(fileExists(core, fx.unclaimed[0]!.path)).toBe(false);
    expect(fileExists(core, fx.unclaimed[3]!.path)).toBe(false);
  });
});
