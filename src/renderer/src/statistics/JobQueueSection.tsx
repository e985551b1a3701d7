import type { JobStatistics } from '../../../shared/contract';
import {
  describePriority,
  describeQueueState,
  formatDateTime,
  formatDuration,
  n,
} from '../../../shared/reports';
import { Stat } from './Stat';

/** The queue now and over the last 24 h: counts and success rate from the same window, each priority's ETA. */
export function JobQueueSection({ jobs }: { jobs: JobStatistics }) {
  const finished = jobs.completed_jobs_24h + jobs.failed_jobs_24h;
  const idle = finished === 0 && jobs.pending_jobs === 0 && jobs.processing_jobs === 0;
  return (
    <section className="card" aria-labelledby="queue-title">
      <h3 id="queue-title">Job queue</h3>
      {jobs.queue.paused && (
        <p className="stale-note" role="status" data-queue="paused">
          {describeQueueState(jobs.queue)}
        </p>
      )}
      {idle ? (
        <p className="empty-state" data-empty="queue">
          No thumbnail jobs in the last 24 hours, and none waiting.
        </p>
      ) : (
        <>
          <dl className="stat-grid">
            <Stat label="Pending" value={n(jobs.pending_jobs)} />
            <Stat label="Processing" value={n(jobs.processing_jobs)} />
            <Stat label="Completed (24 h)" value={n(jobs.completed_jobs_24h)} />
            <Stat
              label="Failed (24 h)"
              value={n(jobs.failed_jobs_24h)}
              valueClassName={jobs.failed_jobs_24h > 0 ? 'error-text' : undefined}
            />
            <Stat
              label="Success rate (24 h)"
              value={
                jobs.success_rate_24h === null
                  ? '—'
                  : `${(jobs.success_rate_24h * 100).toFixed(1)}%`
              }
            />
            <Stat
              label="Oldest pending"
              value={
                jobs.oldest_pending_age_seconds === null
                  ? '—'
                  : formatDuration(jobs.oldest_pending_age_seconds)
              }
            />
          </dl>
          <ul className="plain-list priority-list" aria-label="Waiting per priority">
            {jobs.priorities.map((entry) => (
              <li key={entry.priority} data-priority={entry.priority}>
                {describePriority(entry, jobs.queue.paused)}
              </li>
            ))}
          </ul>
        </>
      )}
      {jobs.recent_failures.length > 0 && (
        <table className="data-table">
          <caption>Recent failures (details and retry in Settings → Maintenance)</caption>
          <thead>
            <tr>
              <th scope="col">Job</th>
              <th scope="col">Image</th>
              <th scope="col">When</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {jobs.recent_failures.map((failure) => (
              <tr key={failure.job_id}>
                <td className="num">{failure.job_id}</td>
                <td className="num">{failure.image_id}</td>
                <td>{failure.completed_at ? formatDateTime(failure.completed_at) : '—'}</td>
                <td>{failure.error_message ?? 'unknown'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
