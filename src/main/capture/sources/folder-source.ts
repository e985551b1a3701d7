import type { Stats } from 'node:fs';
import { mkdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { AfterIngest, FolderSourceOptions } from '../../../shared/contract';
import { captureTimeOf } from '../../imaging/capture-time';
import { InvalidImageError } from '../../imaging/image-errors';
import { MAX_FRAME_BYTES, readFrameFile } from '../../imaging/frame-file';
import { CaptureSourceError } from '../errors';
import type { FileHandler, FileOrigin, WatchingSource } from '../types';
import { waitUntilStable } from './stable-file';

export const FOLDER_DEFAULTS = { stable_ms: 2_000, after_ingest: 'keep' as AfterIngest };
/** With after_ingest delete, refused frames are set aside here (inside the watch folder, never watched). */
export const REJECTED_SUBFOLDER = 'rejected';
const FRAME_FILE = /\.jpe?g$/i;

/**
 * What a folder camera has taken, kept in the library's database: a file (by
 * path, size and modification time) is taken once, also across restarts. Its
 * frame's row records it as stored, in the same transaction; a refusal is
 * recorded here.
 */
export interface IngestLedger {
  has(file: FileOrigin): boolean;
  /** Never throws: a refusal not remembered is refused again after a restart, nothing worse. */
  recordRejected(file: FileOrigin): void;
}

/**
 * A watch folder another recorder or a camera's FTP upload drops JPEGs into.
 * chokidar reports new files; each is taken once it has stopped changing for
 * `stable_ms` (our own check: chokidar's awaitWriteFinish skips the files of
 * its initial scan), one at a time in the order they settle. The folder is the
 * user's: by default (after_ingest keep) each frame is copied into the library
 * and the file stays, remembered in the ledger so it is never taken again.
 * With after_ingest delete the folder is an inbox: a file is deleted only after
 * its frame is written, fsynced and its row committed, and a refused file moves
 * to `rejected/` so it is neither lost nor retried forever.
 */
export class FolderSource implements WatchingSource {
  readonly kind = 'watch';
  private watcher: FSWatcher | undefined;
  private readonly closing = new AbortController();
  private queue: Promise<void> = Promise.resolve();
  private readonly taken = new Set<string>();
  private readonly stableMs: number;
  private readonly afterIngest: AfterIngest;

  constructor(
    private readonly folder: string,
    options: FolderSourceOptions,
    private readonly ledger: IngestLedger,
  ) {
    this.stableMs = options.stable_ms ?? FOLDER_DEFAULTS.stable_ms;
    this.afterIngest = options.after_ingest ?? FOLDER_DEFAULTS.after_ingest;
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
    void this.wasTaken(path)
      .then(
        (before) => !before && waitUntilStable(path, this.stableMs, pollMs, this.closing.signal),
      )
      .then(
        (stable) => {
          if (!stable) return void this.taken.delete(path);
          this.queue = this.queue.then(() => this.take(path, onFile)).catch(onError);
        },
        (error: unknown) => onError(error as Error),
      );
  }

  /** A file this camera took or refused before, unchanged since (a restart's initial scan). */
  private async wasTaken(path: string): Promise<boolean> {
    const info = await stat(path).catch(() => null);
    return info !== null && this.ledger.has(originOf(path, info));
  }

  /**
   * Hands one settled file to the worker; the path may be considered again
   * afterwards (names get reused). A file over the frame byte cap is never
   * read in: it is refused (see refused) and reported as the source's failure.
   */
  private async take(path: string, onFile: FileHandler): Promise<void> {
    try {
      if (this.closing.signal.aborted) return;
      const [bytes, info] = await Promise.all([this.read(path), stat(path)]);
      // Changed between the two reads: a change event brings it back.
      if (bytes.length !== info.size) return;
      const origin = originOf(path, info);
      if (this.ledger.has(origin)) return;
      const disposition = await onFile({
        path,
        bytes,
        capturedAt: (await captureTimeOf(bytes, info.mtimeMs)).at,
        origin,
      });
      if (disposition === 'stored' && this.afterIngest === 'delete') await unlink(path);
      else if (disposition === 'rejected') await this.refused(path, origin);
    } catch (error) {
      if (!isGone(error)) throw error; // gone: taken away by someone else
    } finally {
      this.taken.delete(path);
    }
  }

  /** A refused file: remembered (keep), or set aside (delete: the folder is an inbox). */
  private async refused(path: string, origin: FileOrigin): Promise<void> {
    if (this.afterIngest === 'delete') return this.setAside(path);
    this.ledger.recordRejected(origin);
  }

  /** The file's bytes; one too large is refused (see refused) and reported instead. */
  private async read(path: string): Promise<Buffer> {
    try {
      return await readFrameFile(path);
    } catch (error) {
      if (!(error instanceof InvalidImageError) || error.reason !== 'too_large') throw error;
      await this.refused(path, originOf(path, await stat(path)));
      const where =
        this.afterIngest === 'delete'
          ? `moved to ${REJECTED_SUBFOLDER}/`
          : 'left in place, not taken';
      throw new CaptureSourceError(
        `${basename(path)} is larger than any camera frame (${MAX_FRAME_BYTES} bytes); ${where}`,
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

function originOf(path: string, info: Pick<Stats, 'size' | 'mtimeMs'>): FileOrigin {
  return { path, size: info.size, mtime_ms: Math.floor(info.mtimeMs) };
}

function isGone(error: unknown): boolean {
  if (error instanceof InvalidImageError) return error.reason === 'missing';
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}
