import { rm } from 'node:fs/promises';
import type { CoreContext } from '../context';
import type { CameraRow, ImageRow, TimelapseRow } from '../database/types';
import { safeDelete } from '../files/file-operations';
import { isDiskFullError } from '../errors';
import { clockOf, formatFileName, type FrameKey } from '../files/names';
import { dayNumber } from './day-number';
import { StagedFile } from '../files/staged-file';
import { announceFrame, recordFrame } from './frame-record';
import type { FrameOrigin, FrameVerdict, IngestDependencies } from './types';

export interface FrameInput {
  camera: CameraRow;
  timelapse: TimelapseRow;
  bytes: Buffer;
  capturedAt: number;
  /** Import: skip a frame the timelapse already holds (same capture time and size). */
  skipDuplicates?: boolean;
  /** A watch folder's file: recorded with the row, so it is never taken twice. */
  origin?: FrameOrigin;
}

export type IngestOutcome =
  | { kind: 'stored'; image: ImageRow }
  | { kind: 'rejected'; reason: string; message: string }
  | { kind: 'duplicate'; image_id: number };

/** Enough same-second names for any clock trouble; past this something is badly wrong. */
const MAX_NAME_ATTEMPTS = 1000;
const NOT_STORED = 'The frame was not stored';

/**
 * One frame's way in, for every source and for import: corruption check →
 * atomic write under the spec's name (never over another frame) → image row
 * and thumbnail job in one transaction → frame_captured. A refused frame is counted on its
 * camera and reported as frame_rejected; nothing of it is written.
 */
export class FramePipeline {
  constructor(
    private readonly ctx: CoreContext,
    private readonly deps: IngestDependencies,
  ) {}

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
    announceFrame(this.ctx, image);
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

  /**
   * Writes the frame under the first free name of its second, then commits its
   * row and job. A full disk (ENOSPC, SQLITE_FULL) pauses writers through the
   * guard and answers a DiskFullError; nothing of the frame stays behind.
   */
  private async store(
    input: FrameInput,
    verdict: Extract<FrameVerdict, { ok: true }>,
  ): Promise<ImageRow> {
    const { timelapse, bytes, capturedAt } = input;
    this.ctx.disk.assertWritable(NOT_STORED);
    const day = dayNumber(timelapse.started_at, capturedAt);
    const clock = clockOf(new Date(capturedAt));
    const key: FrameKey = { timelapseId: timelapse.id, day, clock, seq: 0 };
    // The temp file is named after the frame's second and dated with its capture time: adoption reads both.
    const staged = await this.diskFullAware(() =>
      StagedFile.write(this.ctx.tree.tempDirectory, formatFileName('frame', key), bytes, {
        mtime: capturedAt,
      }),
    );
    key.seq = firstFreeSeq(this.ctx.ops.images.maxSeqForKey(timelapse.id, day, clock));
    try {
      for (let attempt = 0; attempt < MAX_NAME_ATTEMPTS; attempt++, key.seq = nextSeq(key.seq)) {
        const relative = this.ctx.tree.filePath(input.camera.id, timelapse.id, 'frame', key);
        const absolute = this.ctx.tree.resolve(relative);
        if (!(await this.diskFullAware(() => staged.publish(absolute)))) continue;
        const image = await this.diskFullAware(() =>
          this.insertRow(input, verdict, key, relative, absolute),
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
    { camera, timelapse, bytes, capturedAt, origin }: FrameInput,
    verdict: Extract<FrameVerdict, { ok: true }>,
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
        fileSize: bytes.length,
        verdict,
        origin,
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
}

/** The spec's same-second sequence: 0 for the first frame, then 2, 3, … */
export function firstFreeSeq(maxUsed: number | null): number {
  return maxUsed === null ? 0 : Math.max(2, maxUsed + 1);
}

export function nextSeq(seq: number): number {
  return seq === 0 ? 2 : seq + 1;
}
