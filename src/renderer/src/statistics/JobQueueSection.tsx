import type { JobStatistics } from '../../../shared/contract';
import { formatDuration, n, formatDateTime } from '../../../shared/reports';
import { Stat } from './Stat';

export function JobQueueSection({ jobs }: { jobs: JobStatistics }) {
  return (
    <section className="card" aria-labelledby="queue-title">
      <h3 id="queue-title">Job queue</h3>
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
          label="Oldest pending"
          value={jobs.oldest_pending_age_seconds === null ? '—' : formatDuration(jobs.oldest_pending_age_seconds)}
        />
      </dl>
      {jobs.recent_failures.length > 0 && (
        <table className="data-table">
          <caption>Recent failures</caption>
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
