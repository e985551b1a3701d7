import { basename } from 'node:path';
import type { CameraCaptureStatus, CaptureState } from '../../shared/contract';
import type { CoreContext } from '../context';
import type { CameraRow, TimelapseRow } from '../database/types';
import { backoffDelayMs, type BackoffOptions } from './backoff';
import { nextGridPoint } from './schedule';
import type { SourceFactory } from './sources';
import type {
  FileDisposition,
  FrameSink,
  FrameSource,
  IncomingFile,
  PollingSource,
  WatchingSource,
} from './types';

/** When a capture point was due and when its timer actually fired (performance.now() ms). */
export interface CaptureTick {
  camera_id: number;
  due: number;
  fired: number;
  /** The previous grab was still running: no capture at this point. */
  skipped: boolean;
}

export interface RunnerParts {
  ctx: CoreContext;
  ingest: FrameSink;
  createSource: SourceFactory;
  backoff: BackoffOptions;
  onTick?: (tick: CaptureTick) => void;
}

/**
 * Capture for one enabled camera. A polling source runs on a fixed grid of
 * capture_interval_s points (monotonic clock, so a wall-clock step does not
 * shift it) that nothing downstream of the grab can delay.
 * A watching source takes files as they arrive. A failure is recorded on the
 * camera (its tile shows why), announced as capture_failed, and retried after
 * a growing backoff; the first success clears it.
 */
export class CameraRunner {
  private source: FrameSource | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly abort = new AbortController();
  private running = false;
  private work: Promise<unknown> = Promise.resolve();
  private state: CaptureState = 'waiting';
  private failures = 0;
  private lastError: string | null = null;
  private nextAttemptAt: number | null = null;
  private due = 0;
  private grabbing = false;

  constructor(
    readonly camera: CameraRow,
    private readonly parts: RunnerParts,
  ) {}

  start(firstDelayMs: number): void {
    this.running = true;
    this.begin(firstDelayMs);
  }

  /** Stops scheduling, aborts a grab in flight and waits for the frame being stored. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.abort.abort();
    await this.work.catch(() => undefined);
    if (this.source?.kind === 'watch') await this.source.stop();
    this.state = 'disabled';
    this.nextAttemptAt = null;
  }

  get currentState(): CaptureState {
    return this.state;
  }

  status(): CameraCaptureStatus {
    return {
      camera_id: this.camera.id,
      state: this.state,
      consecutive_failures: this.failures,
      last_error: this.lastError,
      next_attempt_at:
        this.nextAttemptAt === null ? null : new Date(this.nextAttemptAt).toISOString(),
    };
  }

  private begin(delayMs: number): void {
    try {
      this.source = this.parts.createSource(this.camera);
    } catch (error) {
      this.retryLater(this.fail(error));
      return;
    }
    if (this.source.kind === 'poll') this.scheduleAt(performance.now() + delayMs);
    else this.watch(this.source);
  }

  // ------------------------------------------------------------ polling

  /** Arms the timer for the capture point due at `due` (performance.now() ms). */
  private scheduleAt(due: number): void {
    clearTimeout(this.timer);
    const delay = Math.max(0, due - performance.now());
    this.due = due;
    this.nextAttemptAt = Date.now() + delay;
    this.timer = setTimeout(() => this.tick(), delay);
  }

  /**
   * A capture point: the grab starts and the next point is armed at once, so
   * neither a slow grab nor the frame's check and write (which share the
   * engine's pool with thumbnail work) shift the schedule. A point that comes
   * while the previous grab is still running is skipped.
   */
  private tick(): void {
    const skipped = this.grabbing;
    this.parts.onTick?.({
      camera_id: this.camera.id,
      due: this.due,
      fired: performance.now(),
      skipped,
    });
    if (!skipped) this.capture();
    this.scheduleAt(
      nextGridPoint(this.due, performance.now(), this.camera.capture_interval_s * 1000),
    );
  }

