import type { CoreContext } from '../context';
import { writeTransaction } from '../database/connection';
import type { CameraRow, ImageRow, TimelapseRow } from '../database/types';
import type { FrameKey } from '../files/names';
import type { AcceptedFrame } from './frame-check';
import type { AfterCapture, FrameOrigin } from './types';

/** A checked frame under its final name, about to get its row. */
export interface StoredFrame {
  camera: CameraRow;
  timelapse: TimelapseRow;
  key: FrameKey;
  /** Root-relative path of the frame file. */
  filePath: string;
  capturedAt: number;
  /** The checked frame: its stored bytes, size, flag and content hash. */
  frame: Pick<AcceptedFrame, 'jpeg' | 'width' | 'height' | 'flag' | 'contentHash'>;
  /** A watch folder's file: recorded with the row, so it is never taken twice. */
  origin?: FrameOrigin;
}

/**
 * A stored frame's row, its thumbnail job, the camera's last capture time (and
 * the end of its run of refusals) and (for a watch folder) the record of the
 * file it came from, in ONE
 * transaction: a kill at any instant leaves all of them or none (and a frame
 * file without its row is found again by adoption).
 */
export function recordFrame(
  ctx: CoreContext,
  afterCapture: AfterCapture,
  stored: StoredFrame,
): ImageRow {
  const { camera, timelapse, key, capturedAt, origin } = stored;
  const { frame } = stored;
  return writeTransaction(ctx.db, () => {
    const image = ctx.ops.images.insert({
      timelapse_id: timelapse.id,
      camera_id: camera.id,
      file_path: stored.filePath,
      captured_at: capturedAt,
      day_number: key.day,
      clock: key.clock,
      seq: key.seq,
      file_size: frame.jpeg.length,
      width: frame.width,
      height: frame.height,
      flag_reason: frame.flag?.reason ?? null,
      content_hash: frame.contentHash,
    });
    afterCapture(image, camera);
    if (origin)
      ctx.ops.ingestedFiles.record({ camera_id: camera.id, ...origin }, 'stored', image.id);
    // last_capture_at only moves forward (an import of older frames leaves it); a stored frame ends a run of refusals.
    ctx.ops.cameras.clearRejectionsSinceFrame(camera.id);
    const current = ctx.ops.cameras.getById(camera.id);
    if (current && (current.last_capture_at ?? 0) <= capturedAt)
      ctx.ops.cameras.recordCapture(camera.id, capturedAt);
    return image;
  });
}

/** frame_captured for a frame whose row committed: the wall shows it, the queue makes its variants. */
export function announceFrame(ctx: CoreContext, image: ImageRow): void {
  ctx.events.emit({
    type: 'frame_captured',
    camera_id: image.camera_id,
    timelapse_id: image.timelapse_id,
    image_id: image.id,
    captured_at: new Date(image.captured_at).toISOString(),
  });
}
