import type { VideoDto } from '../contract';
import { formatBytes, formatDuration, n, plural } from './format';

/** A video in words, one line: the UI lists it so, the CLI prints it so. */
export function describeVideo(video: VideoDto): string {
  const frames = plural(video.frame_count, 'frame');
  switch (video.status) {
    case 'queued':
      return `Queued: ${frames} at ${video.fps} fps`;
    case 'rendering': {
      const eta =
        video.eta_seconds === null ? '' : `, about ${formatDuration(video.eta_seconds)} left`;
      return `Rendering: ${n(video.frames_done)} of ${frames}${eta}`;
    }
    case 'completed': {
      const size = video.width && video.height ? `, ${video.width}×${video.height}` : '';
      const bytes = video.file_size === null ? '' : `, ${formatBytes(video.file_size)}`;
      return `${frames} at ${video.fps} fps (${formatClock(video.duration_seconds)}${size}${bytes})`;
    }
    case 'failed':
      return `Failed: ${video.error ?? 'unknown error'}`;
    case 'cancelled':
      return 'Cancelled';
  }
}

/** What a video shows: "1080p, days 2–5" or "full size, every day". */
export function describeVideoScope(video: Pick<VideoDto, 'size' | 'from_day' | 'to_day'>): string {
  const size =
    video.size === 'full' ? 'full size' : video.size === 'small' ? 'small size' : '1080p';
  if (video.from_day === null && video.to_day === null) return `${size}, every day`;
  if (video.from_day === video.to_day) return `${size}, day ${video.from_day}`;
  return `${size}, days ${video.from_day ?? 1}–${video.to_day ?? 'end'}`;
}

/** A play length as m:ss (or h:mm:ss). */
export function formatClock(seconds: number): string {
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
