import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CoreContext } from '../context';
import type { ImageRow, TimelapseRow } from '../database/types';
import { isDiskFullError } from '../errors';
import { isProcessAlive } from '../files/file-operations';
import { clockOf, formatFileName, tryParseFileName, type FrameKey } from '../files/names';
import { dayNumber } from './day-number';
import { announceFrame, recordFrame } from './frame-record';
import { isHeldFrameConflict } from './held-frames';
import type { IngestDependencies } from './types';

/** A frame file under its final name in a timelapse's frames/ folder. */
export interface OrphanFrame {
  cameraId: number;
  key: FrameKey;
  relativePath: string;
  absolutePath: string;
}

export type AdoptionOutcome =
  | { kind: 'adopted'; image: ImageRow }
  /** A row has this name by now (written meanwhile): nothing to adopt. */
  | { kind: 'recorded'; image_id: number }
  | { kind: 'reported'; reason: string; message: string };

/** What start-up adoption did with the temp files of processes that died mid-write. */
export interface InterruptedWrites {
  adopted: number;
  reported: { path: string; reason: string }[];
  /** Temp files to keep for a later start (adoption failed for a reason that may pass, e.g. a full disk). */
  keep: Set<string>;
}

/** The temp name StagedFile gives a frame: `{pid}.{random}.{frame name}.tmp`. */
const FRAME_TEMP = /^(\d+)\.[0-9a-f]+\.(timelapse-.+\.jpg)\.tmp$/;

/**
 * Frame files that have no row, adopted: the row and its thumbnail job are
 * created in one transaction from what the file says (its name gives the
 * session, day, second and sequence; its modification time, set to the
 * capture time when it was written, the exact capture time), after the same
 * corruption check as capture. A file that cannot be adopted is reported and
 * left where it is. At start-up the temp files of dead processes point at the
 * frames whose row a kill prevented (see StagedFile); verify finds the rest.
 */
export class FrameAdopter {
  constructor(
    private readonly ctx: CoreContext,
    private readonly deps: IngestDependencies,
  ) {}

