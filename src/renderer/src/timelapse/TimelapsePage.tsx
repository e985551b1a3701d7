import { useEffect, useMemo, useState } from 'react';
import { Link } from '../app/Link';
import { useServices, useWall } from '../app/services';
import { useEventReload } from '../app/use-event-reload';
import { ResourceStatus } from '../app/ResourceStatus';
import { useResource } from '../app/use-resource';
import { n } from '../../../shared/reports';
import { FrameGrid } from './FrameGrid';
import { FrameIndex } from './frame-index';
import { FrameViewer } from './FrameViewer';
import { TimelapseActions } from './TimelapseActions';

/** One timelapse: every frame in a virtualized grid, a frame-by-frame viewer, and its thumbnail actions. */
export function TimelapsePage({ timelapseId }: { timelapseId: number }) {
  const { api } = useServices();
  const cameras = useWall((state) => state.cameras);
  const timelapse = useResource(
    () => api.call('timelapses.get', { timelapse_id: timelapseId }),
    timelapseId,
  );
  const [flaggedOnly, setFlaggedOnly] = useState(false);
  const frameIndex = useMemo(
    () => new FrameIndex(api, timelapseId, flaggedOnly),
    [api, timelapseId, flaggedOnly],
  );
  const [viewing, setViewing] = useState<number | null>(null);
  useEffect(() => () => frameIndex.dispose(), [frameIndex]);
  useTimelapseChanges(timelapseId, timelapse.reload);

  const data = timelapse.data;
  if (!data) return <ResourceStatus resource={timelapse} what="this timelapse" />;
  const camera = cameras.find((c) => c.id === data.camera_id);
  const total = flaggedOnly ? data.flagged_count : data.image_count;
  return (
    <div className="timelapse-page">
      <header className="page-header">
        <div>
          <h2>{data.name}</h2>
          <p className="muted">
            {camera ? (
              <Link to="camera" query={{ id: camera.id }}>
                {camera.name}
              </Link>
            ) : (
              `Camera ${data.camera_id}`
            )}{' '}
            · {data.status} · {n(data.image_count)} frames · {n(data.thumbnail_count)} thumbnails ·{' '}
            {n(data.small_count)} smalls
          </p>
          <label className="flag-filter" title="Frames kept though they look wrong: flat &quot;no signal&quot; screens, undersized frames">
            <input
              type="checkbox"
              checked={flaggedOnly}
              disabled={data.flagged_count === 0 && !flaggedOnly}
              onChange={(event) => {
                setViewing(null);
                setFlaggedOnly(event.target.checked);
              }}
            />{' '}
            Flagged only ({n(data.flagged_count)})
          </label>
        </div>
        <TimelapseActions timelapse={data} onChanged={timelapse.reload} />
      </header>
      {frameIndex.error && <p className="error-text">{frameIndex.error}</p>}
      <FrameGrid index={frameIndex} total={total} onOpen={setViewing} />
      {viewing !== null && (
        <FrameViewer
          index={frameIndex}
          total={total}
          position={viewing}
          onMove={setViewing}
          onClose={() => setViewing(null)}
        />
      )}
    </div>
  );
}

/** New frames and counts of an active timelapse show up while it is open (re-read at most every 2 s). */
function useTimelapseChanges(timelapseId: number, reload: () => void) {
  useEventReload(
    (event) =>
      (event.type === 'timelapse_changed' ||
        event.type === 'frame_captured' ||
        event.type === 'thumbnails_ready') &&
      event.timelapse_id === timelapseId,
    reload,
  );
}
