import type { ThumbnailStatistics } from '../../../shared/contract';
import { describeScan, n, plural } from '../../../shared/reports';
import { ProgressBar } from '../ui/ProgressBar';
import { Stat } from './Stat';

const percent = (part: number, whole: number) =>
  whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : '—';

/** Thumbnail and small coverage, and the orphans the last scan of the tree found (with its time). */
export function CoverageSection({
  stats,
  scanning,
  onScan,
}: {
  stats: ThumbnailStatistics;
  /** A scan this page asked for is running. */
  scanning: boolean;
  onScan(): void;
}) {
  const { total_images: total } = stats;
  const scan = { ...stats.orphan_scan, scanning: stats.orphan_scan.scanning || scanning };
  return (
    <section className="card" aria-labelledby="coverage-title">
      <h3 id="coverage-title">Coverage</h3>
      {total === 0 ? (
        <p className="empty-state" data-empty="coverage">
          No images yet. Frames appear here as cameras capture them: add a camera, or import a
          folder with <code>timelapser import</code>.
        </p>
      ) : (
        <dl className="stat-grid">
          <Stat
            label="Thumbnails"
            value={`${n(stats.images_with_thumbnails)}/${n(total)} (${percent(stats.images_with_thumbnails, total)})`}
          >
            <ProgressBar
              value={stats.images_with_thumbnails}
              max={total}
              label="Thumbnail coverage"
            />
          </Stat>
          <Stat
            label="Smalls"
            value={`${n(stats.images_with_smalls)}/${n(total)} (${percent(stats.images_with_smalls, total)})`}
          >
            <ProgressBar value={stats.images_with_smalls} max={total} label="Small coverage" />
          </Stat>
        </dl>
      )}
      <div
        className="scan-line"
        data-scan={scan.scanning ? 'scanning' : scan.stale ? 'stale' : 'done'}
      >
        <div>
          <strong>Orphaned files: </strong>
          <span data-orphans>
            {scan.scanned_at === null
              ? 'not scanned yet'
              : `${plural(stats.orphaned_thumbnail_files, 'thumbnail')}, ${plural(stats.orphaned_small_files, 'small')}`}
          </span>
          <div className="muted">{describeScan(scan)}</div>
        </div>
        <button type="button" onClick={onScan} disabled={scan.scanning}>
          {scan.scanning ? 'Scanning…' : 'Scan now'}
        </button>
      </div>
    </section>
  );
}
