import type { CameraCaptureStatus } from './capture';
import type { ImageUrls, ImageVariant } from './images';
import type { FrameFlag, FrameRejectionReason, SourceType, TimelapseStatus } from './vocabulary';

/** What operations answer: rows as the API shows them (snake_case, booleans, ISO 8601 times, no file paths). */

/** A camera as the API shows it: booleans and ISO 8601 times. */
export interface CameraDto {
  id: number;
  name: string;
  source_type: SourceType;
  source_url: string | null;
  source_options: Record<string, unknown>;
  capture_interval_s: number;
  generate_thumbnails: boolean;
  enabled: boolean;
  last_capture_at: string | null;
  last_error: string | null;
  rejected_frames: number;
  /** Frames refused since the camera's last stored frame (the wall tile shows it). */
  rejections_since_last_frame: number;
  created_at: string;
  updated_at: string;
  active_timelapse_id: number | null;
  latest_image: ImageDto | null;
  /** What the capture worker is doing for this camera; null when capture is not running here. */
  capture: CameraCaptureStatus | null;
}

export interface TimelapseDto {
  id: number;
  camera_id: number;
  name: string;
  status: TimelapseStatus;
  started_at: string;
  completed_at: string | null;
  image_count: number;
  thumbnail_count: number;
  small_count: number;
  /** Frames kept with a flag (they look wrong: flat "no signal", too small). */
  flagged_count: number;
  created_at: string;
}

/** An image's metadata with URLs for every variant (the spec's latest-image metadata). */
export interface ImageDto {
  id: number;
  camera_id: number;
  timelapse_id: number;
  captured_at: string;
  day_number: number;
  file_size: number;
  width: number | null;
  height: number | null;
  has_thumbnail: boolean;
  has_small: boolean;
  thumbnail_size: number | null;
  small_size: number | null;
  /** A real frame that looks wrong, kept: why (uniform: a flat "no signal" screen; too_small). */
  is_flagged: boolean;
  flag_reason: FrameFlag | null;
  etag: string;
  urls: ImageUrls;
}

/** One refused frame in a camera's rejection log. */
export interface FrameRejectionDto {
  id: number;
  camera_id: number;
  rejected_at: string;
  /** The file name, or the camera's URL (password masked). */
  source: string;
  reason: FrameRejectionReason;
  message: string;
  /** Bytes of what was refused; null when it could not be read. */
  byte_size: number | null;
}

/** GET /api/cameras/:camera_id/rejections: the newest refusals first (the log keeps 500 per camera). */
export interface FrameRejectionPage {
  camera_id: number;
  /** Every refusal the camera ever had, and those since its last stored frame. */
  rejected_total: number;
  since_last_frame: number;
  rejections: FrameRejectionDto[];
  /** Pass as before_id for older entries; null at the end. */
  next_before_id: number | null;
}

export interface ImagePage {
  images: ImageDto[];
  /** Pass as after_id for the next page; null at the end. */
  next_after_id: number | null;
}

/** One entry of a batch: the variant the cascade chose and, for thumbnail and small, the bytes. */
export interface BatchImage {
  image_id: number;
  captured_at: string;
  variant: ImageVariant | 'placeholder';
  etag: string;
  /** The single-image URL (follows the same fallback). */
  url: string;
  /** `data:image/jpeg;base64,…` when the variant served is a thumbnail or small, else null (load `url`). */
  data_uri: string | null;
}

export interface BatchImagesResult {
  size: ImageVariant;
  images: BatchImage[];
  missing_ids: number[];
}

export interface DeletedResult {
  deleted: true;
  id: number;
}

export interface CountResult {
  count: number;
}

export interface HealthResult {
  status: 'ok';
  version: string;
  uptime_seconds: number;
}
