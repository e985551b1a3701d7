import type { MissingOriginalsResult } from '../../shared/contract';
import type { CoreContext } from '../context';
import { writeTransaction } from '../database/connection';
import type { ImageRow } from '../database/types';
import { safetyCheck, thresholdError } from './candidate-deletion';
import { fileSizeOrNull } from './file-scanner';
import { reconcileFrames } from './frame-reconciler';
import { checkpoint, mapConcurrent } from './pacing';
import { PathSample, ProblemLog } from './problem-log';
import { ProgressReporter } from './progress';
import { deleteVariantFiles } from './variant-deleter';
import { variantFileAt, type VariantFile } from './variant-files';

const TIMELAPSE_PAGE = 100;
const DELETE_CHUNK = 500;
const STAT_CONCURRENCY = 16;

/**
 * Dead records: image rows whose frame file is gone (deleted by hand, a disk
 * that failed). A dry run lists them. A real run removes each row (its job
 * goes with it) and its thumbnail and small, re-checking just before that the
 * frame is still gone; it is refused above cleanup's safety threshold unless
 * forced, since an unmounted disk makes every original look gone.
 */
export async function removeMissingOriginals(
  ctx: CoreContext,
  { dry_run, force }: { dry_run: boolean; force: boolean },
  signal?: AbortSignal,
): Promise<MissingOriginalsResult> {
  const problems = new ProblemLog();
  const files = new PathSample();
  const dead: number[] = [];
  const affected = new Set<number>();
  const { total_images } = ctx.ops.images.getThumbnailCoverageStatistics();
  const progress = new ProgressReporter(ctx.events, 'missing_originals', total_images);
  let scanned = 0;
  for (let afterId = 0; ;) {
    const ids = ctx.ops.timelapses.listIdsAfter(afterId, TIMELAPSE_PAGE);
    if (ids.length === 0) break;
    afterId = ids[ids.length - 1]!;
    for (const id of ids) {
      const timelapse = ctx.ops.timelapses.getById(id);
      if (!timelapse) continue;
      await reconcileFrames(
        ctx,
        timelapse.camera_id,
        timelapse.id,
        {
          onMissing: (rows) => {
            for (const row of rows) {
              dead.push(row.id);
              files.add(row.file_path);
              affected.add(row.timelapse_id);
            }
          },
          onRows: (count) => {
            scanned += count;
            progress.advance(count);
          },
        },
        problems,
        signal,
      );
    }
  }
  const safety = safetyCheck(ctx, dead.length, scanned);
  if (!dry_run && safety.exceeds_safety_threshold && !force) {
    progress.finish();
    throw thresholdError(
      'Removing missing originals',
      'image records',
      dead.length,
      scanned,
      safety,
    );
  }
  const removed = dry_run
    ? { records: 0, variants: 0 }
    : await removeRecords(ctx, dead, problems, signal);
  progress.finish();
  return {
    dry_run,
    force,
    images_scanned: scanned,
    missing_originals: dead.length,
    files: files.list,
    files_truncated: files.truncated,
    records_removed: removed.records,
    variant_files_deleted: removed.variants,
    timelapses_affected: affected.size,
    ...safety,
    errors: problems.list,
    error_count: problems.count,
  };
}

/** Removes the rows whose frame is still gone, chunk by chunk, then their thumbnails and smalls. */
async function removeRecords(
  ctx: CoreContext,
  ids: readonly number[],
  problems: ProblemLog,
  signal: AbortSignal | undefined,
): Promise<{ records: number; variants: number }> {
  const removed = { records: 0, variants: 0 };
  for (let i = 0; i < ids.length; i += DELETE_CHUNK) {
    const rows = ctx.ops.images.getByIds(ids.slice(i, i + DELETE_CHUNK));
    const back = await mapConcurrent(rows, STAT_CONCURRENCY, async (row) => {
      try {
        return (await fileSizeOrNull(ctx.tree.resolve(row.file_path))) !== null;
      } catch (error) {
        problems.add(row.file_path, error);
        return true; // cannot tell: keep the record
      }
    });
    const gone = rows.filter((_, index) => !back[index]);
    writeTransaction(ctx.db, () => {
      for (const row of gone) if (ctx.ops.images.delete(row.id)) removed.records++;
    });
    // The thumbnails and smalls that are still there go with their record (one already gone is no problem).
    const candidates = gone.flatMap((row) => variantsOf(ctx, row));
    const present = await mapConcurrent(candidates, STAT_CONCURRENCY, (file) =>
      fileSizeOrNull(file.absolutePath).catch(() => 0),
    );
    const variants = await deleteVariantFiles(
      ctx,
      candidates.filter((_, index) => present[index] !== null),
      problems,
    );
    removed.variants += variants.deleted.length;
    await checkpoint(signal, 'removing missing originals');
  }
  return removed;
}

function variantsOf(ctx: CoreContext, row: ImageRow): VariantFile[] {
  return [row.thumbnail_path, row.small_path].flatMap((path) => {
    const file = path === null ? null : variantFileAt(ctx.tree, path);
    return file ? [file] : [];
  });
}