  /** Grabs a frame; frames are checked and stored one after another, in capture order. */
  private capture(): void {
    const target = this.target();
    if (!target) return;
    this.state = 'capturing';
    const grabbed = this.grab(this.source as PollingSource);
    this.work = this.work.then(async () => {
      const frame = await grabbed;
      try {
        if ('error' in frame) throw frame.error;
        await this.deliver(target.camera, target.timelapse, frame.bytes, frame.capturedAt);
        if (this.state === 'capturing') this.state = 'waiting';
      } catch (error) {
        if (this.running) this.scheduleAt(performance.now() + this.fail(error));
      }
    });
  }

  /** Never rejects (the result waits its turn in the work chain); clears `grabbing` when done. */
  private async grab(
    source: PollingSource,
  ): Promise<{ bytes: Buffer; capturedAt: number } | { error: unknown }> {
    this.grabbing = true;
    try {
      return { bytes: await source.grab(this.abort.signal), capturedAt: Date.now() };
    } catch (error) {
      return { error };
    } finally {
      this.grabbing = false;
    }
  }

  // ------------------------------------------------------------ watching

  private watch(source: WatchingSource): void {
    this.state = 'waiting';
    this.nextAttemptAt = null;
    this.work = source
      .start(
        (file) => this.onFile(file),
        (error) => this.watchFailed(source, error),
      )
      .then(() => {
        if (this.state === 'waiting') this.state = 'watching';
        this.failures = 0;
        this.lastError = null;
      })
      .catch((error: unknown) => this.watchFailed(source, error));
  }

  private async onFile(file: IncomingFile): Promise<FileDisposition> {
    const target = this.running ? this.target() : undefined;
    if (!target) return 'keep';
    this.state = 'capturing';
    const stored = await this.deliver(
      target.camera,
      target.timelapse,
      file.bytes,
      file.capturedAt,
      basename(file.path),
    );
    this.state = 'watching';
    return stored ? 'stored' : 'rejected';
  }

  /** One failure per source: it is stopped and a fresh one starts after the backoff. */
  private watchFailed(source: WatchingSource, error: unknown): void {
    if (!this.running || source !== this.source) return;
    this.source = undefined;
    const delay = this.fail(error);
    void source.stop().then(() => this.retryLater(delay));
  }

  // ------------------------------------------------------------ shared

  /** The camera as it is now and its active timelapse, or undefined (state says why). */
  private target(): { camera: CameraRow; timelapse: TimelapseRow } | undefined {
    const camera = this.parts.ctx.ops.cameras.getById(this.camera.id);
    const timelapse = camera && this.parts.ctx.ops.timelapses.getActiveForCamera(camera.id);
    if (!camera || !timelapse) {
      this.state = 'no_active_timelapse';
      return undefined;
    }
    return { camera, timelapse };
  }

  /** Runs the frame through the pipeline; true when it was stored. */
  private async deliver(
    camera: CameraRow,
    timelapse: TimelapseRow,
    bytes: Buffer,
    capturedAt: number,
    source?: string,
  ): Promise<boolean> {
    const outcome = await this.parts.ingest({ camera, timelapse, bytes, capturedAt, source });
    if (outcome.kind === 'stored') {
      this.failures = 0;
      this.lastError = null;
    } else if (outcome.kind === 'rejected') {
      this.lastError = `frame rejected (${outcome.reason}): ${outcome.message}`;
    }
    return outcome.kind === 'stored';
  }

  /** Records a failure; answers the backoff delay before the next attempt. */
  private fail(error: unknown): number {
    this.failures++;
    const delay = backoffDelayMs(
      this.failures,
      this.camera.capture_interval_s * 1000,
      this.parts.backoff,
    );
    const message = error instanceof Error ? error.message : String(error);
    this.state = 'backoff';
    this.lastError = message;
    this.nextAttemptAt = Date.now() + delay;
    this.parts.ctx.ops.cameras.recordError(this.camera.id, message);
    this.parts.ctx.events.emit({
      type: 'capture_failed',
      camera_id: this.camera.id,
      error: message,
      retry_in_seconds: delay / 1000,
    });
    return delay;
  }

  /** Starts over (a fresh source) after `delay`. */
  private retryLater(delay: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      if (this.running) this.begin(0);
    }, delay);
  }
}
