import { rm } from 'node:fs/promises';
import type { CoreContext } from '../context';
import type { Logger } from '../logging/logger';
import type { CameraRow, ImageRow, TimelapseRow } from '../database/types';
import { safeDelete } from '../files/file-operations';
import { clockOf, type FrameKey } from '../files/names';
import { dayNumber } from './day-number';
import { StagedFile } from '../files/staged-file';
import { checkFrame, type AcceptedFrame } from './frame-check';
import { findHeldFrame, isHeldFrameConflict } from './held-frames';
import { cameraSource, logRefusal, type Refusal } from './rejection-log';
import type { IngestDependencies } from './types';

export interface FrameInput {
  camera: CameraRow;
  timelapse: TimelapseRow;
  bytes: Buffer;
  capturedAt: number;
  /** For the rejection log: the file name (default: the camera's URL). */
  source?: string;
  /**
   * Import: a frame the camera already holds is expected (the folder was
   * imported before) and skipped quietly. From a camera, the same picture
   * twice is a refusal the log shows (the camera froze?).
   */
  expectDuplicates?: boolean;
}

export type IngestOutcome =
  | { kind: 'stored'; image: ImageRow; flagged: boolean; converted_from: string | null }
  | { kind: 'rejected'; reason: Refusal['reason']; message: string }
  | { kind: 'duplicate'; image_id: number };

/** Enough same-second names for any clock trouble; past this something is badly wrong. */
const MAX_NAME_ATTEMPTS = 1000;

/** Thrown by the store step when the camera's unique content hash says another writer stored these bytes. */
class HeldByAnotherWriter extends Error {}

/**
 * One frame's way in, for every source and for import: check (flag, convert
 * PNG/WebP to JPEG) → duplicate test by content → atomic write under the
 * spec's name (never over another frame) → image row → the queue's capture
 * hook → frame_captured. A refused frame is logged on its camera and reported
 * as frame_rejected; nothing of it is written.
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
    const source = input.source ?? cameraSource(camera);
    const checked = await checkFrame(this.deps, this.ctx.settings.getAll(), bytes);
    if (checked.kind === 'refused')
      return this.reject(camera, { ...checked, source, byteSize: bytes.length });
    const held = await findHeldFrame(
      this.ctx,
      camera.id,
      checked.contentHash,
      capturedAt,
      checked.jpeg.length,
    );
    if (held) return this.duplicate(input, source, held);
    let image: ImageRow;
    try {
      image = await this.store(input, checked);
    } catch (error) {
      if (!(error instanceof HeldByAnotherWriter)) throw error;
      const winner = this.ctx.ops.images.findByContentHash(camera.id, checked.contentHash);
      if (!winner) throw error;
      return this.duplicate(input, source, winner);
    }
    this.recordCapture(camera.id, capturedAt);
    this.queueThumbnails(image, camera);
    this.ctx.events.emit({
      type: 'frame_captured',
      camera_id: camera.id,
      timelapse_id: timelapse.id,
      image_id: image.id,
      captured_at: new Date(capturedAt).toISOString(),
    });
    return {
      kind: 'stored',
      image,
      flagged: checked.flag !== null,
      converted_from: checked.convertedFrom,
    };
  }

  private reject(camera: CameraRow, refusal: Refusal): IngestOutcome {
    logRefusal(this.ctx, camera, refusal);
    return { kind: 'rejected', reason: refusal.reason, message: refusal.message };
  }

  private duplicate(input: FrameInput, source: string, held: ImageRow): IngestOutcome {
    if (!input.expectDuplicates) {
      this.reject(input.camera, {
        source,
        reason: 'duplicate',
        message: `The same picture as frame ${held.id} (captured ${new Date(held.captured_at).toISOString()}): the camera sent it again`,
        byteSize: input.bytes.length,
      });
    }
    return { kind: 'duplicate', image_id: held.id };
  }

  /** Writes the frame under the first free name of its second, then inserts its row. */
  private async store(input: FrameInput, frame: AcceptedFrame): Promise<ImageRow> {
    const { camera, timelapse, capturedAt } = input;
    const day = dayNumber(timelapse.started_at, capturedAt);
    const clock = clockOf(new Date(capturedAt));
    const key: FrameKey = { timelapseId: timelapse.id, day, clock, seq: 0 };
    key.seq = firstFreeSeq(this.ctx.ops.images.maxSeqForKey(timelapse.id, day, clock));
    const staged = await StagedFile.write(
      this.ctx.tree.tempDirectory,
      `frame-${timelapse.id}.jpg`,
      frame.jpeg,
    );
    try {
      for (let attempt = 0; attempt < MAX_NAME_ATTEMPTS; attempt++, key.seq = nextSeq(key.seq)) {
        const relative = this.ctx.tree.filePath(camera.id, timelapse.id, 'frame', key);
        const absolute = this.ctx.tree.resolve(relative);
        if (!(await staged.publish(absolute))) continue;
        const image = await this.insertRow(input, frame, key, relative, absolute);
        if (image) return image;
      }
    } finally {
      await staged.discard();
    }
    throw new Error(`no free frame name for timelapse ${timelapse.id} day ${day} ${clock}`);
  }

  /** The row for a published file; undefined when another writer took the name's row first. */
  private async insertRow(
    { camera, timelapse, capturedAt }: FrameInput,
    frame: AcceptedFrame,
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
        file_size: frame.jpeg.length,
        width: frame.width,
        height: frame.height,
        flag_reason: frame.flag?.reason ?? null,
        content_hash: frame.contentHash,
      });
    } catch (error) {
      // No row may point at nothing and no file of ours may lack a row.
      await safeDelete(absolute);
      if (isHeldFrameConflict(error)) throw new HeldByAnotherWriter();
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

  /** last_capture_at only moves forward (an import of older frames leaves it); a stored frame ends a run of refusals. */
  private recordCapture(cameraId: number, capturedAt: number): void {
    this.ctx.ops.cameras.clearRejectionsSinceFrame(cameraId);
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
