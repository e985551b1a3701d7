import type { CameraCaptureStatus, CaptureState } from '../../shared/capture-types';
import type { CoreContext } from '../context';
import type { CameraRow, TimelapseRow } from '../database/types';
import { backoffDelayMs, type BackoffOptions } from './backoff';
import type { FramePipeline } from './frame-pipeline';
import { nextGridPoint } from './schedule';
import type { SourceFactory } from './sources';
import type {
  FileDisposition,
  FrameSource,
  IncomingFile,
  PollingSource,
  WatchingSource,
} from './types';

/** When a scheduled capture was due and when its timer actually fired (performance.now() ms). */
export interface CaptureTick {
  camera_id: number;
  due: number;
  fired: number;
}

export interface RunnerParts {
  ctx: CoreContext;
  pipeline: FramePipeline;
  createSource: SourceFactory;
  backoff: BackoffOptions;
  onTick?: (tick: CaptureTick) => void;
}

/**
 * Capture for one enabled camera. A polling source runs on a fixed grid of
 * capture_interval_s (monotonic clock, so a wall-clock step does not shift it;
 * after a capture that overran, see nextGridPoint: a late point or a skip,
 * never a burst).
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

  /** Arms the timer for the capture due at `due` (performance.now() ms). */
  private scheduleAt(due: number): void {
    const delay = Math.max(0, due - performance.now());
    this.due = due;
    this.nextAttemptAt = Date.now() + delay;
    if (this.state !== 'backoff' && this.state !== 'no_active_timelapse') this.state = 'waiting';
    this.timer = setTimeout(() => this.tick(), delay);
  }

  private tick(): void {
    this.parts.onTick?.({ camera_id: this.camera.id, due: this.due, fired: performance.now() });
    this.work = this.captureOnce().then((nextDue) => {
      if (this.running) this.scheduleAt(nextDue);
    });
  }

  /** One capture; answers when the next attempt is due. */
  private async captureOnce(): Promise<number> {
    const target = this.target();
    if (!target) return this.nextGridPoint();
    this.state = 'capturing';
    try {
      const bytes = await (this.source as PollingSource).grab(this.abort.signal);
      await this.deliver(target.camera, target.timelapse, bytes, Date.now());
      return this.nextGridPoint();
    } catch (error) {
      if (!this.running) return 0;
      return performance.now() + this.fail(error);
    }
  }

  private nextGridPoint(): number {
    return nextGridPoint(this.due, performance.now(), this.camera.capture_interval_s * 1000);
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
    const stored = await this.deliver(target.camera, target.timelapse, file.bytes, file.capturedAt);
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
  ): Promise<boolean> {
    const outcome = await this.parts.pipeline.ingest({ camera, timelapse, bytes, capturedAt });
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
    this.parts.ctx.ops.cameras.recordError(this.camera.id, message, false);
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
