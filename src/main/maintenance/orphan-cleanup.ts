import type { CleanupResult } from '../../shared/contract';
import type { CoreContext } from '../context';
import {
  deleteCandidates,
  safetyCheck,
  sizedCandidates,
  thresholdError,
} from './candidate-deletion';
import { CandidateTable } from './candidate-table';
import { reconcileTree } from './folder-reconciler';
import { PathSample, ProblemLog } from './problem-log';
import { ProgressReporter } from './progress';

interface ScanTally {
  scanned: number;
  byKind: { thumbnail: number; small: number };
  bytes: number;
  files: PathSample;
  unparseable: number;
}

/**
 * Cleanup of orphaned files: the files no image can claim (their name matches
 * no image). A first pass lists them; a dry run stops there. A real run then
 * refuses when they are more than the safety share of all thumbnail and small
 * files (a wrong data root or an unmounted disk looks exactly like that)
 * unless forced, and deletes them, each re-checked against the database.
 */
export async function cleanupOrphanedFiles(
  ctx: CoreContext,
  options: { dry_run: boolean; force: boolean },
  signal?: AbortSignal,
): Promise<CleanupResult> {
  const problems = new ProblemLog();
  const candidates = new CandidateTable(ctx.db);
  try {
    const progress = new ProgressReporter(ctx.events, 'cleanup', null);
    const tally = await findCandidates(ctx, candidates, problems, progress, signal);
    const found = tally.files.count;
    const safety = safetyCheck(ctx, found, tally.scanned);
    if (!options.dry_run && safety.exceeds_safety_threshold && !options.force) {
      progress.finish();
      throw thresholdError('Cleanup', 'thumbnail and small files', found, tally.scanned, safety);
    }
    const removed = options.dry_run
      ? { deleted: 0, bytes: 0, kept: 0 }
      : await deleteCandidates(ctx, candidates, problems, progress, signal);
    progress.finish();
    return {
      dry_run: options.dry_run,
      force: options.force,
      files_scanned: tally.scanned,
      orphaned_files_found: found,
      orphaned_thumbnail_files: tally.byKind.thumbnail,
      orphaned_small_files: tally.byKind.small,
      orphaned_bytes: tally.bytes,
      files_deleted: removed.deleted,
      bytes_freed: removed.bytes,
      files_kept: removed.kept,
      files: tally.files.list,
      files_truncated: tally.files.truncated,
      ...safety,
      unparseable_count: tally.unparseable,
      errors: problems.list,
      error_count: problems.count,
    };
  } finally {
    candidates.drop();
  }
}

async function findCandidates(
  ctx: CoreContext,
  table: CandidateTable,
  problems: ProblemLog,
  progress: ProgressReporter,
  signal: AbortSignal | undefined,
): Promise<ScanTally> {
  const tally: ScanTally = {
    scanned: 0,
    byKind: { thumbnail: 0, small: 0 },
    bytes: 0,
    files: new PathSample(),
    unparseable: 0,
  };
  const listed = await reconcileTree(
    ctx,
    {
      checkRecorded: false,
      progressUnit: 'files',
      onUnclaimed: async (files) => {
        const sized = await sizedCandidates(files, problems);
        for (const candidate of sized) {
          tally.byKind[candidate.kind]++;
          tally.bytes += candidate.size;
          tally.files.add(candidate.relativePath);
        }
        table.add(sized);
      },
      onUnparseable: () => tally.unparseable++,
    },
    problems,
    progress,
    signal,
  );
  tally.scanned = listed.files.thumbnail + listed.files.small;
  return tally;
}
