import type { Logger } from '../logging/logger';
import type { OrphanedFileRepairService, OrphanScanReport } from './orphaned-file-repair-service';
import { OperationCancelledError } from './errors';

/**
 * The orphan counts statistics show: the last full scan's, cached, because
 * statistics must answer in milliseconds and a scan of a million files takes
 * seconds. A stale or missing figure starts one scan in the background; an
 * operation that changes the tree invalidates it.
 */
export class OrphanCensus {
  private last: OrphanScanReport | null = null;
  private invalidatedAt = 0;
  private scan: { promise: Promise<OrphanScanReport>; controller: AbortController } | null = null;

  constructor(
    private readonly repair: OrphanedFileRepairService,
    private readonly maxAgeMs: number,
    private readonly now: () => number,
    private readonly log: Logger,
  ) {}

  /** The figures in hand now; starts a background scan when they are missing or stale. */
  current(): { report: OrphanScanReport | null; scanning: boolean } {
    const stale = !this.last || this.now() - this.last.started_at > this.maxAgeMs;
    if (stale && !this.scan) {
      this.refresh().catch((error: unknown) => {
        // Closing the core cancels the scan: that is no failure worth a log line.
        if (!(error instanceof OperationCancelledError)) {
          this.log.warn({ err: error }, 'the orphan scan for statistics failed');
        }
      });
    }
    return { report: this.last, scanning: this.scan !== null };
  }

  /** Scans now (joining a scan already running) and answers its figures. */
  refresh(): Promise<OrphanScanReport> {
    if (this.scan) return this.scan.promise;
    const controller = new AbortController();
    const promise = this.repair.scanOrphanedFiles(controller.signal).then((report) => {
      if (report.started_at >= this.invalidatedAt) this.last = report;
      return report;
    });
    this.scan = { controller, promise: promise.finally(() => (this.scan = null)) };
    return this.scan.promise;
  }

  /** The tree changed: figures from scans started before now are no longer shown. */
  invalidate(): void {
    this.invalidatedAt = this.now();
    this.last = null;
  }

  async close(): Promise<void> {
    const scan = this.scan;
    if (!scan) return;
    scan.controller.abort();
    await scan.promise.catch(() => undefined);
  }
}
