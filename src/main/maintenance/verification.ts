import {
  MAX_LISTED_PROBLEMS,
  type SystemVerification,
  type TimelapseVerification,
  type VerificationCounts,
} from '../../shared/maintenance-types';
import type { CoreContext } from '../context';
import { writeTransaction } from '../database/connection';
import type { VariantPathRow } from '../database/operations/image-operations';
import type { TimelapseRow } from '../database/types';
import { NotFoundError } from '../errors';
import type { VariantKind } from '../files/names';
import { scanVariantDirectory, fileSizeOrNull, variantDirectory, VARIANT_KINDS } from './file-scanner';
import { IdSet } from './id-set';
import { classifyBatch } from './orphan-classifier';
import { checkpoint, mapConcurrent } from './pacing';
import { ProblemLog } from './problem-log';
import { ProgressReporter } from './progress';

const PAGE_SIZE = 2000;
const NAME_BATCH = 1000;
const STAT_CONCURRENCY = 16;
const TIMELAPSE_PAGE = 100;

/** Which images the directory listings confirmed, per kind: one bit per image id. */
type Confirmed = Record<VariantKind, IdSet>;

interface Tally {
  total: number;
  valid: Record<VariantKind, number>;
  cleared: Record<VariantKind, number>;
}

/**
 * The spec's verification: every recorded thumbnail_path and small_path
 * checked against the disk, missing ones set to NULL, counts rewritten to the
 * truth. Each folder is listed once (streamed) and compared with the rows in
 * bulk; only a path the listing did not confirm costs a stat, which also
 * protects a file written after its folder was listed.
 */
export class Verifier {
  constructor(private readonly ctx: CoreContext) {}

  async verifyTimelapse(timelapseId: number, signal?: AbortSignal): Promise<TimelapseVerification> {
    const timelapse = this.ctx.ops.timelapses.getById(timelapseId);
    if (!timelapse) throw new NotFoundError('Timelapse not found', { timelapse_id: timelapseId });
    const progress = new ProgressReporter(this.ctx.events, 'verify', timelapse.image_count);
    const result = await this.verifyOne(timelapse, this.newConfirmed(), progress, signal);
    progress.finish();
    return result;
  }

  async verifyAll(signal?: AbortSignal): Promise<SystemVerification> {
    const { total_images } = this.ctx.ops.images.getThumbnailCoverageStatistics();
    const progress = new ProgressReporter(this.ctx.events, 'verify', total_images);
    const confirmed = this.newConfirmed();
    const rows: TimelapseVerification[] = [];
    for (let afterId = 0; ; ) {
      const ids = this.ctx.ops.timelapses.listIdsAfter(afterId, TIMELAPSE_PAGE);
      if (ids.length === 0) break;
      afterId = ids[ids.length - 1]!;
      for (const id of ids) {
        const timelapse = this.ctx.ops.timelapses.getById(id);
        if (timelapse) rows.push(await this.verifyOne(timelapse, confirmed, progress, signal));
      }
    }
    progress.finish();
    return { ...sumVerifications(rows), timelapses: rows };
  }

  private newConfirmed(): Confirmed {
    const maxId = this.ctx.ops.images.maxId();
    return { thumbnail: new IdSet(maxId), small: new IdSet(maxId) };
  }

  private async verifyOne(
    timelapse: TimelapseRow,
    confirmed: Confirmed,
    progress: ProgressReporter,
    signal: AbortSignal | undefined,
  ): Promise<TimelapseVerification> {
    const problems = new ProblemLog();
    const before = { thumbnail_count: timelapse.thumbnail_count, small_count: timelapse.small_count };
    await this.confirmListedFiles(timelapse, confirmed, problems, signal);
    const tally: Tally = { total: 0, valid: { thumbnail: 0, small: 0 }, cleared: { thumbnail: 0, small: 0 } };
    for (let cursor = { captured_at: Number.MIN_SAFE_INTEGER, id: 0 }; ; ) {
      const page = this.ctx.ops.images.pageVariantPaths(timelapse.id, cursor, PAGE_SIZE);
      if (page.length === 0) break;
      cursor = page[page.length - 1]!;
      await this.checkPage(page, confirmed, tally, problems);
      progress.advance(page.length);
      await checkpoint(signal, 'verify');
    }
    const after = writeTransaction(this.ctx.db, () => this.ctx.ops.images.rewriteTimelapseCounts(timelapse.id)) ?? before;
    return {
      timelapse_id: timelapse.id,
      ...verificationCounts(tally, before, after),
      errors: problems.list,
      error_count: problems.count,
    };
  }

