import { rm } from 'node:fs/promises';
import type { CoreContext } from '../context';
import type { Logger } from '../logging/logger';
import type { CameraRow, ImageRow, TimelapseRow } from '../database/types';
import { safeDelete } from '../files/file-operations';
import { clockOf, type FrameKey } from '../files/names';
import { dayNumber } from './day-number';
import { StagedFile } from '../files/staged-file';
import type { FrameVerdict, IngestDependencies } from './types';

export interface FrameInput {
  camera: CameraRow;
  timelapse: TimelapseRow;
  bytes: Buffer;
  capturedAt: number;
  /** Import: skip a frame the timelapse already holds (same capture time and size). */
  skipDuplicates?: boolean;
}

export type IngestOutcome =
  | { kind: 'stored'; image: ImageRow }
  | { kind: 'rejected'; reason: string; message: string }
  | { kind: 'duplicate'; image_id: number };

/** Enough same-second names for any clock trouble; past this something is badly wrong. */
const MAX_NAME_ATTEMPTS = 1000;

/**
 * One frame's way in, for every source and for import: corruption check →
 * atomic write under the spec's name (never over another frame) → image row →
 * the queue's capture hook → frame_captured. A refused frame is counted on its
 * camera and reported as frame_rejected; nothing of it is written.
 */
export class FramePipeline {
  private readonly log: Logger;

  constructor(
    private readonly ctx: CoreContext,
    private readonly deps: IngestDependencies,
  ) {
    this.log = ctx.log.child({ component: 'ingest' });
  }

  async ingest(input: FrameInput): Promise<IngestOutcome> {
    const { camera, timelapse, bytes, capturedAt } = input;
    if (input.skipDuplicates) {
      const existing = this.ctx.ops.images.findSameFrame(timelapse.id, capturedAt, bytes.length);
      if (existing !== undefined) return { kind: 'duplicate', image_id: existing };
    }
    const verdict = await this.deps.validateFrame(bytes);
    if (!verdict.ok) return this.reject(camera, verdict.reason, verdict.message);
    if (verdict.format !== 'jpeg') {
      return this.reject(
        camera,
        'unsupported_format',
        `frames are stored as JPEG; got ${verdict.format}`,
      );
    }
    const image = await this.store(input, verdict);
    this.recordCapture(camera.id, capturedAt);
    this.queueThumbnails(image, camera);
    this.ctx.events.emit({
      type: 'frame_captured',
      camera_id: camera.id,
      timelapse_id: timelapse.id,
      image_id: image.id,
      captured_at: new Date(capturedAt).toISOString(),
    });
    return { kind: 'stored', image };
  }

  private reject(camera: CameraRow, reason: string, message: string): IngestOutcome {
    this.ctx.ops.cameras.recordError(camera.id, `frame rejected (${reason}): ${message}`, true);
    const rejectedTotal = this.ctx.ops.cameras.getById(camera.id)?.rejected_frames ?? 0;
    this.ctx.events.emit({
      type: 'frame_rejected',
      camera_id: camera.id,
      reason,
      rejected_total: rejectedTotal,
    });
    return { kind: 'rejected', reason, message };
  }

  /** Writes the frame under the first free name of its second, then inserts its row. */
  private async store(
    input: FrameInput,
    verdict: Extract<FrameVerdict, { ok: true }>,
  ): Promise<ImageRow> {
    const { camera, timelapse, bytes, capturedAt } = input;
    const day = dayNumber(timelapse.started_at, capturedAt);
    const clock = clockOf(new Date(capturedAt));
    const key: FrameKey = { timelapseId: timelapse.id, day, clock, seq: 0 };
    key.seq = firstFreeSeq(this.ctx.ops.images.maxSeqForKey(timelapse.id, day, clock));
    const staged = await StagedFile.write(
      this.ctx.tree.tempDirectory,
      `frame-${timelapse.id}.jpg`,
      bytes,
    );
    try {
      for (let attempt = 0; attempt < MAX_NAME_ATTEMPTS; attempt++, key.seq = nextSeq(key.seq)) {
        const relative = this.ctx.tree.filePath(camera.id, timelapse.id, 'frame', key);
        const absolute = this.ctx.tree.resolve(relative);
        if (!(await staged.publish(absolute))) continue;
        const image = await this.insertRow(input, verdict, key, relative, absolute);
        if (image) return image;
      }
    } finally {
      await staged.discard();
    }
    throw new Error(`no free frame name for timelapse ${timelapse.id} day ${day} ${clock}`);
  }

  /** The row for a published file; undefined when another writer took the name's row first. */
  private async insertRow(
    { camera, timelapse, bytes, capturedAt }: FrameInput,
    verdict: Extract<FrameVerdict, { ok: true }>,
    key: FrameKey,
    relative: string,
    absolute: string,
  ): Promise<ImageRow | undefined> {
    try {
      return this.ctx.ops.images.insert({
        timelapse_id: timelapse.id,
        camera_id: camera.id,
        file_path: relative,
        captured_at: capturedAt,
        day_number: key.day,
        clock: key.clock,
        seq: key.seq,
        file_size: bytes.length,
        width: verdict.width,
        height: verdict.height,
      });
    } catch (error) {
      // No row may point at nothing and no file of ours may lack a row.
      await safeDelete(absolute);
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') return undefined;
      await this.removeFolderOfDeleted(camera.id, timelapse.id);
      throw error;
    }
  }

  /**
   * The camera or timelapse was deleted while this frame was on its way (its
   * folder may have been recreated by our write): finish the cascade.
   */
  private async removeFolderOfDeleted(cameraId: number, timelapseId: number): Promise<void> {
    const { ops, tree } = this.ctx;
    const folder = !ops.cameras.getById(cameraId)
      ? tree.cameraDir(cameraId)
      : !ops.timelapses.getById(timelapseId)
        ? tree.timelapseDir(cameraId, timelapseId)
        : null;
    if (folder) await rm(tree.resolve(folder), { recursive: true, force: true });
  }

  /** last_capture_at only moves forward (an import of older frames leaves it). */
  private recordCapture(cameraId: number, capturedAt: number): void {
    const current = this.ctx.ops.cameras.getById(cameraId);
    if (current && (current.last_capture_at ?? 0) <= capturedAt)
      this.ctx.ops.cameras.recordCapture(cameraId, capturedAt);
  }

  private queueThumbnails(image: ImageRow, camera: CameraRow): void {
    try {
      this.deps.afterCapture(image, camera);
    } catch (error) {
      this.log.warn({ err: error, image_id: image.id, camera_id: camera.id }, 'the capture hook failed');
    }
  }
}

/** The spec's same-second sequence: 0 for the first frame, then 2, 3, … */
export function firstFreeSeq(maxUsed: number | null): number {
  return maxUsed === null ? 0 : Math.max(2, maxUsed + 1);
}

export function nextSeq(seq: number): number {
  return seq === 0 ? 2 : seq + 1;
}
