import { resolve } from 'node:path';
import { stringOption, type CommandSpec } from '../command';
import { describeImport } from '../../../../shared/reports';
import { printData } from '../output';
import { createProgress } from '../progress';

/** `import <folder> --camera NAME [--timelapse NAME]`: the capture path's folder import. */
export const importCommand: CommandSpec = {
  name: 'import',
  summary: 'ingest existing frames through the capture path',
  positionals: ['<folder>'],
  options: {
    camera: {
      type: 'string',
      value: 'NAME',
      required: true,
      description: 'the camera the frames belong to (made if new)',
    },
    timelapse: {
      type: 'string',
      value: 'NAME',
      description: "the session to add them to (default: the folder's name)",
    },
  },
  async run(ctx) {
    const { options } = ctx.invocation;
    const progress = createProgress('Importing', ctx.progressStream, !ctx.out.json);
    try {
      const result = await ctx.api.call(
        'capture.importFolder',
        {
          folder: resolve(ctx.invocation.rest[0]!),
          camera: stringOption(options, 'camera')!,
          timelapse: stringOption(options, 'timelapse'),
        },
        { signal: ctx.signal, onProgress: (done, total) => progress.update(done, total) },
      );
      progress.stop();
      printData(ctx.out, result, ctx.out.json ? undefined : 'Import', describeImport(result));
    } finally {
      progress.stop();
    }
  },
};
