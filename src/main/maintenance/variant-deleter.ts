import type { CoreContext } from '../context';
import { safeDelete } from '../files/file-operations';
import { matchFiles, parseVariantPath, type VariantFile } from './variant-files';
import { mapConcurrent } from './pacing';
import type { ProblemLog } from './problem-log';

const UNLINK_CONCURRENCY = 16;

export interface DeleteOutcome<F extends VariantFile = VariantFile> {
  deleted: F[];
  /** An image now has the file's name (a frame captured during the run): kept. */
  kept: number;
  /** Could not be deleted (reported in the problem log). */
  failed: number;
}

/**
 * Deletes files that no image claims, each checked against the database again
 * just before (one indexed lookup for the batch), so a frame captured while
 * the scan ran never loses its thumbnail.
 */
export async function deleteUnclaimedFiles<F extends VariantFile>(
  ctx: CoreContext,
  files: readonly F[],
  problems: ProblemLog,
): Promise<DeleteOutcome<F>> {
  const matches = matchFiles(ctx, files);
  const unclaimed = files.filter((_, index) => !matches[index]);
  const outcome = await deleteVariantFiles(ctx, unclaimed, problems);
  return { ...outcome, kept: files.length - unclaimed.length };
}

/**
 * Deletes thumbnail and small files. Refuses (as a reported problem) any path
 * that is not a name our naming creates inside a thumbnails/ or smalls/ folder:
 * frames, videos and foreign files are never touched.
 */
export async function deleteVariantFiles<F extends VariantFile>(
  ctx: CoreContext,
  files: readonly F[],
  problems: ProblemLog,
): Promise<Omit<DeleteOutcome<F>, 'kept'>> {
  const results = await mapConcurrent(files, UNLINK_CONCURRENCY, async (file) => {
    if (!parseVariantPath(file.relativePath)) {
      problems.add(file.relativePath, 'not a thumbnail or small file name');
      return false;
    }
    try {
      if ((await safeDelete(file.absolutePath)) === 'deleted') return true;
      problems.add(file.relativePath, 'ENOENT');
    } catch (error) {
      problems.add(file.relativePath, error);
    }
    return false;
  });
  const deleted = files.filter((_, index) => results[index]);
  return { deleted, failed: files.length - deleted.length };
}
