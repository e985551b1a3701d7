import type { CameraCaptureStatus } from '../../shared/contract';
import type { CoreContext } from '../context';
import type { Logger } from '../logging/logger';
import type { CameraRow } from '../database/types';
import type { BackoffOptions } from './backoff';
import { CameraRunner, type CaptureTick } from './camera-runner';
import { sourceFactory, type SourceFactory } from './sources';
import type { FrameSink } from './types';

export interface CaptureWorkerOptions {
  /** Where grabbed frames go (the ingest pipeline). */
  ingest: FrameSink;
  /** Defaults to the real sources (demo, http, rtsp, folder). */
  createSource?: SourceFactory;
  backoff?: BackoffOptions;
  /** Called as each scheduled capture fires (the capture bench measures jitter with it). */
  onTick?: (tick: CaptureTick) => void;
}

/** Spread the first captures of many cameras over up to a second instead of one burst. */
function firstDelayMs(camera: CameraRow): number {
  return (((camera.id * 211) % 1000) / 1000) * Math.min(camera.capture_interval_s * 1000, 1000);
}

/** What a running camera must be restarted for. */
function sourceKey(camera: CameraRow): string {
  return JSON.stringify([
    camera.source_type,
    camera.source_url,
    camera.source_options,
    camera.capture_interval_s,
  ]);
}

/**
 * The spec's CaptureWorker: one runner per enabled camera, following
 * camera_changed (added, edited, enabled, disabled, deleted) and
 * timelapse_changed (a camera waiting for a session starts at once). Capture
 * never waits for thumbnail work: the queue hook only inserts a job row.
 */
export class CaptureWorker {
  private readonly runners = new Map<number, CameraRunner>();
  private readonly createSource: SourceFactory;
  private unsubscribe: (() => void)[] = [];
  private changes: Promise<void> = Promise.resolve();
  private running = false;
  private readonly log: Logger;

  constructor(
    private readonly ctx: CoreContext,
    private readonly options: CaptureWorkerOptions,
  ) {
    this.log = ctx.log.child({ component: 'capture' });
    this.createSource = options.createSource ?? sourceFactory(ctx.tree.root);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = [
      this.ctx.events.on('camera_changed', (event) => this.follow(event.camera_id, 'camera')),
      this.ctx.events.on('timelapse_changed', (event) => this.follow(event.camera_id, 'timelapse')),
    ];
    for (const camera of this.ctx.ops.cameras.list()) if (camera.enabled) this.launch(camera);
  }

  /** Stops every camera, waiting for frames being stored. */
  async stop(): Promise<void> {
    this.running = false;
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
    await this.changes;
    await Promise.all([...this.runners.values()].map((runner) => runner.stop()));
    this.runners.clear();
  }

  /** Every camera's capture state, for the wall's tiles. */
  status(): CameraCaptureStatus[] {
    return this.ctx.ops.cameras.list().map(
      (camera) =>
        this.runners.get(camera.id)?.status() ?? {
          camera_id: camera.id,
          state: 'disabled',
          consecutive_failures: 0,
          last_error: camera.last_error,
          next_attempt_at: null,
        },
    );
  }

  /** Resolves once every camera change seen so far has been applied. */
  settled(): Promise<void> {
    return this.changes;
  }

  private follow(cameraId: number, cause: 'camera' | 'timelapse'): void {
    this.changes = this.changes
      .then(() => this.reconcile(cameraId, cause))
      .catch((error: unknown) =>
        this.log.error(
          { err: error, camera_id: cameraId, cause },
          'applying a camera change failed',
        ),
      );
  }

  private async reconcile(cameraId: number, cause: 'camera' | 'timelapse'): Promise<void> {
    if (!this.running) return;
    const camera = this.ctx.ops.cameras.getById(cameraId);
    const runner = this.runners.get(cameraId);
    const wanted = camera?.enabled === 1;
    if (runner) {
      const stale =
        !wanted ||
        sourceKey(runner.camera) !== sourceKey(camera!) ||
        (cause === 'timelapse' && runner.currentState === 'no_active_timelapse');
      if (!stale) return;
      this.runners.delete(cameraId);
      await runner.stop();
    }
    if (wanted && this.running && !this.runners.has(cameraId))
      this.launch(camera!, cause === 'timelapse' ? 0 : undefined);
  }

  private launch(camera: CameraRow, delayMs = firstDelayMs(camera)): void {
    const runner = new CameraRunner(camera, {
      ctx: this.ctx,
      ingest: this.options.ingest,
      createSource: this.createSource,
      backoff: this.options.backoff ?? {},
      onTick: this.options.onTick,
    });
    this.runners.set(camera.id, runner);
    runner.start(delayMs);
  }
}
