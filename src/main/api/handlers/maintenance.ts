import type { ApiCore } from '../core-parts';
import { ServiceUnavailableError } from '../errors';

/** The spec's thumbnail management operations, system-wide and per timelapse. */
export function maintenanceHandlers(_core: ApiCore) {
  const maintenanceOnly = (): never => {
    throw new ServiceUnavailableError('Thumbnail maintenance (the thumbnail service)');
  };
  return {
    'thumbnails.stats': maintenanceOnly,
    'thumbnails.regenerateAll': maintenanceOnly,
    'thumbnails.regenerationStatus': maintenanceOnly,
    'thumbnails.cancelRegeneration': maintenanceOnly,
    'thumbnails.verifyAll': maintenanceOnly,
    'thumbnails.repair': maintenanceOnly,
    'thumbnails.cleanup': maintenanceOnly,
    'thumbnails.deleteAll': maintenanceOnly,
    'timelapses.generateThumbnails': maintenanceOnly,
    'timelapses.verifyThumbnails': maintenanceOnly,
    'timelapses.thumbnailStats': maintenanceOnly,
  };
}
