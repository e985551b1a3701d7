import type { ParsedArgs } from '../../../shared/contract';
import { NotFoundError } from '../../errors';
import type { ApiCore } from '../core-parts';
import { batchImages } from '../batch';
import { cameraDto, imageDto, timelapseDto } from '../dto';
import type { ImageService } from '../image-service';
import { ServiceUnavailableError } from '../errors';

const DEFAULT_PAGE = 200;

/** Cameras, timelapses and images: reads over the operations, deletes through the library's cascade. */
export function libraryHandlers(core: ApiCore, images: ImageService) {
  const camera = (id: number) => {
    const row = core.ops.cameras.getById(id);
    if (!row) throw new NotFoundError('Camera not found', { camera_id: id });
    return cameraDto(row, core.ops.timelapses.getActiveForCamera(id)?.id ?? null, core.ops.images.latestForCamera(id));
  };
  const timelapse = (id: number) => {
    const row = core.ops.timelapses.getById(id);
    if (!row) throw new NotFoundError('Timelapse not found', { timelapse_id: id });
    return row;
  };
  const captureOnly = (): never => {
    throw new ServiceUnavailableError('Camera and timelapse management (the capture service)');
  };

  return {
    'cameras.list': () => core.ops.cameras.list().map((row) => camera(row.id)),
    'cameras.get': ({ camera_id }: ParsedArgs<'cameras.get'>) => camera(camera_id),
    'cameras.create': captureOnly,
    'cameras.update': captureOnly,
    'cameras.delete': async ({ camera_id }: ParsedArgs<'cameras.delete'>) => {
      await core.library.deleteCamera(camera_id);
      core.events.emit({ type: 'camera_changed', camera_id });
      return { deleted: true as const, id: camera_id };
    },
    'cameras.latestImage': ({ camera_id }: ParsedArgs<'cameras.latestImage'>) => {
      camera(camera_id);
      const latest = core.ops.images.latestForCamera(camera_id);
      if (!latest) throw new NotFoundError('Camera has no images yet', { camera_id });
      return imageDto(latest);
    },

    'timelapses.list': ({ camera_id }: ParsedArgs<'timelapses.list'>) => {
      if (camera_id !== undefined) camera(camera_id);
      const rows = camera_id === undefined ? core.ops.timelapses.list() : core.ops.timelapses.listForCamera(camera_id);
      return rows.map(timelapseDto);
    },
    'timelapses.get': ({ timelapse_id }: ParsedArgs<'timelapses.get'>) => timelapseDto(timelapse(timelapse_id)),
    'timelapses.start': captureOnly,
    'timelapses.stop': captureOnly,
    'timelapses.complete': captureOnly,
    'timelapses.delete': async ({ timelapse_id }: ParsedArgs<'timelapses.delete'>) => {
      const row = timelapse(timelapse_id);
      await core.library.deleteTimelapse(timelapse_id);
      core.events.emit({ type: 'timelapse_changed', timelapse_id, camera_id: row.camera_id });
      return { deleted: true as const, id: timelapse_id };
    },
    'timelapses.images': ({ timelapse_id, after_id, limit }: ParsedArgs<'timelapses.images'>) => {
      timelapse(timelapse_id);
      const pageSize = limit ?? DEFAULT_PAGE;
      const rows = core.ops.images.listByTimelapse(timelapse_id, after_id ?? 0, pageSize);
      return {
        images: rows.map(imageDto),
        next_after_id: rows.length === pageSize ? rows[rows.length - 1]!.id : null,
      };
    },

    'images.get': ({ image_id }: ParsedArgs<'images.get'>) => {
      const row = core.ops.images.getById(image_id);
      if (!row) throw new NotFoundError('Image not found', { image_id });
      return imageDto(row);
    },
    'images.batch': ({ ids, size }: ParsedArgs<'images.batch'>) => batchImages(core, images, ids, size),
    'images.delete': async ({ image_id }: ParsedArgs<'images.delete'>) => {
      await core.library.deleteImage(image_id);
      return { deleted: true as const, id: image_id };
    },
  };
}
