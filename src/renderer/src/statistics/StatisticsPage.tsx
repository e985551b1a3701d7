import { useServices } from '../app/services';
import { useResource } from '../app/use-resource';
import { n } from '../../../shared/reports';
import { CoverageSection } from './CoverageSection';
import { DiskUsageChart } from './DiskUsageChart';
import { JobQueueSection } from './JobQueueSection';
import { PerformanceSection } from './PerformanceSection';

const REFRESH_MS = 10_000;

/** Coverage, disk usage, the job queue and generation performance, refreshed while shown. */
export function StatisticsPage() {
  const { api } = useServices();
  const stats = useResource(() => api.call('thumbnails.stats'), 'stats', REFRESH_MS);
  const jobs = useResource(() => api.call('jobs.stats'), 'jobs', REFRESH_MS);
  const performance = useResource(
    async () => {
      const [statistics, issues, recommendations] = await Promise.all([
        api.call('performance.stats'),
        api.call('performance.issues'),
        api.call('performance.recommendations'),
      ]);
      return { statistics, issues, recommendations };
    },
    'performance',
    REFRESH_MS,
  );
  const error = stats.error ?? jobs.error ?? performance.error;
  return (
    <div className="page statistics-page">
      <h2>Statistics</h2>
      {error && (
        <p role="alert" className="error-text">
          {error}
        </p>
      )}
      {stats.data && <CoverageSection stats={stats.data} />}
      <DiskUsageChart />
      {jobs.data && <JobQueueSection jobs={jobs.data} />}
      {performance.data && <PerformanceSection {...performance.data} />}
      {stats.data && (
        <p className="muted">
          {n(stats.data.total_images)} images in the library · refreshed every {REFRESH_MS / 1000} s
        </p>
      )}
    </div>
  );
}
