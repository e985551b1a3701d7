import type { VideoSize } from '../../shared/contract';

export interface VideoNameParts {
  timelapseId: number;
  size: VideoSize;
  fps: number;
  fromDay: number | null;
  toDay: number | null;
  /** 1, 2, …: the spec's `_v01`, one more than any video of the timelapse so far. */
  version: number;
}

const VERSION = /_v(\d+)\.mp4$/;

/**
 * A video's file name in the timelapse's videos/ folder, after the spec's
 * `daily_v01.mp4`: what it shows, then its version, e.g.
 * `timelapse-3_1080p_24fps_day002-005_v03.mp4`.
 */
export function formatVideoName(parts: VideoNameParts): string {
  const days =
    parts.fromDay === null && parts.toDay === null
      ? ''
      : `_day${pad(parts.fromDay ?? 1)}-${parts.toDay === null ? 'end' : pad(parts.toDay)}`;
  const version = String(parts.version).padStart(2, '0');
  return `timelapse-${parts.timelapseId}_${parts.size}_${parts.fps}fps${days}_v${version}.mp4`;
}

/** The next version after every name given (paths or bare names; others are ignored). */
export function nextVersion(names: Iterable<string>): number {
  let highest = 0;
  for (const name of names) {
    const match = VERSION.exec(name);
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  return highest + 1;
}

function pad(day: number): string {
  return String(day).padStart(3, '0');
}
