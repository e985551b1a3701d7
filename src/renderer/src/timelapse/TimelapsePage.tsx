import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { Link } from '../app/Link';
import { useServices, useWall } from '../app/services';
import { useEventReload } from '../app/use-event-reload';
import { ResourceStatus } from '../app/ResourceStatus';
import { useResource } from '../app/use-resource';
import { n } from '../../../shared/reports';
import { FrameGrid } from './FrameGrid';
import { FrameIndex } from './frame-index';
import { FrameViewer } from './FrameViewer';
import { PlayerPanel } from './PlayerPanel';
import { TimelapseActions } from './TimelapseActions';
import { VideosPanel } from './VideosPanel';

/**
 * One timelapse: the player and its scrubber, its MP4 exports, every frame in
 * a virtualized grid by day, a frame-by-frame viewer, and its thumbnail actions.
 */
export function TimelapsePage({ timelapseId }: { timelapseId: number }) {
  const { api } = useServices();
  const cameras = useWall((state) => state.cameras);
  const timelapse = useResource(
    () => api.call('timelapses.get', { timelapse_id: timelapseId }),
    timelapseId,
  );
  const [flaggedOnly, setFlaggedOnly] = useState(false);
  // Every frame, for the player and the videos; the grid shows the flagged ones alone when asked.
  const frameIndex = useMemo(() => new FrameIndex(api, timelapseId), [api, timelapseId]);
  const flaggedIndex = useMemo(
    () => (flaggedOnly ? new FrameIndex(api, timelapseId, true) : null),
    [api, timelapseId, flaggedOnly],
  );
  const gridIndex = flaggedIndex ?? frameIndex;
  const [viewing, setViewing] = useState<number | null>(null);
  useEffect(() => () => frameIndex.dispose(), [frameIndex]);
  useEffect(() => () => flaggedIndex?.dispose(), [flaggedIndex]);
  // New frames and counts of an active timelapse show up while it is open (re-read at most every 2 s).
  useEventReload(
    (event) =>
      (event.type === 'timelapse_changed' ||
        event.type === 'frame_captured' ||
        event.type === 'thumbnails_ready') &&
      event.timelapse_id === timelapseId,
    timelapse.reload,
  );
  const imageCount = timelapse.data?.image_count;
  useEffect(() => {
    // The first load, then again whenever the timelapse's frame count changes.
    if (imageCount === undefined) return;
    void frameIndex.load();
    void flaggedIndex?.load();
  }, [frameIndex, flaggedIndex, imageCount]);

  const data = timelapse.data;
  if (!data) return <ResourceStatus resource={timelapse} what="this timelapse" />;
  const camera = cameras.find((c) => c.id === data.camera_id);
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
          <label
            className="flag-filter"
            title='Frames kept though they look wrong: flat "no signal" screens, undersized frames'
          >
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
      <FrameIndexError index={frameIndex} />
      <div className="timelapse-watch">
        <PlayerPanel index={frameIndex} />
        <VideosPanel timelapseId={timelapseId} index={frameIndex} />
      </div>
      <FrameGrid index={gridIndex} onOpen={setViewing} />
      {viewing !== null && (
        <FrameViewer
          index={gridIndex}
          total={gridIndex.frames.length}
          position={viewing}
          onMove={setViewing}
          onClose={() => setViewing(null)}
        />
      )}
    </div>
  );
}

/** Why frames or thumbnails did not load, re-rendered alone (the page does not follow every thumbnail). */
function FrameIndexError({ index }: { index: FrameIndex }) {
  const error = useSyncExternalStore(index.subscribe, () => index.error);
  return error ? <p className="error-text">{error}</p> : null;
}
