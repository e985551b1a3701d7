import type { FrameRejectionReason } from '../../shared/contract';
import type { CoreContext } from '../context';
import { writeTransaction } from '../database/connection';
import type { CameraRow } from '../database/types';
import { maskCredentials } from '../catalogue/credentials';

export interface Refusal {
  /** The file name, or the camera's URL (password masked). */
  source: string;
  reason: FrameRejectionReason;
  message: string;
  /** Bytes of what was refused; null when it could not be read. */
  byteSize: number | null;
}

/**
 * Every refusal is visible: it goes into the camera's rejection log (the
 * newest 500), counts on the camera (in total and since its last stored
 * frame, which the wall tile shows) and is announced as frame_rejected.
 */
export function logRefusal(ctx: CoreContext, camera: CameraRow, refusal: Refusal): void {
  let counts;
  try {
    counts = writeTransaction(ctx.db, () => {
      ctx.ops.rejections.add({
        camera_id: camera.id,
        rejected_at: Date.now(),
        source: refusal.source,
        reason: refusal.reason,
        message: refusal.message,
        byte_size: refusal.byteSize,
      });
      return ctx.ops.cameras.recordRejection(
        camera.id,
        `frame rejected (${refusal.reason}): ${refusal.message}`,
      );
    });
  } catch (error) {
    // The camera was deleted while its frame was checked: there is no log to keep.
    if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return;
    throw error;
  }
  ctx.events.emit({
    type: 'frame_rejected',
    camera_id: camera.id,
    reason: refusal.reason,
    message: refusal.message,
    rejected_total: counts?.rejected_frames ?? 0,
    since_last_frame: counts?.rejections_since_frame ?? 0,
  });
}

/** Where a camera's frames come from, as the log names it when the frame has no file name. */
export function cameraSource(camera: CameraRow): string {
  if (!camera.source_url) return camera.source_type;
  return maskCredentials({ source_url: camera.source_url, source_options: {} }).source_url!;
}
