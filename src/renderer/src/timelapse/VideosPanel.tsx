import { useState, useSyncExternalStore, type FormEvent } from 'react';
import {
  DEFAULT_FPS,
  DEFAULT_VIDEO_SIZE,
  MAX_FPS,
  MIN_FPS,
  VIDEO_SIZES,
  type VideoDto,
  type VideoSize,
} from '../../../shared/contract';
import { describeVideo, describeVideoScope, formatDayLabel } from '../../../shared/reports';
import { errorMessage } from '../api/transport';
import { useServices } from '../app/services';
import { useEventReload } from '../app/use-event-reload';
import { useResource } from '../app/use-resource';
import { Modal } from '../ui/Modal';
import { ProgressBar } from '../ui/ProgressBar';
import type { DayStart, FrameIndex } from './frame-index';

const SIZE_LABELS: Record<VideoSize, string> = {
  '1080p': '1080p (1920×1080)',
  full: 'Full size',
  small: 'Small (within 800×600)',
};

/** The timelapse's MP4 exports: render one (size, rate, days), follow it, play, download, delete. */
export function VideosPanel({ timelapseId, index }: { timelapseId: number; index: FrameIndex }) {
  const { api } = useServices();
  const videos = useResource(
    () => api.call('videos.list', { timelapse_id: timelapseId }),
    timelapseId,
  );
  const [playing, setPlaying] = useState<VideoDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The list follows renders as they queue, progress, end or go.
  useEventReload(
    (event) => event.type === 'video_changed' && event.timelapse_id === timelapseId,
    videos.reload,
    1000,
  );

  const act = async (action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError(errorMessage(failure));
    }
    videos.reload();
  };

  return (
    <section className="videos-panel" aria-labelledby="videos-heading">
      <h3 id="videos-heading">Videos</h3>
      <RenderForm
        index={index}
        onRender={(args) =>
          act(() => api.call('videos.render', { timelapse_id: timelapseId, ...args }))
        }
      />
      {error && (
        <p role="alert" className="error-text">
          {error}
        </p>
      )}
      {videos.error && !videos.data && <p className="error-text">{videos.error}</p>}
      {videos.data?.length === 0 && <p className="muted">No videos yet.</p>}
      <ul className="video-list">
        {videos.data?.map((video) => (
          <li key={video.id} className={`video video-${video.status}`} data-video-id={video.id}>
            <div className="video-name">{video.file_name}</div>
            <div className="muted">
              {describeVideoScope(video)} · {describeVideo(video)}
            </div>
            {video.status === 'rendering' && (
              <ProgressBar
                value={video.frames_done}
                max={video.frame_count}
                label={`Rendering ${video.file_name}`}
              />
            )}
            <div className="video-actions">
              {video.status === 'completed' && (
                <>
                  <button type="button" onClick={() => setPlaying(video)}>
                    Play
                  </button>
                  <a
                    className="button"
                    href={api.videoUrl(video.id, true)}
                    download={video.file_name}
                  >
                    Download
                  </a>
                </>
              )}
              {(video.status === 'queued' || video.status === 'rendering') && (
                <button
                  type="button"
                  onClick={() => act(() => api.call('videos.cancel', { video_id: video.id }))}
                >
                  Cancel
                </button>
              )}
              {video.status !== 'queued' && video.status !== 'rendering' && (
                <button
                  type="button"
                  className="danger"
                  onClick={() => act(() => api.call('videos.delete', { video_id: video.id }))}
                  aria-label={`Delete ${video.file_name}`}
                >
                  Delete
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
      {playing && (
        <Modal title={playing.file_name} onClose={() => setPlaying(null)} className="video-modal">
          <video
            className="video-player"
            src={api.videoUrl(playing.id)}
            controls
            autoPlay
            playsInline
          />
        </Modal>
      )}
    </section>
  );
}

interface RenderArgs {
  size: VideoSize;
  fps: number;
  from_day?: number;
  to_day?: number;
}

function RenderForm({
  index,
  onRender,
}: {
  index: FrameIndex;
  onRender(args: RenderArgs): Promise<void>;
}) {
  const days = useSyncExternalStore(index.subscribe, () => index.days);
  const [size, setSize] = useState<VideoSize>(DEFAULT_VIDEO_SIZE);
  const [fps, setFps] = useState(DEFAULT_FPS);
  const [fromDay, setFromDay] = useState('');
  const [toDay, setToDay] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    await onRender({
      size,
      fps,
      ...(fromDay ? { from_day: Number(fromDay) } : {}),
      ...(toDay ? { to_day: Number(toDay) } : {}),
    });
    setBusy(false);
  };
  return (
    <form className="render-form" onSubmit={submit} aria-label="Render an MP4">
      <label>
        Size{' '}
        <select value={size} onChange={(event) => setSize(event.target.value as VideoSize)}>
          {VIDEO_SIZES.map((value) => (
            <option key={value} value={value}>
              {SIZE_LABELS[value]}
            </option>
          ))}
        </select>
      </label>
      <label>
        <input
          type="number"
          min={MIN_FPS}
          max={MAX_FPS}
          value={fps}
          onChange={(event) => setFps(Number(event.target.value))}
          aria-label="Video frames per second"
        />{' '}
        fps
      </label>
      {days.length > 1 && (
        <>
          <DaySelect
            label="From"
            open="the first day"
            days={days}
            value={fromDay}
            onChange={setFromDay}
          />
          <DaySelect label="to" open="the last day" days={days} value={toDay} onChange={setToDay} />
        </>
      )}
      <button type="submit" className="primary" disabled={busy || days.length === 0}>
        {busy ? 'Queueing…' : 'Render MP4'}
      </button>
    </form>
  );
}

/** One end of the day range: a day of the timelapse, or open (`open` names what that means). */
function DaySelect(props: {
  label: string;
  open: string;
  days: readonly DayStart[];
  value: string;
  onChange(value: string): void;
}) {
  return (
    <label>
      {props.label}{' '}
      <select value={props.value} onChange={(event) => props.onChange(event.target.value)}>
        <option value="">{props.open}</option>
        {props.days.map((day) => (
          <option key={day.day} value={day.day}>
            {formatDayLabel(day.day, day.captured_at)}
          </option>
        ))}
      </select>
    </label>
  );
}
