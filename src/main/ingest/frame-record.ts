import type { CoreContext } from '../context';
import { writeTransaction } from '../database/connection';
import type { NewImage } from '../database/operations/image-operations';
import type { CameraRow, ImageRow } from '../database/types';
import type { AfterCapture, FrameOrigin } from './types';

/**
 * A stored frame's row, its thumbnail job, the camera's last capture time and
 * (for a watch folder) the record of the file it came from, in ONE
 * transaction: a kill at any instant leaves all of them or none (and a frame
 * file without its row is found again by adoption).
 */
export function recordFrame(
  ctx: CoreContext,
  afterCapture: AfterCapture,
  row: NewImage,
  camera: CameraRow,
  origin?: FrameOrigin,
): ImageRow {
  return writeTransaction(ctx.db, () => {
    const image = ctx.ops.images.insert(row);
    afterCapture(image, camera);
    if (origin)
      ctx.ops.ingestedFiles.record({ camera_id: camera.id, ...origin }, 'stored', image.id);
    // last_capture_at only moves forward (an import of older frames leaves it).
    const current = ctx.ops.cameras.getById(camera.id);
    if (current && (current.last_capture_at ?? 0) <= row.captured_at)
      ctx.ops.cameras.recordCapture(camera.id, row.captured_at);
    return image;
  });
}
