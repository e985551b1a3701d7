import { useMemo, useState, type FormEvent } from 'react';
import type { CameraDto } from '../../../shared/contract';
import { useServices, useWall } from '../app/services';
import { groupsOf } from '../store/wall-store';
import { errorMessage } from '../api/transport';
import { Modal } from '../ui/Modal';
import { checkDraft, draftOf, NEW_CAMERA, type CameraDraft } from './camera-form';
import { CameraTest } from './CameraTest';
import { CheckField, Field, SOURCE_CHOICES, SourceFields } from './SourceFields';

export interface CameraFormProps {
  /** The camera to edit; none to add one. */
  camera?: CameraDto;
  onSaved(camera: CameraDto): void;
  onClose(): void;
}

/** Add or edit a camera: its source with help, interval, thumbnails, group; Test before Save. */
export function CameraFormDialog({ camera, onSaved, onClose }: CameraFormProps) {
  const { api, wall } = useServices();
  const cameras = useWall((state) => state.cameras);
  const knownGroups = useMemo(() => groupsOf(cameras), [cameras]);
  const [draft, setDraft] = useState<CameraDraft>(() => (camera ? draftOf(camera) : NEW_CAMERA));
  const [startTimelapse, setStartTimelapse] = useState(true);
  const [touched, setTouched] = useState(false);
  const [saving, setSaving] = useState<{ busy: boolean; error: string | null }>({
    busy: false,
    error: null,
  });
  const set = (patch: Partial<CameraDraft>) => setDraft((current) => ({ ...current, ...patch }));
  const check = checkDraft(draft);
  const errors = touched ? check.errors : {};
  const sourceHelp = SOURCE_CHOICES.find((choice) => choice.type === draft.source_type)!.help;

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!check.input) return;
    setSaving({ busy: true, error: null });
    try {
      let saved = camera
        ? await api.call('cameras.update', { camera_id: camera.id, ...check.input })
        : await api.call('cameras.create', check.input);
      if (!camera && startTimelapse && saved.enabled) {
        await api.call('timelapses.start', { camera_id: saved.id });
        saved = await api.call('cameras.get', { camera_id: saved.id });
      }
      // The event stream brings it too; the wall need not wait for it.
      await wall.getState().refreshCamera(saved.id);
      onSaved(saved);
    } catch (error) {
      setSaving({ busy: false, error: errorMessage(error) });
    }
  };

  return (
    <Modal
      title={camera ? `Edit ${camera.name}` : 'Add camera'}
      onClose={onClose}
      className="camera-dialog"
    >
      <form className="camera-form" onSubmit={save} noValidate>
        <Field id="camera-name" label="Name" error={errors.name}>
          {(describedBy) => (
            <input
              id="camera-name"
              value={draft.name}
              maxLength={100}
              placeholder="Driveway"
              onChange={(e) => set({ name: e.target.value })}
              aria-describedby={describedBy || undefined}
              aria-invalid={errors.name ? true : undefined}
              autoFocus
            />
          )}
        </Field>
        <Field id="camera-type" label="Source" help={sourceHelp}>
          {(describedBy) => (
            <select
              id="camera-type"
              value={draft.source_type}
              onChange={(e) => set({ source_type: e.target.value as CameraDraft['source_type'] })}
              aria-describedby={describedBy}
            >
              {SOURCE_CHOICES.map((choice) => (
                <option key={choice.type} value={choice.type}>
                  {choice.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <SourceFields draft={draft} set={set} errors={errors} editing={camera !== undefined} />
        <CameraTest draft={draft} cameraId={camera?.id} disabled={saving.busy} />
        <div className="field-row">
          <Field
            id="camera-interval"
            label="Capture every (seconds)"
            error={errors.interval}
            help={intervalHelp(draft.interval)}
          >
            {(describedBy) => (
              <input
                id="camera-interval"
                inputMode="numeric"
                value={draft.interval}
                onChange={(e) => set({ interval: e.target.value })}
                aria-describedby={describedBy}
                aria-invalid={errors.interval ? true : undefined}
              />
            )}
          </Field>
          <Field
            id="camera-group"
            label="Group"
            help="Optional, e.g. Outside: the wall can show one group."
          >
            {(describedBy) => (
              <>
                <input
                  id="camera-group"
                  list="camera-groups"
                  maxLength={50}
                  value={draft.group}
                  onChange={(e) => set({ group: e.target.value })}
                  aria-describedby={describedBy}
                />
                <datalist id="camera-groups">
                  {knownGroups.map((group) => (
                    <option key={group} value={group} />
                  ))}
                </datalist>
              </>
            )}
          </Field>
        </div>
        <CheckField
          id="camera-thumbnails"
          label="Make thumbnails and smalls"
          help="200×150 and 800×600 copies for the wall and the timelapse browser. Off: they load full frames."
          checked={draft.generate_thumbnails}
          onChange={(generate_thumbnails) => set({ generate_thumbnails })}
        />
        {!camera && (
          <label className="check">
            <input
              type="checkbox"
              checked={startTimelapse}
              onChange={(e) => setStartTimelapse(e.target.checked)}
            />
            Start a timelapse now, so it captures at once
          </label>
        )}
        {saving.error && (
          <p role="alert" className="error-text">
            {saving.error}
          </p>
        )}
        <footer className="modal-footer">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="primary"
            disabled={saving.busy || (touched && !check.input)}
          >
            {saving.busy ? 'Saving…' : camera ? 'Save' : 'Add camera'}
          </button>
        </footer>
      </form>
    </Modal>
  );
}

function intervalHelp(text: string): string {
  const seconds = Number(text);
  if (!Number.isInteger(seconds) || seconds < 1) return 'Seconds between two frames.';
  const perDay = Math.floor(86_400 / seconds);
  return `${perDay.toLocaleString('en')} frames a day.`;
}
