import type { FrameFlag, FrameRejectionReason, Settings } from '../../shared/contract';
import { InvalidImageError } from '../imaging/image-errors';
import type { IngestDependencies } from './types';

/** A frame that passed the check, ready to be stored: always JPEG bytes. */
export interface AcceptedFrame {
  kind: 'accepted';
  /** What is stored: the frame as it came, or its JPEG conversion. */
  jpeg: Buffer;
  width: number;
  height: number;
  /** SHA-256 of the bytes as received (before any conversion): import's duplicate key. */
  contentHash: Buffer;
  flag: { reason: FrameFlag; message: string } | null;
  /** The format it arrived in when it was converted. */
  convertedFrom: string | null;
}

export interface RefusedFrame {
  kind: 'refused';
  reason: FrameRejectionReason;
  message: string;
}

type FrameSettings = Pick<Settings, 'flagged_frames' | 'converted_frame_quality'>;

/**
 * A frame's check, flag and conversion steps: what is not a frame is refused;
 * a frame that looks wrong is kept with its flag (or refused with the flag's
 * reason when flagged_frames is discard); a PNG or WebP frame becomes JPEG.
 */
export async function checkFrame(
  deps: Pick<IngestDependencies, 'validateFrame' | 'convertToJpeg'>,
  settings: FrameSettings,
  bytes: Buffer,
): Promise<AcceptedFrame | RefusedFrame> {
  const verdict = await deps.validateFrame(bytes);
  if (!verdict.ok) return { kind: 'refused', reason: verdict.reason, message: verdict.message };
  if (verdict.flag && settings.flagged_frames === 'discard') {
    return { kind: 'refused', reason: verdict.flag.reason, message: verdict.flag.message };
  }
  let jpeg = bytes;
  if (verdict.format !== 'jpeg') {
    try {
      jpeg = await deps.convertToJpeg(bytes, settings.converted_frame_quality);
    } catch (error) {
      if (!(error instanceof InvalidImageError)) throw error;
      return { kind: 'refused', reason: error.reason, message: error.message };
    }
  }
  return {
    kind: 'accepted',
    jpeg,
    width: verdict.width,
    height: verdict.height,
    contentHash: Buffer.from(verdict.contentHash, 'hex'),
    flag: verdict.flag,
    convertedFrom: verdict.format === 'jpeg' ? null : verdict.format,
  };
}
