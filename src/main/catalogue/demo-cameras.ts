import type { CoreContext } from '../context';
import { writeTransaction } from '../database/connection';
import type { CameraRow } from '../database/types';

/** Demo frames every 30 s: a live wall at once, about 0.4 GB a day per camera. */
export const DEMO_INTERVAL_S = 30;

/**
 * First start with an empty library: `count` demo cameras, each with an active
 * timelapse, so a newcomer sees a live wall at once. Does nothing when any
 * camera exists (checked and created in one write transaction, so two
 * processes starting together cannot both add them). Answers the cameras made.
 */
export function ensureDemoCameras(ctx: CoreContext, count = 4): CameraRow[] {
  const now = Date.now();
  const created = writeTransaction(ctx.db, () => {
    if (ctx.ops.cameras.list().length > 0) return [];
    return Array.from({ length: count }, (_, i) => {
      const camera = ctx.ops.cameras.create({
        name: `Demo camera ${i + 1}`,
        source_type: 'demo',
        capture_interval_s: DEMO_INTERVAL_S,
      });
      const timelapse = ctx.ops.timelapses.create(camera.id, `Demo camera ${i + 1} session`, now);
      return { camera, timelapse };
    });
  });
  for (const { camera, timelapse } of created) {
    ctx.tree.ensureTimelapseDirs(camera.id, timelapse.id);
    ctx.events.emit({ type: 'camera_changed', camera_id: camera.id });
    ctx.events.emit({
      type: 'timelapse_changed',
      timelapse_id: timelapse.id,
      camera_id: camera.id,
    });
  }
  return created.map((c) => c.camera);
}
