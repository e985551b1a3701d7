import { version } from '../../../../package.json';
import type { ParsedArgs } from '../../../shared/contract';
import type { Core } from '../../core';

const startedAt = Date.now();

/** Health, settings, the job queue and performance figures. */
export function systemHandlers(core: Core) {
  return {
    'system.health': () => ({
      status: 'ok' as const,
      version,
      uptime_seconds: Math.round((Date.now() - startedAt) / 1000),
    }),

    'settings.get': () => core.settings.getAll(),
    'settings.update': (patch: ParsedArgs<'settings.update'>) => {
      const settings = core.settings.update(patch);
      core.events.emit({ type: 'settings_changed' });
      return settings;
    },

    'jobs.stats': () => core.jobs.getJobStatistics(),
    'jobs.cancelPending': () => ({ count: core.jobs.cancelPendingJobs() }),
    'jobs.cleanup': ({ older_than_hours }: ParsedArgs<'jobs.cleanup'>) => ({
      count: core.jobs.cleanupCompletedJobs(older_than_hours),
    }),
    'jobs.pause': () => core.jobs.pauseQueue(),
    'jobs.resume': () => core.jobs.resumeQueue(),
    'jobs.failed': ({ limit, before_id, session_id }: ParsedArgs<'jobs.failed'>) =>
      core.jobs.listFailedJobs(limit, before_id ?? null, session_id ?? null),
    'jobs.retryFailed': ({ job_ids }: ParsedArgs<'jobs.retryFailed'>) =>
      core.jobs.retryFailedJobs(job_ids ?? null),
    'jobs.clearFailed': ({ job_ids }: ParsedArgs<'jobs.clearFailed'>) => ({
      count: core.jobs.clearFailedJobs(job_ids ?? null),
    }),

    'performance.stats': () => core.performance.getPerformanceStatistics(),
    'performance.issues': () => core.performance.identifyPerformanceIssues(),
    'performance.recommendations': () => core.performance.optimizeGenerationSettings(),
  };
}
