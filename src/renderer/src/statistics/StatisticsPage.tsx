import { useState } from 'react';
import { useCoreEvents, useServices } from '../app/services';
import { ResourceStatus } from '../app/ResourceStatus';
import { useResource } from '../app/use-resource';
import { n } from '../../../shared/reports';
import { CoverageSection } from './CoverageSection';
import { DiskUsageChart } from './DiskUsageChart';
import { JobQueueSection } from './JobQueueSection';
import { PerformanceSection } from './PerformanceSection';

const REFRESH_MS = 10_000;

/**
 * Coverage, orphans and disk use (from the last scan of the tree, with its
 * time), the job queue and generation performance, refreshed while shown and
 * whenever the connection comes back.
 */
export function StatisticsPage() {
  const { api } = useServices();
  const stats = useResource(() => api.call('thumbnails.stats'), 'stats', { everyMs: REFRESH_MS });
  const storage = useResource(() => api.call('thumbnails.storage'), 'storage', { everyMs: 60_000 });
  const jobs = useResource(() => api.call('jobs.stats'), 'jobs', { everyMs: REFRESH_MS });
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
    { everyMs: REFRESH_MS },
  );
  // A scan finished (here, in another window or in the CLI): its figures are in.
  useCoreEvents((event) => {
    if (event.type !== 'census_updated') return;
    stats.reload();
    storage.reload();
  });
  const [scanning, setScanning] = useState(false);
  const scan = async () => {
    setScanning(true);
    // A failure shows in the figures' own status line: the next read says what is wrong.
    await api.call('thumbnails.scan').catch(() => undefined);
    setScanning(false);
    stats.reload();
    storage.reload();
  };
  return (
    <div className="page statistics-page">
      <h2>Statistics</h2>
      <ResourceStatus resource={stats} what="statistics" />
      {stats.data && (
        <>
          <CoverageSection stats={stats.data} scanning={scanning} onScan={scan} />
          <DiskUsageChart stats={stats.data} breakdown={storage.data} />
        </>
      )}
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
