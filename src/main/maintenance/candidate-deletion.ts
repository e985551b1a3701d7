import type { CoreContext } from '../context';
import { ValidationError } from '../errors';
import type { CandidateTable, Candidate } from './candidate-table';
import { fileSizeOrNull } from './file-scanner';
import { checkpoint, mapConcurrent } from './pacing';
import type { PathSample, ProblemLog } from './problem-log';
import type { ProgressReporter } from './progress';
import { deleteUnclaimedFiles } from './variant-deleter';
import type { VariantFile } from './variant-files';

const STAT_CONCURRENCY = 16;
const DELETE_PAGE = 500;

/** Where a deletion of many files stands against cleanup_safety_threshold. */
export interface SafetyCheck {
  /** found / scanned. */
  share: number;
  safety_threshold: number;
  /** The share is above the threshold: a real run needs force. */
  exceeds_safety_threshold: boolean;
}

/**
 * The safety threshold cleanup and repair share: deleting more than this share
 * of what was scanned is refused unless forced, since a wrong data root or an
 * unmounted disk looks exactly like "everything is orphaned".
 */
export function safetyCheck(ctx: CoreContext, found: number, scanned: number): SafetyCheck {
  const threshold = ctx.settings.get('cleanup_safety_threshold');
  const share = scanned === 0 ? 0 : found / scanned;
  return { share, safety_threshold: threshold, exceeds_safety_threshold: share > threshold };
}

/** The refusal above the threshold: what would go, of how many, and why that is suspicious. */
export function thresholdError(
  operation: string,
  unit: string,
  found: number,
  scanned: number,
  { share, safety_threshold }: SafetyCheck,
): ValidationError {
  const percent = (n: number) => `${Math.round(n * 100)}%`;
  return new ValidationError(
    `${operation} refused: it would delete ${found} of ${scanned} ${unit} (${percent(share)}), ` +
      `more than the safety threshold of ${percent(safety_threshold)}. This usually means a wrong data root or an ` +
      `unmounted disk. Check the library location, then run again with force to delete anyway.`,
    {
      would_delete: found,
      files_scanned: scanned,
      share,
      safety_threshold,
      force_required: true,
    },
  );
}

/** The files with their sizes; one that vanished since the listing is reported and dropped. */
export async function sizedCandidates(
  files: readonly VariantFile[],
  problems: ProblemLog,
): Promise<Candidate[]> {
  const sizes = await mapConcurrent(files, STAT_CONCURRENCY, async (file) => {
    try {
      const size = await fileSizeOrNull(file.absolutePath);
      if (size === null) problems.add(file.relativePath, 'ENOENT');
      return size;
    } catch (error) {
      problems.add(file.relativePath, error);
      return null;
    }
  });
  return files.flatMap((file, index) =>
    sizes[index] === null ? [] : [{ ...file, size: sizes[index]! }],
  );
}

/** Deletes a table's candidates page by page, each re-checked against the database just before. */
export async function deleteCandidates(
  ctx: CoreContext,
  table: CandidateTable,
  problems: ProblemLog,
  progress: ProgressReporter,
  signal: AbortSignal | undefined,
  deleted?: PathSample,
): Promise<{ deleted: number; bytes: number; kept: number; timelapses: Set<number> }> {
  const removed = { deleted: 0, bytes: 0, kept: 0, timelapses: new Set<number>() };
  for (let afterId = 0; ;) {
    const page = table.page(afterId, DELETE_PAGE);
    if (page.length === 0) return removed;
    afterId = page[page.length - 1]!.id;
    const outcome = await deleteUnclaimedFiles(
      ctx,
      page.map((row) => row.candidate),
      problems,
    );
    removed.deleted += outcome.deleted.length;
    removed.bytes += outcome.deleted.reduce((sum, file) => sum + file.size, 0);
    removed.kept += outcome.kept;
    for (const file of outcome.deleted) {
      removed.timelapses.add(file.name.timelapseId);
      deleted?.add(file.relativePath);
    }
    progress.advance(page.length);
    await checkpoint(signal, progress.operation);
  }
}
