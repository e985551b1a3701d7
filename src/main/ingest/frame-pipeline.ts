import { rm } from 'node:fs/promises';
import type { CoreContext } from '../context';
import type { CameraRow, ImageRow, TimelapseRow } from '../database/types';
import { safeDelete } from '../files/file-operations';
import { isDiskFullError } from '../errors';
import { clockOf, formatFileName, type FrameKey } from '../files/names';
import { dayNumber } from './day-number';
import { StagedFile } from '../files/staged-file';
import { checkFrame, type AcceptedFrame } from './frame-check';
import { announceFrame, recordFrame } from './frame-record';
import { findHeldFrame, isHeldFrameConflict } from './held-frames';
import { cameraSource, logRefusal, type Refusal } from './rejection-log';
import type { FrameOrigin, IngestDependencies } from './types';

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
  /** A watch folder's file: recorded with the row, so it is never taken twice. */
  origin?: FrameOrigin;
}

export type IngestOutcome =
  | { kind: 'stored'; image: ImageRow; flagged: boolean; converted_from: string | null }
  | { kind: 'rejected'; reason: Refusal['reason']; message: string }
  | { kind: 'duplicate'; image_id: number };

/** Enough same-second names for any clock trouble; past this something is badly wrong. */
const MAX_NAME_ATTEMPTS = 1000;
const NOT_STORED = 'The frame was not stored';

/** Thrown by the store step when the camera's unique content hash says another writer stored these bytes. */
class HeldByAnotherWriter extends Error {}

/**
 * One frame's way in, for every source and for import: check (flag, convert
 * PNG/WebP to JPEG) → duplicate test by content → atomic write under the
 * spec's name (never over another frame) → image row and thumbnail job in one
 * transaction → frame_captured. A refused frame is logged on its camera and
 * reported as frame_rejected; nothing of it is written.
 */
export class FramePipeline {
  constructor(
    private readonly ctx: CoreContext,
    private readonly deps: IngestDependencies,
  ) {}

  async ingest(input: FrameInput): Promise<IngestOutcome> {
    const { camera, bytes, capturedAt } = input;
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
    announceFrame(this.ctx, image);
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

  /**
   * Writes the frame under the first free name of its second, then commits its
   * row and job. A full disk (ENOSPC, SQLITE_FULL) pauses writers through the
   * guard and answers a DiskFullError; nothing of the frame stays behind.
   */
  private async store(input: FrameInput, frame: AcceptedFrame): Promise<ImageRow> {
    const { camera, timelapse, capturedAt } = input;
    this.ctx.disk.assertWritable(NOT_STORED);
    const day = dayNumber(timelapse.started_at, capturedAt);
    const clock = clockOf(new Date(capturedAt));
    const key: FrameKey = { timelapseId: timelapse.id, day, clock, seq: 0 };
    // The temp file is named after the frame's second and dated with its capture time: adoption reads both.
    const staged = await this.diskFullAware(() =>
      StagedFile.write(this.ctx.tree.tempDirectory, formatFileName('frame', key), frame.jpeg, {
        mtime: capturedAt,
      }),
    );
    key.seq = firstFreeSeq(this.ctx.ops.images.maxSeqForKey(timelapse.id, day, clock));
    try {
      for (let attempt = 0; attempt < MAX_NAME_ATTEMPTS; attempt++, key.seq = nextSeq(key.seq)) {
        const relative = this.ctx.tree.filePath(camera.id, timelapse.id, 'frame', key);
        const absolute = this.ctx.tree.resolve(relative);
        if (!(await this.diskFullAware(() => staged.publish(absolute)))) continue;
        const image = await this.diskFullAware(() =>
          this.insertRow(input, frame, key, relative, absolute),
        );
        if (image) return image;
      }
    } finally {
      await staged.discard();
    }
    throw new Error(`no free frame name for timelapse ${timelapse.id} day ${day} ${clock}`);
  }

  /** Runs a write; a failure for want of space pauses writers and becomes a DiskFullError (507). */
  private async diskFullAware<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (!isDiskFullError(error)) throw error;
      this.ctx.disk.reportFull(error);
      throw this.ctx.disk.error(NOT_STORED);
    }
  }

  /** The row and job for a published file; undefined when another writer took the name's row first. */
  private async insertRow(
    { camera, timelapse, capturedAt, origin }: FrameInput,
    frame: AcceptedFrame,
    key: FrameKey,
    relative: string,
    absolute: string,
  ): Promise<ImageRow | undefined> {
    try {
      return recordFrame(this.ctx, this.deps.afterCapture, {
        camera,
        timelapse,
        key,
        filePath: relative,
        capturedAt,
        frame,
        origin,
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
}

/** The spec's same-second sequence: 0 for the first frame, then 2, 3, … */
export function firstFreeSeq(maxUsed: number | null): number {
  return maxUsed === null ? 0 : Math.max(2, maxUsed + 1);
}

export function nextSeq(seq: number): number {
  return seq === 0 ? 2 : seq + 1;
}
