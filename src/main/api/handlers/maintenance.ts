import type { ParsedArgs } from '../../../shared/contract';
import type { Core } from '../../core';
import type { CallContext } from './call-context';

/** The spec's thumbnail management operations, system-wide and per timelapse, over the ThumbnailService. */
export function maintenanceHandlers({ thumbnails }: Core) {
  return {
    'thumbnails.stats': () => thumbnails.getThumbnailStatistics(),
    'thumbnails.scan': () => thumbnails.scanLibrary(),
    'thumbnails.storage': () => thumbnails.getStorageBreakdown(),
    'thumbnails.regenerateAll': (args: ParsedArgs<'thumbnails.regenerateAll'>) =>
      thumbnails.startThumbnailRegeneration(args),
    'thumbnails.regenerationStatus': () => thumbnails.getThumbnailRegenerationStatus(),
    'thumbnails.cancelRegeneration': () => thumbnails.cancelThumbnailRegeneration(),
    'thumbnails.verifyAll': (_args: unknown, { signal }: CallContext) =>
      thumbnails.verifyAllThumbnails({ signal }),
    'thumbnails.repair': (_args: unknown, { signal }: CallContext) =>
      thumbnails.repairOrphanedThumbnails({ signal }),
    'thumbnails.cleanup': (args: ParsedArgs<'thumbnails.cleanup'>, { signal }: CallContext) =>
      thumbnails.cleanupOrphanedThumbnails({ ...args, signal }),
    'thumbnails.deleteAll': (args: ParsedArgs<'thumbnails.deleteAll'>, { signal }: CallContext) =>
      thumbnails.deleteAllThumbnails({ ...args, signal }),

    'timelapses.generateThumbnails': ({
      timelapse_id,
      ...options
    }: ParsedArgs<'timelapses.generateThumbnails'>) =>
      thumbnails.generateForTimelapse(timelapse_id, options),
    'timelapses.verifyThumbnails': (
      { timelapse_id }: ParsedArgs<'timelapses.verifyThumbnails'>,
      { signal }: CallContext,
    ) => thumbnails.verifyTimelapseThumbnails(timelapse_id, { signal }),
    'timelapses.thumbnailStats': ({ timelapse_id }: ParsedArgs<'timelapses.thumbnailStats'>) =>
      thumbnails.getTimelapseThumbnailStats(timelapse_id),
  };
}
