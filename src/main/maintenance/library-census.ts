import type { StorageKind } from '../../shared/contract';
import type { CoreContext } from '../context';
import { writeTransaction } from '../database/connection';
import type { Logger } from '../logging/logger';
import { OperationCancelledError } from './errors';
import type { OrphanedFileRepairService } from './orphaned-file-repair-service';
import { ProblemLog } from './problem-log';
import { ProgressReporter } from './progress';
import { measureTree, MEASURED_KINDS, noBytes, type TimelapseUsage } from './storage-scanner';

/** One full scan of the tree: its orphans and what each folder holds, as stored. */
export interface CensusReport {
  /** Epoch ms. */
  started_at: number;
  finished_at: number;
  orphaned_thumbnail_files: number;
  orphaned_small_files: number;
  unparseable_count: number;
  /** Bytes per kind over the whole tree. */
  bytes: Record<StorageKind, number>;
  timelapses: TimelapseUsage[];
  /** Folders or files the scan could not read (left out of the figures). */
  problem_count: number;
}

export interface CensusState {
  report: CensusReport | null;
  scanning: boolean;
  /** The tree changed since the report's scan started; a new scan is on its way. */
  stale: boolean;
}

/**
 * The figures statistics show from the tree itself: orphan counts and disk use
 * per folder. A scan of a million files takes seconds and statistics must
 * answer in milliseconds, so the last scan's report is kept in the database
 * with its time: every process (the app, `serve`, a one-shot CLI) shows the
 * same figures, also after a restart. A maintenance action that changes the
 * tree marks the report stale and starts a new scan; statistics start one
 * when the report is missing, stale or older than `maxAgeMs`.
 */
export class LibraryCensus {
  private cached: { finishedAt: number; report: CensusReport } | null = null;
  private scan: {
    startedAt: number;
    promise: Promise<CensusReport>;
    controller: AbortController;
  } | null = null;
  private next: Promise<CensusReport> | null = null;
  private closed = false;

  constructor(
    private readonly ctx: CoreContext,
    private readonly repair: OrphanedFileRepairService,
    private readonly maxAgeMs: number,
    private readonly now: () => number,
    private readonly log: Logger,
  ) {}

  /** The stored report (read again only when another scan stored a newer one); starts a scan when due. */
  current(): CensusState {
    const head = this.ctx.ops.census.head();
    const report = head.finished_at === null ? null : this.load(head.finished_at);
    const stale =
      report !== null && head.changed_at !== null && head.changed_at > report.started_at;
    const due = report === null || stale || this.now() - report.started_at > this.maxAgeMs;
    if (due && !this.scan) this.background();
    return { report, scanning: this.scan !== null, stale };
  }

  /** Scans now and answers the report: joins a scan that started after the last change, else runs a new one. */
  refresh(): Promise<CensusReport> {
    const running = this.scan;
    if (!running) return this.start();
    const changedAt = this.ctx.ops.census.head().changed_at ?? -Infinity;
    if (running.startedAt > changedAt) return running.promise;
    // A scan from before the change is running: a new one follows it.
    this.next ??= running.promise
      .catch(() => undefined)
      .then(() => {
        this.next = null;
        return this.refresh();
      });
    return this.next;
  }

  /** A maintenance action changed the tree: every process sees the report as stale; a new scan starts. */
  changed(): void {
    writeTransaction(this.ctx.db, () => this.ctx.ops.census.markChanged(this.now()));
    if (!this.closed) this.background();
  }

  async close(): Promise<void> {
    this.closed = true;
    const scan = this.scan;
    if (!scan) return;
    scan.controller.abort();
    await Promise.allSettled([scan.promise, this.next]);
  }

  private background(): void {
    this.refresh().catch((error: unknown) => {
      // Closing the core cancels the scan: that is no failure worth a log line.
      if (!(error instanceof OperationCancelledError)) {
        this.log.warn({ err: error }, 'the library census for statistics failed');
      }
    });
  }

  private start(): Promise<CensusReport> {
    if (this.closed) return Promise.reject(new OperationCancelledError('statistics'));
    const controller = new AbortController();
    const startedAt = this.now();
    const promise = this.take(startedAt, controller.signal)
      .finally(() => {
        if (this.scan?.controller === controller) this.scan = null;
      })
      .then((report) => {
        // Announced once this scan is over, so a listener reads figures that are no longer "scanning".
        this.ctx.events.emit({
          type: 'census_updated',
          scanned_at: new Date(report.started_at).toISOString(),
        });
        return report;
      });
    this.scan = { startedAt, promise, controller };
    return promise;
  }

  private async take(startedAt: number, signal: AbortSignal): Promise<CensusReport> {
    const orphans = await this.repair.scanOrphanedFiles(signal);
    const problems = new ProblemLog();
    const progress = new ProgressReporter(this.ctx.events, 'statistics', null);
    const timelapses = await measureTree(
      this.ctx.tree,
      problems,
      (n) => progress.advance(n),
      signal,
    );
    progress.finish();
    const bytes = noBytes();
    for (const usage of timelapses)
      for (const kind of MEASURED_KINDS) bytes[kind] += usage.bytes[kind];
    const report: CensusReport = {
      started_at: startedAt,
      finished_at: this.now(),
      orphaned_thumbnail_files: orphans.orphaned_thumbnail_files,
      orphaned_small_files: orphans.orphaned_small_files,
      unparseable_count: orphans.unparseable_count,
      bytes,
      timelapses,
      problem_count: problems.count,
    };
    const kept = writeTransaction(this.ctx.db, () =>
      this.ctx.ops.census.put(report.started_at, report.finished_at, JSON.stringify(report)),
    );
    if (kept) this.cached = { finishedAt: report.finished_at, report };
    return report;
  }

  private load(finishedAt: number): CensusReport | null {
    if (this.cached?.finishedAt === finishedAt) return this.cached.report;
    const text = this.ctx.ops.census.report();
    if (text === null) return null;
    this.cached = { finishedAt, report: JSON.parse(text) as CensusReport };
    return this.cached.report;
  }
}
