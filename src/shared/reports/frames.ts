import type {
  FrameFlag,
  FrameRejectionPage,
  FrameRejectionReason,
  ImportFolderResult,
} from '../contract';
import { formatDateTime, n, plural } from './format';

/** A refusal's reason in words. */
export const REJECTION_REASON_WORDS: Record<FrameRejectionReason, string> = {
  missing: 'file gone',
  empty: 'empty file',
  not_an_image: 'not an image',
  truncated: 'cut off (truncated)',
  corrupt_data: 'corrupt data',
  too_large: 'too large',
  uniform: 'flat "no signal" frame (discarded by setting)',
  too_small: 'too small (discarded by setting)',
  duplicate: 'same picture again',
  before_timelapse_start: 'from before the session',
  unreadable: 'could not be read',
};

/** A kept frame's flag in words (badge titles, the viewer, the CLI). */
export const FLAG_WORDS: Record<FrameFlag, string> = {
  uniform: 'Flat: no signal?',
  too_small: 'Smaller than a camera frame',
};

/** "3 frames refused since the last good one", or null when none were. */
export function refusalsSinceFrame(count: number): string | null {
  return count > 0 ? `${plural(count, 'frame')} refused since the last good one` : null;
}

/** A camera's rejection log in words: totals, then one line per refusal, newest first. */
export function describeRejections(page: FrameRejectionPage): string[] {
  const head = `${plural(page.rejected_total, 'frame')} refused in all, ${n(page.since_last_frame)} since the last stored frame`;
  return [
    head,
    ...page.rejections.map(
      (r) =>
        `${formatDateTime(r.rejected_at)}  ${REJECTION_REASON_WORDS[r.reason]}  ${r.source}: ${r.message}`,
    ),
  ];
}

/** An import's outcome in words. */
export function describeImport(result: ImportFolderResult): string[] {
  const kept = [
    result.flagged > 0 ? `${n(result.flagged)} flagged` : null,
    result.converted > 0 ? `${n(result.converted)} converted from PNG/WebP` : null,
  ].filter(Boolean);
  const lines = [
    `${plural(result.imported, 'frame')} imported${kept.length ? ` (${kept.join(', ')})` : ''}, ` +
      `${n(result.skipped_duplicates)} already held, ${n(result.rejected.length)} refused`,
  ];
  if (result.timed_by_file > 0) {
    lines.push(
      `${n(result.timed_by_file)} timed by the file's modification time` +
        (result.implausible_times.length > 0
          ? `, ${n(result.implausible_times.length)} of them because their EXIF time was not plausible`
          : ' (no EXIF time)'),
    );
  }
  return lines;
}
