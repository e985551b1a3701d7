import type { JobStatistics } from '../../../shared/contract';
import { formatDuration, n } from '../format/reports';
import { formatDateTime } from '../format/dates';

export function JobQueueSection({ jobs }: { jobs: JobStatistics }) {
  return (
    <section className="card" aria-labelledby="queue-title">
      <h3 id="queue-title">Job queue</h3>
      <dl className="stat-grid">
        <div>
          <dt>Pending</dt>
          <dd>{n(jobs.pending_jobs)}</dd>
        </div>
        <div>
          <dt>Processing</dt>
          <dd>{n(jobs.processing_jobs)}</dd>
        </div>
        <div>
          <dt>Completed (24 h)</dt>
          <dd>{n(jobs.completed_jobs_24h)}</dd>
        </div>
        <div>
          <dt>Failed (24 h)</dt>
          <dd className={jobs.failed_jobs_24h > 0 ? 'error-text' : undefined}>{n(jobs.failed_jobs_24h)}</dd>
        </div>
        <div>
          <dt>Oldest pending</dt>
          <dd>{jobs.oldest_pending_age_seconds === null ? '—' : formatDuration(jobs.oldest_pending_age_seconds)}</dd>
        </div>
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
