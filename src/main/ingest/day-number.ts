const DAY_MS = 86_400_000;

/** The local calendar date of `time` as a day count; via Date.UTC so DST never makes a day 23 or 25 hours. */
function localDayIndex(time: number): number {
  const date = new Date(time);
  return Date.UTC(date.getFullYear(), date.getMonth(), date.getDate()) / DAY_MS;
}

/**
 * The spec's day number: day 1 is the session's first local calendar day, day 2
 * starts at the next local midnight. A frame stamped before the session start
 * (the clock stepped back) stays on day 1 rather than getting an invalid day.
 */
export function dayNumber(sessionStartedAt: number, capturedAt: number): number {
  return Math.max(1, localDayIndex(capturedAt) - localDayIndex(sessionStartedAt) + 1);
}
