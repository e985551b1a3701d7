import type { DeleteAllResult } from '../../shared/contract';
import type { CoreContext } from '../context';
import { writeTransaction } from '../database/connection';
import { ValidationError } from '../errors';
import { reconcileTree } from './folder-reconciler';
import { checkpoint } from './pacing';
import { ProblemLog } from './problem-log';
import { ProgressReporter } from './progress';
import { deleteVariantFiles } from './variant-deleter';
import type { VariantFile } from './variant-files';

const CLEAR_PAGE = 2000;
const TIMELAPSE_PAGE = 100;

/**
 * Deletes every thumbnail and small: the paths first (in chunks, so a row
 * never points at a deleted file), then the files our naming created, then
 * the counts rewritten from the rows. A file the worker made again meanwhile
 * is referenced again and is kept.
 */
export async function deleteAllVariants(
  ctx: CoreContext,
  confirm: boolean,
  signal?: AbortSignal,
): Promise<DeleteAllResult> {
  if (confirm !== true) {
    throw new ValidationError(
      'Deleting all thumbnails and smalls needs explicit confirmation: pass confirm: true',
      {
        confirm_required: true,
      },
    );
  }
  const problems = new ProblemLog();
  // Rows, then files: no total is known up front.
  const progress = new ProgressReporter(ctx.events, 'delete_all', null);
  let cleared = 0;
  for (let afterId = 0; ;) {
    const page = writeTransaction(ctx.db, () =>
      ctx.ops.images.clearVariantPathsPage(afterId, CLEAR_PAGE),
    );
    if (page.lastId === null) break;
    afterId = page.lastId;
    cleared += page.cleared;
    progress.advance(page.visited);
    await checkpoint(signal, 'delete_all');
  }
  const deleted = { thumbnail: 0, small: 0 };
  const remove = async (files: readonly VariantFile[]) => {
    const outcome = await deleteVariantFiles(ctx, files, problems);
    for (const file of outcome.deleted) deleted[file.kind]++;
  };
  // Every listed file no row records now: a file the worker made again meanwhile is recorded, and kept.
  await reconcileTree(
    ctx,
    {
      checkRecorded: false,
      progressUnit: 'files',
      onPage: (page) => remove([...page.repairable, ...page.conflicting]),
      onUnclaimed: remove,
    },
    problems,
    progress,
    signal,
  );
  await rewriteAllCounts(ctx, signal);
  progress.finish();
  return {
    files_deleted: deleted.thumbnail + deleted.small,
    thumbnail_files_deleted: deleted.thumbnail,
    small_files_deleted: deleted.small,
    database_records_cleared: cleared,
    errors: problems.list,
    error_count: problems.count,
  };
}

async function rewriteAllCounts(ctx: CoreContext, signal: AbortSignal | undefined): Promise<void> {
  for (let afterId = 0; ;) {
    const ids = ctx.ops.timelapses.listIdsAfter(afterId, TIMELAPSE_PAGE);
    if (ids.length === 0) return;
    afterId = ids[ids.length - 1]!;
    for (const id of ids) {
      writeTransaction(ctx.db, () => ctx.ops.images.rewriteTimelapseCounts(id));
      await checkpoint(signal, 'delete_all');
    }
  }
}
