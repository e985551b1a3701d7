import type { SqliteDatabase } from '../connection';
import { statementCache, type Prepare } from '../statements';
import type { FrameKey, VariantKind } from '../../files/names';
import type { IndexedFrame } from '../../../shared/contract';
import type { ImageRow } from '../types';

/** A frame's row before insert: what capture knows; the rest is the schema's defaults. */
export type NewImage = Pick<
  ImageRow,
  | 'timelapse_id'
  | 'camera_id'
  | 'file_path'
  | 'captured_at'
  | 'day_number'
  | 'clock'
  | 'seq'
  | 'file_size'
> &
  Partial<Pick<ImageRow, 'width' | 'height' | 'corruption_score' | 'flag_reason' | 'content_hash'>>;

export type VariantPaths = Pick<
  ImageRow,
  'thumbnail_path' | 'thumbnail_size' | 'small_path' | 'small_size'
>;

/**
 * Which images lack a variant they should have ("missing only"): the thumbnail
 * always; the small as small_generation_mode wants it, except in completed
 * timelapses when purge_smalls_on_completion drops their smalls. The same rule
 * as ThumbnailGenerator's (a test holds the two together), so a missing-only
 * run ends with nothing left missing.
 */
export interface MissingVariants {
  smalls: 'none' | 'latest_only' | 'all';
  noSmallsWhenCompleted: boolean;
}

/** The MissingVariants rule over `images`, with @smalls and @noSmallsWhenCompleted bound. */
export const MISSING_VARIANTS_SQL = `(thumbnail_path IS NULL OR (small_path IS NULL AND @smalls != 'none'
  AND (@smalls = 'all' OR id IN (SELECT (SELECT l.id FROM images l WHERE l.timelapse_id = t.id
                                         ORDER BY l.captured_at DESC, l.id DESC LIMIT 1) FROM timelapses t))
  AND (@noSmallsWhenCompleted = 0 OR timelapse_id NOT IN (SELECT id FROM timelapses WHERE status = 'completed'))))`;

/** MissingVariants as the named parameters MISSING_VARIANTS_SQL reads. */
export function missingVariantsParams(missing: MissingVariants): {
  smalls: string;
  noSmallsWhenCompleted: 0 | 1;
} {
  return { smalls: missing.smalls, noSmallsWhenCompleted: missing.noSmallsWhenCompleted ? 1 : 0 };
}

export interface CoverageStatistics {
  total_images: number;
  images_with_thumbnails: number;
  images_with_smalls: number;
}

/** Pure CRUD over images, with the spec's thumbnail additions. */
export class ImageOperations {
  private readonly sql: Prepare;

  constructor(db: SqliteDatabase) {
    this.sql = statementCache(db);
  }

