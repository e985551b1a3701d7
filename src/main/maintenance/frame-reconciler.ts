import { join } from 'node:path';
import type { CoreContext } from '../context';
import type { ImageRow } from '../database/types';
import { formatFileName, tryParseFileName, type FrameKey } from '../files/names';
import { OperationCancelledError } from './errors';
import { fileSizeOrNull, readFileNameBatches } from './file-scanner';
import { KeyIndex, packKey, unpackKey } from './key-index';
import { checkpoint, mapConcurrent } from './pacing';
import type { ProblemLog } from './problem-log';

const NAME_BATCH = 2000;
const ROW_PAGE = 2000;
const STAT_CONCURRENCY = 16;

/** A frame file in a timelapse's frames/ folder that no row names (a kill between file and row). */
export interface UnrecordedFrame {
  cameraId: number;
  key: FrameKey;
  relativePath: string;
  absolutePath: string;
}

export interface FrameHandlers {
  /** Rows whose frame file is gone ("missing originals"), a page at a time. */
  onMissing?(rows: ImageRow[]): void | Promise<void>;
  /** Frame files no row names, in batches. */
  onUnrecorded?(files: UnrecordedFrame[]): void | Promise<void>;
  /** Rows looked at, a page at a time (progress). */
  onRows?(count: number): void;
}

/**
 * Compares a timelapse's frames/ folder with its image rows, the way the
 * variant folders are compared: the folder is listed once into a KeyIndex and
 * the rows are matched page by page; only a row the listing does not show
 * costs a stat (which also protects a frame written after the listing). A
 * folder that cannot be listed is reported, and then no file counts as
 * unrecorded and only stats decide what is missing.
 */
export async function reconcileFrames(
  ctx: CoreContext,
  cameraId: number,
  timelapseId: number,
  handlers: FrameHandlers,
  problems: ProblemLog,
  signal: AbortSignal | undefined,
): Promise<{ rows: number; files: number }> {
  const folder = ctx.tree.kindDir(cameraId, timelapseId, 'frame');
  const index = await listFrames(ctx, folder, timelapseId, problems, signal);
  let rows = 0;
  for (let afterId = 0; ;) {
    const page = ctx.ops.images.listByTimelapse(timelapseId, afterId, ROW_PAGE);
    if (page.length === 0) break;
    afterId = page[page.length - 1]!.id;
    rows += page.length;
    const unlisted = page.filter((row) => {
      const key = packKey(row.day_number, row.clock, row.seq);
      const position = index && key !== null ? index.find(key) : -1;
      if (position >= 0) index!.claim(position);
      const standard = join(folder, formatFileName('frame', keyOf(row)));
      return position < 0 || row.file_path !== standard;
    });
    const missing = await mapConcurrent(unlisted, STAT_CONCURRENCY, async (row) => {
      try {
        return (await fileSizeOrNull(ctx.tree.resolve(row.file_path))) === null;
      } catch (error) {
        problems.add(row.file_path, error);
        return false;
      }
    });
    const gone = unlisted.filter((_, i) => missing[i]);
    if (gone.length > 0) await handlers.onMissing?.(gone);
    handlers.onRows?.(page.length);
    await checkpoint(signal, 'verify');
  }
  if (index && handlers.onUnrecorded) {
    const absoluteFolder = ctx.tree.resolve(folder);
    let batch: UnrecordedFrame[] = [];
    for (const packed of index.unclaimed()) {
      const key = unpackKey(timelapseId, packed);
      const name = formatFileName('frame', key);
      batch.push({
        cameraId,
        key,
        relativePath: join(folder, name),
        absolutePath: join(absoluteFolder, name),
      });
      if (batch.length >= NAME_BATCH) {
        await handlers.onUnrecorded(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await handlers.onUnrecorded(batch);
  }
  return { rows, files: index?.size ?? 0 };
}

/** The frame names of a frames/ folder as keys; null (reported) when it cannot be listed. */
async function listFrames(
  ctx: CoreContext,
  folder: string,
  timelapseId: number,
  problems: ProblemLog,
  signal: AbortSignal | undefined,
): Promise<KeyIndex | null> {
  const index = new KeyIndex();
  try {
    for await (const names of readFileNameBatches(ctx.tree.resolve(folder), NAME_BATCH)) {
      for (const name of names) {
        const parsed = tryParseFileName(name);
        const key =
          parsed?.kind === 'frame' && parsed.timelapseId === timelapseId
            ? packKey(parsed.day, parsed.clock, parsed.seq)
            : null;
        if (key !== null) index.add(key);
      }
      await checkpoint(signal, 'verify');
    }
  } catch (error) {
    if (error instanceof OperationCancelledError) throw error;
    problems.add(folder, error);
    return null;
  }
  index.seal();
  return index;
}

function keyOf(row: ImageRow): FrameKey {
  return { timelapseId: row.timelapse_id, day: row.day_number, clock: row.clock, seq: row.seq };
}
