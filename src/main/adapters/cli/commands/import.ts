import { resolve } from 'node:path';
import type { CliContext } from '../context';
import { printData } from '../output';
import { createProgress } from '../progress';

/** `import <folder> --camera NAME [--timelapse NAME]`: the capture path's folder import. */
export async function runImport(ctx: CliContext): Promise<void> {
  const { camera, timelapse } = ctx.invocation.options;
  const progress = createProgress('Importing', ctx.progressStream, !ctx.out.json);
  try {
    const result = await ctx.api.call(
      'capture.importFolder',
      { folder: resolve(ctx.invocation.rest[0]!), camera, timelapse },
      { signal: ctx.signal, onProgress: (done, total) => progress.update(done, total) },
    );
    progress.stop();
    printData(ctx.out, result, ctx.out.json ? undefined : 'Import');
  } finally {
    progress.stop();
  }
}
