import { useEffect, useState } from 'react';
import { isArchiveCamera, type CameraDto } from '../../../shared/contract';
import { SOURCE_LABEL } from '../../../shared/reports';
import { CameraFormDialog } from '../cameras/CameraForm';
import { CameraTimelapses } from '../cameras/CameraTimelapses';
import { DeleteCameraDialog } from '../cameras/DeleteCameraDialog';
import { Link } from '../app/Link';
import { navigate } from '../app/router';
import { useCoreEvents, useServices, useWall } from '../app/services';
import { useResource } from '../app/use-resource';
import { errorMessage } from '../api/transport';
import { CameraRejections } from './CameraRejections';
import { CameraTile } from './CameraTile';
import { formatAge } from '../store/wall-store';
import { AFTER_INGEST_WORDS, afterIngestOf } from '../../../shared/reports';

/**
 * One camera, with its full frame: its settings (edit, enable, disable,
 * delete) and its timelapses. Arrow keys step to the neighbours, Escape goes back.
 */
export function CameraPage({ cameraId }: { cameraId: number }) {
  const cameras = useWall((state) => state.cameras);
  const loaded = useWall((state) => state.loaded);
  const index = cameras.findIndex((camera) => camera.id === cameraId);
  const camera = cameras[index];

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement)
        return;
      const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
      if (event.key === 'Escape') navigate('');
      else if (step !== 0 && cameras.length > 1) {
        const next = cameras[(index + step + cameras.length) % cameras.length]!;
        navigate('camera', { id: next.id });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [cameras, index]);

  if (!camera)
    return (
      <p className="page-message">
        {loaded ? `Camera ${cameraId} not found.` : 'Loading camera…'}{' '}
        <Link to="">Back to the wall</Link>
      </p>
    );
  return (
    <div className="camera-page">
      <div className="camera-stage">
        <CameraTile camera={camera} variant="full" focusable onOpen={() => navigate('')} />
      </div>
      <CameraInfo camera={camera} />
    </div>
  );
}

/** What a folder camera does with the user's files once taken, and what that means. */
function AfterIngest({ options }: { options: Record<string, unknown> }) {
  const choice = afterIngestOf(options);
  return (
    <dd data-after-ingest={choice} title={AFTER_INGEST_WORDS[choice].help}>
      {AFTER_INGEST_WORDS[choice].label}
      <span className="muted">: {AFTER_INGEST_WORDS[choice].consequence}</span>
    </dd>
  );
}

function CameraInfo({ camera }: { camera: CameraDto }) {
  const { api } = useServices();
  const now = useWall((state) => state.now);
  const timelapses = useResource(
    () => api.call('timelapses.list', { camera_id: camera.id }),
    camera.id,
  );
  const [dialog, setDialog] = useState<'edit' | 'delete' | null>(null);
  const [toggle, setToggle] = useState<{ busy: boolean; error: string | null }>({
    busy: false,
    error: null,
  });
  useCoreEvents((event) => {
    const counts = event.type === 'timelapse_changed' || event.type === 'frame_captured';
    if (counts && event.camera_id === camera.id) timelapses.reload();
  });
  const archive = isArchiveCamera(camera);

  const setEnabled = async (enabled: boolean) => {
    setToggle({ busy: true, error: null });
    try {
      await api.call('cameras.update', { camera_id: camera.id, enabled });
      setToggle({ busy: false, error: null });
    } catch (error) {
      setToggle({ busy: false, error: errorMessage(error) });
    }
  };

  return (
    <aside className="camera-info" aria-label={`${camera.name} details`}>
      <header className="camera-info-header">
        <h2>{camera.name}</h2>
        {archive && <span className="badge badge-archive">Archive</span>}
      </header>
      <div className="actions">
        {!archive && (
          <>
            <button type="button" onClick={() => setDialog('edit')}>
              Edit
            </button>
            <button
              type="button"
              disabled={toggle.busy}
              onClick={() => void setEnabled(!camera.enabled)}
            >
              {camera.enabled ? 'Disable' : 'Enable'}
            </button>
          </>
        )}
        <button type="button" className="danger" onClick={() => setDialog('delete')}>
          Delete…
        </button>
      </div>
      {toggle.error && (
        <p role="alert" className="error-text">
          {toggle.error}
        </p>
      )}
      <dl>
        <dt>Source</dt>
        <dd>{archive ? 'Imported frames (no source)' : SOURCE_LABEL[camera.source_type]}</dd>
        {camera.source_url && (
          <>
            <dt>{camera.source_type === 'folder' ? 'Folder' : 'URL'}</dt>
            <dd className="source-url">{camera.source_url}</dd>
          </>
        )}
        {camera.source_type === 'folder' && (
          <>
            <dt>After ingest</dt>
            <AfterIngest options={camera.source_options} />
          </>
        )}
        {!archive && (
          <>
            <dt>Capture</dt>
            <dd>{camera.enabled ? `every ${camera.capture_interval_s} s` : 'disabled'}</dd>
          </>
        )}
        <dt>Group</dt>
        <dd>{camera.group ?? <span className="muted">none</span>}</dd>
        <dt>Thumbnails</dt>
        <dd>{camera.generate_thumbnails ? 'on' : 'off'}</dd>
        <dt>Last frame</dt>
        <dd>{formatAge(camera.last_capture_at, now)}</dd>
        {camera.last_error && (
          <>
            <dt>Last error</dt>
            <dd className="error-text">{camera.last_error}</dd>
          </>
        )}
      </dl>
      <CameraTimelapses camera={camera} list={timelapses} />
      <CameraRejections
        cameraId={camera.id}
        total={camera.rejected_frames}
        sinceFrame={camera.rejections_since_last_frame}
      />
      <p className="hint">← → other cameras · Esc back to the wall</p>
      {dialog === 'edit' && (
        <CameraFormDialog
          camera={camera}
          onSaved={() => setDialog(null)}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'delete' && (
        <DeleteCameraDialog
          camera={camera}
          timelapses={timelapses.data}
          onDeleted={() => navigate('')}
          onClose={() => setDialog(null)}
        />
      )}
    </aside>
  );
}
