import type {
  FailedJob,
  JobStatistics,
  PriorityEta,
  QueueState,
  RegenerationStatus,
  RetryResult,
} from '../contract';
import { formatDateTime, formatDuration, n, plural } from './format';

/** The job queue in words: its pause, each priority's wait, a failed job by its frame. */

export function describeQueueState(queue: QueueState): string {
  if (!queue.paused) return 'The queue is running';
  const since = queue.paused_at ? ` since ${formatDateTime(queue.paused_at)}` : '';
  return `The queue is paused${since}${queue.paused_by ? ` (by ${queue.paused_by})` : ''}: no process starts another job until it is resumed`;
}

/** "High: 12 waiting, done in about 30 s". */
export function describePriority(entry: PriorityEta, paused: boolean): string {
  const label = entry.priority[0]!.toUpperCase() + entry.priority.slice(1);
  if (entry.waiting === 0) return `${label}: nothing waiting`;
  const eta =
    entry.eta_seconds !== null
      ? `done in about ${formatDuration(entry.eta_seconds)}`
      : paused
        ? 'waiting for the queue to resume'
        : 'ETA once the pace is measured';
  return `${label}: ${n(entry.waiting)} waiting, ${eta}`;
}

export function describeQueue(jobs: JobStatistics): string[] {
  return [
    describeQueueState(jobs.queue),
    ...jobs.priorities.map((entry) => describePriority(entry, jobs.queue.paused)),
  ];
}

/** "Yard / Yard session, 1 Jan 2025, 08:00:03 (cameras/…/f.jpg): Input file is missing, 2 attempts". */
export function describeFailedJob(job: FailedJob): string {
  return `${job.camera_name} / ${job.timelapse_name}, ${formatDateTime(job.captured_at)} (${job.file_path}): ${job.error_message ?? 'unknown error'}, ${plural(job.attempts, 'attempt')}`;
}

/** Why a regeneration waited on failures: "3 of 60 jobs failed". */
export function describeRegenerationFailures(
  status: Pick<RegenerationStatus, 'failed' | 'total'>,
): string {
  return `${n(status.failed)} of ${plural(status.total, 'job')} failed`;
}

/** "2 jobs queued again; 1 job dropped: its image has a job already". */
export function describeRetry(result: RetryResult): string {
  const dropped =
    result.superseded > 0
      ? `; ${plural(result.superseded, 'job')} dropped: ${result.superseded === 1 ? 'its image has' : 'their images have'} a job already`
      : '';
  return `${plural(result.requeued, 'job')} queued again${dropped}`;
}

export function describeCleared(count: number): string {
  return `${plural(count, 'failed job')} cleared`;
}
