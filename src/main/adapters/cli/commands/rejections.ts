import { describeRejections } from '../../../../shared/reports';
import { stringOption, type CommandSpec } from '../command';
import { printData } from '../output';

/**
 * `rejections --camera ID [--limit N]`: a camera's rejection log, newest
 * first (its own file: the `cameras …` commands are another file's).
 */
export const rejectionsCommand: CommandSpec = {
  name: 'rejections',
  summary: "a camera's refused frames, newest first (the log keeps 500)",
  options: {
    camera: { type: 'string', value: 'ID', required: true, description: 'the camera id' },
    limit: { type: 'string', value: 'N', description: 'how many (1–500, default 100)' },
  },
  async run(ctx) {
    const { options } = ctx.invocation;
    const page = await ctx.api.call('cameras.rejections', {
      camera_id: stringOption(options, 'camera'),
      limit: stringOption(options, 'limit'),
    });
    printData(
      ctx.out,
      page,
      ctx.out.json ? undefined : `Refused frames of camera ${page.camera_id}`,
      describeRejections(page),
    );
  },
};
