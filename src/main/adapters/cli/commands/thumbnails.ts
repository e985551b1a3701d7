import {
  type OperationName,
  type OperationResult,
  type RegenerationStatus,
  idSchema,
} from '../../../../shared/contract';
import {
  describeCleanup,
  describeDeleteAll,
  describeRegeneration,
  describeRepair,
  describeVerification,
} from '../../../../shared/reports';
import { UsageError } from '../args';
import { stringOption, type CommandSpec, type OptionSpec, type OptionValues } from '../command';
import type { CliContext } from '../context';
import { printData } from '../output';
import { createProgress } from '../progress';

interface OperationCommand<N extends OperationName> {
  name: string;
  summary: string;
  operation: N;
  title: string;
  options?: Record<string, OptionSpec>;
  args?: (options: OptionValues) => Record<string, unknown>;
  /** The result in words, as the UI and the menu say it. */
  describe?: (result: OperationResult<N>) => readonly string[];
}

/** A command that runs one operation of the contract, with maintenance progress on a TTY. */
export function operationCommand<N extends OperationName>(spec: OperationCommand<N>): CommandSpec {
  return {
    name: spec.name,
    summary: spec.summary,
    options: spec.options,
    async run(ctx) {
      const args = spec.args?.(ctx.invocation.options) ?? {};
      const progress = createProgress(spec.title, ctx.progressStream, !ctx.out.json);
      const unsubscribe = ctx.host.events.on('maintenance_progress', (event) =>
        progress.update(event.processed, event.total),
      );
      try {
        const result = await ctx.api.call(spec.operation, args, { signal: ctx.signal });
        printData(ctx.out, result, ctx.out.json ? undefined : spec.title, spec.describe?.(result));
      } finally {
        unsubscribe();
        progress.stop();
      }
    },
  };
}

/** --dry-run and --force of a command that deletes, as the operation's dry_run and force. */
export function previewedDeletion(dryRun: string, force: string) {
  return {
    options: {
      'dry-run': { type: 'boolean', description: dryRun },
      force: { type: 'boolean', description: force },
    } satisfies Record<string, OptionSpec>,
    args: (o: OptionValues) => ({ dry_run: o['dry-run'] === true, force: o.force === true }),
  };
}

export const thumbnailsCommands: CommandSpec[] = [
  operationCommand({
    name: 'thumbnails stats',
    summary: 'system thumbnail statistics',
    operation: 'thumbnails.stats',
    title: 'Thumbnail statistics',
  }),
  operationCommand({
    name: 'thumbnails verify',
    summary: 'verify every thumbnail and small against the disk',
    operation: 'thumbnails.verifyAll',
    title: 'Verification',
    describe: describeVerification,
  }),
  operationCommand({
    name: 'thumbnails repair',
    summary: 'match orphaned thumbnail files back to their images',
    operation: 'thumbnails.repair',
    title: 'Repair of orphaned thumbnails',
    ...previewedDeletion(
      'say what would be matched and deleted, change nothing',
      'delete unmatched files even above the safety threshold',
    ),
    describe: describeRepair,
  }),
  operationCommand({
    name: 'thumbnails cleanup',
    summary: 'delete orphaned files no image can claim',
    operation: 'thumbnails.cleanup',
    title: 'Cleanup of orphaned files',
    ...previewedDeletion(
      'list what would be deleted, delete nothing',
      'delete even above the safety threshold',
    ),
    describe: describeCleanup,
  }),
  {
    name: 'thumbnails regenerate',
    summary: "regenerate all thumbnails (or one timelapse's)",
    options: {
      timelapse: { type: 'string', value: 'ID', description: 'only this timelapse' },
      force: { type: 'boolean', description: 'also images that have their thumbnails' },
      wait: { type: 'boolean', description: 'process the jobs here and wait for them' },
    },
    run: runRegenerate,
  },
  operationCommand({
    name: 'thumbnails cancel',
    summary: 'cancel the running regeneration (also one whose process was killed)',
    operation: 'thumbnails.cancelRegeneration',
    title: 'Regeneration',
    describe: (status) => [describeRegeneration(status)],
  }),
  operationCommand({
    name: 'thumbnails delete-all',
    summary: 'delete every thumbnail and small',
    operation: 'thumbnails.deleteAll',
    title: 'Delete all thumbnails',
    options: {
      yes: {
        type: 'boolean',
        required: true,
        description: 'confirm: every thumbnail and small goes',
      },
    },
    args: () => ({ confirm: true }),
    describe: describeDeleteAll,
  }),
];

/** `thumbnails regenerate [--timelapse ID] [--force] [--wait]`. */
async function runRegenerate(ctx: CliContext): Promise<void> {
  const { options } = ctx.invocation;
  const timelapse = stringOption(options, 'timelapse');
  const force_regenerate = options.force === true;
  const wait = options.wait === true;
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
  printData(ctx.out, final, ctx.out.json ? undefined : 'Regeneration', [
    describeRegeneration(final),
  ]);
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
