import type {
  CleanupResult,
  DeleteAllResult,
  GenerateThumbnailsResult,
  RegenerationStatus,
  RepairResult,
  FileProblem,
  StorageStatistics,
  ThumbnailStatistics,
  VerificationCounts,
} from '../contract';
import { formatBytes, formatDateTime, formatDuration, formatTime, n, plural } from './format';

/** Maintenance results in words, as the spec reports them ("47/50 thumbnails valid, 3 missing files"), one line each: the UI shows the lines, the menu and the CLI print them. */

/** The Smart Prompt's condition: the core says so, or any thumbnail or small is missing. */
export function hasMissing(report: VerificationCounts): boolean {
  return report.suggest_repair || report.missing_thumbnails > 0 || report.missing_smalls > 0;
}

/** "2 files could not be handled (EACCES: cameras/…)" when an operation skipped some. */
function problems(count: number, sample: FileProblem[]): string[] {
  if (count === 0) return [];
  const first = sample[0];
  return [
    `${plural(count, 'file')} could not be handled${first ? ` (${first.error}: ${first.path}${count > 1 ? ', …' : ''})` : ''}`,
  ];
}

export function describeVerification(report: VerificationCounts): string[] {
  const total = report.total_images;
  const lines = [
    `${n(report.valid_thumbnails)}/${n(total)} thumbnails valid, ${plural(report.missing_thumbnails, 'missing file')}`,
    `${n(report.valid_smalls)}/${n(total)} smalls valid, ${plural(report.missing_smalls, 'missing file')}`,
  ];
  const { thumbnail_count, small_count } = report.database_counts;
  lines.push(
    report.counts_updated
      ? `Database counts corrected (they said ${n(thumbnail_count)} thumbnails and ${n(small_count)} smalls)`
      : 'Database counts were already correct',
  );
  return [...lines, ...problems(report.error_count, report.errors)];
}

export function describeRepair(report: RepairResult): string[] {
  const lines = [
    `${plural(report.orphaned_files_found, 'orphaned file')} found: ${n(report.files_matched)} matched back to their images, ${n(report.files_deleted)} deleted`,
    `${plural(report.database_records_updated, 'database record')} updated across ${plural(report.timelapses_affected, 'timelapse')}`,
  ];
  if (report.files_left > 0)
    lines.push(
      `${plural(report.files_left, 'orphaned file')} kept (their image has its file, or was just captured)`,
    );
  if (report.unparseable_count > 0)
    lines.push(
      `${plural(report.unparseable_count, 'file')} with names that do not parse left alone`,
    );
  return [...lines, ...problems(report.error_count, report.errors)];
}

export function describeCleanup(report: CleanupResult): string[] {
  const lines: string[] = [];
  if (report.dry_run) {
    lines.push(
      report.orphaned_files_found === 0
        ? `Dry run: no orphaned files among ${plural(report.files_scanned, 'file')}. Nothing to delete.`
        : `Dry run: ${plural(report.orphaned_files_found, 'orphaned file')} would be deleted (${formatBytes(report.orphaned_bytes)}). Nothing was deleted.`,
    );
    if (report.exceeds_safety_threshold) lines.push(safetyWarning(report));
  } else {
    lines.push(
      `${plural(report.files_deleted, 'orphaned file')} deleted, ${formatBytes(report.bytes_freed)} freed`,
    );
    if (report.files_kept > 0)
      lines.push(
        `${plural(report.files_kept, 'file')} kept: an image claimed them during the cleanup`,
      );
  }
  return [...lines, ...problems(report.error_count, report.errors)];
}

export function safetyWarning(report: Pick<CleanupResult, 'share' | 'safety_threshold'>): string {
  const pct = (share: number) => `${Math.round(share * 100)}%`;
  return `That is ${pct(report.share)} of all thumbnail files, above the ${pct(report.safety_threshold)} safety threshold: check the data root is right and its disk is mounted before deleting.`;
}

export function describeDeleteAll(report: DeleteAllResult): string[] {
  return [
    `All thumbnails deleted: ${plural(report.thumbnail_files_deleted, 'thumbnail')} and ${plural(report.small_files_deleted, 'small')} removed, ${plural(report.database_records_cleared, 'database record')} cleared`,
    ...problems(report.error_count, report.errors),
  ];
}

