import type { CoreContext } from '../context';
import type { NameKeyMatch } from '../database/operations/image-operations';
import { KIND_DIRECTORY, type DataTree } from '../files/data-tree';
import { PathOutsideRootError } from '../errors';
import type { VariantKind } from '../files/names';
import { parseThumbnailFilename, type ThumbnailName } from './file-scanner';

/** A thumbnail or small file whose name our naming creates, in the folder that name belongs in. */
export interface VariantFile {
  relativePath: string;
  /** Its folder resolved once (inside the root), plus the name. */
  absolutePath: string;
  kind: VariantKind;
  name: ThumbnailName;
}

/** A file an image can take: its image lacks that path (null, or a recorded file that is gone). */
export interface RepairableFile extends VariantFile {
  imageId: number;
  /** The image's path when looked at; the repair only writes over this value. */
  expected: string | null;
}

/** The image each file's name names, by position (undefined: no such image); one indexed lookup for all. */
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
export function parseVariantPath(relativePath: string): (Omit<VariantFile, 'absolutePath'> & { cameraId: number }) | null {
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

/** A path given from outside as a variant file, resolved inside the root; null if it is not one. */
export function variantFileAt(tree: DataTree, relativePath: string): VariantFile | null {
  const parsed = parseVariantPath(relativePath);
  if (!parsed) return null;
  try {
    return { ...parsed, absolutePath: tree.resolve(relativePath) };
  } catch (error) {
    if (error instanceof PathOutsideRootError) return null;
    throw error;
  }
}
