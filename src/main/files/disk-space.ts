import { statfs } from 'node:fs/promises';
import type { StorageState, StorageStatus } from '../../shared/contract';
import { describeDiskPause } from '../../shared/reports';
import { DiskFullError } from '../errors';

const MB = 1024 * 1024;

/**
 * Room needed above the minimum before a pause ends: a few frames, their
 * variants and the database's journal, so capture does not stop again at once.
 */
export const RESUME_MARGIN_BYTES = 8 * MB;
/** Less free than this is a full disk whatever the minimum says (not one frame fits). */
export const FULL_BYTES = 1 * MB;

export interface DiskSpaceGuardOptions {
  /** The min_free_space_mb setting, in bytes, read at every check. */
  minFreeBytes: () => number;
  /** Called on every change of state (the core turns it into storage_changed). */
  onChange?: (status: StorageStatus) => void;
  /** Time between checks while all is well. */
  intervalMs?: number;
  /** Time between checks while paused: a pause ends soon after space is freed. */
  pausedIntervalMs?: number;
  /** Where a free space that cannot be measured is said (the core's logger). */
  log?: { warn(details: object, message: string): void };
}

/**
 * The free-space guard over the data root. It measures with statfs (on a
 * timer, faster while paused) and pauses writers *before* the disk is full
 * (below min_free_space_mb: state low); a write that failed for want of space,
 * or less than a megabyte free, pauses them at once (state full). Capture and the thumbnail worker consult
 * `paused`, ingest calls assertWritable; the pause ends by itself once a check
 * finds the minimum plus a margin free.
 */
export class DiskSpaceGuard {
  private state: StorageState = 'ok';
  private free: number | null = null;
  private total: number | null = null;
  private checkedAt: number | null = null;
  private pausedSince: number | null = null;
  private lastError: string | null = null;
  private checking: Promise<StorageStatus> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly root: string,
    private readonly options: DiskSpaceGuardOptions,
  ) {}

  /** Consulted before each write; a changed min_free_space_mb counts at once (against the last measure). */
  get paused(): boolean {
    if (this.state !== 'full') this.settle(this.minFree());
    return this.state !== 'ok';
  }

  status(): StorageStatus {
    const minFree = this.minFree();
    if (this.state !== 'full') this.settle(minFree);
    return {
      state: this.state,
      paused: this.state !== 'ok',
      free_bytes: this.free,
      total_bytes: this.total,
      min_free_bytes: minFree,
      resume_at_bytes: minFree + RESUME_MARGIN_BYTES,
      paused_since: this.pausedSince === null ? null : new Date(this.pausedSince).toISOString(),
      checked_at: this.checkedAt === null ? null : new Date(this.checkedAt).toISOString(),
      last_error: this.lastError,
    };
  }

  /** Measures now and moves between ok, low and full; concurrent calls share one statfs. */
  check(): Promise<StorageStatus> {
    this.checking ??= this.measure().finally(() => (this.checking = null));
    return this.checking;
  }

  /** A write failed for want of space: pause at once, until a check finds room again. */
  reportFull(error: unknown): void {
    if (error instanceof DiskFullError) return; // our own refusal: the guard already knows
    this.lastError = error instanceof Error ? error.message : String(error);
    this.moveTo('full');
  }

  /** Throws a DiskFullError (507) while paused; `what` says what did not happen ("The frame was not stored"). */
  assertWritable(what: string): void {
    if (this.paused) throw this.error(what);
  }

  /** The DiskFullError for a refused or failed write, in the banner's words. */
  error(what: string, details: Record<string, unknown> = {}): DiskFullError {
    const status = this.status();
    return new DiskFullError(
      `${what}: ${describeDiskPause(status) ?? "the library's disk is full"}`,
      {
        ...details,
        storage_state: status.state,
        free_bytes: status.free_bytes,
        min_free_bytes: status.min_free_bytes,
      },
    );
  }

  /** Checks on a timer until stop(). */
  start(): void {
    if (this.running) return;
    this.running = true;
    void this.check();
    this.schedule();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
  }

  private async measure(): Promise<StorageStatus> {
    try {
      const info = await statfs(this.root);
      this.free = Number(info.bavail) * Number(info.bsize);
      this.total = Number(info.blocks) * Number(info.bsize);
      this.checkedAt = Date.now();
    } catch (error) {
      // A file system without statfs: only failed writes pause.
      if (this.checkedAt === null)
        this.options.log?.warn({ err: error, root: this.root }, 'free space cannot be measured');
      return this.status();
    }
    this.settle(this.minFree());
    return this.status();
  }

  /** Below the minimum: low; nearly nothing free: full; a pause ends once the minimum and the margin are free. */
  private settle(minFree: number): void {
    if (this.free === null) return;
    if (this.state !== 'full' && this.free < FULL_BYTES) this.moveTo('full');
    else if (this.state === 'ok') {
      if (this.free < minFree) this.moveTo('low');
    } else if (this.free >= minFree + RESUME_MARGIN_BYTES) {
      this.moveTo('ok');
    }
  }

  private moveTo(state: StorageState): void {
    if (state === this.state) return;
    const wasPaused = this.state !== 'ok';
    this.state = state;
    if (state === 'ok') {
      this.pausedSince = null;
      this.lastError = null;
    } else if (!wasPaused) {
      this.pausedSince = Date.now();
    }
    if (this.running) this.schedule();
    this.options.onChange?.(this.status());
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (!this.running) return;
    const interval =
      this.state !== 'ok'
        ? (this.options.pausedIntervalMs ?? 2_000)
        : (this.options.intervalMs ?? 10_000);
    this.timer = setTimeout(() => {
      void this.check().finally(() => this.schedule());
    }, interval);
    this.timer.unref();
  }

  private minFree(): number {
    return Math.max(0, this.options.minFreeBytes());
  }
}
