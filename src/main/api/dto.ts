import {
  type CameraCaptureStatus,
  imageEtag,
  imageHttpUrls,
  type CameraDto,
  type FrameRejectionDto,
  type ImageDto,
  type TimelapseDto,
  type VideoDto,
  videoUrl,
} from '../../shared/contract';
import { maskCredentials } from '../catalogue/credentials';
import type {
  CameraRow,
  FrameRejectionRow,
  ImageRow,
  TimelapseRow,
  VideoRow,
} from '../database/types';

/** Rows as the API shows them: ISO 8601 times, booleans, no file paths. */

export function isoOrNull(epochMs: number | null): string | null {
  return epochMs === null ? null : new Date(epochMs).toISOString();
}

export function imageDto(row: ImageRow): ImageDto {
  return {
    id: row.id,
    camera_id: row.camera_id,
    timelapse_id: row.timelapse_id,
    captured_at: new Date(row.captured_at).toISOString(),
    day_number: row.day_number,
    file_size: row.file_size,
    width: row.width,
    height: row.height,
    has_thumbnail: row.thumbnail_path !== null,
    has_small: row.small_path !== null,
    thumbnail_size: row.thumbnail_size,
    small_size: row.small_size,
    is_flagged: row.is_flagged === 1,
    flag_reason: row.flag_reason,
    etag: imageEtag(row.id, row.captured_at),
    urls: imageHttpUrls(row.id),
  };
}

/** `flaggedCount`: the session's flagged frames (a count the caller reads from their index). */
export function timelapseDto(row: TimelapseRow, flaggedCount: number): TimelapseDto {
  return {
    id: row.id,
    camera_id: row.camera_id,
    name: row.name,
    status: row.status,
    started_at: new Date(row.started_at).toISOString(),
    completed_at: isoOrNull(row.completed_at),
    image_count: row.image_count,
    thumbnail_count: row.thumbnail_count,
    small_count: row.small_count,
    frame_bytes: row.frame_bytes,
    thumbnail_bytes: row.thumbnail_bytes,
    small_bytes: row.small_bytes,
    flagged_count: flaggedCount,
    created_at: new Date(row.created_at).toISOString(),
  };
}

export function cameraDto(
  row: CameraRow,
  activeTimelapseId: number | null,
  latest: ImageRow | undefined,
  capture: CameraCaptureStatus | null,
): CameraDto {
  return {
    id: row.id,
    name: row.name,
    source_type: row.source_type,
    ...maskCredentials({
      source_url: row.source_url,
      source_options: parseOptions(row.source_options),
    }),
    capture_interval_s: row.capture_interval_s,
    generate_thumbnails: row.generate_thumbnails === 1,
    enabled: row.enabled === 1,
    group: row.group_name,
    sort_order: row.sort_order,
    last_capture_at: isoOrNull(row.last_capture_at),
    last_error: row.last_error,
    rejected_frames: row.rejected_frames,
    rejections_since_last_frame: row.rejections_since_frame,
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
    active_timelapse_id: activeTimelapseId,
    latest_image: latest ? imageDto(latest) : null,
    capture,
  };
}

export function frameRejectionDto(row: FrameRejectionRow): FrameRejectionDto {
  return {
    id: row.id,
    camera_id: row.camera_id,
    rejected_at: new Date(row.rejected_at).toISOString(),
    source: row.source,
    reason: row.reason,
    message: row.message,
    byte_size: row.byte_size,
  };
}

function parseOptions(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

export function videoDto(row: VideoRow, now = Date.now()): VideoDto {
  return {
    id: row.id,
    timelapse_id: row.timelapse_id,
    file_name: row.file_path.split(/[\\/]/).pop()!,
    status: row.status,
    size: row.size,
    fps: row.fps,
    from_day: row.from_day,
    to_day: row.to_day,
    frame_count: row.frame_count,
    frames_done: row.frames_done,
    width: row.width,
    height: row.height,
    duration_seconds: row.frame_count / row.fps,
    file_size: row.file_size,
    error: row.error_message,
    eta_seconds: renderEta(row, now),
    created_at: new Date(row.created_at).toISOString(),
    started_at: isoOrNull(row.started_at),
    finished_at: isoOrNull(row.finished_at),
    url: row.status === 'completed' ? videoUrl('http', row.id) : null,
  };
}

/** Frames a render encodes before its pace says anything (the start-up would inflate it). */
const ETA_AFTER_FRAMES = 10;

/** Seconds left at the pace so far; null before the pace is known or once it ended. */
function renderEta(row: VideoRow, now: number): number | null {
  if (row.status !== 'rendering' || row.started_at === null || row.frames_done < ETA_AFTER_FRAMES)
    return null;
  const perFrame = (now - row.started_at) / 1000 / row.frames_done;
  return Math.max(0, Math.round((row.frame_count - row.frames_done) * perFrame));
}
