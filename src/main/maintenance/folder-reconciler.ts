import { join, sep } from 'node:path';
import type { CoreContext } from '../context';
import type { VariantStateRow } from '../database/operations/image-operations';
import { formatFileName, type FrameKey, type VariantKind } from '../files/names';
import {
  fileSizeOrNull,
  parseThumbnailFilename,
  readFileNameBatches,
  scanDirectoryForThumbnails,
  VARIANT_KINDS,
  type TimelapseFolders,
} from './file-scanner';
import { KeyIndex, packKey, unpackKey } from './key-index';
import { OperationCancelledError } from './errors';
import type { RepairableFile, VariantFile } from './variant-files';
import { checkpoint, mapConcurrent } from './pacing';
import type { ProblemLog } from './problem-log';
import type { ProgressReporter } from './progress';

const NAME_BATCH = 2000;
const ROW_PAGE = 2000;
const STAT_CONCURRENCY = 16;

/** What one page of a timelapse's rows says about its files. */
export interface PageFindings {
  rows: number;
  /** Recorded paths whose file exists. */
  valid: Record<VariantKind, number>;
  /** Recorded paths whose file is gone (only looked for with `checkRecorded`). */
  missing: { imageId: number; kind: VariantKind; path: string }[];
  /** Recorded paths that could not be checked (reported): neither valid nor missing. */
  unknown: number;
  /** Listed files whose image lacks that path (none, or a recorded file that is gone). */
  repairable: RepairableFile[];
  /** Listed files whose image records another file that exists. */
  conflicting: VariantFile[];
}

export interface ReconcileHandlers {
  /** Stat recorded paths the listing did not show (verify); otherwise they are skipped. */
  checkRecorded: boolean;
  /** Whether progress counts rows (verify) or files (the scans of the tree). */
  progressUnit: 'rows' | 'files';
  onPage?(findings: PageFindings): void | Promise<void>;
  /** Listed files whose name matches no row of the timelapse, in batches. */
  onUnclaimed?(files: VariantFile[]): void | Promise<void>;
  /** Files in the folders whose names our naming does not create there. */
  onUnparseable?(relativePath: string): void;
}

export interface FolderTally {
  /** Files whose names our naming creates, per kind. */
  files: Record<VariantKind, number>;
}

type Indexes = Record<VariantKind, KeyIndex | null>;

/**
 * Compares a timelapse's thumbnails/ and smalls/ with its image rows in bulk:
 * each folder is listed once into a KeyIndex, then the rows are read page by
 * page in capture order and matched by binary search. Only paths the listing
 * cannot settle cost a stat. A folder that cannot be listed is reported and
 * treated as unlisted (its rows' paths are then checked one by one, or skipped).
 */
export async function reconcileTimelapse(
  ctx: CoreContext,
  target: TimelapseFolders,
  handlers: ReconcileHandlers,
  problems: ProblemLog,
  progress: ProgressReporter,
  signal: AbortSignal | undefined,
): Promise<FolderTally> {
  const indexes: Indexes = { thumbnail: null, small: null };
  for (const kind of VARIANT_KINDS) indexes[kind] = await listFolder(target, kind, handlers, problems, progress, signal);
  const prefixes = { thumbnail: folderPrefix(ctx, target, 'thumbnail'), small: folderPrefix(ctx, target, 'small') };
  const relativePrefixes = { thumbnail: prefixes.thumbnail.relative, small: prefixes.small.relative };
  for (let cursor = { captured_at: Number.MIN_SAFE_INTEGER, id: 0 }; ; ) {
    const page = ctx.ops.images.pageVariantStates(target.timelapseId, relativePrefixes, cursor, ROW_PAGE);
    if (page.length === 0) break;
    cursor = page[page.length - 1]!;
    const findings = await matchPage(ctx, target.timelapseId, prefixes, indexes, page, handlers.checkRecorded, problems);
    await handlers.onPage?.(findings);
    if (handlers.progressUnit === 'rows') progress.advance(page.length);
    await checkpoint(signal, progress.operation);
  }
  for (const kind of VARIANT_KINDS) await reportUnclaimed(target, kind, indexes[kind], handlers, signal, progress);
  return { files: { thumbnail: indexes.thumbnail?.size ?? 0, small: indexes.small?.size ?? 0 } };
}

/**
 * Reconciles every timelapse folder found on disk (also folders of timelapses
 * the database no longer has: all their files are unclaimed). Answers the
 * number of files whose names our naming creates, per kind.
 */
export async function reconcileTree(
  ctx: CoreContext,
  handlers: ReconcileHandlers,
  problems: ProblemLog,
  progress: ProgressReporter,
  signal: AbortSignal | undefined,
): Promise<FolderTally> {
  const total: FolderTally = { files: { thumbnail: 0, small: 0 } };
  for await (const item of scanDirectoryForThumbnails(ctx.tree)) {
    if (item.type === 'problem') {
      problems.add(item.problem.path, item.problem.error);
      continue;
    }
    const tally = await reconcileTimelapse(ctx, item.timelapse, handlers, problems, progress, signal);
    total.files.thumbnail += tally.files.thumbnail;
    total.files.small += tally.files.small;
  }
  return total;
}

