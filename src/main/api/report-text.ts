import type {
  CleanupResult,
  DeleteAllResult,
  RegenerationStatus,
  RepairResult,
  SystemVerification,
} from '../../shared/contract';

/** The maintenance reports in words, for the app's dialogs and the CLI's summaries. */

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const problems = (count: number) => (count > 0 ? ` ${plural(count, 'file')} could not be checked.` : '');

export function describeVerification(result: SystemVerification): string {
  const lines = [
    `${result.valid_thumbnails}/${result.total_images} thumbnails valid, ${plural(result.missing_thumbnails, 'missing file')}.`,
    `${result.valid_smalls}/${result.total_images} smalls valid, ${plural(result.missing_smalls, 'missing file')}.`,
    result.counts_updated ? 'The stored counts were corrected.' : 'The stored counts were right.',
  ];
  if (result.suggest_repair) lines.push('Missing thumbnails detected: Repair Orphaned Thumbnails may find them.');
  return lines.join('\n') + problems(result.error_count);
}

export function describeRepair(result: RepairResult): string {
  return (
    `${plural(result.orphaned_files_found, 'orphaned file')} found: ${result.files_matched} matched to their images, ` +
    `${result.files_deleted} deleted.\n` +
    `${plural(result.database_records_updated, 'database record')} updated; ${plural(result.timelapses_affected, 'timelapse')} affected.` +
    (result.unparseable_count > 0 ? `\n${plural(result.unparseable_count, 'file')} with unknown names left alone.` : '') +
    problems(result.error_count)
  );
}

export function describeCleanup(result: CleanupResult): string {
  if (result.dry_run) {
    const found = `${plural(result.orphaned_files_found, 'orphaned file')} (${mb(result.orphaned_bytes)}) would be deleted.`;
    const warning = result.exceeds_safety_threshold
      ? `\nThat is ${(result.share * 100).toFixed(0)}% of all thumbnail files, above the safety threshold of ` +
        `${(result.safety_threshold * 100).toFixed(0)}%: check the data root before deleting.`
      : '';
    return found + warning;
  }
  return (
    `${plural(result.files_deleted, 'orphaned file')} deleted, ${mb(result.bytes_freed)} freed.` +
    (result.files_kept > 0 ? `\n${plural(result.files_kept, 'file')} kept: an image claimed them meanwhile.` : '') +
    problems(result.error_count)
  );
}

export function describeDeleteAll(result: DeleteAllResult): string {
  return (
    `${plural(result.thumbnail_files_deleted, 'thumbnail')} and ${plural(result.small_files_deleted, 'small')} deleted; ` +
    `${plural(result.database_records_cleared, 'image record')} cleared.` +
    problems(result.error_count)
  );
}

export function describeRegeneration(status: RegenerationStatus): string {
  if (status.status === 'idle') return 'No regeneration has run.';
  const head = `Regeneration ${status.status}: ${status.completed}/${status.total} done, ${status.failed} failed, ${status.pending} pending.`;
  const eta = status.status === 'running' && status.eta_seconds !== null ? ` About ${Math.ceil(status.eta_seconds / 60)} min left.` : '';
  return head + eta;
}
