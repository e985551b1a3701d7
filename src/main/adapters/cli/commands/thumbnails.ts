import { type OperationName, type OperationResult, type RegenerationStatus, idSchema } from '../../../../shared/contract';
import {
  describeCleanup,
  describeDeleteAll,
  describeRegeneration,
  describeRepair,
  describeVerification,
} from '../../../../shared/reports';
import { UsageError } from '../args';
import type { CliContext } from '../context';
import { printData } from '../output';
import { createProgress } from '../progress';

interface Simple<N extends OperationName = OperationName> {
  operation: N;
  title: string;
  args?: (options: CliContext['invocation']['options']) => Record<string, unknown>;
  /** The result in words, as the UI and the menu say it. */
  describe?: (result: OperationResult<N>) => readonly string[];
}

const simple = <N extends OperationName>(spec: Simple<N>) => spec as unknown as Simple;

const SIMPLE: Record<string, Simple> = {
  'thumbnails stats': simple({ operation: 'thumbnails.stats', title: 'Thumbnail statistics' }),
  'thumbnails verify': simple({ operation: 'thumbnails.verifyAll', title: 'Verification', describe: describeVerification }),
  'thumbnails repair': simple({ operation: 'thumbnails.repair', title: 'Repair of orphaned thumbnails', describe: describeRepair }),
  'thumbnails cleanup': simple({
    operation: 'thumbnails.cleanup',
    title: 'Cleanup of orphaned files',
    args: (o) => ({ dry_run: o['dry-run'] === true, force: o.force === true }),
    describe: describeCleanup,
  }),
  'thumbnails delete-all': simple({
    operation: 'thumbnails.deleteAll',
    title: 'Delete all thumbnails',
    args: (o) => {
      if (!o.yes)
        throw new UsageError('delete-all removes every thumbnail and small: confirm with --yes');
      return { confirm: true };
    },
    describe: describeDeleteAll,
  }),
  'jobs stats': simple({ operation: 'jobs.stats', title: 'Job queue' }),
};

export function isSimpleCommand(command: string): boolean {
  return Object.hasOwn(SIMPLE, command);
}

/** One operation of the contract, with maintenance progress on a TTY. */
export async function runSimple(ctx: CliContext): Promise<void> {
  const spec = SIMPLE[ctx.invocation.command]!;
  const args = spec.args?.(ctx.invocation.options) ?? {};
  const progress = createProgress(spec.title, ctx.progressStream, !ctx.out.json);
  const unsubscribe = ctx.host.events.on('maintenance_progress', (event) =>
    progress.update(event.processed, event.total),
  );
  try {
    const result = await ctx.api.call(spec.operation, args, { signal: ctx.signal });
    printData(ctx.out, result, ctx.out.json ? undefined : spec.title, spec.describe?.(result as never));
  } finally {
    unsubscribe();
    progress.stop();
  }
}

/** `thumbnails regenerate [--timelapse ID] [--force] [--wait]`. */
export async function runRegenerate(ctx: CliContext): Promise<void> {
  const { timelapse, force, wait } = ctx.invocation.options;
  const force_regenerate = force === true;
  if (timelapse !== undefined) {
    const id = idSchema.safeParse(timelapse);
    if (!id.success) throw new UsageError(`--timelapse takes a timelapse id, not "${timelapse}"`);
    const result = await ctx.api.call('timelapses.generateThumbnails', {
      timelapse_id: id.data,
      force_regenerate,
    });
    if (wait) await drainQueue(ctx, result.jobs_queued);
    printData(
      ctx.out,
      result,
      ctx.out.json ? undefined : `Thumbnails queued for timelapse ${id.data}`,
    );
    return;
  }
  await ctx.api.call('thumbnails.regenerateAll', { force_regenerate });
  // Jobs are queued in the background; closing the core early would leave the rest to the app's next tick.
  const final = wait ? await waitForRegeneration(ctx) : await queued(ctx);
  printData(ctx.out, final, ctx.out.json ? undefined : 'Regeneration', [describeRegeneration(final)]);
}

/** The session's status once this process has queued all of its jobs. */
async function queued(ctx: CliContext): Promise<RegenerationStatus> {
  await ctx.host.whenRegenerationQueued();
  return ctx.api.call('thumbnails.regenerationStatus', {});
}

/** Runs the worker here while polling the session's status, until it is no longer running. */
async function waitForRegeneration(ctx: CliContext): Promise<RegenerationStatus> {
  const progress = createProgress('Regenerating', ctx.progressStream, !ctx.out.json);
  const { worker } = ctx.host;
  worker.start();
  try {
    for (;;) {
      const status = await ctx.api.call('thumbnails.regenerationStatus', {});
      progress.update(status.completed + status.failed, status.total);
      if (status.status !== 'running' || ctx.signal.aborted) return status;
      await sleep(250, ctx.signal);
    }
  } finally {
    progress.stop();
    await worker.stop();
  }
}

/** Processes the queue in this process until nothing is due, counting finished jobs. */
export async function drainQueue(ctx: CliContext, expected: number | null): Promise<number> {
  const progress = createProgress('Processing', ctx.progressStream, !ctx.out.json);
  let done = 0;
  let total = expected;
  const stops = [
    ctx.host.events.on('jobs_queued', (event) => {
      if (total !== null) total += event.count;
    }),
    ctx.host.events.on('job_completed', () => progress.update(++done, total)),
    ctx.host.events.on('job_failed', () => progress.update(++done, total)),
  ];
  try {
    await ctx.host.worker.runUntilEmpty(ctx.signal);
  } finally {
    stops.forEach((stop) => stop());
    progress.stop();
  }
  return done;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
