import type { FrameVerdict, ValidateOptions } from './frame-validator';
import {
  ImageProcessingError,
  InvalidImageError,
  type FrameDefect,
  type ImageError,
  type ProcessingFailure,
} from './image-errors';
import type { RenderJob, RenderOutcome } from './render-variants';

/** What the engine posts to a pool worker. */
export type TaskMessage =
  | { kind: 'generate'; job: RenderJob }
  | { kind: 'validate'; input: string | Uint8Array; options: ValidateOptions }
  | { kind: 'convert'; input: Uint8Array; quality: number; limitInputPixels: number };

export type TaskValue<M extends TaskMessage> = M extends { kind: 'generate' }
  ? RenderOutcome
  : M extends { kind: 'convert' }
    ? Uint8Array
    : FrameVerdict;

/**
 * A worker's answer. Errors cross the thread boundary as plain data, since
 * structured cloning drops an error's class and own fields.
 */
export type TaskReply =
  { ok: true; value: RenderOutcome | FrameVerdict | Uint8Array } | { ok: false; error: WireError };

export type WireError =
  | { permanent: true; reason: FrameDefect; message: string; details: Record<string, unknown> }
  | {
      permanent: false;
      failure: ProcessingFailure;
      message: string;
      details: Record<string, unknown>;
    };

export function toWire(error: unknown): WireError {
  if (error instanceof InvalidImageError) {
    return {
      permanent: true,
      reason: error.reason,
      message: error.message,
      details: error.details,
    };
  }
  if (error instanceof ImageProcessingError) {
    return {
      permanent: false,
      failure: error.failure,
      message: error.message,
      details: error.details,
    };
  }
  return {
    permanent: false,
    failure: 'unexpected',
    message: String((error as Error)?.message ?? error),
    details: {},
  };
}

export function fromWire(wire: WireError): ImageError {
  return wire.permanent
    ? new InvalidImageError(wire.reason, wire.message, wire.details)
    : new ImageProcessingError(wire.failure, wire.message, wire.details);
}

/**
 * Test seam, set only through the engine's `testHooks` option: a worker
 * given this source dies (exit) or hangs after writing its temp files.
 */
export interface WorkerTestHooks {
  sabotage?: { whenSourceContains: string; action: 'exit' | 'hang' };
}
