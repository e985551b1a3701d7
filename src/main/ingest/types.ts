import type { FrameDefect, FrameFlag } from '../../shared/contract';
import type { CameraRow, ImageRow } from '../database/types';

/**
 * The thumbnail engine's verdict on a frame, declared structurally so ingest
 * depends on its shape, not its module.
 */
export type FrameVerdict =
  | {
      ok: true;
      width: number;
      height: number;
      format: string;
      /** SHA-256 of the bytes (hex). */
      contentHash: string;
      /** Why a real frame looks wrong; null when it looks like a camera frame. */
      flag: { reason: FrameFlag; message: string } | null;
    }
  | { ok: false; reason: FrameDefect; message: string };

/** The engine's Buffer check; it runs in the engine's worker pool, never on the main thread. */
export type ValidateFrame = (bytes: Buffer) => Promise<FrameVerdict>;

/**
 * A PNG or WebP frame as JPEG of this quality, made in the pool; data the
 * decoder refuses throws a permanent image error carrying its `reason`.
 */
export type ConvertToJpeg = (bytes: Buffer, quality: number) => Promise<Buffer>;

/** The queue's capture hook: queues a medium job (or not, per settings). Must not throw. */
export type AfterCapture = (image: ImageRow, camera: CameraRow) => void;

/** What ingest needs from outside: the check, the conversion and the queue hook. */
export interface IngestDependencies {
  validateFrame: ValidateFrame;
  convertToJpeg: ConvertToJpeg;
  afterCapture: AfterCapture;
}
