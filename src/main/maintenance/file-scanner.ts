import type { Dirent } from 'node:fs';
import { lstat, opendir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileProblem } from '../../shared/contract';
import type { DataTree } from '../files/data-tree';
import { directorySize } from '../files/file-operations';
import { tryParseFileName, type ParsedName, type VariantKind } from '../files/names';
import { describeError } from './problem-log';

/**
 * The spec's FileSystemUtils for thumbnail management. Listings are streamed
 * with fs.opendir in batches, so a folder of a million files never sits in
 * memory as names; nothing here deletes.
 */

export const VARIANT_KINDS: readonly VariantKind[] = ['thumbnail', 'small'];

/** One thumbnails/ or smalls/ folder of a timelapse. */
export interface VariantDirectory {
  kind: VariantKind;
  /** Root-relative, built like the paths the generator stores. */
  relativePath: string;
  absolutePath: string;
}

/** A timelapse folder's thumbnails/ and smalls/ (null: the folder cannot be resolved; see the problem). */
export interface TimelapseFolders {
  cameraId: number;
  timelapseId: number;
  folders: Record<VariantKind, VariantDirectory | null>;
}

export type ScanItem =
  { type: 'timelapse'; timelapse: TimelapseFolders } | { type: 'problem'; problem: FileProblem };

export interface ThumbnailName extends ParsedName {
  kind: VariantKind;
}

const CAMERA_DIR = /^camera-([1-9]\d{0,9})$/;
const TIMELAPSE_DIR = /^timelapse-([1-9]\d{0,9})$/;
const DIRENT_BUFFER = 512;

/** The spec's parse_thumbnail_filename: a thumbnail or small name our naming creates, else null. */
export function parseThumbnailFilename(name: string): ThumbnailName | null {
  const parsed = tryParseFileName(name);
  return parsed && parsed.kind !== 'frame' ? (parsed as ThumbnailName) : null;
}

/** The spec's calculate_directory_size: bytes of the regular files under a folder (0 if absent). */
export const calculateDirectorySize = directorySize;

/** The spec's verify_file_exists: false when the path (or a folder on it) is gone; other errors throw. */
export async function verifyFileExists(absolutePath: string): Promise<boolean> {
  return (await fileSizeOrNull(absolutePath)) !== null;
}

/** Size of a file, or null when it is gone; other errors (EACCES, EIO, ELOOP) throw. */
export async function fileSizeOrNull(absolutePath: string): Promise<number | null> {
  try {
    return (await stat(absolutePath)).size;
  } catch (error) {
    if (isGone(error)) return null;
    throw error;
  }
}

export function isGone(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** A timelapse's two variant folders; one that cannot be resolved is reported and null. */
export function timelapseFolders(
  tree: DataTree,
  cameraId: number,
  timelapseId: number,
  onProblem: (problem: FileProblem) => void,
): TimelapseFolders {
  const folder = (kind: VariantKind): VariantDirectory | null => {
    const relativePath = tree.kindDir(cameraId, timelapseId, kind);
    try {
      return { kind, relativePath, absolutePath: tree.resolve(relativePath) };
    } catch (error) {
      onProblem({ path: relativePath, error: describeError(error) });
      return null;
    }
  };
  return {
    cameraId,
    timelapseId,
    folders: { thumbnail: folder('thumbnail'), small: folder('small') },
  };
}

/** A cameras/camera-{id}/timelapse-{id} folder found on disk. */
export interface TimelapseDirectory {
  cameraId: number;
  timelapseId: number;
  /** Root-relative. */
  relativePath: string;
}

/**
 * Every cameras/camera-{id}/timelapse-{id} folder on disk, streamed. A folder
 * that cannot be read is yielded as a problem and the scan goes on.
 */
export async function* scanTimelapseDirectories(
  tree: DataTree,
): AsyncGenerator<
  { type: 'timelapse'; directory: TimelapseDirectory } | { type: 'problem'; problem: FileProblem }
> {
  const problems: FileProblem[] = [];
  for await (const camera of subdirectories(tree, 'cameras', CAMERA_DIR, problems)) {
    for await (const timelapse of subdirectories(tree, camera.path, TIMELAPSE_DIR, problems)) {
      yield* drain(problems);
      yield {
        type: 'timelapse',
        directory: { cameraId: camera.id, timelapseId: timelapse.id, relativePath: timelapse.path },
      };
    }
    yield* drain(problems);
  }
  yield* drain(problems);
}

/**
 * The spec's scan_directory_for_thumbnails: every timelapse folder on disk
 * with its thumbnails/ and smalls/, streamed.
 */
export async function* scanDirectoryForThumbnails(tree: DataTree): AsyncGenerator<ScanItem> {
  const problems: FileProblem[] = [];
  for await (const item of scanTimelapseDirectories(tree)) {
    if (item.type === 'problem') {
      yield item;
      continue;
    }
    const { cameraId, timelapseId } = item.directory;
    const found = timelapseFolders(tree, cameraId, timelapseId, (problem) =>
      problems.push(problem),
    );
    yield* drain(problems);
    yield { type: 'timelapse', timelapse: found };
  }
}

/** Names of the regular files in a folder, streamed in batches; a folder that does not exist yields nothing. */
export async function* readFileNameBatches(
  absolutePath: string,
  batchSize: number,
): AsyncGenerator<string[]> {
  const dir = await opendir(absolutePath, { bufferSize: DIRENT_BUFFER }).catch((error: unknown) => {
    if (isGone(error)) return null;
    throw error;
  });
  if (!dir) return;
  let batch: string[] = [];
  for await (const entry of dir) {
    if (!(await isRegularFile(absolutePath, entry))) continue;
    batch.push(entry.name);
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** Subfolders whose names match `pattern` (camera-{id}, timelapse-{id}), with their id. */
async function* subdirectories(
  tree: DataTree,
  relativePath: string,
  pattern: RegExp,
  problems: FileProblem[],
): AsyncGenerator<{ id: number; path: string }> {
  try {
    const dir = await opendir(tree.resolve(relativePath), { bufferSize: DIRENT_BUFFER });
    for await (const entry of dir) {
      const match = pattern.exec(entry.name);
      if (match && entry.isDirectory())
        yield { id: Number(match[1]), path: join(relativePath, entry.name) };
    }
  } catch (error) {
    if (!isGone(error)) problems.push({ path: relativePath, error: describeError(error) });
  }
}

export async function isRegularFile(directory: string, entry: Dirent): Promise<boolean> {
  if (entry.isFile()) return true;
  const known =
    entry.isDirectory() ||
    entry.isSymbolicLink() ||
    entry.isFIFO() ||
    entry.isSocket() ||
    entry.isBlockDevice() ||
    entry.isCharacterDevice();
  if (known) return false;
  // Some file systems (network mounts) report no type: ask.
  return (await lstat(join(directory, entry.name)).catch(() => null))?.isFile() ?? false;
}

function* drain(problems: FileProblem[]): Generator<{ type: 'problem'; problem: FileProblem }> {
  while (problems.length > 0) yield { type: 'problem', problem: problems.shift()! };
}
