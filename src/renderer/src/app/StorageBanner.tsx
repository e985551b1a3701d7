import { describeDiskPause, formatBytes } from '../../../shared/reports';
import { useWall } from './services';

/**
 * Says so while the library's disk is full (or below min_free_space_mb):
 * capture and thumbnails are paused and resume by themselves. Silent while
 * all is well.
 */
export function StorageBanner() {
  const storage = useWall((state) => state.storage);
  if (!storage?.paused) return null;
  const free = storage.free_bytes === null ? null : formatBytes(storage.free_bytes);
  return (
    <div
      className={`storage-banner storage-${storage.state}`}
      role="alert"
      data-storage={storage.state}
      title={describeDiskPause(storage) ?? undefined}
    >
      <strong>{storage.state === 'full' ? 'Disk full' : 'Disk almost full'}</strong>
      <span>
        Capture and thumbnails are paused{free === null ? '' : ` (${free} free)`}; they resume by
        themselves once {formatBytes(storage.resume_at_bytes)} are free.
      </span>
    </div>
  );
}
