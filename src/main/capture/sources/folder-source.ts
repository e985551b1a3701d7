import { mkdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { FolderSourceOptions } from '../../../shared/contract';
import { captureTimeOf } from '../../imaging/capture-time';
import { InvalidImageError } from '../../imaging/image-errors';
import { MAX_FRAME_BYTES, readFrameFile } from '../../imaging/frame-file';
import { CaptureSourceError } from '../errors';
import type { FileHandler, WatchingSource } from '../types';
import { waitUntilStable } from './stable-file';

export const FOLDER_DEFAULTS = { stable_ms: 2_000 };
/** Refused frames are set aside here (inside the watch folder, never watched). */
export const REJECTED_SUBFOLDER = 'rejected';
const FRAME_FILE = /\.jpe?g$/i;

/**
 * A watch folder another recorder or a camera's FTP upload drops JPEGs into.
 * chokidar reports new files; each is taken once it has stopped changing for
 * `stable_ms` (our own check: chokidar's awaitWriteFinish skips the files of
 * its initial scan), one at a time in the order they settle. A stored
 * frame's file is deleted from the folder only after the frame is written and
 * fsynced in the library and its row committed: the folder is an inbox, and
 * keeping a second copy of every frame would fill an NVR's disk. A refused file
 * moves to `rejected/` so it is neither lost nor retried forever.
 */
export class FolderSource implements WatchingSource {
  readonly kind = 'watch';
  private watcher: FSWatcher | undefined;
  private readonly closing = new AbortController();
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
      ignored: (path, stats) =>
        basename(path).startsWith('.') || (stats?.isFile() === true && !FRAME_FILE.test(path)),
    });
    this.watcher = watcher;
    const consider = (path: string) => this.consider(path, onFile, onError);
    watcher.on('add', consider).on('change', consider);
    watcher.on('error', (error) => onError(error as Error));
    await new Promise<void>((resolve) => watcher.once('ready', resolve));
  }

  /** Stops watching and waits for the file being taken, if any. */
  async stop(): Promise<void> {
    this.closing.abort();
    await this.watcher?.close();
    this.watcher = undefined;
    await this.queue.catch(() => undefined);
  }

  /** Queues a file for taking once it has settled; each path is considered once at a time. */
  private consider(path: string, onFile: FileHandler, onError: (error: Error) => void): void {
    if (!FRAME_FILE.test(path) || this.taken.has(path)) return;
    this.taken.add(path);
    const pollMs = Math.max(20, Math.min(250, this.stableMs / 4));
    void waitUntilStable(path, this.stableMs, pollMs, this.closing.signal).then(
      (stable) => {
        if (!stable) return void this.taken.delete(path);
        this.queue = this.queue.then(() => this.take(path, onFile)).catch(onError);
      },
      (error: unknown) => onError(error as Error),
    );
  }

  /**
   * Hands one settled file to the worker; the path may be considered again
   * afterwards (names get reused). A file over the frame byte cap is never
   * read in: it is set aside and reported as the source's failure.
   */
  private async take(path: string, onFile: FileHandler): Promise<void> {
    try {
      if (this.closing.signal.aborted) return;
      const [bytes, { mtimeMs }] = await Promise.all([this.read(path), stat(path)]);
      const disposition = await onFile({
        path,
        bytes,
        capturedAt: (await captureTimeOf(bytes, mtimeMs)).at,
      });
      if (disposition === 'stored') await unlink(path);
      else if (disposition === 'rejected') await this.setAside(path);
    } catch (error) {
      if (!isGone(error)) throw error; // gone: taken away by someone else
    } finally {
      this.taken.delete(path);
    }
  }

  /** The file's bytes; one too large is set aside and reported instead. */
  private async read(path: string): Promise<Buffer> {
    try {
      return await readFrameFile(path);
    } catch (error) {
      if (!(error instanceof InvalidImageError) || error.reason !== 'too_large') throw error;
      await this.setAside(path);
      throw new CaptureSourceError(
        `${basename(path)} is larger than any camera frame (${MAX_FRAME_BYTES} bytes); moved to ${REJECTED_SUBFOLDER}/`,
        'source_too_large',
        { path, ...error.details },
      );
    }
  }

  /** Moves a refused file to rejected/, never over an earlier one of the same name. */
  private async setAside(path: string): Promise<void> {
    const folder = join(this.folder, REJECTED_SUBFOLDER);
    await mkdir(folder, { recursive: true });
    const name = basename(path);
    const taken = await stat(join(folder, name)).then(
      () => true,
      () => false,
    );
    await rename(path, join(folder, taken ? `${Date.now()}-${name}` : name));
  }

  private async assertFolder(): Promise<void> {
    const info = await stat(this.folder).catch(() => null);
    if (!info?.isDirectory()) {
      throw new CaptureSourceError(
        `watch folder ${this.folder} does not exist or is not a folder`,
        'watch_folder_missing',
        {
          folder: this.folder,
        },
      );
    }
  }
}

function isGone(error: unknown): boolean {
  if (error instanceof InvalidImageError) return error.reason === 'missing';
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}
