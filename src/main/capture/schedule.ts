/**
 * The capture due after one due at `previousDue` on a grid of `intervalMs`
 * (monotonic ms). After a capture that overran, a point missed by less than
 * half an interval is taken at once (a late frame beats a missing one); one
 * missed by more is skipped.
 */
export function nextGridPoint(previousDue: number, now: number, intervalMs: number): number {
  let next = previousDue + intervalMs;
  const overrun = now - next - intervalMs / 2;
  if (overrun > 0) next += Math.ceil(overrun / intervalMs) * intervalMs;
  return next;
}
