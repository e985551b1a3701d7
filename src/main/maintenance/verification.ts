import {
  MAX_LISTED_PROBLEMS,
  type SystemVerification,
  type TimelapseVerification,
  type VerificationCounts,
} from '../../shared/contract';
import type { CoreContext } from '../context';
import { writeTransaction } from '../database/connection';
import type { TimelapseRow } from '../database/types';
import { NotFoundError } from '../errors';
import type { VariantKind } from '../files/names';
import { timelapseFolders } from './file-scanner';
import { reconcileTimelapse, type PageFindings } from './folder-reconciler';
import { reconcileFrames, type UnrecordedFrame } from './frame-reconciler';
import { ProblemLog } from './problem-log';
import { ProgressReporter } from './progress';

const TIMELAPSE_PAGE = 100;

interface Tally {
  total: number;
  valid: Record<VariantKind, number>;
  cleared: Record<VariantKind, number>;
  missingOriginals: number;
  adopted: number;
  reported: number;
}

/**
 * Adoption of a frame file that has no row: its row and job are created, or
 * it is reported. Ingest's FrameAdopter, wired by the composition root.
 */
export type AdoptFrame = (
  file: UnrecordedFrame,
) => Promise<
  { kind: 'adopted' | 'recorded' } | { kind: 'reported'; reason: string; message: string }
>;

/**
 * The spec's verification: every recorded thumbnail_path and small_path
 * checked against the disk, missing ones set to NULL, counts rewritten to the
 * truth. Each folder is listed once and compared with the rows in bulk; only a
 * path the listing did not show costs a stat, which also protects a file
 * written after its folder was listed. The frames/ folder is compared the same
 * way: rows whose frame file is gone are counted as missing originals (their
 * removal is a separate, explicit action), and frame files without a row are
 * adopted (row and job created) or reported.
 */
export class Verifier {
  constructor(
    private readonly ctx: CoreContext,
    private readonly adoptFrame?: AdoptFrame,
  ) {}

  async verifyTimelapse(timelapseId: number, signal?: AbortSignal): Promise<TimelapseVerification> {
    const timelapse = this.ctx.ops.timelapses.getById(timelapseId);
    if (!timelapse) throw new NotFoundError('Timelapse not found', { timelapse_id: timelapseId });
    const progress = new ProgressReporter(this.ctx.events, 'verify', timelapse.image_count);
    const result = await this.verifyOne(timelapse, progress, signal);
    progress.finish();
    return result;
  }

  async verifyAll(signal?: AbortSignal): Promise<SystemVerification> {
    const { total_images } = this.ctx.ops.images.getThumbnailCoverageStatistics();
    const progress = new ProgressReporter(this.ctx.events, 'verify', total_images);
    const rows: TimelapseVerification[] = [];
    for (let afterId = 0; ;) {
      const ids = this.ctx.ops.timelapses.listIdsAfter(afterId, TIMELAPSE_PAGE);
      if (ids.length === 0) break;
      afterId = ids[ids.length - 1]!;
      for (const id of ids) {
        const timelapse = this.ctx.ops.timelapses.getById(id);
        if (timelapse) rows.push(await this.verifyOne(timelapse, progress, signal));
      }
    }
    progress.finish();
    return { ...sumVerifications(rows), timelapses: rows };
  }

  private async verifyOne(
    timelapse: TimelapseRow,
    progress: ProgressReporter,
    signal: AbortSignal | undefined,
  ): Promise<TimelapseVerification> {
    const problems = new ProblemLog();
    const before = {
      thumbnail_count: timelapse.thumbnail_count,
      small_count: timelapse.small_count,
    };
    const folders = timelapseFolders(this.ctx.tree, timelapse.camera_id, timelapse.id, (p) =>
      problems.add(p.path, p.error),
    );
    const tally: Tally = {
      total: 0,
      valid: { thumbnail: 0, small: 0 },
      cleared: { thumbnail: 0, small: 0 },
      missingOriginals: 0,
      adopted: 0,
      reported: 0,
    };
    await reconcileTimelapse(
      this.ctx,
      folders,
      {
        checkRecorded: true,
        progressUnit: 'rows',
        onPage: (findings) => this.settlePage(findings, tally),
      },
      problems,
      progress,
      signal,
    );
    await reconcileFrames(
      this.ctx,
      timelapse.camera_id,
      timelapse.id,
      {
        onMissing: (rows) => void (tally.missingOriginals += rows.length),
        onUnrecorded: (files) => this.adoptAll(files, tally, problems),
      },
      problems,
      signal,
    );
    const after =
      writeTransaction(this.ctx.db, () =>
        this.ctx.ops.images.rewriteTimelapseCounts(timelapse.id),
      ) ?? before;
    return {
      timelapse_id: timelapse.id,
      ...verificationCounts(tally, before, after),
      errors: problems.list,
      error_count: problems.count,
    };
  }

  private async adoptAll(
    files: readonly UnrecordedFrame[],
    tally: Tally,
    problems: ProblemLog,
  ): Promise<void> {
    for (const file of files) {
      const outcome = this.adoptFrame
        ? await this.adoptFrame(file)
        : { kind: 'reported' as const, reason: 'no_adoption', message: 'not adopted here' };
      if (outcome.kind === 'adopted') tally.adopted++;
      else if (outcome.kind === 'reported') {
        tally.reported++;
        problems.add(file.relativePath, `frame without a row, not adopted: ${outcome.reason}`);
      }
    }
  }

  /** Counts a page and clears the recorded paths whose file is gone (only over the value seen). */
  private settlePage(findings: PageFindings, tally: Tally): void {
    tally.total += findings.rows;
    tally.valid.thumbnail += findings.valid.thumbnail;
    tally.valid.small += findings.valid.small;
    if (findings.missing.length === 0) return;
    writeTransaction(this.ctx.db, () => {
      for (const { imageId, kind, path } of findings.missing) {
        if (this.ctx.ops.images.swapVariantPath(kind, imageId, path, null, null))
          tally.cleared[kind]++;
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
    counts_updated:
      before.thumbnail_count !== after.thumbnail_count || before.small_count !== after.small_count,
    paths_cleared: { thumbnails: tally.cleared.thumbnail, smalls: tally.cleared.small },
    // Smalls may be missing by design (small_generation_mode); a small that vanished is worth a repair.
    suggest_repair: missingThumbnails > 0 || tally.cleared.small > 0,
    missing_originals: tally.missingOriginals,
    orphaned_frames_adopted: tally.adopted,
    orphaned_frames_reported: tally.reported,
  };
}

function sumVerifications(rows: readonly TimelapseVerification[]): VerificationCounts {
  const sum = (pick: (row: TimelapseVerification) => number) =>
    rows.reduce((total, row) => total + pick(row), 0);
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
    paths_cleared: {
      thumbnails: sum((r) => r.paths_cleared.thumbnails),
      smalls: sum((r) => r.paths_cleared.smalls),
    },
    suggest_repair: rows.some((r) => r.suggest_repair),
    missing_originals: sum((r) => r.missing_originals),
    orphaned_frames_adopted: sum((r) => r.orphaned_frames_adopted),
    orphaned_frames_reported: sum((r) => r.orphaned_frames_reported),
    errors: errors.slice(0, MAX_LISTED_PROBLEMS),
    error_count: sum((r) => r.error_count),
  };
}
