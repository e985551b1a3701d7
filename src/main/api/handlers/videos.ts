import { encodeFrames, type ParsedArgs } from '../../../shared/contract';
import type { Core } from '../../core';
import { NotFoundError } from '../../errors';
import { videoDto } from '../dto';

/** Watching and exporting a timelapse: the player's frame index and the MP4 render jobs. */
export function videoHandlers(core: Core) {
  const { videos } = core;
  return {
    'timelapses.frames': ({
      timelapse_id,
      offset = 0,
      last_id,
      flagged = false,
    }: ParsedArgs<'timelapses.frames'>) => {
      if (!core.ops.timelapses.getById(timelapse_id)) {
        throw new NotFoundError('Timelapse not found', { timelapse_id });
      }
      // One read transaction: the check and the rows see the same index.
      return core.db.transaction(() => {
        // The caller's index ends where ours does only if the frame before `offset` is still its last one.
        const from =
          offset > 0 &&
          core.ops.images.frameIndex(timelapse_id, offset - 1, 1, flagged)[0]?.id === last_id
            ? offset
            : 0;
        const rows = core.ops.images.frameIndex(timelapse_id, from, -1, flagged);
        return encodeFrames(timelapse_id, from, rows);
      })();
    },
    'videos.list': ({ timelapse_id }: ParsedArgs<'videos.list'>) => {
      const now = Date.now();
      return videos.list(timelapse_id).map((row) => videoDto(row, now));
    },
    'videos.render': async (args: ParsedArgs<'videos.render'>) =>
      videoDto(await videos.render(args)),
    'videos.get': ({ video_id }: ParsedArgs<'videos.get'>) => videoDto(videos.get(video_id)),
    'videos.cancel': ({ video_id }: ParsedArgs<'videos.cancel'>) =>
      videoDto(videos.cancel(video_id)),
    'videos.delete': async ({ video_id }: ParsedArgs<'videos.delete'>) => {
      await videos.delete(video_id);
      return { deleted: true as const, id: video_id };
    },
  };
}
