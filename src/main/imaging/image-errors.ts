import type { FrameDefect } from '../../shared/contract';
import { TimelapserError } from '../errors';

export type { FrameDefect };

const DEFECT_STATUS: Record<FrameDefect, number> = {
  missing: 404,
  empty: 422,
  not_an_image: 415,
  truncated: 422,
  corrupt_data: 422,
  too_large: 413,
};

/**
 * Errors of the image engine. `permanent` tells the job queue whether a retry
 * can ever succeed: a bad input never will, a crashed worker or a full disk may.
 */
export abstract class ImageError extends TimelapserError {
  abstract readonly permanent: boolean;
}

/** The source cannot become a thumbnail, however often we try. */
export class InvalidImageError extends ImageError {
  readonly permanent = true;
  constructor(
    readonly reason: FrameDefect,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(message, `image_${reason}`, DEFECT_STATUS[reason], { reason, ...details });
  }
}

export type ProcessingFailure =
  | 'worker_crashed'
  | 'worker_timeout'
  | 'read_failed'
  | 'decode_failed'
  | 'write_failed'
  | 'engine_closed'
  | 'unexpected';

/** The work failed for a reason outside the image: worth retrying later. */
export class ImageProcessingError extends ImageError {
  readonly permanent = false;
  constructor(
    readonly failure: ProcessingFailure,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(message, failure, 503, { failure, ...details });
  }
}

export function isPermanentImageError(error: unknown): boolean {
  return error instanceof ImageError && error.permanent;
}
