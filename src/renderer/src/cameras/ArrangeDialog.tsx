import { useEffect, useRef, useState, type DragEvent } from 'react';
import type { CameraDto } from '../../../shared/contract';
import { useServices, useWall } from '../app/services';
import { errorMessage } from '../api/transport';
import { groupsOf } from '../store/wall-store';
import { Modal } from '../ui/Modal';

/**
 * The wall's order and groups: drag a row, or move it up and down with its
 * buttons (keyboard); a group per camera, as Frigate's camera groups. Each
 * change is saved at once.
 */
export function ArrangeDialog({ onClose }: { onClose(): void }) {
  const { wall } = useServices();
  const cameras = useWall((state) => state.cameras);
  const [dragged, setDragged] = useState<number | null>(null);
  const [over, setOver] = useState<number | null>(null);
  const refocus = useRef<string | null>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const groups = groupsOf(cameras);

  // A moved row keeps the focus on the button that moved it.
  useEffect(() => {
    if (!refocus.current) return;
    listRef.current?.querySelector<HTMLElement>(refocus.current)?.focus();
    refocus.current = null;
  }, [cameras]);

  const move = (camera: CameraDto, by: number, which: 'up' | 'down') => {
    refocus.current = `[data-camera-id="${camera.id}"] .move-${which}`;
    void wall.getState().moveCamera(camera.id, by);
  };
  const drop = (event: DragEvent, beforeId: number | null) => {
    event.preventDefault();
    const id = Number(event.dataTransfer.getData('text/plain'));
    setDragged(null);
    setOver(null);
    if (id) void wall.getState().placeCamera(id, beforeId);
  };

  return (
    <Modal title="Arrange the wall" onClose={onClose} className="arrange-dialog">
      <p className="hint">
        Drag a camera, or use its arrows. Give cameras a group to show one group at a time.
      </p>
      <ol
        ref={listRef}
        className="arrange-list"
        onDragOver={(e) => e.preventDefault()}
        onDrop={(e) => drop(e, null)}
      >
        {cameras.map((camera, index) => (
          <li
            key={camera.id}
            data-camera-id={camera.id}
            className={`arrange-row${dragged === camera.id ? ' dragging' : ''}${over === camera.id ? ' drop-target' : ''}`}
            draggable
            onDragStart={(event) => {
              event.dataTransfer.setData('text/plain', String(camera.id));
              event.dataTransfer.effectAllowed = 'move';
              setDragged(camera.id);
            }}
            onDragEnd={() => setDragged(null)}
            onDragOver={(event) => {
              event.preventDefault();
              setOver(camera.id);
            }}
            onDrop={(event) => {
              event.stopPropagation();
              drop(event, camera.id);
            }}
          >
            <span className="drag-handle" aria-hidden="true">
              ⠿
            </span>
            <span className="arrange-name">{camera.name}</span>
            <GroupInput camera={camera} groups={groups} />
            <button
              type="button"
              className="icon-button move-up"
              aria-label={`Move ${camera.name} up`}
              disabled={index === 0}
              onClick={() => move(camera, -1, 'up')}
            >
              ↑
            </button>
            <button
              type="button"
              className="icon-button move-down"
              aria-label={`Move ${camera.name} down`}
              disabled={index === cameras.length - 1}
              onClick={() => move(camera, 1, 'down')}
            >
              ↓
            </button>
          </li>
        ))}
      </ol>
      <footer className="modal-footer">
        <button type="button" className="primary" onClick={onClose}>
          Done
        </button>
      </footer>
    </Modal>
  );
}

/** A camera's group, saved when the field is left. */
function GroupInput({ camera, groups }: { camera: CameraDto; groups: string[] }) {
  const { api } = useServices();
  const [value, setValue] = useState(camera.group ?? '');
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    if (value.trim() === (camera.group ?? '')) return;
    try {
      await api.call('cameras.update', { camera_id: camera.id, group: value.trim() || null });
      setError(null);
    } catch (failure) {
      setError(errorMessage(failure));
    }
  };
  const listId = `groups-${camera.id}`;
  return (
    <span className="arrange-group">
      <input
        aria-label={`Group of ${camera.name}`}
        placeholder="no group"
        list={listId}
        maxLength={50}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        onBlur={save}
        onKeyDown={(e) => e.key === 'Enter' && void save()}
        aria-invalid={error ? true : undefined}
        title={error ?? undefined}
      />
      <datalist id={listId}>
        {groups.map((group) => (
          <option key={group} value={group} />
        ))}
      </datalist>
    </span>
  );
}
