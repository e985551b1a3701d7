import { join } from 'node:path';
import type { CoreContext } from '../context';
import type { NameKeyMatch } from '../database/operations/image-operations';
import type { VariantKind } from '../files/names';
import { KIND_DIRECTORY } from '../files/data-tree';
import {
  fileSizeOrNull,
  parseThumbnailFilename,
  scanDirectoryForThumbnails,
  type ThumbnailName,
  type VariantDirectory,
} from './file-scanner';
import { checkpoint, mapConcurrent } from './pacing';
import type { ProblemLog } from './problem-log';
import type { ProgressReporter } from './progress';

/** A thumbnail or small file whose name our naming creates, in the folder that name belongs in. */
export interface VariantFile {
  relativePath: string;
  kind: VariantKind;
  name: ThumbnailName;
}

/** A file an image can take: its image lacks that path (null, or a recorded file that is gone). */
export interface RepairableFile extends VariantFile {
  imageId: number;
  /** The image's path when looked at; the repair only writes over this value. */
  expected: string | null;
}

export interface ClassifiedBatch {
  /** Files some image's path points at, with that image. */
  referenced: { file: VariantFile; imageId: number }[];
  repairable: RepairableFile[];
  /** Names no image has: the only files repair and cleanup delete. */
  unclaimed: VariantFile[];
  /** Their image points at another file that exists: left alone. */
  conflicting: VariantFile[];
  /** Files whose names our naming does not create here: reported, never touched. */
  unparseable: string[];
}

const STAT_CONCURRENCY = 16;
const NAME_BATCH = 1000;

/**
 * Streams every thumbnails/ and smalls/ folder of the tree, classifies each
 * batch of names and hands it to `onBatch`; folders that cannot be read go to
 * the problem log and the walk goes on.
 */
export async function walkVariantFiles(
  ctx: CoreContext,
  problems: ProblemLog,
  progress: ProgressReporter,
  signal: AbortSignal | undefined,
  onBatch: (batch: ClassifiedBatch, directory: VariantDirectory) => Promise<void> | void,
): Promise<void> {
  for await (const item of scanDirectoryForThumbnails(ctx.tree, NAME_BATCH)) {
    if (item.type === 'problem') {
      problems.add(item.problem.path, item.problem.error);
      continue;
    }
    await onBatch(await classifyBatch(ctx, item.directory, item.names, problems), item.directory);
    progress.advance(item.names.length);
    await checkpoint(signal, progress.operation);
  }
}

/**
 * Sorts one batch of names from a variant folder by what the database says
 * about them, with one indexed lookup of all their keys. Only a file whose
 * image points elsewhere costs a stat (of that other path).
 */
export async function classifyBatch(
  ctx: CoreContext,
  directory: VariantDirectory,
  names: readonly string[],
  problems: ProblemLog,
): Promise<ClassifiedBatch> {
  const batch: ClassifiedBatch = { referenced: [], repairable: [], unclaimed: [], conflicting: [], unparseable: [] };
  const files: VariantFile[] = [];
  for (const fileName of names) {
    const relativePath = join(directory.relativePath, fileName);
    const name = parseThumbnailFilename(fileName);
    if (name && name.kind === directory.kind && name.timelapseId === directory.timelapseId) {
      files.push({ relativePath, kind: name.kind, name });
    } else {
      batch.unparseable.push(relativePath);
    }
  }
  const matches = matchFiles(ctx, files);
  const elsewhere: { file: VariantFile; match: NameKeyMatch; other: string }[] = [];
  files.forEach((file, index) => {
    const match = matches[index];
    const recorded = match ? recordedPath(match, file.kind) : null;
    if (!match) batch.unclaimed.push(file);
    else if (recorded === file.relativePath) batch.referenced.push({ file, imageId: match.id });
    else if (recorded === null) batch.repairable.push({ ...file, imageId: match.id, expected: null });
    else elsewhere.push({ file, match, other: recorded });
  });
  await mapConcurrent(elsewhere, STAT_CONCURRENCY, async ({ file, match, other }) => {
    try {
      if ((await fileSizeOrNull(ctx.tree.resolve(other))) === null) {
        batch.repairable.push({ ...file, imageId: match.id, expected: other });
      } else {
        batch.conflicting.push(file);
      }
    } catch (error) {
      problems.add(other, error);
      batch.conflicting.push(file);
    }
  });
  return batch;
}

/** The image each file's name names, by position (undefined: no such image). */
export function matchFiles(ctx: CoreContext, files: readonly VariantFile[]): (NameKeyMatch | undefined)[] {
  const matches = new Array<NameKeyMatch | undefined>(files.length);
  for (const match of ctx.ops.images.findByNameKeys(files.map((f) => f.name))) matches[match.idx] = match;
  return matches;
}

export function recordedPath(match: Pick<NameKeyMatch, 'thumbnail_path' | 'small_path'>, kind: VariantKind): string | null {
  return kind === 'thumbnail' ? match.thumbnail_path : match.small_path;
}

/**
 * The identity of a root-relative path that repair or cleanup may touch:
 * cameras/camera-{c}/timelapse-{t}/{thumbnails|smalls}/{a name of that kind for t}.
 * Anything else (frames/, videos/, foreign names) answers null.
 */
export function variantFileAt(relativePath: string): (VariantFile & { cameraId: number }) | null {
  const parts = relativePath.split(/[\\/]/);
  if (parts.length !== 5 || parts[0] !== 'cameras') return null;
  const [, cameraDir, timelapseDir, kindDir, fileName] = parts as [string, string, string, string, string];
  const cameraId = /^camera-([1-9]\d{0,9})$/.exec(cameraDir)?.[1];
  const timelapseId = /^timelapse-([1-9]\d{0,9})$/.exec(timelapseDir)?.[1];
  const name = parseThumbnailFilename(fileName);
  if (!cameraId || !timelapseId || !name) return null;
  if (KIND_DIRECTORY[name.kind] !== kindDir || name.timelapseId !== Number(timelapseId)) return null;
  return { relativePath, kind: name.kind, name, cameraId: Number(cameraId) };
}
