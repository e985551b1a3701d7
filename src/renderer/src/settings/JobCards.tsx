import { useState } from 'react';
import type { FailedJob } from '../../../shared/contract';
import {
  describeCleared,
  describePriority,
  describeQueueState,
  describeRetry,
  formatDateTime,
  n,
  plural,
} from '../../../shared/reports';
import { errorMessage } from '../api/transport';
import { Link } from '../app/Link';
import { ResourceStatus } from '../app/ResourceStatus';
import { useServices } from '../app/services';
import { useEventReload } from '../app/use-event-reload';
import { useResource } from '../app/use-resource';
import { Card } from './Card';

/** The queue's state: pause and resume (every process obeys), and each priority's wait and ETA. */
export function QueueCard() {
  const { api } = useServices();
  const jobs = useResource(() => api.call('jobs.stats'), 'queue', { everyMs: 5000 });
  useEventReload(
    (event) => event.type === 'queue_state' || event.type === 'queue_depth',
    jobs.reload,
  );
  const [action, setAction] = useState<{ busy: boolean; error: string | null }>({
    busy: false,
    error: null,
  });
  const paused = jobs.data?.queue.paused ?? false;
  const toggle = async () => {
    setAction({ busy: true, error: null });
    try {
      await api.call(paused ? 'jobs.resume' : 'jobs.pause');
      setAction({ busy: false, error: null });
    } catch (error) {
      setAction({ busy: false, error: errorMessage(error) });
    }
    jobs.reload();
  };
  return (
    <Card id="queue" title="Job Queue">
      <ResourceStatus resource={jobs} what="the queue" />
      {jobs.data && (
        <>
          <p data-queue={paused ? 'paused' : 'running'} className={paused ? 'stale-note' : 'muted'}>
            {describeQueueState(jobs.data.queue)}
          </p>
          <ul className="plain-list priority-list" aria-label="Waiting per priority">
            {jobs.data.priorities.map((entry) => (
              <li key={entry.priority} data-priority={entry.priority}>
                {describePriority(entry, paused)}
              </li>
            ))}
          </ul>
          <button type="button" onClick={() => void toggle()} disabled={action.busy}>
            {paused ? 'Resume queue' : 'Pause queue'}
          </button>
        </>
      )}
      {action.error && (
        <p role="alert" className="error-text">
          {action.error}
        </p>
      )}
    </Card>
  );
}

const PAGE = 20;

/** Failed jobs by frame (timelapse, time, file), with their error and attempts; retry or clear one or all. */
export function FailedJobsCard() {
  const { api } = useServices();
  const [limit, setLimit] = useState(PAGE);
  const failed = useResource(() => api.call('jobs.failed', { limit }), limit, { everyMs: 15_000 });
  useEventReload(
    (event) =>
      event.type === 'job_failed' || event.type === 'job_completed' || event.type === 'jobs_queued',
    failed.reload,
    3000,
  );
  const [action, setAction] = useState<{
    busy: boolean;
    message: string | null;
    error: string | null;
  }>({
    busy: false,
    message: null,
    error: null,
  });
  const act = async (run: () => Promise<string>) => {
    setAction({ busy: true, message: null, error: null });
    try {
      setAction({ busy: false, message: await run(), error: null });
    } catch (error) {
      setAction({ busy: false, message: null, error: errorMessage(error) });
    }
    failed.reload();
  };
  const retry = (ids?: number[]) =>
    act(async () => describeRetry(await api.call('jobs.retryFailed', ids ? { job_ids: ids } : {})));
  const clear = (ids?: number[]) =>
    act(async () =>
      describeCleared((await api.call('jobs.clearFailed', ids ? { job_ids: ids } : {})).count),
    );
  const page = failed.data;
  return (
    <Card id="failed-jobs" title="Failed Jobs">
      <ResourceStatus resource={failed} what="the failed jobs" />
      {page && page.total === 0 && (
        <p className="empty-state" data-empty="failed-jobs">
          No failed jobs.
        </p>
      )}
      {page && page.total > 0 && (
        <>
          <div className="card-actions">
            <span>{plural(page.total, 'failed job')}</span>
            <button type="button" onClick={() => void retry()} disabled={action.busy}>
              Retry all
            </button>
            <button type="button" onClick={() => void clear()} disabled={action.busy}>
              Clear all
            </button>
          </div>
          <div className="table-scroll">
            <table className="data-table failed-jobs">
              <thead>
                <tr>
                  <th scope="col">Frame</th>
                  <th scope="col">Error</th>
                  <th scope="col" className="num">
                    Attempts
                  </th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {page.jobs.map((job) => (
                  <FailedRow
                    key={job.job_id}
                    job={job}
                    busy={action.busy}
                    onRetry={() => void retry([job.job_id])}
                    onClear={() => void clear([job.job_id])}
                  />
                ))}
              </tbody>
            </table>
          </div>
          {page.next_before_id !== null && (
            <button type="button" onClick={() => setLimit((l) => l + PAGE)}>
              Show more ({n(page.total - page.jobs.length)} more)
            </button>
          )}
        </>
      )}
      {action.message && <p role="status">{action.message}</p>}
      {action.error && (
        <p role="alert" className="error-text">
          {action.error}
        </p>
      )}
    </Card>
  );
}

function FailedRow({
  job,
  busy,
  onRetry,
  onClear,
}: {
  job: FailedJob;
  busy: boolean;
  onRetry(): void;
  onClear(): void;
}) {
  const name = job.file_path.split('/').pop();
  return (
    <tr data-job-id={job.job_id}>
      <td>
        <Link to="timelapse" query={{ id: job.timelapse_id }}>
          {job.camera_name} / {job.timelapse_name}
        </Link>
        <div className="muted">{formatDateTime(job.captured_at)}</div>
        <code title={job.file_path}>{name}</code>
      </td>
      <td className="failure-reason">{job.error_message ?? 'unknown error'}</td>
      <td className="num">{job.attempts}</td>
      <td className="row-actions">
        <button
          type="button"
          onClick={onRetry}
          disabled={busy}
          aria-label={`Retry job ${job.job_id}`}
        >
          Retry
        </button>
        <button
          type="button"
          onClick={onClear}
          disabled={busy}
          aria-label={`Clear job ${job.job_id}`}
        >
          Clear
        </button>
      </td>
    </tr>
  );
}
