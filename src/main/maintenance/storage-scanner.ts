import type { Dirent } from 'node:fs';
import { lstat, opendir } from 'node:fs/promises';
import { join } from 'node:path';
import type { StorageKind } from '../../shared/contract';
import { TIMELAPSE_SUBDIRECTORIES, type DataTree } from '../files/data-tree';
import { OperationCancelledError } from './errors';
import { isGone, isRegularFile, scanTimelapseDirectories } from './file-scanner';
import { checkpoint, mapConcurrent } from './pacing';
import type { ProblemLog } from './problem-log';

/** The four folders of a timelapse, as the census names them (the tree's own folder names). */
export const MEASURED_KINDS: readonly StorageKind[] = TIMELAPSE_SUBDIRECTORIES;

/** Bytes of one timelapse folder on disk, per kind. */
export interface TimelapseUsage {
  camera_id: number;
  timelapse_id: number;
  bytes: Record<StorageKind, number>;
}

const DIRENT_BUFFER = 512;
const STAT_CONCURRENCY = 16;

export const noBytes = (): Record<StorageKind, number> => ({
  frames: 0,
  thumbnails: 0,
  smalls: 0,
  videos: 0,
});

/**
 * The spec's filesystem-based statistics: the bytes of every file under each
 * timelapse's frames/, thumbnails/, smalls/ and videos/, measured with lstat
 * (symlinks are not followed out of the tree; a hard-linked file counts once,
 * as du counts it). Streamed folder by folder, a batch of stats at a time; a
 * folder that cannot be read is reported and the measure goes on.
 */
export async function measureTree(
  tree: DataTree,
  problems: ProblemLog,
  onFiles: (count: number) => void,
  signal: AbortSignal | undefined,
): Promise<TimelapseUsage[]> {
  const meter = new TreeMeter(tree, problems, onFiles, signal);
  const usage: TimelapseUsage[] = [];
  for await (const item of scanTimelapseDirectories(tree)) {
    if (item.type === 'problem') {
      problems.add(item.problem.path, item.problem.error);
      continue;
    }
    const { cameraId, timelapseId, relativePath } = item.directory;
    const bytes = noBytes();
    for (const kind of MEASURED_KINDS)
      bytes[kind] = await meter.folderBytes(join(relativePath, kind));
    usage.push({ camera_id: cameraId, timelapse_id: timelapseId, bytes });
  }
  return usage;
}

class TreeMeter {
  /** dev:ino of hard-linked files already counted. */
  private readonly seen = new Set<string>();

  constructor(
    private readonly tree: DataTree,
    private readonly problems: ProblemLog,
    private readonly onFiles: (count: number) => void,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /** Bytes of the regular files under a folder, subfolders included (0 when it does not exist). */
  async folderBytes(relativePath: string): Promise<number> {
    let absolute: string;
    try {
      absolute = this.tree.resolve(relativePath);
    } catch (error) {
      this.problems.add(relativePath, error);
      return 0;
    }
    let total = 0;
    try {
      const dir = await opendir(absolute, { bufferSize: DIRENT_BUFFER });
      let batch: Dirent[] = [];
      const flush = async () => {
        const sizes = await mapConcurrent(batch, STAT_CONCURRENCY, (entry) =>
          this.entryBytes(relativePath, absolute, entry),
        );
        total += sizes.reduce((a, b) => a + b, 0);
        this.onFiles(batch.length);
        batch = [];
        await checkpoint(this.signal, 'statistics');
      };
      for await (const entry of dir) {
        batch.push(entry);
        if (batch.length >= DIRENT_BUFFER) await flush();
      }
      if (batch.length > 0) await flush();
    } catch (error) {
      if (error instanceof OperationCancelledError) throw error;
      if (!isGone(error)) this.problems.add(relativePath, error);
    }
    return total;
  }

  private async entryBytes(folder: string, absoluteFolder: string, entry: Dirent): Promise<number> {
    if (entry.isDirectory()) return this.folderBytes(join(folder, entry.name));
    if (!(await isRegularFile(absoluteFolder, entry))) return 0;
    try {
      const stats = await lstat(join(absoluteFolder, entry.name));
      if (stats.nlink > 1) {
        const inode = `${stats.dev}:${stats.ino}`;
        if (this.seen.has(inode)) return 0;
        this.seen.add(inode);
      }
      return stats.size;
    } catch (error) {
      // Deleted between the listing and the stat (a purge, a cleanup): it holds no bytes now.
      if (!isGone(error)) this.problems.add(join(folder, entry.name), error);
      return 0;
    }
  }
}
