import { useState } from 'react';
import type { CameraDto } from '../../../shared/contract';
import { useServices } from '../app/services';
import { errorMessage } from '../api/transport';
import { Modal } from '../ui/Modal';

/** Start, stop and complete a camera's timelapse, with the error in words when one fails. */
export function useTimelapseActions(onDone?: () => void) {
  const { api } = useServices();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      onDone?.();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };
  return {
    error,
    busy,
    start: (camera: CameraDto, name?: string) =>
      run(() => api.call('timelapses.start', { camera_id: camera.id, name })),
    stop: (timelapseId: number) =>
      run(() => api.call('timelapses.stop', { timelapse_id: timelapseId })),
    complete: (timelapseId: number) =>
      run(() => api.call('timelapses.complete', { timelapse_id: timelapseId })),
    rename: (timelapseId: number, name: string) =>
      run(() => api.call('timelapses.update', { timelapse_id: timelapseId, name })),
  };
}

/** Completing ends a session for good: asked once, saying what it means. */
export function CompleteDialog({
  what,
  onConfirm,
  onClose,
}: {
  /** “Spring”, or “the active timelapse of Driveway”. */
  what: string;
  onConfirm(): void;
  onClose(): void;
}) {
  return (
    <Modal title="Complete timelapse" onClose={onClose}>
      <p>
        Complete {what}? It takes no more frames and cannot be resumed; its frames stay. Start a new
        timelapse to go on capturing.
      </p>
      <footer className="modal-footer">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="primary"
          onClick={() => {
            onConfirm();
            onClose();
          }}
        >
          Complete
        </button>
      </footer>
    </Modal>
  );
}
