import {
  type FailedJobPage,
  type JobStatistics,
  type OperationName,
  type OperationResult,
  type RegenerationStatus,
  idSchema,
} from '../../../../shared/contract';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  describeCleanup,
  describeDeleteAll,
  describeFailedJob,
  describeOrphans,
  describeQueueState,
  describeRegeneration,
  describeRegenerationFailures,
  describeRepair,
  describeStorage,
  describeVerification,
  n,
  REGENERATION_MODES,
} from '../../../../shared/reports';
import { TimelapserError } from '../../../errors';
import { UsageError } from '../args';
import { stringOption, type CommandSpec, type OptionSpec, type OptionValues } from '../command';
import type { CliContext } from '../context';
import { printData, ReportedError } from '../output';
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
function operationCommand<N extends OperationName>(spec: OperationCommand<N>): CommandSpec {
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

export const thumbnailsCommands: CommandSpec[] = [
  {
    name: 'thumbnails stats',
    summary: 'system thumbnail statistics, with orphans and disk use from the last scan',
    options: {
      scan: {
        type: 'boolean',
        description:
          'scan the tree now (otherwise only when it was never scanned or changed since)',
      },
    },
    run: runStats,
  },
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
    describe: describeRepair,
  }),
  operationCommand({
    name: 'thumbnails cleanup',
    summary: 'delete orphaned files no image can claim',
    operation: 'thumbnails.cleanup',
    title: 'Cleanup of orphaned files',
    options: {
      'dry-run': { type: 'boolean', description: 'list what would be deleted, delete nothing' },
      force: { type: 'boolean', description: 'delete even above the safety threshold' },
    },
    args: (o) => ({ dry_run: o['dry-run'] === true, force: o.force === true }),
    describe: describeCleanup,
  }),
  {
    name: 'thumbnails regenerate',
    summary: `regenerate thumbnails and smalls: ${REGENERATION_MODES.missing.label.toLowerCase()} (default) or ${REGENERATION_MODES.everything.label.toLowerCase()} (--force)`,
    options: {
      timelapse: { type: 'string', value: 'ID', description: 'only this timelapse' },
      force: {
        type: 'boolean',
        description: `${REGENERATION_MODES.everything.label}: ${REGENERATION_MODES.everything.help} Without it, ${REGENERATION_MODES.missing.label.toLowerCase()}: ${REGENERATION_MODES.missing.help}`,
      },
      wait: {
        type: 'boolean',
        description: 'process the jobs here and wait for them (exit 1 if any failed)',
      },
    },
    run: runRegenerate,
  },
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

/** `thumbnails stats [--scan]`: a one-shot process has no scan of its own, so it waits for one when the stored census is missing or stale. */
async function runStats(ctx: CliContext): Promise<void> {
  let stats = await ctx.api.call('thumbnails.stats');
  const due = stats.orphan_scan.scanned_at === null || stats.orphan_scan.stale;
  if (ctx.invocation.options.scan === true || due) {
    if (!ctx.out.json) ctx.out.stderr.write('Scanning the library for orphans and disk use…\n');
    const progress = createProgress('Scanning', ctx.progressStream, !ctx.out.json);
    const unsubscribe = ctx.host.events.on('maintenance_progress', (event) =>
      progress.update(event.processed, event.total),
    );
    try {
      stats = await ctx.api.call('thumbnails.scan', {}, { signal: ctx.signal });
    } finally {
      unsubscribe();
      progress.stop();
    }
  }
  printData(ctx.out, stats, ctx.out.json ? undefined : 'Thumbnail statistics', [
    describeOrphans(stats),
    describeStorage(stats.storage),
  ]);
}

/** `thumbnails regenerate [--timelapse ID] [--force] [--wait]`. */
async function runRegenerate(ctx: CliContext): Promise<void> {
  const { options } = ctx.invocation;
  const timelapse = stringOption(options, 'timelapse');
  const force_regenerate = options.force === true;
  const wait = options.wait === true;
  if (wait) assertRunning(await ctx.api.call('jobs.stats'));
  if (timelapse !== undefined) {
    const id = idSchema.safeParse(timelapse);
    if (!id.success) throw new UsageError(`--timelapse takes a timelapse id, not "${timelapse}"`);
    const result = await ctx.api.call('timelapses.generateThumbnails', {
      timelapse_id: id.data,
      force_regenerate,
    });
    const final = wait ? await waitForRegeneration(ctx) : null;
    await reportRegeneration(ctx, final, result, `Thumbnails queued for timelapse ${id.data}`);
    return;
  }
  await ctx.api.call('thumbnails.regenerateAll', { force_regenerate });
  // Jobs are queued in the background; closing the core early would leave the rest to the app's next tick.
  const final = wait ? await waitForRegeneration(ctx) : await queued(ctx);
  await reportRegeneration(ctx, final, final, 'Regeneration');
}

/**
 * Prints the result; after --wait, failed jobs make exit code 1 with how many
 * and why (the first few by frame), as the error body with --json.
 */
async function reportRegeneration(
  ctx: CliContext,
  final: RegenerationStatus | null,
  data: unknown,
  title: string,
): Promise<void> {
  const summary = final ? [describeRegeneration(final)] : [];
  if (!final || final.failed === 0 || final.session_id === null) {
    printData(ctx.out, data, ctx.out.json ? undefined : title, summary);
    return;
  }
  const failures = await ctx.api.call('jobs.failed', {
    session_id: final.session_id,
    limit: LISTED_FAILURES,
  });
  if (!ctx.out.json) printData(ctx.out, data, title, summary);
  throw new JobsFailedError(final, failures);
}

const LISTED_FAILURES = 5;

/** Some jobs of a waited-for regeneration failed: exit 1, saying how many and why. */
class JobsFailedError extends ReportedError {
  constructor(status: RegenerationStatus, failures: FailedJobPage) {
    const more = failures.total - failures.jobs.length;
    super(
      [
        describeRegenerationFailures(status),
        ...failures.jobs.map((job) => `  ${describeFailedJob(job)}`),
        ...(more > 0 ? [`  …and ${n(more)} more`] : []),
        'See "timelapser jobs failed"; retry them with "timelapser jobs retry".',
      ].join('\n'),
      'jobs_failed',
      500,
      { regeneration: status, failures: failures.jobs },
    );
  }
}

/** --wait on a paused queue would wait for ever: say so at once (exit 1). */
export function assertRunning(jobs: JobStatistics): void {
  if (jobs.queue.paused)
    throw new QueuePausedError(
      `${describeQueueState(jobs.queue)}; resume it with "timelapser jobs resume"`,
    );
}

export class QueuePausedError extends TimelapserError {
  constructor(message: string) {
    super(message, 'queue_paused', 409);
  }
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
      progress.update(status.completed + status.failed, status.total, status.eta_seconds);
      if (status.status !== 'running' || ctx.signal.aborted) return status;
      // One abort listener per wait, removed with it (no MaxListeners warning on a long run).
      await sleep(250, undefined, { signal: ctx.signal }).catch(() => undefined);
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
