import {
  describeCleared,
  describeFailedJob,
  describeQueue,
  describeQueueState,
  describeRetry,
  plural,
} from '../../../../shared/reports';
import { idSchema } from '../../../../shared/contract';
import { UsageError } from '../args';
import type { CommandSpec, OptionValues } from '../command';
import type { CliContext } from '../context';
import { printData } from '../output';
import { assertRunning, drainQueue } from './thumbnails';

/** `--job ID` given any number of times: those jobs; none: every failed job. */
const jobOption = {
  job: {
    type: 'string',
    value: 'ID',
    multiple: true,
    description: 'only this failed job (repeatable; default: every failed job)',
  },
} as const;

function jobIds(options: OptionValues): number[] | undefined {
  const given = options.job as string[] | undefined;
  if (!given) return undefined;
  return given.map((text) => {
    const id = idSchema.safeParse(text);
    if (!id.success) throw new UsageError(`--job takes a job id, not "${text}"`);
    return id.data;
  });
}

/** Pause or resume: the queue's state after it, in words. */
function queueStateCommand(
  name: string,
  summary: string,
  operation: 'jobs.pause' | 'jobs.resume',
): CommandSpec {
  return {
    name,
    summary,
    async run(ctx) {
      const state = await ctx.api.call(operation);
      printData(ctx.out, state, ctx.out.json ? undefined : 'Job queue', [
        describeQueueState(state),
      ]);
    },
  };
}

export const jobsCommands: CommandSpec[] = [
  {
    name: 'jobs stats',
    summary: 'job queue statistics, with each priority’s ETA',
    async run(ctx) {
      const stats = await ctx.api.call('jobs.stats');
      printData(ctx.out, stats, ctx.out.json ? undefined : 'Job queue', describeQueue(stats));
    },
  },
  {
    name: 'jobs run',
    summary: 'process the thumbnail queue in this process',
    options: { 'until-empty': { type: 'boolean', description: 'stop once nothing is due' } },
    /** This process works the queue (next to, or instead of, the app). */
    async run(ctx) {
      const before = await ctx.api.call('jobs.stats');
      if (ctx.invocation.options['until-empty']) {
        // A paused queue never empties: say so rather than return as if done.
        assertRunning(before);
        await drainQueue(ctx, before.pending_jobs);
      } else {
        const { worker } = ctx.host;
        if (!ctx.out.json) {
          ctx.out.stderr.write(
            before.queue.paused
              ? `${describeQueueState(before.queue)}; waiting for "timelapser jobs resume" (Ctrl+C stops).\n`
              : 'Processing thumbnail jobs; press Ctrl+C to stop.\n',
          );
        }
        worker.start();
        await new Promise((resolve) =>
          ctx.signal.addEventListener('abort', resolve, { once: true }),
        );
        await worker.stop();
      }
      const after = await ctx.api.call('jobs.stats', {});
      printData(ctx.out, after, ctx.out.json ? undefined : 'Job queue', describeQueue(after));
    },
  },
  queueStateCommand(
    'jobs pause',
    'pause the queue: no process (the app, serve, jobs run) starts another job',
    'jobs.pause',
  ),
  queueStateCommand('jobs resume', 'resume the paused queue', 'jobs.resume'),
  {
    name: 'jobs failed',
    summary: 'list failed jobs by frame (timelapse, time, file), with error and attempts',
    options: {
      limit: { type: 'string', value: 'N', description: 'at most N, newest first (default 50)' },
    },
    async run(ctx) {
      const limit = ctx.invocation.options.limit;
      const page = await ctx.api.call(
        'jobs.failed',
        limit === undefined ? {} : { limit: limit as string },
      );
      printData(ctx.out, page, ctx.out.json ? undefined : 'Failed jobs', [
        `${plural(page.total, 'failed job')}`,
        ...page.jobs.map((job) => `  ${job.job_id}: ${describeFailedJob(job)}`),
      ]);
    },
  },
  {
    name: 'jobs retry',
    summary: 'queue failed jobs again, at high priority with fresh attempts',
    options: jobOption,
    async run(ctx: CliContext) {
      const result = await ctx.api.call('jobs.retryFailed', {
        job_ids: jobIds(ctx.invocation.options),
      });
      printData(ctx.out, result, ctx.out.json ? undefined : 'Retry of failed jobs', [
        describeRetry(result),
      ]);
    },
  },
  {
    name: 'jobs clear-failed',
    summary: 'remove failed jobs from the list',
    options: jobOption,
    async run(ctx: CliContext) {
      const result = await ctx.api.call('jobs.clearFailed', {
        job_ids: jobIds(ctx.invocation.options),
      });
      printData(ctx.out, result, ctx.out.json ? undefined : 'Failed jobs cleared', [
        describeCleared(result.count),
      ]);
    },
  },
];
