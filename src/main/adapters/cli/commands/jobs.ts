import type { CommandSpec } from '../command';
import { printData } from '../output';
import { drainQueue } from './thumbnails';

export const jobsCommands: CommandSpec[] = [
  {
    name: 'jobs stats',
    summary: 'job queue statistics',
    async run(ctx) {
      printData(ctx.out, await ctx.api.call('jobs.stats'), ctx.out.json ? undefined : 'Job queue');
    },
  },
  {
    name: 'jobs run',
    summary: 'process the thumbnail queue in this process',
    options: { 'until-empty': { type: 'boolean', description: 'stop once nothing is due' } },
    /** This process works the queue (next to, or instead of, the app). */
    async run(ctx) {
      if (ctx.invocation.options['until-empty']) {
        await drainQueue(ctx, (await ctx.api.call('jobs.stats')).pending_jobs);
      } else {
        const { worker } = ctx.host;
        if (!ctx.out.json)
          ctx.out.stderr.write('Processing thumbnail jobs; press Ctrl+C to stop.\n');
        worker.start();
        await new Promise((resolve) =>
          ctx.signal.addEventListener('abort', resolve, { once: true }),
        );
        await worker.stop();
      }
      printData(
        ctx.out,
        await ctx.api.call('jobs.stats', {}),
        ctx.out.json ? undefined : 'Job queue',
      );
    },
  },
];
