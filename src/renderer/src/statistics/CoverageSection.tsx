import type { ThumbnailStatistics } from '../../../shared/contract';
import { n } from '../../../shared/reports';
import { ProgressBar } from '../ui/ProgressBar';
import { Stat } from './Stat';

const percent = (part: number, whole: number) => (whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : '—');

export function CoverageSection({ stats }: { stats: ThumbnailStatistics }) {
  const { total_images: total } = stats;
  return (
    <section className="card" aria-labelledby="coverage-title">
      <h3 id="coverage-title">Coverage</h3>
      <dl className="stat-grid">
        <Stat
          label="Thumbnails"
          value={`${n(stats.images_with_thumbnails)}/${n(total)} (${percent(stats.images_with_thumbnails, total)})`}
        >
          <ProgressBar value={stats.images_with_thumbnails} max={total} label="Thumbnail coverage" />
        </Stat>
        <Stat
          label="Smalls"
          value={`${n(stats.images_with_smalls)}/${n(total)} (${percent(stats.images_with_smalls, total)})`}
        >
          <ProgressBar value={stats.images_with_smalls} max={total} label="Small coverage" />
        </Stat>
        <Stat
          label="Orphaned files"
          value={`${n(stats.orphaned_thumbnail_files)} thumbnails, ${n(stats.orphaned_small_files)} smalls`}
        />
        <Stat
          label="Disk usage"
          value={`${stats.total_disk_usage.thumbnails_mb.toFixed(1)} MB thumbnails, ${stats.total_disk_usage.smalls_mb.toFixed(1)} MB smalls`}
        />
      </dl>
    </section>
  );
}
