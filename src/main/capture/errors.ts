import { TimelapserError } from '../errors';

export type CaptureErrorCode =
  | 'source_timeout'
  | 'source_unreachable'
  | 'source_http_status'
  | 'source_bad_content_type'
  | 'source_too_large'
  | 'source_too_many_redirects'
  | 'source_empty'
  | 'source_auth'
  | 'source_not_a_frame'
  | 'source_failed'
  | 'ffmpeg_missing'
  | 'watch_folder_missing';

/** 502 like a bad upstream, 504 for timeouts, 500 when this machine lacks something. */
function statusOf(code: CaptureErrorCode): number {
  if (code === 'source_timeout') return 504;
  if (code === 'ffmpeg_missing' || code === 'watch_folder_missing') return 500;
  return 502;
}

/** A source could not deliver a frame. The worker backs off on these. */
export class CaptureSourceError extends TimelapserError {
  constructor(message: string, code: CaptureErrorCode, details: Record<string, unknown> = {}) {
    super(message, code, statusOf(code), details);
  }
}

/** The rtsp source needs the system's ffmpeg, and it is not installed. */
export class FfmpegNotFoundError extends CaptureSourceError {
  constructor(command: string) {
    super(
      `ffmpeg was not found (tried "${command}"): install it (e.g. apt-get install ffmpeg) or set TIMELAPSER_FFMPEG`,
      'ffmpeg_missing',
      { command },
    );
  }
}
