import type { ThumbnailStatistics } from '../../../shared/contract';
import { n } from '../format/reports';
import { ProgressBar } from '../ui/ProgressBar';

const percent = (part: number, whole: number) => (whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : '—');

export function CoverageSection({ stats }: { stats: ThumbnailStatistics }) {
  const { total_images: total } = stats;
  return (
    <section className="card" aria-labelledby="coverage-title">
      <h3 id="coverage-title">Coverage</h3>
      <dl className="stat-grid">
        <div>
          <dt>Thumbnails</dt>
          <dd>
            {n(stats.images_with_thumbnails)}/{n(total)} ({percent(stats.images_with_thumbnails, total)})
          </dd>
          <ProgressBar value={stats.images_with_thumbnails} max={total} label="Thumbnail coverage" />
        </div>
        <div>
          <dt>Smalls</dt>
          <dd>
            {n(stats.images_with_smalls)}/{n(total)} ({percent(stats.images_with_smalls, total)})
          </dd>
          <ProgressBar value={stats.images_with_smalls} max={total} label="Small coverage" />
        </div>
        <div>
          <dt>Orphaned files</dt>
          <dd>
            {n(stats.orphaned_thumbnail_files)} thumbnails, {n(stats.orphaned_small_files)} smalls
          </dd>
        </div>
        <div>
          <dt>Disk usage</dt>
          <dd>
            {stats.total_disk_usage.thumbnails_mb.toFixed(1)} MB thumbnails, {stats.total_disk_usage.smalls_mb.toFixed(1)} MB smalls
          </dd>
        </div>
      </dl>
    </section>
  );
}
