import { mkdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { FolderSourceOptions } from '../../../shared/capture-types';
import { captureTimeOf } from '../capture-time';
import { CaptureSourceError } from '../errors';
import type { FileHandler, WatchingSource } from '../types';

export const FOLDER_DEFAULTS = { stable_ms: 2_000 };
/** Refused frames are set aside here (inside the watch folder, never watched). */
export const REJECTED_SUBFOLDER = 'rejected';
const FRAME_FILE = /\.jpe?g$/i;

/**
 * A watch folder another recorder or a camera's FTP upload drops JPEGs into.
 * A file is taken once its size has stopped changing for `stable_ms`
 * (chokidar's awaitWriteFinish), one at a time in arrival order. A stored
 * frame's file is deleted from the folder only after the frame is written and
 * fsynced in the library and its row committed: the folder is an inbox, and
 * keeping a second copy of every frame would fill an NVR's disk. A refused file
 * moves to `rejected/` so it is neither lost nor retried forever.
 */
export class FolderSource implements WatchingSource {
  readonly kind = 'watch';
  private watcher: FSWatcher | undefined;
  private queue: Promise<void> = Promise.resolve();
  private readonly taken = new Set<string>();
  private readonly stableMs: number;

  constructor(
    private readonly folder: string,
    options: FolderSourceOptions = {},
  ) {
    this.stableMs = options.stable_ms ?? FOLDER_DEFAULTS.stable_ms;
  }

  async start(onFile: FileHandler, onError: (error: Error) => void): Promise<void> {
    await this.assertFolder();
    const watcher = watch(this.folder, {
      depth: 0,
      ignoreInitial: false,
      awaitWriteFinish: { stabilityThreshold: this.stableMs, pollInterval: Math.min(100, this.stableMs / 4) },
      ignored: (path, stats) => basename(path).startsWith('.') || (stats?.isFile() === true && !FRAME_FILE.test(path)),
    });
    this.watcher = watcher;
    watcher.on('add', (path) => {
      if (!FRAME_FILE.test(path) || this.taken.has(path)) return;
      this.taken.add(path);
      this.queue = this.queue.then(() => this.take(path, onFile)).catch(onError);
    });
    watcher.on('error', (error) => onError(error as Error));
    await new Promise<void>((resolve) => watcher.once('ready', resolve));
  }

  /** Stops watching and waits for the file being taken, if any. */
  async stop(): Promise<void> {
    await this.watcher?.close();
    this.watcher = undefined;
    await this.queue.catch(() => undefined);
  }

  private async take(path: string, onFile: FileHandler): Promise<void> {
    if (!this.watcher) return;
    let bytes: Buffer;
    let mtimeMs: number;
    try {
      [bytes, { mtimeMs }] = await Promise.all([readFile(path), stat(path)]);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // taken away by someone else
      throw error;
    }
    const disposition = await onFile({ path, bytes, capturedAt: await captureTimeOf(bytes, mtimeMs) });
    if (disposition === 'stored') await unlink(path);
    else if (disposition === 'rejected') await this.setAside(path);
    else this.taken.delete(path);
  }

  /** Moves a refused file to rejected/, never over an earlier one of the same name. */
  private async setAside(path: string): Promise<void> {
    const folder = join(this.folder, REJECTED_SUBFOLDER);
    await mkdir(folder, { recursive: true });
    const name = basename(path);
    const taken = await stat(join(folder, name)).then(() => true, () => false);
    await rename(path, join(folder, taken ? `${Date.now()}-${name}` : name));
  }

  private async assertFolder(): Promise<void> {
    const info = await stat(this.folder).catch(() => null);
    if (!info?.isDirectory()) {
      throw new CaptureSourceError(`watch folder ${this.folder} does not exist or is not a folder`, 'watch_folder_missing', {
        folder: this.folder,
      });
    }
  }
}
