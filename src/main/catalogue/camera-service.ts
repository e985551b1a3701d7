import type {
  CameraInput,
  CameraPatchInput,
  CameraTestResult,
  SourceType,
} from '../../shared/contract';
import { restoreMaskedCredentials } from './credentials';
import type { CoreContext } from '../context';
import { writeTransaction } from '../database/connection';
import type { NewCamera } from '../database/operations/camera-operations';
import type { CameraRow } from '../database/types';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import type { LibraryService } from './library-service';
import { parseSourceConfig, type SourceConfig } from './source-config';

const MAX_INTERVAL_S = 86_400;

/**
 * Grabs one frame (or looks at a folder) with a source's settings, saving
 * nothing: capture's sources and the image engine, wired by the composition root.
 */
export type SourceProbe = (
  config: SourceConfig,
  options: { preview: boolean; signal?: AbortSignal },
) => Promise<CameraTestResult>;

/** A camera's source as `cameras.test` takes it. */
export interface SourceTestInput {
  /** An edited camera: a masked password stands for its stored one. */
  camera_id?: number;
  source_type: SourceType;
  source_url?: string | null;
  source_options?: Record<string, unknown>;
  preview?: boolean;
}

/**
 * Cameras: add, edit, enable/disable, delete (cascading to timelapses, images
 * and files through the library). Every change is validated as a whole camera
 * and announced as camera_changed, which the capture worker follows.
 */
export class CameraService {
  constructor(
    private readonly ctx: CoreContext,
    private readonly library: LibraryService,
    private readonly probe: SourceProbe,
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
    const source = this.unmasked(current, patch);
    const merged: CameraInput = {
      name: patch.name ?? current.name,
      source_type: patch.source_type ?? current.source_type,
      source_url: source.source_url,
      source_options: source.source_options,
      capture_interval_s: patch.capture_interval_s ?? current.capture_interval_s,
      generate_thumbnails: patch.generate_thumbnails ?? current.generate_thumbnails === 1,
      enabled: patch.enabled ?? current.enabled === 1,
      group: patch.group === undefined ? current.group_name : patch.group,
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

  /**
   * One frame with the settings a form holds, before anything is saved. The
   * same source rules as saving apply (schemes, options, a watch folder
   * outside the data root); a folder is only looked at, never read.
   */
  async test(input: SourceTestInput, signal?: AbortSignal): Promise<CameraTestResult> {
    const current = input.camera_id === undefined ? undefined : this.get(input.camera_id);
    const source = current ? this.unmasked(current, input) : input;
    const config = parseSourceConfig(input.source_type, source.source_url, source.source_options, {
      dataRoot: this.ctx.tree.root,
      requireUrl: true,
    });
    return this.probe(config, { preview: input.preview ?? false, signal });
  }

  /** The wall's order: these cameras first, in this order; the rest keep theirs after them. */
  reorder(cameraIds: readonly number[]): CameraRow[] {
    if (new Set(cameraIds).size !== cameraIds.length)
      throw new ValidationError('camera_ids names a camera twice', { camera_ids: cameraIds });
    for (const id of cameraIds) this.get(id);
    writeTransaction(this.ctx.db, () => this.ctx.ops.cameras.setOrder(cameraIds));
    this.ctx.events.emit({ type: 'cameras_reordered', camera_ids: [...cameraIds] });
    return this.list();
  }

  /** Deletes the camera, its timelapses, images, thumbnails and folder. */
  async delete(cameraId: number): Promise<void> {
    await this.library.deleteCamera(cameraId);
    this.changed(cameraId);
  }

  /** The edit's source, where a masked password stands for the stored one. */
  private unmasked(
    current: CameraRow,
    edit: Pick<CameraPatchInput, 'source_url' | 'source_options'>,
  ) {
    const currentOptions = JSON.parse(current.source_options) as Record<string, unknown>;
    return restoreMaskedCredentials(
      {
        source_url: edit.source_url === undefined ? current.source_url : edit.source_url,
        source_options: edit.source_options ?? currentOptions,
      },
      { source_url: current.source_url, source_options: currentOptions },
    );
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
      group_name: input.group?.trim() || null,
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
