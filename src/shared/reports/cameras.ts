import {
  isArchiveCamera,
  type CameraDto,
  type CameraTestResult,
  type TimelapseDto,
} from '../contract';
import { formatBytes, formatDateTime, formatDuration, n, plural } from './format';

/** Cameras and timelapse sessions in words, for the camera page, its dialogs and the CLI. */

export const SOURCE_LABEL: Record<CameraDto['source_type'], string> = {
  http: 'HTTP snapshot',
  rtsp: 'RTSP stream',
  folder: 'Watch folder',
  demo: 'Demo',
};

/** "Driveway · HTTP snapshot every 10 s · group Outside · disabled". */
export function describeCamera(camera: CameraDto): string {
  const parts = [camera.name];
  parts.push(
    isArchiveCamera(camera)
      ? 'archive (imported frames, no source)'
      : `${SOURCE_LABEL[camera.source_type]} every ${formatDuration(camera.capture_interval_s)}`,
  );
  if (camera.group) parts.push(`group ${camera.group}`);
  if (!camera.enabled && !isArchiveCamera(camera)) parts.push('disabled');
  if (camera.active_timelapse_id === null && !isArchiveCamera(camera))
    parts.push('no active timelapse');
  return `${camera.id}. ${parts.join(' · ')}`;
}

/** What a successful test found: the frame's size, or what the folder holds. */
export function describeCameraTest(result: CameraTestResult): string {
  if (result.source_type === 'folder') {
    const files = plural(result.jpeg_files, 'JPEG file');
    return `The folder exists and holds ${files}${result.writable ? '' : '; it is read-only, so its files cannot be deleted after ingest'}.`;
  }
  return `Got a ${result.width}×${result.height} ${result.format.toUpperCase()} frame (${formatBytes(result.size)}) in ${n(result.elapsed_ms)} ms.`;
}

/** Everything a session takes on disk. */
export function timelapseBytes(timelapse: TimelapseDto): number {
  return timelapse.frame_bytes + timelapse.thumbnail_bytes + timelapse.small_bytes;
}

/** "1 Mar 2026, 08:00 – 3 Mar 2026, 18:00" once completed; "since …" while active; "started …" when stopped. */
export function timelapseDates(timelapse: TimelapseDto): string {
  const started = formatDateTime(timelapse.started_at);
  if (timelapse.completed_at) return `${started} – ${formatDateTime(timelapse.completed_at)}`;
  return timelapse.status === 'active' ? `since ${started}` : `started ${started}`;
}

/** "Spring · active · 1,234 frames · since 1 Mar 2026, 08:00 · 310 MB". */
export function describeTimelapse(timelapse: TimelapseDto): string {
  const dates = timelapseDates(timelapse);
  return `${timelapse.id}. ${timelapse.name} · ${timelapse.status} · ${plural(timelapse.image_count, 'frame')} · ${dates} · ${formatBytes(timelapseBytes(timelapse))}`;
}

/** What deleting a camera takes with it, for the confirmation. */
export function describeCameraDeletion(
  camera: CameraDto,
  timelapses: readonly TimelapseDto[],
): string {
  const frames = timelapses.reduce((total, t) => total + t.image_count, 0);
  const bytes = timelapses.reduce((total, t) => total + timelapseBytes(t), 0);
  return `Deleting “${camera.name}” deletes ${plural(timelapses.length, 'timelapse')} with ${plural(frames, 'frame')} and their thumbnails, freeing ${formatBytes(bytes)} of disk space. This cannot be undone.`;
}
