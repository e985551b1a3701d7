import type {
  CleanupOptions,
  CleanupResult,
  DeleteAllOptions,
  DeleteAllResult,
  GenerateThumbnailsResult,
  MissingOriginalsResult,
  RegenerateOptions,
  RegenerationStatus,
  RepairOptions,
  RepairResult,
  StorageBreakdown,
  SystemVerification,
  ThumbnailStatistics,
  TimelapseThumbnailStats,
  TimelapseVerification,
} from '../../shared/contract';
import type { CoreContext } from '../context';
import type { Logger } from '../logging/logger';
import { ConflictError } from '../errors';
import { isLeaseOwnerDead, makeLeaseOwner } from '../system/lease-owner';
import { removeMissingOriginals } from './missing-originals';
import { cleanupOrphanedFiles } from './orphan-cleanup';
import { LibraryCensus } from './library-census';
import { OrphanedFileRepairService } from './orphaned-file-repair-service';
import {
  DEFAULT_THROUGHPUT_PER_SECOND,
  RegenerationTracker,
  type RegenerationTrackerOptions,
  type SessionOwnership,
} from './regeneration-tracker';
import { storageBreakdown, thumbnailStatistics, timelapseThumbnailStats } from './statistics';
import { deleteAllVariants } from './variant-purge';
import { Verifier, type AdoptFrame } from './verification';

export interface ThumbnailServiceOptions extends RegenerationTrackerOptions {
  /** Statistics start a fresh census (orphans, disk use) in the background when the last is older than this. */
  orphanScanMaxAgeMs?: number;
  /** Who this process is as a regeneration session's owner (default: a lease owner of its own). */
  ownership?: SessionOwnership;
  /** Verify's adoption of frame files without a row (without it they are only reported). */
  adoptFrame?: AdoptFrame;
}

export interface Cancellable {
  signal?: AbortSignal;
}

type ExclusiveOperation = 'verify' | 'repair' | 'cleanup' | 'delete_all' | 'missing_originals';

/**
 * The spec's ThumbnailService maintenance methods, each answering the spec's
 * JSON shape for IPC, HTTP and the CLI. Verify, repair, cleanup and delete-all
 * run one at a time per process (a second is a ConflictError, 409); each takes
 * an AbortSignal and reports `maintenance_progress`.
 */
export class ThumbnailService {
  readonly repairService: OrphanedFileRepairService;
  private readonly verifier: Verifier;
  private readonly regeneration: RegenerationTracker;
  private readonly census: LibraryCensus;
  private readonly unsubscribe: () => void;
  private readonly now: () => number;
  private running: ExclusiveOperation | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly log: Logger;

  constructor(
    private readonly ctx: CoreContext,
    private readonly options: ThumbnailServiceOptions = {},
  ) {
    this.log = ctx.log.child({ component: 'maintenance' });
    this.now = options.now ?? Date.now;
    this.repairService = new OrphanedFileRepairService(ctx);
    this.verifier = new Verifier(ctx, options.adoptFrame);
    this.regeneration = new RegenerationTracker(ctx, options.ownership ?? ownLeaseOwner(), options);
    this.census = new LibraryCensus(
      ctx,
      this.repairService,
      options.orphanScanMaxAgeMs ?? 3_600_000,
      this.now,
      this.log,
    );
    // A finished regeneration changed the thumbnails on disk: measure them again.
    this.unsubscribe = ctx.events.on('regeneration_progress', (event) => {
      if (event.status !== 'running') this.census.changed();
    });
  }

  // ---- statistics

  getThumbnailStatistics(): Promise<ThumbnailStatistics> {
    return thumbnailStatistics(this.ctx, this.census, this.now());
  }

  getTimelapseThumbnailStats(timelapseId: number): TimelapseThumbnailStats {
    return timelapseThumbnailStats(this.ctx, timelapseId);
  }

  /** Disk use per timelapse folder, from the last census. */
  getStorageBreakdown(): StorageBreakdown {
    return storageBreakdown(this.ctx, this.census);
  }

  /** Scans the tree now (orphans, disk use) and answers the statistics with its figures. */
  async scanLibrary(): Promise<ThumbnailStatistics> {
    await this.census.refresh();
    return this.getThumbnailStatistics();
  }

  // ---- regeneration

  /**
   * "Everything" (force_regenerate, the default) starts at once; "Missing only"
   * first verifies the files, so images whose thumbnail or small was deleted
   * from disk count as missing too, then starts.
   */
  async startThumbnailRegeneration(options: RegenerateOptions = {}): Promise<RegenerationStatus> {
    await this.verifyBeforeMissingOnly(options);
    return this.regeneration.start(options);
  }

  getThumbnailRegenerationStatus(): RegenerationStatus {
    return this.regeneration.status();
  }

  cancelThumbnailRegeneration(): RegenerationStatus {
    return this.regeneration.cancel();
  }

