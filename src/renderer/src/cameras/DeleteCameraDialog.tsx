import { useState } from 'react';
import type { CameraDto, TimelapseDto } from '../../../shared/contract';
import { describeCameraDeletion } from '../../../shared/reports';
import { useServices } from '../app/services';
import { errorMessage } from '../api/transport';
import { Modal } from '../ui/Modal';

/** Deleting a camera says what goes with it: its timelapses, frames and the disk space they take. */
export function DeleteCameraDialog({
  camera,
  timelapses,
  onDeleted,
  onClose,
}: {
  camera: CameraDto;
  timelapses: readonly TimelapseDto[] | null;
  onDeleted(): void;
  onClose(): void;
}) {
  const { api, wall } = useServices();
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({
    busy: false,
    error: null,
  });
  const remove = async () => {
    setState({ busy: true, error: null });
    try {
      await api.call('cameras.delete', { camera_id: camera.id });
      await wall.getState().refreshCamera(camera.id);
      onDeleted();
    } catch (error) {
      setState({ busy: false, error: errorMessage(error) });
    }
  };
  return (
    <Modal title={`Delete ${camera.name}`} onClose={onClose}>
      {timelapses ? (
        <p>{describeCameraDeletion(camera, timelapses)}</p>
      ) : (
        <p>Counting what it holds…</p>
      )}
      {camera.source_type === 'folder' && camera.source_url && (
        <p className="hint">The files in its watch folder {camera.source_url} are not touched.</p>
      )}
      {state.error && (
        <p role="alert" className="error-text">
          {state.error}
        </p>
      )}
      <footer className="modal-footer">
        <button type="button" onClick={onClose}>
          Keep it
        </button>
        <button
          type="button"
          className="danger"
          disabled={state.busy || !timelapses}
          onClick={remove}
        >
          {state.busy ? 'Deleting…' : 'Delete camera and frames'}
        </button>
      </footer>
    </Modal>
  );
}
