import type { CoreContext } from '../context';
import type { Logger } from '../logging/logger';
import { writeTransaction } from '../database/connection';
import type { TimelapseRow } from '../database/types';
import { ConflictError, NotFoundError } from '../errors';
import type { LibraryService } from './library-service';

export interface TimelapseHooks {
  /**
   * Runs after a timelapse completes: the queue's small retention, which
   * applies purge_smalls_on_completion. A failure is logged; the completion stands.
   */
  onTimelapseCompleted?: (timelapseId: number) => Promise<unknown>;
}

/**
 * Timelapse sessions: start (one active per camera, which the database's
 * partial unique index enforces across processes), stop, complete, delete.
 * Capture writes into a camera's active timelapse only.
 */
export class TimelapseService {
  private readonly log: Logger;

  constructor(
    private readonly ctx: CoreContext,
    private readonly library: LibraryService,
    private readonly hooks: TimelapseHooks = {},
  ) {
    this.log = ctx.log.child({ component: 'catalogue' });
  }

  list(cameraId?: number): TimelapseRow[] {
    return cameraId === undefined
      ? this.ctx.ops.timelapses.list()
      : this.ctx.ops.timelapses.listForCamera(cameraId);
  }

  get(timelapseId: number): TimelapseRow {
    const timelapse = this.ctx.ops.timelapses.getById(timelapseId);
    if (!timelapse) throw new NotFoundError('Timelapse not found', { timelapse_id: timelapseId });
    return timelapse;
  }

  /** Starts a new active session; 409 when the camera already has one. */
  start(cameraId: number, name?: string, startedAt = Date.now()): TimelapseRow {
    return this.create(cameraId, name, startedAt, 'active');
  }

  /**
   * Creates a session in the given state (import creates stopped ones when the
   * camera is already recording).
   */
  create(
    cameraId: number,
    name: string | undefined,
    startedAt: number,
    status: 'active' | 'stopped',
  ): TimelapseRow {
    const camera = this.ctx.ops.cameras.getById(cameraId);
    if (!camera) throw new NotFoundError('Camera not found', { camera_id: cameraId });
    const title = name?.trim() || `${camera.name} ${localDateTime(startedAt)}`;
    let timelapse: TimelapseRow;
    try {
      timelapse = writeTransaction(this.ctx.db, () =>
        this.ctx.ops.timelapses.create(cameraId, title, startedAt, status),
      );
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw error;
      const active = this.ctx.ops.timelapses.getActiveForCamera(cameraId);
      throw new ConflictError(
        'The camera already has an active timelapse; stop or complete it first',
        {
          camera_id: cameraId,
          active_timelapse_id: active?.id ?? null,
        },
      );
    }
    this.ctx.tree.ensureTimelapseDirs(cameraId, timelapse.id);
    this.changed(timelapse);
    return timelapse;
  }

  /** Pauses capture into the session for good; a new one can then be started. */
  stop(timelapseId: number): TimelapseRow {
    const timelapse = this.get(timelapseId);
    if (timelapse.status === 'stopped') return timelapse;
    if (timelapse.status === 'completed') {
      throw new ConflictError('A completed timelapse cannot be stopped', {
        timelapse_id: timelapseId,
      });
    }
    const stopped = this.ctx.ops.timelapses.setStatus(timelapseId, 'stopped')!;
    this.changed(stopped);
    return stopped;
  }

  async complete(timelapseId: number): Promise<TimelapseRow> {
    const timelapse = this.get(timelapseId);
    if (timelapse.status === 'completed') return timelapse;
    const completed = this.ctx.ops.timelapses.setStatus(timelapseId, 'completed', Date.now())!;
    this.changed(completed);
    try {
      await this.hooks.onTimelapseCompleted?.(timelapseId);
    } catch (error) {
      this.log.warn(
        { err: error, timelapse_id: timelapseId },
        'the hook after completing a timelapse failed',
      );
    }
    return completed;
  }

  async delete(timelapseId: number): Promise<void> {
    const timelapse = this.get(timelapseId);
    await this.library.deleteTimelapse(timelapseId);
    this.changed(timelapse);
  }

  private changed(timelapse: TimelapseRow): void {
    this.ctx.events.emit({
      type: 'timelapse_changed',
      timelapse_id: timelapse.id,
      camera_id: timelapse.camera_id,
    });
  }
}

/** "2025-01-31 14:05" in local time, for default session names. */
function localDateTime(time: number): string {
  const d = new Date(time);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
