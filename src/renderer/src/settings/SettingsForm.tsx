import { useState } from 'react';
import { SETTING_FIELDS, settingRange, type Settings } from '../../../shared/contract';
import { useServices } from '../app/services';
import { errorMessage } from '../api/transport';
import { draftOf, validateDraft, type Draft } from './settings-form';

/** Every setting, validated as typed with the core's own schema; saves only what changed. */
export function SettingsForm({
  settings,
  onSaved,
}: {
  settings: Settings;
  onSaved(next: Settings): void;
}) {
  const { api } = useServices();
  const [draft, setDraft] = useState<Draft>(() => draftOf(settings));
  const [status, setStatus] = useState<{
    saving: boolean;
    message: string | null;
    error: string | null;
  }>({
    saving: false,
    message: null,
    error: null,
  });
  const { patch, errors } = validateDraft(draft, settings);
  const dirty = patch !== null && Object.keys(patch).length > 0;
  const invalid = Object.keys(errors).length > 0;

  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!patch || !dirty) return;
    setStatus({ saving: true, message: null, error: null });
    try {
      const next = await api.call('settings.update', patch);
      onSaved(next);
      setDraft(draftOf(next));
      setStatus({
        saving: false,
        message: `Saved ${Object.keys(patch).length} setting(s)`,
        error: null,
      });
    } catch (error) {
      setStatus({ saving: false, message: null, error: errorMessage(error) });
    }
  };

  return (
    <form className="settings-form" onSubmit={save} noValidate>
      {SETTING_FIELDS.map((field) => {
        const id = `setting-${field.key}`;
        const error = errors[field.key];
        const value = draft[field.key];
        const describedBy = `${id}-help${error ? ` ${id}-error` : ''}`;
        const set = (next: string | boolean) =>
          setDraft((current) => ({ ...current, [field.key]: next }));
        return (
          <div key={field.key} className={`field${error ? ' field-invalid' : ''}`}>
            {field.kind === 'boolean' ? (
              <label className="check" htmlFor={id}>
                <input
                  id={id}
                  type="checkbox"
                  checked={value === true}
                  onChange={(e) => set(e.target.checked)}
                  aria-describedby={describedBy}
                />
                {field.label}
              </label>
            ) : (
              <>
                <label htmlFor={id}>{field.label}</label>
                {field.kind === 'choice' ? (
                  <select
                    id={id}
                    value={String(value)}
                    onChange={(e) => set(e.target.value)}
                    aria-describedby={describedBy}
                  >
                    {field.options!.map((choice) => (
                      <option key={choice.value} value={choice.value}>
                        {choice.label}
                      </option>
                    ))}
                  </select>
                ) : (
                  <input
                    id={id}
                    type="number"
                    inputMode="decimal"
                    step={field.step ?? 1}
                    min={field.min}
                    max={field.max}
                    value={String(value)}
                    onChange={(e) => set(e.target.value)}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={describedBy}
                  />
                )}
              </>
            )}
            <small id={`${id}-help`} className="muted">
              {[field.help, settingRange(field)].filter(Boolean).join(' ')}
            </small>
            {error && (
              <small id={`${id}-error`} className="error-text" role="alert">
                {error}
              </small>
            )}
          </div>
        );
      })}
      <div className="form-footer">
        <button type="submit" className="primary" disabled={!dirty || invalid || status.saving}>
          {status.saving ? 'Saving…' : 'Save settings'}
        </button>
        <button
          type="button"
          disabled={!dirty && !invalid}
          onClick={() => setDraft(draftOf(settings))}
        >
          Revert
        </button>
        {status.message && <span role="status">{status.message}</span>}
        {status.error && (
          <span role="alert" className="error-text">
            {status.error}
          </span>
        )}
      </div>
    </form>
  );
}
