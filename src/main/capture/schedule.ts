/**
 * The capture point after one due at `previousDue` on a grid of `intervalMs`
 * (monotonic ms), asked at `now`. A point missed by less than half an interval
 * (the timer fired late: event loop or machine busy) is taken at once, since a
 * late frame beats a missing one; one missed by more is skipped, never bunched.
 */
export function nextGridPoint(previousDue: number, now: number, intervalMs: number): number {
  let next = previousDue + intervalMs;
  const overrun = now - next - intervalMs / 2;
  if (overrun > 0) next += Math.ceil(overrun / intervalMs) * intervalMs;
  return next;
}
