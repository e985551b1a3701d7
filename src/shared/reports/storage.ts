import type { StorageStatus } from '../contract';
import { formatBytes } from './format';

/**
 * The library disk in words: one line for the banner, the tiles, the CLI and
 * the 507 answer. Null while all is well.
 */
export function describeDiskPause(status: StorageStatus): string | null {
  if (!status.paused) return null;
  const free = status.free_bytes === null ? null : formatBytes(status.free_bytes);
  const resume = `they resume by themselves once ${formatBytes(status.resume_at_bytes)} are free`;
  if (status.state === 'full') {
    return `The library's disk is full${free === null ? '' : ` (${free} free)`}: capture and thumbnails are paused; free some space, ${resume}.`;
  }
  return `The library's disk is almost full (${free ?? '?'} free, the minimum is ${formatBytes(status.min_free_bytes)}): capture and thumbnails are paused; free some space, ${resume}.`;
}

/** The tile's word for a camera paused by the guard. */
export function storagePauseLabel(status: Pick<StorageStatus, 'state'>): string {
  return status.state === 'full' ? 'Paused: disk full' : 'Paused: disk almost full';
}
