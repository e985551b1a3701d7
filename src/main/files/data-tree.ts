import { mkdirSync, realpathSync } from 'node:fs';
import { isAbsolute, join, normalize, relative, resolve, sep, dirname } from 'node:path';
import { PathOutsideRootError } from '../errors';
import { formatFileName, type FileKind, type FrameKey } from './names';

/** The folder under a timelapse that holds each kind of file. */
export const KIND_DIRECTORY: Record<FileKind, string> = {
  frame: 'frames',
  thumbnail: 'thumbnails',
  small: 'smalls',
};
export const TIMELAPSE_SUBDIRECTORIES = ['frames', 'thumbnails', 'smalls', 'videos'] as const;
export const DATABASE_FILE = 'timelapser.db';
/** Temporary files live here (same file system as the tree, so rename is atomic). */
export const TEMP_DIRECTORY = '.tmp';

/**
 * The spec's file tree under one data root:
 *   cameras/camera-{id}/timelapse-{id}/{frames,thumbnails,smalls,videos}
 * Paths in the database are relative to the root; every path that comes back
 * in is resolved here and refused if it would leave the root.
 */
export class DataTree {
  /** The real (symlink-free) absolute path of the data root. */
  readonly root: string;

  constructor(root: string) {
    mkdirSync(root, { recursive: true });
    this.root = realpathSync(root);
    mkdirSync(join(this.root, TEMP_DIRECTORY), { recursive: true });
  }

  get databasePath(): string {
    return join(this.root, DATABASE_FILE);
  }

  get tempDirectory(): string {
    return join(this.root, TEMP_DIRECTORY);
  }

  cameraDir(cameraId: number): string {
    return join('cameras', `camera-${cameraId}`);
  }

  timelapseDir(cameraId: number, timelapseId: number): string {
    return join(this.cameraDir(cameraId), `timelapse-${timelapseId}`);
  }

  kindDir(cameraId: number, timelapseId: number, kind: FileKind): string {
    return join(this.timelapseDir(cameraId, timelapseId), KIND_DIRECTORY[kind]);
  }

  /** Relative path of a frame, thumbnail or small file. */
  filePath(cameraId: number, timelapseId: number, kind: FileKind, key: FrameKey): string {
    return join(this.kindDir(cameraId, timelapseId, kind), formatFileName(kind, key));
  }

  /** Relative path of a rendered video in the timelapse's videos/ folder. */
  videoPath(cameraId: number, timelapseId: number, fileName: string): string {
    return join(this.timelapseDir(cameraId, timelapseId), 'videos', fileName);
  }

  /** Creates frames/, thumbnails/, smalls/ and videos/ for a timelapse. */
  ensureTimelapseDirs(cameraId: number, timelapseId: number): void {
    for (const sub of TIMELAPSE_SUBDIRECTORIES) {
      mkdirSync(this.resolve(join(this.timelapseDir(cameraId, timelapseId), sub)), { recursive: true });
    }
  }

  /**
   * Absolute path of a path relative to the root. Refuses absolute paths, `..`
   * that climbs out, NUL bytes, and symlinks whose target is outside the root.
   */
  resolve(relativePath: string): string {
    if (relativePath.includes('\0') || isAbsolute(relativePath) || /^[a-zA-Z]:/.test(relativePath)) {
      throw new PathOutsideRootError(relativePath);
    }
    const absolute = resolve(this.root, normalize(relativePath));
    if (!this.isInside(absolute)) throw new PathOutsideRootError(relativePath);
    const real = realpathOfExistingPart(absolute);
    if (!this.isInside(real)) throw new PathOutsideRootError(relativePath);
    return absolute;
  }

  /** The root-relative form of an absolute path inside the tree. */
  relative(absolutePath: string): string {
    const rel = relative(this.root, absolutePath);
    if (rel.startsWith('..') || isAbsolute(rel)) throw new PathOutsideRootError(absolutePath);
    return rel.split(sep).join('/');
  }

  private isInside(absolute: string): boolean {
    return absolute === this.root || absolute.startsWith(this.root + sep);
  }
}

/** realpath of the deepest ancestor that exists, with the rest appended. */
function realpathOfExistingPart(absolute: string): string {
  let existing = absolute;
  const rest: string[] = [];
  for (;;) {
    try {
      return join(realpathSync(existing), ...rest.reverse());
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const parent = dirname(existing);
      if (parent === existing) return absolute;
      rest.push(existing.slice(parent.length + 1));
      existing = parent;
    }
  }
}
