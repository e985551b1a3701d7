import type { CleanupResult } from '../../shared/contract';
import type { CoreContext } from '../context';
import { ValidationError } from '../errors';
import { CandidateTable, type Candidate } from './candidate-table';
import { fileSizeOrNull } from './file-scanner';
import { reconcileTree } from './folder-reconciler';
import { checkpoint, mapConcurrent } from './pacing';
import { PathSample, ProblemLog } from './problem-log';
import { ProgressReporter } from './progress';
import { deleteUnclaimedFiles } from './variant-deleter';
import type { VariantFile } from './variant-files';

const STAT_CONCURRENCY = 16;
const DELETE_PAGE = 500;

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
    const threshold = ctx.settings.get('cleanup_safety_threshold');
    const found = tally.files.count;
    const share = tally.scanned === 0 ? 0 : found / tally.scanned;
    const exceeds = share > threshold;
    if (!options.dry_run && exceeds && !options.force) {
      progress.finish();
      throw thresholdError(found, tally.scanned, share, threshold);
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
      share,
      safety_threshold: threshold,
      exceeds_safety_threshold: exceeds,
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
        const sized = await withSizes(ctx, files, problems);
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

async function deleteCandidates(
  ctx: CoreContext,
  table: CandidateTable,
  problems: ProblemLog,
  progress: ProgressReporter,
  signal: AbortSignal | undefined,
): Promise<{ deleted: number; bytes: number; kept: number }> {
  const removed = { deleted: 0, bytes: 0, kept: 0 };
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
    progress.advance(page.length);
    await checkpoint(signal, 'cleanup');
  }
}

/** The files with their sizes; one that vanished since the listing is reported and dropped. */
async function withSizes(
  ctx: CoreContext,
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

function thresholdError(
  found: number,
  scanned: number,
  share: number,
  threshold: number,
): ValidationError {
  const percent = (n: number) => `${Math.round(n * 100)}%`;
  return new ValidationError(
    `Cleanup refused: it would delete ${found} of ${scanned} thumbnail and small files (${percent(share)}), ` +
      `more than the safety threshold of ${percent(threshold)}. This usually means a wrong data root or an ` +
      `unmounted disk. Check the library location, then run again with force to delete anyway.`,
    {
      would_delete: found,
      files_scanned: scanned,
      share,
      safety_threshold: threshold,
      force_required: true,
    },
  );
}