async function listFolder(
  target: TimelapseFolders,
  kind: VariantKind,
  handlers: ReconcileHandlers,
  problems: ProblemLog,
  progress: ProgressReporter,
  signal: AbortSignal | undefined,
): Promise<KeyIndex | null> {
  const folder = target.folders[kind];
  if (!folder) return null;
  const index = new KeyIndex();
  try {
    for await (const names of readFileNameBatches(folder.absolutePath, NAME_BATCH)) {
      for (const fileName of names) {
        const name = parseThumbnailFilename(fileName);
        const key = name && name.kind === kind && name.timelapseId === target.timelapseId ? packKey(name.day, name.clock, name.seq) : null;
        if (key === null) handlers.onUnparseable?.(join(folder.relativePath, fileName));
        else index.add(key);
      }
      if (handlers.progressUnit === 'files') progress.advance(names.length);
      await checkpoint(signal, progress.operation);
    }
  } catch (error) {
    if (error instanceof OperationCancelledError) throw error;
    problems.add(folder.relativePath, error);
    return null;
  }
  index.seal();
  return index;
}

async function matchPage(
  ctx: CoreContext,
  timelapseId: number,
  prefixes: Prefixes,
  indexes: Indexes,
  page: readonly VariantStateRow[],
  checkRecorded: boolean,
  problems: ProblemLog,
): Promise<PageFindings> {
  const findings: PageFindings = { rows: page.length, valid: { thumbnail: 0, small: 0 }, missing: [], unknown: 0, repairable: [], conflicting: [] };
  const toCheck: { imageId: number; kind: VariantKind; recorded: string; listed: VariantFile | null }[] = [];
  for (const row of page) {
    const key = packKey(row.day_number, row.clock, row.seq);
    for (const kind of VARIANT_KINDS) {
      const state = kind === 'thumbnail' ? row.thumbnail : row.small;
      const index = indexes[kind];
      const position = index && key !== null ? index.find(key) : -1;
      if (position >= 0) {
        index!.claim(position);
        if (state === 1) findings.valid[kind]++;
        else if (state === 0) findings.repairable.push({ ...rowFile(prefixes, kind, timelapseId, row), imageId: row.id, expected: null });
        else toCheck.push({ imageId: row.id, kind, recorded: otherPath(row, kind), listed: rowFile(prefixes, kind, timelapseId, row) });
      } else if (state !== 0 && checkRecorded) {
        const recorded = state === 1 ? rowFile(prefixes, kind, timelapseId, row).relativePath : otherPath(row, kind);
        toCheck.push({ imageId: row.id, kind, recorded, listed: null });
      }
    }
  }
  // Only what the listing cannot settle costs a stat: also a file written after its folder was listed.
  await mapConcurrent(toCheck, STAT_CONCURRENCY, async ({ imageId, kind, recorded, listed }) => {
    let exists: boolean | null;
    try {
      exists = (await fileSizeOrNull(ctx.tree.resolve(recorded))) !== null;
    } catch (error) {
      problems.add(recorded, error);
      exists = null;
    }
    if (exists === null) findings.unknown++;
    else if (exists) findings.valid[kind]++;
    else findings.missing.push({ imageId, kind, path: recorded });
    if (listed && exists === false) findings.repairable.push({ ...listed, imageId, expected: recorded });
    else if (listed) findings.conflicting.push(listed);
  });
  return findings;
}

async function reportUnclaimed(
  target: TimelapseFolders,
  kind: VariantKind,
  index: KeyIndex | null,
  handlers: ReconcileHandlers,
  signal: AbortSignal | undefined,
  progress: ProgressReporter,
): Promise<void> {
  if (!index || !handlers.onUnclaimed) return;
  const prefix = { relative: target.folders[kind]!.relativePath + sep, absolute: target.folders[kind]!.absolutePath + sep };
  let batch: VariantFile[] = [];
  for (const key of index.unclaimed()) {
    batch.push(listedFile(prefix, kind, unpackKey(target.timelapseId, key)));
    if (batch.length >= NAME_BATCH) {
      await handlers.onUnclaimed(batch);
      batch = [];
      await checkpoint(signal, progress.operation);
    }
  }
  if (batch.length > 0) await handlers.onUnclaimed(batch);
}

interface Prefix {
  /** As the generator joins its paths: the folder and a separator. */
  relative: string;
  /** The folder as resolved once when listed. */
  absolute: string;
}

type Prefixes = Record<VariantKind, Prefix>;

function folderPrefix(ctx: CoreContext, target: TimelapseFolders, kind: VariantKind): Prefix {
  const folder = target.folders[kind];
  const relative = (folder?.relativePath ?? ctx.tree.kindDir(target.cameraId, target.timelapseId, kind)) + sep;
  // An unlisted folder never yields a listed file, so its absolute form is never used.
  return { relative, absolute: folder ? folder.absolutePath + sep : '' };
}

/** The file our naming puts in a folder for a key. */
function listedFile(prefix: Prefix, kind: VariantKind, key: FrameKey): VariantFile {
  const name = formatFileName(kind, key);
  return { relativePath: prefix.relative + name, absolutePath: prefix.absolute + name, kind, name: { ...key, kind } };
}

function rowFile(prefixes: Prefixes, kind: VariantKind, timelapseId: number, row: VariantStateRow): VariantFile {
  return listedFile(prefixes[kind], kind, { timelapseId, day: row.day_number, clock: row.clock, seq: row.seq });
}

function otherPath(row: VariantStateRow, kind: VariantKind): string {
  return (kind === 'thumbnail' ? row.thumbnail_path : row.small_path)!;
}