  async adopt(file: OrphanFrame): Promise<AdoptionOutcome> {
    const { ops } = this.ctx;
    const { key } = file;
    // A live writer's temp file of this second: its row is being committed now (it discards the temp after).
    if (await this.beingWritten(key))
      return report('being_written', 'a frame of this second is being stored; verify again later');
    const timelapse = ops.timelapses.getById(key.timelapseId);
    const camera = timelapse && ops.cameras.getById(timelapse.camera_id);
    if (!timelapse || !camera || camera.id !== file.cameraId) {
      return report('no_timelapse', 'the frame belongs to no timelapse of this camera');
    }
    const existing = ops.images.findByKey(key.timelapseId, key.day, key.clock, key.seq);
    if (existing) return { kind: 'recorded', image_id: existing.id };
    let bytes: Buffer;
    let mtimeMs: number;
    try {
      [bytes, { mtimeMs }] = await Promise.all([
        readFile(file.absolutePath),
        stat(file.absolutePath),
      ]);
    } catch (error) {
      return report('unreadable', (error as Error).message);
    }
    const verdict = await this.deps.validateFrame(bytes);
    if (!verdict.ok) return report(verdict.reason, verdict.message);
    if (verdict.format !== 'jpeg')
      return report('unsupported_format', `not a JPEG (${verdict.format})`);
    // The camera's pictures are unique by content: one it holds already is reported, not stored twice.
    const contentHash = Buffer.from(verdict.contentHash, 'hex');
    const held = ops.images.findByContentHash(camera.id, contentHash);
    if (held) return report('duplicate', `the same picture as frame ${held.id}`);
    const capturedAt = captureTimeFromName(timelapse, key, mtimeMs);
    try {
      const image = recordFrame(this.ctx, this.deps.afterCapture, {
        camera,
        timelapse,
        key,
        filePath: file.relativePath,
        capturedAt,
        frame: {
          jpeg: bytes,
          width: verdict.width,
          height: verdict.height,
          flag: verdict.flag,
          contentHash,
        },
      });
      announceFrame(this.ctx, image);
      return { kind: 'adopted', image };
    } catch (error) {
      if (isHeldFrameConflict(error))
        return report('duplicate', 'another writer stored the same picture');
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        const row = ops.images.findByKey(key.timelapseId, key.day, key.clock, key.seq);
        if (row) return { kind: 'recorded', image_id: row.id };
        return report('duplicate', (error as Error).message);
      }
      if (isDiskFullError(error)) this.ctx.disk.reportFull(error);
      throw error;
    }
  }

  /**
   * Start-up: a temp frame file of a dead process with a second link was
   * published under its final name, but the kill came before its row
   * committed. Its twin (same inode) in the session's frames/ folder is adopted.
   */
  async adoptInterruptedWrites(): Promise<InterruptedWrites> {
    const result: InterruptedWrites = { adopted: 0, reported: [], keep: new Set() };
    const temp = this.ctx.tree.tempDirectory;
    for (const name of await readdir(temp).catch(() => [] as string[])) {
      const match = FRAME_TEMP.exec(name);
      const key = match && tryParseFileName(match[2]!);
      if (!match || !key || key.kind !== 'frame' || isProcessAlive(Number(match[1]))) continue;
      const path = join(temp, name);
      try {
        const twin = await this.findTwin(path, key);
        if (!twin) continue;
        const outcome = await this.adopt(twin);
        if (outcome.kind === 'adopted') result.adopted++;
        else if (outcome.kind === 'reported') {
          result.reported.push({ path: twin.relativePath, reason: outcome.reason });
          if (outcome.reason === 'being_written') result.keep.add(name);
        }
      } catch (error) {
        result.keep.add(name);
        this.ctx.log.warn(
          { err: error, component: 'ingest', temp: name },
          'could not adopt the frame behind a temp file',
        );
      }
    }
    return result;
  }

  private async beingWritten(key: FrameKey): Promise<boolean> {
    for (const name of await readdir(this.ctx.tree.tempDirectory).catch(() => [] as string[])) {
      const match = FRAME_TEMP.exec(name);
      const temp = match && tryParseFileName(match[2]!);
      if (
        temp &&
        temp.timelapseId === key.timelapseId &&
        temp.day === key.day &&
        temp.clock === key.clock &&
        isProcessAlive(Number(match[1]))
      )
        return true;
    }
    return false;
  }

  /** The published name of a temp frame file: the file of its second with the same inode. */
  private async findTwin(tempPath: string, key: FrameKey): Promise<OrphanFrame | null> {
    const temp = await stat(tempPath).catch(() => null);
    const timelapse = this.ctx.ops.timelapses.getById(key.timelapseId);
    if (!temp || temp.nlink < 2 || !timelapse) return null;
    const folder = this.ctx.tree.kindDir(timelapse.camera_id, timelapse.id, 'frame');
    const prefix = formatFileName('frame', { ...key, seq: 0 }).replace(/\.jpg$/, '');
    const names = await readdir(this.ctx.tree.resolve(folder)).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.startsWith(prefix))) {
      const parsed = tryParseFileName(name);
      const relativePath = join(folder, name);
      const absolutePath = this.ctx.tree.resolve(relativePath);
      const info = await stat(absolutePath).catch(() => null);
      if (parsed?.kind === 'frame' && info?.ino === temp.ino && info.dev === temp.dev)
        return { cameraId: timelapse.camera_id, key: parsed, relativePath, absolutePath };
    }
    return null;
  }
}

/**
 * The capture time a frame file carries: its modification time (the pipeline
 * dates every frame with its capture time) when that falls in the second its
 * name says; else that second itself, from the name.
 */
export function captureTimeFromName(
  timelapse: Pick<TimelapseRow, 'started_at'>,
  key: FrameKey,
  mtimeMs: number,
): number {
  const mtime = Math.round(mtimeMs);
  if (dayNumber(timelapse.started_at, mtime) === key.day && clockOf(new Date(mtime)) === key.clock)
    return mtime;
  const date = new Date(timelapse.started_at);
  date.setDate(date.getDate() + key.day - 1);
  date.setHours(
    Number(key.clock.slice(0, 2)),
    Number(key.clock.slice(2, 4)),
    Number(key.clock.slice(4, 6)),
    0,
  );
  return date.getTime();
}

function report(reason: string, message: string): AdoptionOutcome {
  return { kind: 'reported', reason, message };
}
