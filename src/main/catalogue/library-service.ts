import { rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Operations } from '../database/operations';
import type { ImageRow } from '../database/types';
import { NotFoundError } from '../errors';
import type { DataTree } from '../files/data-tree';
import { safeDelete } from '../files/file-operations';
import type { Logger } from '../logging/logger';

/**
 * Cascade deletion along the spec's ownership model: camera → timelapses →
 * images → thumbnail and small. The rows go first (the triggers fix the counts),
 * then the files, so a crash in between leaves only orphan files, which repair
 * and cleanup know how to find; never a row that points at nothing.
 */
export class LibraryService {
  constructor(
    private readonly ops: Operations,
    private readonly tree: DataTree,
    private readonly log: Logger,
  ) {}

  async deleteImage(imageId: number): Promise<void> {
    const image = this.ops.images.getById(imageId);
    if (!image) throw new NotFoundError('Image not found', { image_id: imageId });
    this.ops.images.delete(imageId);
    await this.deleteImageFiles(image);
  }

  async deleteTimelapse(timelapseId: number): Promise<void> {
    const timelapse = this.ops.timelapses.getById(timelapseId);
    if (!timelapse) throw new NotFoundError('Timelapse not found', { timelapse_id: timelapseId });
    this.ops.timelapses.delete(timelapseId);
    await this.removeFolder(this.tree.timelapseDir(timelapse.camera_id, timelapseId));
  }

  async deleteCamera(cameraId: number): Promise<void> {
    if (!this.ops.cameras.getById(cameraId)) throw new NotFoundError('Camera not found', { camera_id: cameraId });
    this.ops.cameras.delete(cameraId);
    await this.removeFolder(this.tree.cameraDir(cameraId));
  }

  /**
   * Removes a deleted camera's or timelapse's folder. The delete has happened
   * by then (its rows are gone), so a folder that cannot be removed (a capture
   * or thumbnail still writing into it, a symlink planted to lead out of the
   * root) is reported and left to the folder reconciler, never answered as a
   * failure of the delete. Its parent must resolve inside the root; the
   * folder itself is removed without following links (a symlink is unlinked).
   */
  private async removeFolder(relative: string): Promise<void> {
    try {
      const parent = this.tree.resolve(dirname(relative));
      await rm(join(parent, basename(relative)), { recursive: true, force: true, maxRetries: 3 });
    } catch (error) {
      this.log.warn({ err: error, folder: relative }, 'a deleted folder could not be removed; left for repair');
    }
  }

  /** Removes an image's frame, thumbnail and small files. */
  async deleteImageFiles(image: Pick<ImageRow, 'file_path' | 'thumbnail_path' | 'small_path'>): Promise<void> {
    for (const path of [image.file_path, image.thumbnail_path, image.small_path]) {
      if (path) await safeDelete(this.tree.resolve(path));
    }
  }
}
