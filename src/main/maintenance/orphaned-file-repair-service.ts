import type { RepairOptions, RepairResult } from '../../shared/contract';
import type { CoreContext } from '../context';
import { writeTransaction } from '../database/connection';
import { NotFoundError, ValidationError } from '../errors';
import type { VariantKind } from '../files/names';
import {
  deleteCandidates,
  safetyCheck,
  sizedCandidates,
  type SafetyCheck,
} from './candidate-deletion';
import { CandidateTable } from './candidate-table';
import { fileSizeOrNull } from './file-scanner';
import { reconcileTree } from './folder-reconciler';
import {
  parseVariantPath,
  recordedPath,
  variantFileAt,
  type RepairableFile,
  type VariantFile,
} from './variant-files';
import { mapConcurrent } from './pacing';
import { PathSample, ProblemLog } from './problem-log';
import { ProgressReporter } from './progress';
import { deleteUnclaimedFiles } from './variant-deleter';

const STAT_CONCURRENCY = 16;

/** Orphans per kind: files in thumbnails/ and smalls/ that no image's path points at. */
export interface OrphanScanReport {
  orphaned_thumbnail_files: number;
  orphaned_small_files: number;
  files_scanned: number;
  unparseable_count: number;
  /** When the scan started (epoch ms): a later scan's answer supersedes it. */
  started_at: number;
}

export interface FileMatch {
  image_id: number;
  timelapse_id: number;
  kind: VariantKind;
  /** The path the image records now (null: none). */
  recorded_path: string | null;
}

/** What a repair run did, before it becomes the spec's report. */
export interface RepairTally {
  found: number;
  matched: number;
  deleted: number;
  updated: number;
  left: number;
  scanned: number;
  affected: Set<number>;
  /** Files that match no image: to delete (the candidate table holds them all). */
  unmatched: PathSample;
  /** The unmatched files deleted. */
  deletedFiles: PathSample;
  refused: boolean;
  unparseable: PathSample;
  problems: ProblemLog;
}

/**
 * The spec's OrphanedFileRepairService: files in thumbnails/ and smalls/ that
 * no image's path points at are matched back to their image by the name
 * (timelapse, day, time, sequence). A match whose image lacks that path gets
 * it back; a name that matches no image is deleted (within cleanup's safety
 * threshold); a name our naming does not create is reported and left alone.
 */
export class OrphanedFileRepairService {
  constructor(private readonly ctx: CoreContext) {}

  /** Counts the orphans without changing anything. */
  async scanOrphanedFiles(signal?: AbortSignal): Promise<OrphanScanReport> {
    const started_at = Date.now();
    const orphans = { thumbnail: 0, small: 0 };
    let unparseable = 0;
    const progress = new ProgressReporter(this.ctx.events, 'statistics', null);
    const count = (files: readonly VariantFile[]) => files.forEach((file) => orphans[file.kind]++);
    const tally = await reconcileTree(
      this.ctx,
      {
        checkRecorded: false,
        progressUnit: 'files',
        onPage: (page) => {
          count(page.repairable);
          count(page.conflicting);
        },
        onUnclaimed: count,
        onUnparseable: () => unparseable++,
      },
      new ProblemLog(),
      progress,
      signal,
    );
    progress.finish();
    return {
      orphaned_thumbnail_files: orphans.thumbnail,
      orphaned_small_files: orphans.small,
      files_scanned: tally.files.thumbnail + tally.files.small,
      unparseable_count: unparseable,
      started_at,
    };
  }

  /** The image a thumbnail or small path names, or null (not our naming, or no such image). */
  matchFileToImage(relativePath: string): FileMatch | null {
    const file = parseVariantPath(relativePath);
    const match = file && this.ctx.ops.images.findByNameKeys([file.name])[0];
    if (!file || !match) return null;
    return {
      image_id: match.id,
      timelapse_id: file.name.timelapseId,
      kind: file.kind,
      recorded_path: recordedPath(match, file.kind),
    };
  }

  /**
   * Gives the named image this file as its thumbnail or small, with its size,
   * when the image lacks it (no path, or a recorded file that is gone).
   * Answers whether the database changed.
   */
  async repairOrphanedFile(relativePath: string, imageId: number): Promise<boolean> {
    const match = this.matchFileToImage(relativePath);
    if (!match)
      throw new ValidationError('Not a thumbnail or small file of any image', {
        path: relativePath,
      });
    if (match.image_id !== imageId) {
      throw new ValidationError('The file name names another image', {
        path: relativePath,
        image_id: imageId,
        named_image_id: match.image_id,
      });
    }
    if (match.recorded_path === relativePath) return false;
    const size = await fileSizeOrNull(this.ctx.tree.resolve(relativePath));
    if (size === null) throw new NotFoundError('File not found', { path: relativePath });
    if (
      match.recorded_path !== null &&
      (await fileSizeOrNull(this.ctx.tree.resolve(match.recorded_path))) !== null
    ) {
      return false;
    }
    return writeTransaction(this.ctx.db, () =>
      this.ctx.ops.images.swapVariantPath(
        match.kind,
        imageId,
        match.recorded_path,
        relativePath,
        size,
      ),
    );
  }

