import type { CliContext } from '../context';
import { printData } from '../output';
import { drainQueue } from './thumbnails';

/** `jobs run [--until-empty]`: this process works the queue (next to, or instead of, the app). */
export async function runJobs(ctx: CliContext): Promise<void> {
  if (ctx.invocation.options['until-empty']) {
    await drainQueue(ctx, (await ctx.api.call('jobs.stats')).pending_jobs);
  } else {
    const { worker } = ctx.host;
    if (!ctx.out.json) ctx.out.stderr.write('Processing thumbnail jobs; press Ctrl+C to stop.\n');
    worker.start();
    await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true }));
    await worker.stop();
  }
  printData(ctx.out, await ctx.api.call('jobs.stats', {}), ctx.out.json ? undefined : 'Job queue');
}