  /** Lists the timelapse's thumbnails/ and smalls/ and marks the images whose recorded path is listed. */
  private async confirmListedFiles(
    timelapse: TimelapseRow,
    confirmed: Confirmed,
    problems: ProblemLog,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    for (const kind of VARIANT_KINDS) {
      let directory;
      try {
        directory = variantDirectory(this.ctx.tree, timelapse.camera_id, timelapse.id, kind);
      } catch (error) {
        // Unlisted, every recorded path of this kind falls back to a stat (and is reported, not cleared).
        problems.add(this.ctx.tree.kindDir(timelapse.camera_id, timelapse.id, kind), error);
        continue;
      }
      for await (const item of scanVariantDirectory(directory, NAME_BATCH)) {
        if (item.type === 'problem') {
          problems.add(item.problem.path, item.problem.error);
          continue;
        }
        const batch = await classifyBatch(this.ctx, directory, item.names, problems);
        for (const { imageId } of batch.referenced) confirmed[kind].add(imageId);
        await checkpoint(signal, 'verify');
      }
    }
  }

  /** Counts a page's valid variants and clears the recorded paths whose file is gone. */
  private async checkPage(page: VariantPathRow[], confirmed: Confirmed, tally: Tally, problems: ProblemLog): Promise<void> {
    const unconfirmed: { id: number; kind: VariantKind; path: string }[] = [];
    for (const row of page) {
      for (const kind of VARIANT_KINDS) {
        const path = kind === 'thumbnail' ? row.thumbnail_path : row.small_path;
        if (path === null) continue;
        if (confirmed[kind].has(row.id)) tally.valid[kind]++;
        else unconfirmed.push({ id: row.id, kind, path });
      }
    }
    tally.total += page.length;
    const states = await mapConcurrent(unconfirmed, STAT_CONCURRENCY, async ({ path }) => {
      try {
        return (await fileSizeOrNull(this.ctx.tree.resolve(path))) === null ? 'gone' : 'present';
      } catch (error) {
        problems.add(path, error);
        return 'unknown';
      }
    });
    const gone = unconfirmed.filter((_, i) => states[i] === 'gone');
    unconfirmed.forEach((entry, i) => states[i] === 'present' && tally.valid[entry.kind]++);
    writeTransaction(this.ctx.db, () => {
      for (const { id, kind, path } of gone) {
        if (this.ctx.ops.images.swapVariantPath(kind, id, path, null, null)) tally.cleared[kind]++;
      }
    });
  }
}

function verificationCounts(
  tally: Tally,
  before: VerificationCounts['database_counts'],
  after: VerificationCounts['database_counts'],
): Omit<VerificationCounts, 'errors' | 'error_count'> {
  const missingThumbnails = tally.total - tally.valid.thumbnail;
  return {
    total_images: tally.total,
    valid_thumbnails: tally.valid.thumbnail,
    valid_smalls: tally.valid.small,
    missing_thumbnails: missingThumbnails,
    missing_smalls: tally.total - tally.valid.small,
    database_counts: before,
    counts_updated: before.thumbnail_count !== after.thumbnail_count || before.small_count !== after.small_count,
    paths_cleared: { thumbnails: tally.cleared.thumbnail, smalls: tally.cleared.small },
    // Smalls may be missing by design (small_generation_mode); a small that vanished is worth a repair.
    suggest_repair: missingThumbnails > 0 || tally.cleared.small > 0,
  };
}

function sumVerifications(rows: readonly TimelapseVerification[]): VerificationCounts {
  const sum = (pick: (row: TimelapseVerification) => number) => rows.reduce((total, row) => total + pick(row), 0);
  const errors = rows.flatMap((row) => row.errors);
  return {
    total_images: sum((r) => r.total_images),
    valid_thumbnails: sum((r) => r.valid_thumbnails),
    valid_smalls: sum((r) => r.valid_smalls),
    missing_thumbnails: sum((r) => r.missing_thumbnails),
    missing_smalls: sum((r) => r.missing_smalls),
    database_counts: {
      thumbnail_count: sum((r) => r.database_counts.thumbnail_count),
      small_count: sum((r) => r.database_counts.small_count),
    },
    counts_updated: rows.some((r) => r.counts_updated),
    paths_cleared: { thumbnails: sum((r) => r.paths_cleared.thumbnails), smalls: sum((r) => r.paths_cleared.smalls) },
    suggest_repair: rows.some((r) => r.suggest_repair),
    errors: errors.slice(0, MAX_LISTED_PROBLEMS),
    error_count: sum((r) => r.error_count),
  };
}
