import {
  DEFAULT_FPS,
  DEFAULT_VIDEO_SIZE,
  idSchema,
  MAX_FPS,
  MIN_FPS,
  VIDEO_SIZES,
} from '../../../../shared/contract';
import { describeVideo, describeVideoScope } from '../../../../shared/reports';
import { TimelapserError } from '../../../errors';
import { UsageError } from '../args';
import { stringOption, type CommandSpec } from '../command';
import { printData } from '../output';
import { createProgress } from '../progress';

/** A render that ended without a file: exit code 1 with its reason. */
class RenderEndedError extends TimelapserError {
  constructor(videoId: number, status: string, reason: string | null) {
    super(`The render ${status}${reason ? `: ${reason}` : ''}`, 'render_failed', 500, {
      video_id: videoId,
    });
  }
}

/** `render <timelapse-id> [--fps N] [--size full|1080p|small] [--from-day A] [--to-day B] [--wait]`. */
export const renderCommand: CommandSpec = {
  name: 'render',
  summary: 'export a timelapse to MP4 (H.264) in its videos/ folder',
  positionals: ['<timelapse-id>'],
  options: {
    fps: {
      type: 'string',
      value: 'N',
      description: `frames per second, ${MIN_FPS}–${MAX_FPS} (default ${DEFAULT_FPS})`,
    },
    size: {
      type: 'string',
      value: VIDEO_SIZES.join('|'),
      description: `the frames' own size, fitted into 1920×1080, or the smalls' 800×600 (default ${DEFAULT_VIDEO_SIZE})`,
    },
    'from-day': {
      type: 'string',
      value: 'A',
      description: 'first day to include (default: the first)',
    },
    'to-day': {
      type: 'string',
      value: 'B',
      description: 'last day to include (default: the last)',
    },
    wait: {
      type: 'boolean',
      description: 'render here and now, then print the file (else the app or serve renders it)',
    },
  },
  async run(ctx) {
    const { options, rest } = ctx.invocation;
    const timelapse = idSchema.safeParse(rest[0]);
    if (!timelapse.success)
      throw new UsageError(
        `<timelapse-id> is a timelapse id, not "${rest[0]}"`,
        ctx.invocation.command!,
      );
    const queued = await ctx.api.call('videos.render', {
      timelapse_id: timelapse.data,
      fps: stringOption(options, 'fps'),
      size: stringOption(options, 'size'),
      from_day: stringOption(options, 'from-day'),
      to_day: stringOption(options, 'to-day'),
    });
    const path = ctx.host.videos.filePath(queued.id);
    if (options.wait !== true) {
      printData(ctx.out, queued, ctx.out.json ? undefined : 'Render queued', [
        describeVideo(queued),
        describeVideoScope(queued),
        `The app or "timelapser serve" renders it to ${path}`,
      ]);
      return;
    }
    const progress = createProgress('Rendering', ctx.progressStream, !ctx.out.json);
    try {
      await ctx.host.videos.renderHere(queued.id, {
        signal: ctx.signal,
        onProgress: (done, total) => progress.update(done, total),
      });
    } finally {
      progress.stop();
    }
    const video = await ctx.api.call('videos.get', { video_id: queued.id });
    if (video.status !== 'completed')
      throw new RenderEndedError(video.id, video.status, video.error);
    printData(ctx.out, video, ctx.out.json ? undefined : path, [
      describeVideo(video),
      describeVideoScope(video),
    ]);
  },
};