  insert(image: NewImage, now = Date.now()): ImageRow {
    return this.sql<unknown[], ImageRow>(
      `INSERT INTO images (timelapse_id, camera_id, file_path, captured_at, day_number, clock, seq,
         file_size, width, height, corruption_score, flag_reason, content_hash, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
    ).get(
      image.timelapse_id,
      image.camera_id,
      image.file_path,
      image.captured_at,
      image.day_number,
      image.clock,
      image.seq,
      image.file_size,
      image.width ?? null,
      image.height ?? null,
      image.corruption_score ?? null,
      image.flag_reason ?? null,
      image.content_hash ?? null,
      now,
    )!;
  }

  getById(id: number): ImageRow | undefined {
    return this.sql<[number], ImageRow>('SELECT * FROM images WHERE id = ?').get(id);
  }

  getByIds(ids: readonly number[]): ImageRow[] {
    if (ids.length === 0) return [];
    return this.sql<[string], ImageRow>(
      'SELECT * FROM images WHERE id IN (SELECT value FROM json_each(?))',
    ).all(JSON.stringify(ids));
  }

  /** The image a file name points at: timelapse, day, time and same-second sequence. */
  findByKey(timelapseId: number, day: number, clock: string, seq: number): ImageRow | undefined {
    return this.sql<[number, number, string, number], ImageRow>(
      'SELECT * FROM images WHERE timelapse_id = ? AND day_number = ? AND clock = ? AND seq = ?',
    ).get(timelapseId, day, clock, seq);
  }

  /** Highest same-second sequence used so far for a name, or null if the name is free. */
  maxSeqForKey(timelapseId: number, day: number, clock: string): number | null {
    const row = this.sql<[number, number, string], { seq: number | null }>(
      'SELECT max(seq) AS seq FROM images WHERE timelapse_id = ? AND day_number = ? AND clock = ?',
    ).get(timelapseId, day, clock);
    return row?.seq ?? null;
  }

  /** The camera's image with these bytes (SHA-256), whichever session holds it. */
  findByContentHash(cameraId: number, contentHash: Buffer): ImageRow | undefined {
    return this.sql<[number, Buffer], ImageRow>('SELECT * FROM images WHERE camera_id = ? AND content_hash = ?').get(
      cameraId,
      contentHash,
    );
  }

  /** The camera's images from before content hashes with this capture time and size (hashed when met). */
  listUnhashedSameFrame(cameraId: number, capturedAt: number, fileSize: number): ImageRow[] {
    return this.sql<[number, number, number], ImageRow>(
      'SELECT * FROM images WHERE camera_id = ? AND captured_at = ? AND file_size = ? AND content_hash IS NULL',
    ).all(cameraId, capturedAt, fileSize);
  }

  /** Records the hash of an older row's file; false when another row of the camera already has it. */
  setContentHash(imageId: number, contentHash: Buffer): boolean {
    try {
      return this.sql('UPDATE images SET content_hash = ? WHERE id = ?').run(contentHash, imageId).changes > 0;
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') return false;
      throw error;
    }
  }

  latestForCamera(cameraId: number): ImageRow | undefined {
    return this.sql<[number], ImageRow>(
      'SELECT * FROM images WHERE camera_id = ? ORDER BY captured_at DESC, id DESC LIMIT 1',
    ).get(cameraId);
  }

  latestForTimelapse(timelapseId: number): ImageRow | undefined {
    return this.sql<[number], ImageRow>(
      'SELECT * FROM images WHERE timelapse_id = ? ORDER BY captured_at DESC, id DESC LIMIT 1',
    ).get(timelapseId);
  }

  /** A page of a timelapse's images in capture order, after `afterId` (keyset paging). */
  listByTimelapse(timelapseId: number, afterId: number, limit: number): ImageRow[] {
    return this.sql<[number, number, number], ImageRow>(
      'SELECT * FROM images WHERE timelapse_id = ? AND id > ? ORDER BY id LIMIT ?',
    ).all(timelapseId, afterId, limit);
  }

  /** A page of a timelapse's flagged images (read from their partial index). */
  listFlaggedByTimelapse(timelapseId: number, afterId: number, limit: number): ImageRow[] {
    return this.sql<[number, number, number], ImageRow>(
      'SELECT * FROM images WHERE timelapse_id = ? AND flag_reason IS NOT NULL AND id > ? ORDER BY id LIMIT ?',
    ).all(timelapseId, afterId, limit);
  }

  /** Flagged images of one timelapse (few, so counting their partial index is cheap). */
  countFlagged(timelapseId: number): number {
    return this.sql<[number], { n: number }>(
      'SELECT count(*) AS n FROM images WHERE timelapse_id = ? AND flag_reason IS NOT NULL',
    ).get(timelapseId)!.n;
  }

  /**
   * A timelapse's frames (or only its flagged ones) from position `offset` on
   * (all of them, or `limit`), in capture order: the player's and the grid's
   * whole index in one read along (timelapse_id, captured_at).
   */
  frameIndex(timelapseId: number, offset: number, limit = -1, flaggedOnly = false): IndexedFrame[] {
    const flagged = flaggedOnly ? 'AND flag_reason IS NOT NULL' : '';
    return this.sql<[number, number, number], IndexedFrame>(
      `SELECT id, captured_at, day_number, flag_reason FROM images WHERE timelapse_id = ? ${flagged}
       ORDER BY captured_at, id LIMIT ? OFFSET ?`,
    ).all(timelapseId, limit, offset);
  }

  /** A page of the frames a video is made of, in capture order after `after`, of the days from…to (null: open-ended). */
  framesForVideo(
    timelapseId: number,
    days: { from: number | null; to: number | null },
    after: PageCursor,
    limit: number,
  ): VideoFrame[] {
    return this.sql<[Record<string, unknown>], VideoFrame>(
      `SELECT id, captured_at, file_path, small_path, thumbnail_path, width, height FROM images
       WHERE timelapse_id = @timelapseId AND (captured_at, id) > (@capturedAt, @id)
         AND day_number >= coalesce(@from, 1) AND day_number <= coalesce(@to, day_number)
       ORDER BY captured_at, id LIMIT @limit`,
    ).all({ timelapseId, capturedAt: after.captured_at, id: after.id, from: days.from, to: days.to, limit });
  }

  /** How many frames framesForVideo pages through. */
  countForVideo(timelapseId: number, days: { from: number | null; to: number | null }): number {
    return this.sql<[number, number | null, number | null], number>(
      `SELECT count(*) FROM images
       WHERE timelapse_id = ? AND day_number >= coalesce(?, 1) AND day_number <= coalesce(?, day_number)`,
    )
      .pluck()
      .get(timelapseId, days.from, days.to)!;
  }

  /** The spec's get_images_by_timelapse_for_verification, paged. */
  getImagesByTimelapseForVerification(
    timelapseId: number,
    afterId: number,
    limit: number,
  ): ImageRow[] {
    return this.listByTimelapse(timelapseId, afterId, limit);
  }

  getImagesWithoutThumbnails(limit: number, afterId = 0): ImageRow[] {
    return this.sql<[number, number], ImageRow>(
      'SELECT * FROM images WHERE thumbnail_path IS NULL AND id > ? ORDER BY id LIMIT ?',
    ).all(afterId, limit);
  }

  updateThumbnailPaths(imageId: number, paths: VariantPaths): boolean {
    return (
      this.sql(
        `UPDATE images SET thumbnail_path = ?, thumbnail_size = ?, small_path = ?, small_size = ? WHERE id = ?`,
      ).run(paths.thumbnail_path, paths.thumbnail_size, paths.small_path, paths.small_size, imageId)
        .changes > 0
    );
  }

  setThumbnailPath(imageId: number, path: string | null, size: number | null): boolean {
    return (
      this.sql('UPDATE images SET thumbnail_path = ?, thumbnail_size = ? WHERE id = ?').run(
        path,
        size,
        imageId,
      ).changes > 0
    );
  }

  setSmallPath(imageId: number, path: string | null, size: number | null): boolean {
    return (
      this.sql('UPDATE images SET small_path = ?, small_size = ? WHERE id = ?').run(
        path,
        size,
        imageId,
      ).changes > 0
    );
  }

  clearThumbnailPaths(imageId: number): boolean {
    return this.updateThumbnailPaths(imageId, {
      thumbnail_path: null,
      thumbnail_size: null,
      small_path: null,
      small_size: null,
    });
  }

  /** Clears every thumbnail and small reference; answers how many rows changed. */
  bulkClearThumbnailPaths(): number {
    return this.sql(
      `UPDATE images SET thumbnail_path = NULL, thumbnail_size = NULL, small_path = NULL, small_size = NULL
       WHERE thumbnail_path IS NOT NULL OR small_path IS NOT NULL`,
    ).run().changes;
  }

  getThumbnailCoverageStatistics(): CoverageStatistics {
    return this.sql<[], CoverageStatistics>(
      `SELECT coalesce(sum(image_count), 0) AS total_images,
              coalesce(sum(thumbnail_count), 0) AS images_with_thumbnails,
              coalesce(sum(small_count), 0) AS images_with_smalls
       FROM timelapses`,
    ).get()!;
  }

  /** Up to `limit` images of a timelapse that have a small, except `exceptId`. */
  listSmallsOfTimelapse(
    timelapseId: number,
    exceptId: number,
    limit: number,
  ): { id: number; small_path: string }[] {
    return this.sql<[number, number, number], { id: number; small_path: string }>(
      'SELECT id, small_path FROM images WHERE timelapse_id = ? AND small_path IS NOT NULL AND id != ? LIMIT ?',
    ).all(timelapseId, exceptId, limit);
  }

  delete(id: number): boolean {
    return this.sql('DELETE FROM images WHERE id = ?').run(id).changes > 0;
  }

  // ---- maintenance (verify, repair, cleanup, delete-all, statistics)

  /** The images that file-name keys name, each with the index of its key (one indexed lookup per key). */
  findByNameKeys(keys: readonly FrameKey[]): NameKeyMatch[] {
    if (keys.length === 0) return [];
    return this.sql<[string], NameKeyMatch>(
      `SELECT CAST(j.key AS INTEGER) AS idx, i.id, i.thumbnail_path, i.small_path
       FROM json_each(?) j
       JOIN images i ON i.timelapse_id = j.value->>0 AND i.day_number = j.value->>1
                    AND i.clock = j.value->>2 AND i.seq = j.value->>3`,
    ).all(JSON.stringify(keys.map((k) => [k.timelapseId, k.day, k.clock, k.seq])));
  }

  /**
   * A page of a timelapse's rows after `after` (keyset on (captured_at, id)),
   * saying per variant whether the recorded path is the file our naming puts
   * in `folders` (1), another path (2, given), or none (0). The name is built
   * here as names.ts builds it (a test holds the two together), so matching a
   * million rows moves no path strings. Built from columns: a bound JS number
   * would print as REAL ("1.0").
   */
  pageVariantStates(
    timelapseId: number,
    folders: Record<VariantKind, string>,
    after: PageCursor,
    limit: number,
  ): VariantStateRow[] {
    const rows = this.sql<[Record<string, unknown>], unknown[]>(
      `WITH page AS (
         SELECT id, captured_at, day_number, clock, seq, thumbnail_path, small_path,
                'timelapse-' || timelapse_id || '_' AS head,
                '_day' || printf('%03d', day_number) || '_' || clock || iif(seq > 0, '-' || seq, '') || '.jpg' AS tail
         FROM images WHERE timelapse_id = @timelapseId AND (captured_at, id) > (@capturedAt, @id)
         ORDER BY captured_at, id LIMIT @limit)
       SELECT id, captured_at, day_number, clock, seq,
              CASE WHEN thumbnail_path IS NULL THEN 0 WHEN thumbnail_path = @thumbnail || head || 'thumb' || tail THEN 1 ELSE 2 END,
              iif(thumbnail_path = @thumbnail || head || 'thumb' || tail, NULL, thumbnail_path),
              CASE WHEN small_path IS NULL THEN 0 WHEN small_path = @small || head || 'small' || tail THEN 1 ELSE 2 END,
              iif(small_path = @small || head || 'small' || tail, NULL, small_path)
       FROM page`,
    )
      .raw(true)
      .all({
        timelapseId,
        capturedAt: after.captured_at,
        id: after.id,
        limit,
        thumbnail: folders.thumbnail,
        small: folders.small,
      });
    return rows.map((r) => ({
      id: r[0] as number,
      captured_at: r[1] as number,
      day_number: r[2] as number,
      clock: r[3] as string,
      seq: r[4] as number,
      thumbnail: r[5] as PathState,
      thumbnail_path: r[6] as string | null,
      small: r[7] as PathState,
      small_path: r[8] as string | null,
    }));
  }

  /** Sets one variant's path and size only while it still holds `expected` (compare-and-set). */
  swapVariantPath(
    kind: VariantKind,
    imageId: number,
    expected: string | null,
    path: string | null,
    size: number | null,
  ): boolean {
    const column = kind === 'thumbnail' ? 'thumbnail' : 'small';
    return (
      this.sql(
        `UPDATE images SET ${column}_path = ?, ${column}_size = ? WHERE id = ? AND ${column}_path IS ?`,
      ).run(path, size, imageId, expected).changes > 0
    );
  }

  /** Clears both variants of the next `limit` images after `afterId`; answers the last id and rows visited. */
  clearVariantPathsPage(
    afterId: number,
    limit: number,
  ): { lastId: number | null; visited: number; cleared: number } {
    const { last, n } = this.sql<[number, number], { last: number | null; n: number }>(
      'SELECT max(id) AS last, count(*) AS n FROM (SELECT id FROM images WHERE id > ? ORDER BY id LIMIT ?)',
    ).get(afterId, limit)!;
    if (last === null) return { lastId: null, visited: 0, cleared: 0 };
    const { changes } = this.sql(
      `UPDATE images SET thumbnail_path = NULL, thumbnail_size = NULL, small_path = NULL, small_size = NULL
       WHERE id > ? AND id <= ? AND (thumbnail_path IS NOT NULL OR small_path IS NOT NULL)`,
    ).run(afterId, last);
    return { lastId: last, visited: n, cleared: changes };
  }

  /** Rewrites a timelapse's counts and byte totals from its images (index-only reads); answers the new counts. */
  rewriteTimelapseCounts(
    timelapseId: number,
  ): { thumbnail_count: number; small_count: number } | undefined {
    return this.sql<[{ id: number }], { thumbnail_count: number; small_count: number }>(
      `UPDATE timelapses SET
         image_count = (SELECT count(*) FROM images WHERE timelapse_id = @id),
         (thumbnail_count, thumbnail_bytes) = (SELECT count(*), coalesce(sum(thumbnail_size), 0) FROM images INDEXED BY idx_images_thumbnail_bytes
                                               WHERE timelapse_id = @id AND thumbnail_path IS NOT NULL),
         (small_count, small_bytes) = (SELECT count(*), coalesce(sum(small_size), 0) FROM images INDEXED BY idx_images_small_bytes
                                       WHERE timelapse_id = @id AND small_path IS NOT NULL)
       WHERE id = @id RETURNING thumbnail_count, small_count`,
    ).get({ id: timelapseId });
  }

  /** Recorded bytes of thumbnails and smalls, of one timelapse or all (kept by the triggers). */
  getVariantDiskUsage(timelapseId: number | null): {
    thumbnail_bytes: number;
    small_bytes: number;
  } {
    return this.sql<[{ id: number | null }], { thumbnail_bytes: number; small_bytes: number }>(
      `SELECT coalesce(sum(thumbnail_bytes), 0) AS thumbnail_bytes, coalesce(sum(small_bytes), 0) AS small_bytes
       FROM timelapses WHERE @id IS NULL OR id = @id`,
    ).get({ id: timelapseId })!;
  }

  /** Waiting and running jobs of a timelapse's images (walks the live jobs, not the images). */
  countLiveJobsForTimelapse(timelapseId: number): number {
    return this.sql<[number], { n: number }>(
      `SELECT count(*) AS n FROM thumbnail_generation_jobs j CROSS JOIN images i ON i.id = j.image_id
       WHERE j.status IN ('pending','processing','retry') AND i.timelapse_id = ?`,
    ).get(timelapseId)!.n;
  }

  /** When a job last completed for one of the timelapse's images (jobs are kept thumbnail_cleanup_hours). */
  lastGeneratedAtForTimelapse(timelapseId: number): number | null {
    return this.sql<[number], { t: number | null }>(
      `SELECT max(j.completed_at) AS t FROM thumbnail_generation_jobs j CROSS JOIN images i ON i.id = j.image_id
       WHERE j.status = 'completed' AND i.timelapse_id = ?`,
    ).get(timelapseId)!.t;
  }

  /** Images a regeneration covers: of one timelapse or all, optionally only those missing a variant, up to `maxId`. */
  countForRegeneration(
    timelapseId: number | null,
    missing: MissingVariants | null,
    maxId: number,
  ): number {
    // One statement per shape, so each can use its index (a `? IS NULL OR` filter would scan every row).
    const where = [
      'id <= @maxId',
      ...(timelapseId === null ? [] : ['timelapse_id = @timelapseId']),
      ...(missing === null ? [] : [MISSING_VARIANTS_SQL]),
    ].join(' AND ');
    return this.sql<[Record<string, unknown>], { n: number }>(
      `SELECT count(*) AS n FROM images WHERE ${where}`,
    ).get({
      maxId,
      ...(timelapseId === null ? {} : { timelapseId }),
      ...(missing === null ? {} : missingVariantsParams(missing)),
    })!.n;
  }

  maxId(): number {
    return this.sql<[], { id: number | null }>('SELECT max(id) AS id FROM images').get()!.id ?? 0;
  }
}

/** What a render needs of a frame: its files (the fallback chain picks one) and its size if known. */
export type VideoFrame = Pick<
  ImageRow,
  'id' | 'captured_at' | 'file_path' | 'small_path' | 'thumbnail_path' | 'width' | 'height'
>;

export interface NameKeyMatch {
  /** Index of the key in the argument. */
  idx: number;
  id: number;
  thumbnail_path: string | null;
  small_path: string | null;
}

export interface PageCursor {
  captured_at: number;
  id: number;
}

/** 0: no path; 1: the file our naming puts in the folder asked about; 2: another path. */
export type PathState = 0 | 1 | 2;

export interface VariantStateRow extends PageCursor {
  day_number: number;
  clock: string;
  seq: number;
  thumbnail: PathState;
  /** Only when the state is 2. */
  thumbnail_path: string | null;
  small: PathState;
  small_path: string | null;
}
