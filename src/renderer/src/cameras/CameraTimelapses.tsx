import { useState, type FormEvent } from 'react';
import { isArchiveCamera, type CameraDto, type TimelapseDto } from '../../../shared/contract';
import { formatBytes, plural, timelapseBytes, timelapseDates } from '../../../shared/reports';
import { Link } from '../app/Link';
import type { Resource } from '../app/use-resource';
import { CompleteDialog, useTimelapseActions } from './TimelapseControls';

/** A camera's timelapses: start, stop, complete and rename them; frames, dates and size of each. */
export function CameraTimelapses({
  camera,
  list,
}: {
  camera: CameraDto;
  list: Resource<TimelapseDto[]>;
}) {
  const actions = useTimelapseActions(list.reload);
  const [name, setName] = useState('');
  const [completing, setCompleting] = useState<TimelapseDto | null>(null);
  const timelapses = list.data;
  const active = timelapses?.find((t) => t.status === 'active');

  const start = (event: FormEvent) => {
    event.preventDefault();
    void actions.start(camera, name.trim() || undefined).then(() => setName(''));
  };

  return (
    <section className="camera-timelapses" aria-labelledby="timelapses-heading">
      <h3 id="timelapses-heading">Timelapses</h3>
      {!isArchiveCamera(camera) &&
        (active ? (
          <div className="timelapse-controls">
            <p>
              Capturing into <strong>{active.name}</strong>
            </p>
            <button
              type="button"
              disabled={actions.busy}
              onClick={() => void actions.stop(active.id)}
            >
              Stop
            </button>
            <button type="button" disabled={actions.busy} onClick={() => setCompleting(active)}>
              Complete…
            </button>
          </div>
        ) : (
          <form className="timelapse-controls" onSubmit={start}>
            <p>
              {camera.enabled
                ? 'No timelapse is running: nothing is captured.'
                : 'Capture is disabled.'}
            </p>
            <input
              aria-label="New timelapse name"
              placeholder={`${camera.name} (date)`}
              maxLength={200}
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
            <button type="submit" className="primary" disabled={actions.busy}>
              Start timelapse
            </button>
          </form>
        ))}
      {actions.error && (
        <p role="alert" className="error-text">
          {actions.error}
        </p>
      )}
      {list.error && <p className="error-text">{list.error}</p>}
      {!timelapses ? (
        <p>Loading timelapses…</p>
      ) : timelapses.length === 0 ? (
        <p className="muted">None yet.</p>
      ) : (
        <ul className="plain-list timelapse-list">
          {[...timelapses].reverse().map((timelapse) => (
            <TimelapseRow
              key={timelapse.id}
              timelapse={timelapse}
              onRename={(next) => actions.rename(timelapse.id, next)}
              onStop={() => void actions.stop(timelapse.id)}
              onComplete={() => setCompleting(timelapse)}
              busy={actions.busy}
            />
          ))}
        </ul>
      )}
      {completing && (
        <CompleteDialog
          what={`“${completing.name}”`}
          onConfirm={() => void actions.complete(completing.id)}
          onClose={() => setCompleting(null)}
        />
      )}
    </section>
  );
}

function TimelapseRow({
  timelapse,
  onRename,
  onStop,
  onComplete,
  busy,
}: {
  timelapse: TimelapseDto;
  onRename(name: string): Promise<void>;
  onStop(): void;
  onComplete(): void;
  busy: boolean;
}) {
  const [editing, setEditing] = useState<string | null>(null);
  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (editing?.trim()) await onRename(editing.trim());
    setEditing(null);
  };
  const dates = timelapseDates(timelapse);
  return (
    <li className="timelapse-row" data-timelapse-id={timelapse.id} data-status={timelapse.status}>
      {editing === null ? (
        <div className="timelapse-title">
          <Link to="timelapse" query={{ id: timelapse.id }}>
            {timelapse.name}
          </Link>
          <button
            type="button"
            className="link-button"
            aria-label={`Rename ${timelapse.name}`}
            onClick={() => setEditing(timelapse.name)}
          >
            Rename
          </button>
          {timelapse.status === 'stopped' && (
            <button type="button" className="link-button" disabled={busy} onClick={onComplete}>
              Complete…
            </button>
          )}
          {timelapse.status === 'active' && (
            <button type="button" className="link-button" disabled={busy} onClick={onStop}>
              Stop
            </button>
          )}
        </div>
      ) : (
        <form className="timelapse-title" onSubmit={save}>
          <input
            aria-label={`New name for ${timelapse.name}`}
            value={editing}
            maxLength={200}
            autoFocus
            onChange={(e) => setEditing(e.target.value)}
            onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), setEditing(null))}
          />
          <button type="submit">Save</button>
          <button type="button" onClick={() => setEditing(null)}>
            Cancel
          </button>
        </form>
      )}
      <span className="muted">
        <span className={`status status-${timelapse.status}`}>{timelapse.status}</span> ·{' '}
        {plural(timelapse.image_count, 'frame')} · {dates} ·{' '}
        {formatBytes(timelapseBytes(timelapse))}
      </span>
    </li>
  );
}
