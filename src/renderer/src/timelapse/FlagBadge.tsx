import type { FrameFlag } from '../../../shared/contract';
import { FLAG_WORDS } from '../../../shared/reports';

const SHORT: Record<FrameFlag, string> = { uniform: 'No signal?', too_small: 'Small' };

/** A kept frame that looks wrong: a flat "no signal" screen, or smaller than a camera frame. */
export function FlagBadge({ reason }: { reason: FrameFlag }) {
  return (
    <span className="flag-badge" data-flag={reason} title={`Flagged: ${FLAG_WORDS[reason]}`}>
      ⚑ {SHORT[reason]}
    </span>
  );
}