  /**
   * The timelapse modal's "Generate Thumbnails": a regeneration session for one
   * timelapse (force by default), answered once its first jobs are queued.
   * jobs_queued counts the session's images; estimated_completion is when the
   * queue ahead of them and they should be done at the measured throughput.
   */
  async generateForTimelapse(
    timelapseId: number,
    options: Pick<RegenerateOptions, 'force_regenerate' | 'include_smalls'> = {},
  ): Promise<GenerateThumbnailsResult> {
    await this.verifyBeforeMissingOnly({ ...options, timelapse_id: timelapseId });
    const session = await this.regeneration.startAndQueue({
      ...options,
      timelapse_id: timelapseId,
    });
    const queue = this.ctx.ops.jobs.queueCounts(this.now());
    const ahead = queue.pending + queue.retry + queue.processing + (session.total - session.queued);
    const measured = this.options.throughput?.() ?? null;
    const perSecond = measured !== null && measured > 0 ? measured : DEFAULT_THROUGHPUT_PER_SECOND;
    return {
      jobs_queued: session.total,
      estimated_completion: new Date(this.now() + (ahead / perSecond) * 1000).toISOString(),
      session_id: session.id,
    };
  }

  private async verifyBeforeMissingOnly(options: RegenerateOptions): Promise<void> {
    if (options.force_regenerate !== false) return;
    this.regeneration.assertIdle();
    if (options.timelapse_id == null) await this.verifyAllThumbnails();
    else await this.verifyTimelapseThumbnails(options.timelapse_id);
  }

  // ---- verify, repair, cleanup, delete-all

  verifyAllThumbnails({ signal }: Cancellable = {}): Promise<SystemVerification> {
    return this.exclusive('verify', () => this.verifier.verifyAll(signal), true);
  }

  verifyTimelapseThumbnails(
    timelapseId: number,
    { signal }: Cancellable = {},
  ): Promise<TimelapseVerification> {
    return this.exclusive('verify', () => this.verifier.verifyTimelapse(timelapseId, signal), true);
  }

  repairOrphanedThumbnails({
    dry_run = false,
    force = false,
    signal,
  }: RepairOptions & Cancellable = {}): Promise<RepairResult> {
    return this.exclusive(
      'repair',
      () => this.repairService.repairOrphanedFiles({ dry_run, force }, signal),
      !dry_run,
    );
  }

  cleanupOrphanedThumbnails({
    dry_run = false,
    force = false,
    signal,
  }: CleanupOptions & Cancellable = {}): Promise<CleanupResult> {
    return this.exclusive(
      'cleanup',
      () => cleanupOrphanedFiles(this.ctx, { dry_run, force }, signal),
      !dry_run,
    );
  }

  /** Image records whose frame file is gone: listed (dry run) or removed with their variants. */
  removeMissingOriginals({
    dry_run = false,
    force = false,
    signal,
  }: CleanupOptions & Cancellable = {}): Promise<MissingOriginalsResult> {
    return this.exclusive(
      'missing_originals',
      () => removeMissingOriginals(this.ctx, { dry_run, force }, signal),
      !dry_run,
    );
  }

  deleteAllThumbnails({
    confirm = false,
    signal,
  }: DeleteAllOptions & Cancellable = {}): Promise<DeleteAllResult> {
    return this.exclusive('delete_all', () => deleteAllVariants(this.ctx, confirm, signal), true);
  }

  // ---- lifecycle

  /** Checks the regeneration session every `intervalMs` (resume after restart, completion, progress). */
  start(intervalMs = 2000): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), intervalMs);
    this.timer.unref();
  }

  tick(): void {
    try {
      this.regeneration.tick();
    } catch (error) {
      this.log.warn({ err: error }, 'thumbnail maintenance tick failed');
    }
  }

  /** Stops the timer and background work; call before the database closes. */
  async close(): Promise<void> {
    this.unsubscribe();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.all([this.regeneration.close(), this.census.close()]);
  }

  /** Resolves once this process queues no more regeneration jobs. */
  whenQueued(): Promise<void> {
    return this.regeneration.idle();
  }

  /** Runs one maintenance operation at a time; one that may change the tree (or the paths) is followed by a new census. */
  private async exclusive<T>(
    operation: ExclusiveOperation,
    run: () => Promise<T>,
    changesTree = false,
  ): Promise<T> {
    if (this.running) {
      throw new ConflictError(
        `A thumbnail ${this.running.replaceAll('_', '-')} is already running`,
        {
          operation: this.running,
        },
      );
    }
    this.running = operation;
    try {
      return await run();
    } finally {
      this.running = null;
      if (changesTree) this.census.changed();
    }
  }
}

function ownLeaseOwner(): SessionOwnership {
  const owner = makeLeaseOwner();
  return { owner, isDead: (other) => isLeaseOwnerDead(other, owner) };
}
