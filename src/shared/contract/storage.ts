import type { StorageState } from './vocabulary';

/**
 * The disk holding the library, as the free-space guard sees it. While
 * `paused`, capture and thumbnail generation wait and writes answer 507; they
 * resume by themselves once enough space is free.
 */
export interface StorageStatus {
  state: StorageState;
  paused: boolean;
  /** Space an unprivileged writer may still use (statfs f_bavail); null before the first check. */
  free_bytes: number | null;
  total_bytes: number | null;
  /** The min_free_space_mb setting in bytes (0: the guard only reacts to a full disk). */
  min_free_bytes: number;
  /** Free space needed before a pause ends. */
  resume_at_bytes: number;
  /** ISO time the current pause began. */
  paused_since: string | null;
  checked_at: string | null;
  /** The write that failed for want of space (state full). */
  last_error: string | null;
}
