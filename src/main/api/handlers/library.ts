import type { CameraCaptureStatus, ParsedArgs } from '../../../shared/contract';
import type { Core } from '../../core';
import type { CameraRow, TimelapseRow } from '../../database/types';
import { NotFoundError } from '../../errors';
import { batchImages } from '../../serving/batch';
import { cameraDto, frameRejectionDto, imageDto, timelapseDto } from '../dto';
import type { ImageService } from '../../serving/image-service';
import type { CallContext } from './call-context';

const DEFAULT_PAGE = 200;
const DEFAULT_REJECTIONS = 100;

/**
 * Cameras, timelapses and images. Reads go straight to the operations; changes
 * go through the capture services (validation, events the capture worker
 * follows) and the library's cascade.
 */
export function libraryHandlers(core: Core, images: ImageService) {
  const captureStatus = (): Map<number, CameraCaptureStatus> =>
    new Map(core.capture.status().map((status) => [status.camera_id, status]));
  const toDto = (row: CameraRow, statuses = captureStatus()) =>
    cameraDto(
      row,
      core.ops.timelapses.getActiveForCamera(row.id)?.id ?? null,
      core.ops.images.latestForCamera(row.id),
      statuses.get(row.id) ?? null,
    );
  const camera = (id: number) => {
    const row = core.ops.cameras.getById(id);
    if (!row) throw new NotFoundError('Camera not found', { camera_id: id });
    return row;
  };
  const timelapse = (id: number) => {
    const row = core.ops.timelapses.getById(id);
    if (!row) throw new NotFoundError('Timelapse not found', { timelapse_id: id });
    return row;
  };
  const { cameras, timelapses } = core;
  const sessionDto = (row: TimelapseRow) => timelapseDto(row, core.ops.images.countFlagged(row.id));

  return {
    'cameras.list': () => {
      const statuses = captureStatus();
      return core.ops.cameras.list().map((row) => toDto(row, statuses));
    },
    'cameras.get': ({ camera_id }: ParsedArgs<'cameras.get'>) => toDto(camera(camera_id)),
    'cameras.create': (input: ParsedArgs<'cameras.create'>) => toDto(cameras.create(input)),
    'cameras.update': ({ camera_id, ...patch }: ParsedArgs<'cameras.update'>) =>
      toDto(cameras.update(camera_id, patch)),
    'cameras.delete': async ({ camera_id }: ParsedArgs<'cameras.delete'>) => {
      await cameras.delete(camera_id);
      return { deleted: true as const, id: camera_id };
    },
    'cameras.rejections': ({ camera_id, before_id, limit }: ParsedArgs<'cameras.rejections'>) => {
      const row = camera(camera_id);
      const pageSize = limit ?? DEFAULT_REJECTIONS;
      const rejections = core.ops.rejections.listForCamera(camera_id, pageSize, before_id);
      return {
        camera_id,
        rejected_total: row.rejected_frames,
        since_last_frame: row.rejections_since_frame,
        rejections: rejections.map(frameRejectionDto),
        next_before_id: rejections.length === pageSize ? rejections.at(-1)!.id : null,
      };
    },
    'cameras.latestImage': ({ camera_id }: ParsedArgs<'cameras.latestImage'>) => {
      camera(camera_id);
      const latest = core.ops.images.latestForCamera(camera_id);
      if (!latest) throw new NotFoundError('Camera has no images yet', { camera_id });
      return imageDto(latest);
    },

    'timelapses.list': ({ camera_id }: ParsedArgs<'timelapses.list'>) => {
      if (camera_id !== undefined) camera(camera_id);
      const rows =
        camera_id === undefined
          ? core.ops.timelapses.list()
          : core.ops.timelapses.listForCamera(camera_id);
      return rows.map(sessionDto);
    },
    'timelapses.get': ({ timelapse_id }: ParsedArgs<'timelapses.get'>) =>
      sessionDto(timelapse(timelapse_id)),
    'timelapses.start': ({ camera_id, name }: ParsedArgs<'timelapses.start'>) =>
      sessionDto(timelapses.start(camera_id, name)),
    'timelapses.stop': ({ timelapse_id }: ParsedArgs<'timelapses.stop'>) =>
      sessionDto(timelapses.stop(timelapse_id)),
    'timelapses.complete': async ({ timelapse_id }: ParsedArgs<'timelapses.complete'>) =>
      sessionDto(await timelapses.complete(timelapse_id)),
    'timelapses.delete': async ({ timelapse_id }: ParsedArgs<'timelapses.delete'>) => {
      await timelapses.delete(timelapse_id);
      return { deleted: true as const, id: timelapse_id };
    },
    'timelapses.images': ({
      timelapse_id,
      after_id,
      limit,
      flagged,
    }: ParsedArgs<'timelapses.images'>) => {
      timelapse(timelapse_id);
      const pageSize = limit ?? DEFAULT_PAGE;
      const rows = flagged
        ? core.ops.images.listFlaggedByTimelapse(timelapse_id, after_id ?? 0, pageSize)
        : core.ops.images.listByTimelapse(timelapse_id, after_id ?? 0, pageSize);
      return {
        images: rows.map(imageDto),
        next_after_id: rows.length === pageSize ? rows[rows.length - 1]!.id : null,
      };
    },

    'capture.importFolder': (
      args: ParsedArgs<'capture.importFolder'>,
      { signal, onProgress }: CallContext,
    ) =>
      core.importFolder({
        folder: args.folder,
        cameraName: args.camera,
        timelapseName: args.timelapse,
        signal,
        onProgress: onProgress && ((progress) => onProgress(progress.processed, progress.total)),
      }),

    'images.get': ({ image_id }: ParsedArgs<'images.get'>) => {
      const row = core.ops.images.getById(image_id);
      if (!row) throw new NotFoundError('Image not found', { image_id });
      return imageDto(row);
    },
    'images.batch': ({ ids, size }: ParsedArgs<'images.batch'>) =>
      batchImages(core, images, ids, size),
    'images.delete': async ({ image_id }: ParsedArgs<'images.delete'>) => {
      await core.library.deleteImage(image_id);
      return { deleted: true as const, id: image_id };
    },
  };
}