  /**
   * Deletes thumbnail and small files that match no image, each re-checked just
   * before. Every path must be a thumbnail or small name inside its folder.
   */
  async deleteUnmatchedFiles(
    relativePaths: readonly string[],
  ): Promise<{ files_deleted: number; files_kept: number; problems: ProblemLog }> {
    const files = relativePaths.map((path) => variantFileAt(this.ctx.tree, path));
    const refused = relativePaths.filter((_, index) => !files[index]);
    if (refused.length > 0) {
      throw new ValidationError('Only thumbnail and small files may be deleted', {
        refused: refused.slice(0, 20),
      });
    }
    const problems = new ProblemLog();
    const outcome = await deleteUnclaimedFiles(
      this.ctx,
      files.filter((f) => f !== null),
      problems,
    );
    return {
      files_deleted: outcome.deleted.length,
      files_kept: outcome.kept + outcome.failed,
      problems,
    };
  }

  /** The spec's repair report from a run's tally. */
  generateRepairReport(
    tally: RepairTally,
    { dry_run, force }: Required<RepairOptions>,
    safety: SafetyCheck,
  ): RepairResult {
    const listed = dry_run || tally.refused ? tally.unmatched : tally.deletedFiles;
    return {
      dry_run,
      force,
      orphaned_files_found: tally.found,
      files_matched: tally.matched,
      files_unmatched: tally.unmatched.count,
      files_deleted: tally.deleted,
      files: listed.list,
      files_truncated: listed.truncated,
      ...safety,
      deletion_refused: tally.refused,
      database_records_updated: tally.updated,
      timelapses_affected: tally.affected.size,
      files_scanned: tally.scanned,
      files_left: tally.left,
      unparseable_files: tally.unparseable.list,
      unparseable_count: tally.unparseable.count,
      errors: tally.problems.list,
      error_count: tally.problems.count,
    };
  }

  /**
   * The whole repair: scan and match back (page by page), then delete the
   * files that match no image, unless they are more than the safety threshold
   * of all files scanned (kept then, unless forced), then report. A dry run
   * matches and deletes nothing and reports what a real run would do.
   */
  async repairOrphanedFiles(
    { dry_run = false, force = false }: RepairOptions = {},
    signal?: AbortSignal,
  ): Promise<RepairResult> {
    const tally: RepairTally = {
      found: 0,
      matched: 0,
      deleted: 0,
      updated: 0,
      left: 0,
      scanned: 0,
      affected: new Set(),
      unmatched: new PathSample(),
      deletedFiles: new PathSample(),
      refused: false,
      unparseable: new PathSample(),
      problems: new ProblemLog(),
    };
    const progress = new ProgressReporter(this.ctx.events, 'repair', null);
    const candidates = new CandidateTable(this.ctx.db);
    try {
      const listed = await reconcileTree(
        this.ctx,
        {
          checkRecorded: false,
          progressUnit: 'files',
          onPage: async (page) => {
            tally.found += page.repairable.length + page.conflicting.length;
            tally.left += page.conflicting.length;
            if (dry_run) tally.matched += page.repairable.length;
            else await this.matchBack(page.repairable, tally);
          },
          onUnclaimed: async (files) => {
            tally.found += files.length;
            const sized = await sizedCandidates(files, tally.problems);
            tally.left += files.length - sized.length; // gone since the listing (reported)
            for (const file of sized) tally.unmatched.add(file.relativePath);
            candidates.add(sized);
          },
          onUnparseable: (path) => tally.unparseable.add(path),
        },
        tally.problems,
        progress,
        signal,
      );
      tally.scanned = listed.files.thumbnail + listed.files.small;
      const safety = safetyCheck(this.ctx, tally.unmatched.count, tally.scanned);
      tally.refused = !dry_run && safety.exceeds_safety_threshold && !force;
      if (dry_run || tally.refused) {
        tally.left += tally.refused ? tally.unmatched.count : 0;
      } else {
        const removed = await deleteCandidates(
          this.ctx,
          candidates,
          tally.problems,
          progress,
          signal,
          tally.deletedFiles,
        );
        tally.deleted = removed.deleted;
        tally.left += tally.unmatched.count - removed.deleted;
        for (const id of removed.timelapses) tally.affected.add(id);
      }
      progress.finish();
      return this.generateRepairReport(tally, { dry_run, force }, safety);
    } finally {
      candidates.drop();
    }
  }

  /** Writes the matched files' paths and sizes back, only over the value classification saw. */
  private async matchBack(files: readonly RepairableFile[], tally: RepairTally): Promise<void> {
    const sizes = await mapConcurrent(files, STAT_CONCURRENCY, async (file) => {
      try {
        const size = await fileSizeOrNull(file.absolutePath);
        if (size === null) tally.problems.add(file.relativePath, 'ENOENT');
        return size;
      } catch (error) {
        tally.problems.add(file.relativePath, error);
        return null;
      }
    });
    writeTransaction(this.ctx.db, () => {
      files.forEach((file, index) => {
        const size = sizes[index];
        if (size === null || size === undefined) {
          tally.left++;
          return;
        }
        tally.matched++;
        tally.affected.add(file.name.timelapseId);
        if (
          this.ctx.ops.images.swapVariantPath(
            file.kind,
            file.imageId,
            file.expected,
            file.relativePath,
            size,
          )
        ) {
          tally.updated++;
        }
      });
    });
  }
}
