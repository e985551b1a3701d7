import type { FrameEntry } from './frame-index';

/** How the player walks the frames: skipping flagged ones if asked, wrapping at the end if looping. */
export interface Walk {
  skipFlagged: boolean;
  loop: boolean;
}

/** Frames the player may show: all, or those not flagged. */
function playable(frame: FrameEntry | undefined, walk: Walk): boolean {
  return frame !== undefined && !(walk.skipFlagged && frame.flag_reason !== null);
}

/** The next position from `from` in `direction` that may be shown, or null past either end (no wrapping). */
export function stepFrom(
  frames: readonly FrameEntry[],
  from: number,
  direction: 1 | -1,
  walk: Walk,
): number | null {
  for (let p = from + direction; p >= 0 && p < frames.length; p += direction) {
    if (playable(frames[p], walk)) return p;
  }
  return null;
}

/** The first (or last) position that may be shown, or null when none may. */
export function edge(
  frames: readonly FrameEntry[],
  which: 'first' | 'last',
  walk: Walk,
): number | null {
  return which === 'first'
    ? stepFrom(frames, -1, 1, walk)
    : stepFrom(frames, frames.length, -1, walk);
}

/**
 * Up to `count` positions that play after `from`, in order; past the end they
 * wrap to the start when looping (once around at most), else they stop.
 */
export function aheadOf(
  frames: readonly FrameEntry[],
  from: number,
  count: number,
  walk: Walk,
): number[] {
  const path: number[] = [];
  let at = from;
  while (path.length < count) {
    let next = stepFrom(frames, at, 1, walk);
    if (next === null && walk.loop) next = edge(frames, 'first', walk);
    if (next === null || next === from || path.includes(next)) break;
    path.push(next);
    at = next;
  }
  return path;
}

/**
 * Which of the frames now due to play to show: the furthest that is ready,
 * provided every one before it is ready or unloadable (so a frame still on
 * its way is waited for, not skipped; frames due in the same display frame are
 * passed over, as they must be above the display's refresh rate). Answers
 * how many steps to take, and whether there is a picture to draw there;
 * 0 steps means wait.
 */
export function chooseDue(
  due: readonly number[],
  settled: (position: number) => boolean,
  ready: (position: number) => boolean,
): { steps: number; draw: boolean } {
  let steps = 0;
  let draw = false;
  for (const [i, position] of due.entries()) {
    if (!settled(position)) break;
    if (ready(position)) {
      steps = i + 1;
      draw = true;
    } else if (!draw) steps = i + 1;
  }
  return { steps, draw };
}