export function describeGenerate(report: GenerateThumbnailsResult): string {
  const when = report.estimated_completion
    ? `, estimated completion ${formatTime(report.estimated_completion)}`
    : '';
  return `${plural(report.jobs_queued, 'job')} queued${when}`;
}

export function regenerationPercent(
  status: Pick<RegenerationStatus, 'total' | 'completed' | 'failed'>,
): number {
  return status.total > 0
    ? Math.min(100, ((status.completed + status.failed) / status.total) * 100)
    : 0;
}

/**
 * The two ways to regenerate, as Immich's Jobs page offers them: one wording
 * for the settings' buttons, the app menu and the CLI's help.
 */
export const REGENERATION_MODES = {
  missing: {
    label: 'Missing only',
    force_regenerate: false,
    help: 'Checks the files on disk first, then makes every thumbnail and small that is missing.',
  },
  everything: {
    label: 'Everything',
    force_regenerate: true,
    help: 'Remakes every thumbnail and small, overwriting the existing ones.',
  },
} as const;

export type RegenerationMode = keyof typeof REGENERATION_MODES;

export function regenerationMode(
  status: Pick<RegenerationStatus, 'force_regenerate'>,
): RegenerationMode {
  return status.force_regenerate ? 'everything' : 'missing';
}

export function describeRegeneration(status: RegenerationStatus): string {
  const done = status.completed + status.failed;
  const failed = status.failed > 0 ? `, ${n(status.failed)} failed` : '';
  const mode = REGENERATION_MODES[regenerationMode(status)].label.toLowerCase();
  switch (status.status) {
    case 'idle':
      return 'No regeneration running';
    case 'running': {
      const eta =
        status.eta_seconds === null ? '' : `, about ${formatDuration(status.eta_seconds)} left`;
      return `Regenerating (${mode}): ${n(done)}/${n(status.total)} (${Math.floor(regenerationPercent(status))}%)${failed}, ${status.rate_per_second.toFixed(1)} images/s${eta}`;
    }
    case 'completed':
      return status.total === 0
        ? `Regeneration (${mode}) complete: nothing was missing`
        : `Regeneration (${mode}) complete: ${n(status.completed)}/${n(status.total)} images${failed}`;
    case 'cancelled':
      return `Regeneration (${mode}) cancelled after ${n(done)}/${n(status.total)} images${failed}; pending jobs cancelled`;
  }
}

/** "Orphaned files: 3 thumbnails, 1 small (scanned 12:03:04)", with the scan's state. */
export function describeOrphans(stats: ThumbnailStatistics): string {
  const counts = `${plural(stats.orphaned_thumbnail_files, 'thumbnail')}, ${plural(stats.orphaned_small_files, 'small')}`;
  return `Orphaned files: ${stats.orphan_scan.scanned_at === null ? 'not scanned yet' : counts} (${describeScan(stats.orphan_scan)})`;
}

/** When the tree was last scanned, and whether a scan runs or is due. */
export function describeScan(scan: ThumbnailStatistics['orphan_scan']): string {
  const when =
    scan.scanned_at === null ? 'never scanned' : `scanned ${formatDateTime(scan.scanned_at)}`;
  if (scan.scanning) return `${when}; scanning now…`;
  return scan.stale ? `${when}; changed since` : when;
}

/** "On disk: frames 1.2 GB, thumbnails 30 MB, …; 45 GB free of 100 GB". */
export function describeStorage(storage: StorageStatistics): string {
  const size = (value: number | null) => (value === null ? '—' : formatBytes(value));
  const measured =
    storage.scanned_at === null
      ? 'not measured yet'
      : `frames ${size(storage.frames_bytes)}, thumbnails ${size(storage.thumbnails_bytes)}, smalls ${size(storage.smalls_bytes)}, videos ${size(storage.videos_bytes)}`;
  const free =
    storage.disk_free_bytes === null || storage.disk_total_bytes === null
      ? ''
      : `; ${size(storage.disk_free_bytes)} free of ${size(storage.disk_total_bytes)}`;
  return `On disk: ${measured}${free}`;
}
