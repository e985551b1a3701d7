import { afterEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/main/errors';
import { ThumbnailService } from '../../src/main/maintenance/thumbnail-service';
import { useTestLibrary } from '../helpers/temp-library';
import { buildDamagedLibrary, timelapseCounts, treeFiles } from './fixture';

describe('delete all thumbnails', () => {
  const lib = useTestLibrary();
  let service: ThumbnailService | undefined;
  afterEach(async () => service?.close());

  it('refuses without an explicit confirmation and changes nothing', async () => {
    const { core } = lib;
    const fx = await buildDamagedLibrary(core);
    const tree = treeFiles(core);
    service = new ThumbnailService(core);
    for (const options of [undefined, {}, { confirm: false }]) {
      const refusal = await service.deleteAllThumbnails(options).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(ValidationError);
      expect((refusal as ValidationError).message).toMatch(/confirm: true/);
      expect((refusal as ValidationError).details).toEqual({ confirm_required: true });
    }
    expect(treeFiles(core)).toEqual(tree);
    expect(timelapseCounts(core, fx.a.timelapseId)).toMatchObject({ thumbnail_count: 8, small_count: 9 });
  });

  it('with confirmation deletes every thumbnail and small file and path; counts go to zero; frames stay', async () => {
    const { core } = lib;
    const fx = await buildDamagedLibrary(core);
    service = new ThumbnailService(core);
    const result = await service.deleteAllThumbnails({ confirm: true });
    expect(result).toEqual({
      files_deleted: 32,
      thumbnail_files_deleted: 16,
      small_files_deleted: 16,
      database_records_cleared: 16,
      errors: [],
      error_count: 0,
    });
    const frames = [...fx.a.images, ...fx.b.images].map((image) => image.file_path);
    expect(treeFiles(core)).toEqual([...frames, ...fx.decoys, ...fx.unparseable].sort());
    const paths = core.db
      .prepare('SELECT count(*) FROM images WHERE thumbnail_path IS NOT NULL OR small_path IS NOT NULL OR thumbnail_size IS NOT NULL OR small_size IS NOT NULL')
      .pluck()
      .get();
    expect(paths).toBe(0);
    for (const [id, images] of [[fx.a.timelapseId, 10], [fx.b.timelapseId, 6]] as const) {
      expect(timelapseCounts(core, id)).toEqual({ image_count: images, thumbnail_count: 0, small_count: 0, thumbnail_bytes: 0, small_bytes: 0 });
    }
  });
});
