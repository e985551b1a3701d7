import type { CameraInput, CameraPatchInput } from '../../shared/contract';
import { restoreMaskedCredentials } from './credentials';
import type { CoreContext } from '../context';
import type { NewCamera } from '../database/operations/camera-operations';
import type { CameraRow } from '../database/types';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import type { LibraryService } from './library-service';
import { parseSourceConfig } from './source-config';

const MAX_INTERVAL_S = 86_400;

/**
 * Cameras: add, edit, enable/disable, delete (cascading to timelapses, images
 * and files through the library). Every change is validated as a whole camera
 * and announced as camera_changed, which the capture worker follows.
 */
export class CameraService {
  constructor(
    private readonly ctx: CoreContext,
    private readonly library: LibraryService,
  ) {}

  list(): CameraRow[] {
    return this.ctx.ops.cameras.list();
  }

  get(cameraId: number): CameraRow {
    const camera = this.ctx.ops.cameras.getById(cameraId);
    if (!camera) throw new NotFoundError('Camera not found', { camera_id: cameraId });
    return camera;
  }

  create(input: CameraInput): CameraRow {
    const camera = this.withUniqueName(input.name, () =>
      this.ctx.ops.cameras.create(this.validate(input)),
    );
    this.changed(camera.id);
    return camera;
  }

  update(cameraId: number, patch: CameraPatchInput): CameraRow {
    const current = this.get(cameraId);
    const currentOptions = JSON.parse(current.source_options) as Record<string, unknown>;
    const source = restoreMaskedCredentials(
      {
        source_url: patch.source_url === undefined ? current.source_url : patch.source_url,
        source_options: patch.source_options ?? currentOptions,
      },
      { source_url: current.source_url, source_options: currentOptions },
    );
    const merged: CameraInput = {
      name: patch.name ?? current.name,
      source_type: patch.source_type ?? current.source_type,
      source_url: source.source_url,
      source_options: source.source_options,
      capture_interval_s: patch.capture_interval_s ?? current.capture_interval_s,
      generate_thumbnails: patch.generate_thumbnails ?? current.generate_thumbnails === 1,
      enabled: patch.enabled ?? current.enabled === 1,
    };
    const valid = this.validate(merged);
    const camera = this.withUniqueName(valid.name, () =>
      this.ctx.ops.cameras.update(cameraId, valid),
    )!;
    this.changed(cameraId);
    return camera;
  }

  setEnabled(cameraId: number, enabled: boolean): CameraRow {
    return this.update(cameraId, { enabled });
  }

  /** Deletes the camera, its timelapses, images, thumbnails and folder. */
  async delete(cameraId: number): Promise<void> {
    await this.library.deleteCamera(cameraId);
    this.changed(cameraId);
  }

  private validate(input: CameraInput): NewCamera {
    const name = input.name?.trim();
    if (!name || name.length > 100)
      throw new ValidationError('A camera needs a name of 1 to 100 characters');
    const interval = input.capture_interval_s ?? 60;
    if (!Number.isInteger(interval) || interval < 1 || interval > MAX_INTERVAL_S) {
      throw new ValidationError(
        `capture_interval_s must be a whole number of seconds from 1 to ${MAX_INTERVAL_S}`,
        {
          capture_interval_s: interval,
        },
      );
    }
    const enabled = input.enabled ?? true;
    const source = parseSourceConfig(input.source_type, input.source_url, input.source_options, {
      dataRoot: this.ctx.tree.root,
      requireUrl: enabled,
    });
    return {
      name,
      source_type: source.source_type,
      source_url: source.source_url,
      source_options: JSON.stringify(source.options),
      capture_interval_s: interval,
      generate_thumbnails: input.generate_thumbnails ?? true,
      enabled,
    };
  }

  private withUniqueName<T>(name: string, write: () => T): T {
    try {
      return write();
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new ConflictError(`A camera named "${name}" already exists`, { name });
      }
      throw error;
    }
  }

  private changed(cameraId: number): void {
    this.ctx.events.emit({ type: 'camera_changed', camera_id: cameraId });
  }
}
