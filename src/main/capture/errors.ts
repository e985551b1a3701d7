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
  | 'watch_folder_missing';

/** 502 like a bad upstream, 504 for timeouts, 500 when this machine lacks something. */
function statusOf(code: CaptureErrorCode): number {
  if (code === 'source_timeout') return 504;
  if (code === 'watch_folder_missing') return 500;
  return 502;
}

/** A source could not deliver a frame. The worker backs off on these. */
export class CaptureSourceError extends TimelapserError {
  constructor(message: string, code: CaptureErrorCode, details: Record<string, unknown> = {}) {
    super(message, code, statusOf(code), details);
  }
}
