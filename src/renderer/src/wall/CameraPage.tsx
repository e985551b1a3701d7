import { useEffect, useState } from 'react';
import type { TimelapseDto } from '../../../shared/contract';
import { Link } from '../app/Link';
import { navigate } from '../app/router';
import { useServices, useWall } from '../app/services';
import { errorMessage } from '../api/transport';
import { CameraRejections } from './CameraRejections';
import { CameraTile } from './CameraTile';
import { formatAge } from '../store/wall-store';

/** One camera, fullscreen with its full frame; arrow keys step to the neighbours, Escape goes back. */
export function CameraPage({ cameraId }: { cameraId: number }) {
  const cameras = useWall((state) => state.cameras);
  const now = useWall((state) => state.now);
  const index = cameras.findIndex((camera) => camera.id === cameraId);
  const camera = cameras[index];

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.target instanceof HTMLInputElement) return;
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

  if (!camera) return <p className="page-message">Camera {cameraId} not found. <Link to="">Back to the wall</Link></p>;
  return (
    <div className="camera-page">
      <div className="camera-stage">
        <CameraTile camera={camera} variant="full" focusable onOpen={() => navigate('')} />
      </div>
      <aside className="camera-info" aria-label={`${camera.name} details`}>
        <h2>{camera.name}</h2>
        <dl>
          <dt>Source</dt>
          <dd>{camera.source_type}</dd>
          <dt>Capture interval</dt>
          <dd>{camera.capture_interval_s} s</dd>
          <dt>Last frame</dt>
          <dd>{formatAge(camera.last_capture_at, now)}</dd>

          {camera.last_error && (
            <>
              <dt>Last error</dt>
              <dd className="error-text">{camera.last_error}</dd>
            </>
          )}
        </dl>
        <CameraTimelapses cameraId={camera.id} />
        <CameraRejections
          cameraId={camera.id}
          total={camera.rejected_frames}
          sinceFrame={camera.rejections_since_last_frame}
        />
        <p className="hint">← → other cameras · Esc back to the wall</p>
      </aside>
    </div>
  );
}

function CameraTimelapses({ cameraId }: { cameraId: number }) {
  const { api } = useServices();
  const [timelapses, setTimelapses] = useState<TimelapseDto[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api.call('timelapses.list', { camera_id: cameraId }).then(
      (list) => live && setTimelapses(list),
      (failure: unknown) => live && setError(errorMessage(failure)),
    );
    return () => {
      live = false;
    };
  }, [api, cameraId]);
  if (error) return <p className="error-text">{error}</p>;
  if (!timelapses) return <p>Loading timelapses…</p>;
  return (
    <>
      <h3>Timelapses</h3>
      <ul className="plain-list">
        {timelapses.map((timelapse) => (
          <li key={timelapse.id}>
            <Link to="timelapse" query={{ id: timelapse.id }}>
              {timelapse.name}
            </Link>{' '}
            <span className="muted">
              {timelapse.status} · {timelapse.image_count} frames
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}
